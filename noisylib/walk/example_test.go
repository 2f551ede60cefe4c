package walk_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// An inference-only walk of additive noise through two sites of MLP-TFC (BN), resumable from its store, and the
// midpoint of each site's accuracy-vs-σ curve. It runs on a small synthetic data set registered for examples;
// a real walk names "mnist" (or uses walk.Preset for the published grids).
func Example() {
	datatest.RegisterStripes()
	dir, err := os.MkdirTemp("", "walk-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	st, err := results.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	b, err := backend.New()
	if err != nil {
		panic(err)
	}

	plan, err := walk.Build(walk.PlanSpec{
		Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2},
		Modes: []walk.Mode{walk.Inference}, Noise: noise.Additive, Sites: []int{0, 4},
		Sigmas: analysis.Logspace(0.01, 1000, 11), Reps: 1, BaseSeed: 1})
	if err != nil {
		panic(err)
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard}
	sum, err := r.Run(plan) // trains the clean model once, then evaluates every (site, σ)
	if err != nil {
		panic(err)
	}
	again, err := r.Run(plan) // a re-run (or a resumed, killed run) computes only what the store lacks
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Done, "points run,", again.Done, "on the second run")

	curves, err := walk.Curves(st, plan) // per (mode, site): the curve and its midpoint noise level
	if err != nil {
		panic(err)
	}
	for _, c := range curves {
		fmt.Printf("%s %s: midpoint measured: %v, within the grid: %v\n", c.Mode, c.Name,
			c.Mid.Censored == analysis.None, c.Mid.Sigma > 0.01 && c.Mid.Sigma < 1000)
	}
	// Output:
	// 23 points run, 0 on the second run
	// inference 0:input: midpoint measured: true, within the grid: true
	// inference 4:fc2: midpoint measured: true, within the grid: true
}

// A store read alone: a fresh, read-only handle rebuilds a plan from the spec the runner recorded under its name,
// without the code, flags or preset that described it.
func ExampleLoadPlan() {
	datatest.RegisterStripes()
	dir, err := os.MkdirTemp("", "walk-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "results.db")
	st, err := results.Open(path)
	if err != nil {
		panic(err)
	}
	b, err := backend.New()
	if err != nil {
		panic(err)
	}
	run, err := walk.Preset("quick", walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName,
		Epochs: 2, LR: 1e-2}, Modes: []walk.Mode{walk.Inference}, Sites: []int{4}})
	if err != nil {
		panic(err)
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard}
	if _, err := r.Run(run); err != nil { // records the plan's spec, then runs its points
		panic(err)
	}
	st.Close()

	ro, err := results.OpenExisting(path) // e.g. another process, later
	if err != nil {
		panic(err)
	}
	defer ro.Close()
	plan, err := walk.LoadPlan(ro, "layerwise-mlp-tfc-bn-stripes-add-e2")
	if err != nil {
		panic(err)
	}
	curves, err := walk.Curves(ro, plan)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(plan.Points), "points,", len(plan.Spec.Sigmas), "σ (the quick preset's);", curves[0].Name, "midpoint measured:",
		curves[0].Mid.Censored == analysis.None)
	// Output:
	// 18 points, 17 σ (the quick preset's); 4:fc2 midpoint measured: true
}

// A mismatch walk: models trained with global additive noise σ_a under a ramp schedule (σ from 0 to σ_a over
// the first 2 of 3 epochs), each evaluated at every σ_b, read back as one σ_a × σ_b map with every repetition's
// value. figures.Mismatch draws it.
func ExampleMismatchMaps() {
	datatest.RegisterStripes()
	dir, err := os.MkdirTemp("", "walk-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	st, err := results.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	b, err := backend.New()
	if err != nil {
		panic(err)
	}

	plan, err := walk.Build(walk.PlanSpec{Kind: walk.Mismatch,
		Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 3, LR: 1e-2},
		Noise: noise.Additive, Sites: []int{-1}, Sigmas: []float64{0.1, 1}, EvalSigmas: []float64{0, 0.1, 1, 10},
		Schedule: &train.Schedule{Kind: train.Ramp, Epochs: 2}, Reps: 2, BaseSeed: 1})
	if err != nil {
		panic(err)
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard}
	if _, err := r.Run(plan); err != nil { // 2 reps × 2 σ_a trainings, each evaluated at the 4 σ_b
		panic(err)
	}
	maps, err := walk.MismatchMaps(st, plan)
	if err != nil {
		panic(err)
	}
	m := maps[0]
	fmt.Println(plan.Name)
	fmt.Printf("site %s: %d σ_a × %d σ_b, %d repetitions per cell\n", m.Name, len(m.Acc), len(m.Acc[0]), len(m.PerRep[0][0]))
	// Output:
	// mismatch-mlp-tfc-bn-stripes-add-e3-ramp2
	// site global: 2 σ_a × 4 σ_b, 2 repetitions per cell
}
