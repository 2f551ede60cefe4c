// Package study holds what the notebooks share: the preset and seed chosen by the environment, the
// results store and output folders of the repository, and running a walk plan with a summary.
//
//	plan, curves, err := study.Walk(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"},
//		Modes: []walk.Mode{walk.Inference}})
//
// (ExampleWalk compiles these lines.)
//
// WALKINGNOISE_PRESET selects "quick" (default), "standard" or "paper" (walk.Presets); WALKINGNOISE_SEED the base seed (default 1);
// WALKINGNOISE_OUT the output folder (default <repo>/out, next to the data folder).
package study

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/nbviz"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Environment variables read by this package.
const (
	EnvPreset = "WALKINGNOISE_PRESET"
	EnvSeed   = "WALKINGNOISE_SEED"
	EnvOut    = "WALKINGNOISE_OUT"
	// EnvStoredOnly, set to 1, makes every walk and dynamics study read its results from the store and compute
	// nothing: a missing point or run is an error (rendering shipped results; see StoredOnly).
	EnvStoredOnly = "WALKINGNOISE_STORED_ONLY"
)

// StoredOnly reports whether $WALKINGNOISE_STORED_ONLY is 1: the studies compute nothing and fail on results
// missing from the store.
func StoredOnly() bool { return os.Getenv(EnvStoredOnly) == "1" }

// Preset returns the preset chosen by $WALKINGNOISE_PRESET: "quick" (default), "standard" or "paper".
func Preset() string {
	if p := os.Getenv(EnvPreset); p != "" {
		return p
	}
	return "quick"
}

// Seed returns the base seed from $WALKINGNOISE_SEED (default 1, also for an invalid value, which Plan, Walk,
// Run and Dynamics report as an error instead of running with a seed the user did not give).
func Seed() uint64 {
	s, err := seedFromEnv()
	if err != nil {
		return 1
	}
	return s
}

// seedFromEnv parses $WALKINGNOISE_SEED: unset or empty gives 1, anything but a non-negative integer an error.
func seedFromEnv() (uint64, error) {
	v := strings.TrimSpace(os.Getenv(EnvSeed))
	if v == "" {
		return 1, nil
	}
	s, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("study: %s=%q is not a seed: give a non-negative integer, or unset it for 1", EnvSeed, os.Getenv(EnvSeed))
	}
	return s, nil
}

// OutDir returns $WALKINGNOISE_OUT, or the out/ folder next to the data folder (the repository's).
func OutDir() string {
	if d := os.Getenv(EnvOut); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(data.Dir()), "out")
}

// StorePath returns the results store shared by the notebooks and the CLI's default.
func StorePath() string { return filepath.Join(OutDir(), "results.db") }

// Walk builds the plan from the environment's preset and seed (fields set in spec win, see Plan), runs the points
// missing from the shared store, and returns the plan and its per-site curves with midpoints. It prints
// the preset, seed and what was run.
func Walk(spec walk.PlanSpec) (*walk.Plan, []walk.SiteCurve, error) {
	plan, err := Plan(spec)
	if err != nil {
		return nil, nil, err
	}
	if err := Run(plan); err != nil {
		return nil, nil, err
	}
	st, err := results.Open(StorePath())
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	curves, err := walk.Curves(st, plan)
	return plan, curves, err
}

// Run runs the points of a plan missing from the shared store, printing the preset, seeds and a summary
// line. In a GoNB notebook the progress is an HTML bar updated in place (nbviz.NewProgress) and all lines go
// to stdout.
func Run(plan *walk.Plan) error {
	if _, err := seedFromEnv(); err != nil {
		return err
	}
	st, err := results.Open(StorePath())
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Printf("plan %s: preset %s, base seed %d, %d repetition(s), store %s\n", plan.Name, Preset(),
		plan.Spec.BaseSeed, plan.Spec.Reps, StorePath())
	r, err := runner(st)
	if err != nil {
		return err
	}
	_, err = r.Run(plan) // the runner prints the summary line
	return err
}

// runner returns the notebooks' runner on the shared store: evaluations on backend.Shared, trainings on
// backend.SharedTraining, cached clean models under OutDir()/cache, and in a GoNB notebook an HTML bar updated
// in place, log and summary lines on stdout (stderr for errors).
func runner(st *results.Store) (*walk.Runner, error) {
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	tb, err := backend.SharedTraining()
	if err != nil {
		return nil, err
	}
	r := &walk.Runner{Store: st, Backend: b, TrainBackend: tb, CacheDir: filepath.Join(OutDir(), "cache"), StoredOnly: StoredOnly()}
	if nbviz.InNotebook() {
		r.Progress = os.Stdout
		r.NewBar = func(name string, total int) walk.ProgressBar { return nbviz.NewProgress("plan "+name, total) }
	}
	return r, nil
}

// read runs a reader of the walk package on the shared store, which must exist.
func read[T any](plan *walk.Plan, reader func(*results.Store, *walk.Plan) (T, error)) (T, error) {
	st, err := results.OpenExisting(StorePath())
	if err != nil {
		var none T
		return none, err
	}
	defer st.Close()
	return reader(st, plan)
}

// Observations returns the stored results of a plan (see walk.Observations).
func Observations(plan *walk.Plan) ([]walk.Observation, error) { return read(plan, walk.Observations) }
