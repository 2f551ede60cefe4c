package study_test

import (
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/study"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Walk runs a plan as a notebook does: the preset ($WALKINGNOISE_PRESET, quick by default) fills the fields
// left zero, results go to the shared store under $WALKINGNOISE_OUT, and the curves come back with their
// midpoints. Here on a small synthetic data set registered for examples; notebooks name "mnist".
func ExampleWalk() {
	datatest.RegisterStripes()
	out, err := os.MkdirTemp("", "study-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)
	os.Setenv(study.EnvOut, out) // notebooks leave it unset: <repo>/out

	plan, curves, err := study.Walk(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName,
		Epochs: 2, LR: 1e-2}, Modes: []walk.Mode{walk.Inference}, Noise: noise.Additive, Sites: []int{4},
		Sigmas: analysis.Logspace(0.01, 1000, 6)})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(plan.Points), "points;", curves[0].Name, "midpoint:", curves[0].Mid)
	// Walk prints its plan header with the store's path (a temporary folder here), so this example is compiled
	// but not run by go test; TestWalkRunsAndResumes runs the same call.
}

// TestWalkRunsAndResumes runs ExampleWalk's plan through study.Walk twice: the first run computes all points
// (1 clean + 6 σ) and measures the midpoint inside the grid, the second finds them in the store.
func TestWalkRunsAndResumes(t *testing.T) {
	datatest.RegisterStripes()
	t.Setenv(study.EnvOut, t.TempDir())
	t.Setenv(study.EnvPreset, "quick")
	spec := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2},
		Modes: []walk.Mode{walk.Inference}, Noise: noise.Additive, Sites: []int{4}, Sigmas: analysis.Logspace(0.01, 1000, 6)}
	for run := range 2 {
		plan, curves, err := study.Walk(spec)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Points) != 7 || len(curves) != 1 {
			t.Fatalf("run %d: %d points and %d curves, want 7 and 1", run, len(plan.Points), len(curves))
		}
		if m := curves[0].Mid; m.Censored != analysis.None || !(m.Sigma > 0.01 && m.Sigma < 1000) {
			t.Errorf("run %d: midpoint %s, want one measured inside the grid", run, m)
		}
	}
}

// TestSigmaSweepIsTheWalksSweep: notebook 01's σ sweep (SigmaSweep) on the clean model of a walk's setup and
// seed gives exactly the accuracies the inference walk stored for the same site and σ (one seed rule for the
// noise of an evaluation point, train.StreamNoise / walk.NoiseSeed), here for additive and multiplicative noise
// on a small synthetic data set.
func TestSigmaSweepIsTheWalksSweep(t *testing.T) {
	datatest.RegisterStripes()
	t.Setenv(study.EnvOut, t.TempDir())
	t.Setenv(study.EnvPreset, "quick")
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []noise.Type{noise.Additive, noise.Multiplicative} {
		sigmas := analysis.Logspace(0.01, 100, 5)
		spec := walk.PlanSpec{Name: "sigmasweep-" + typ.String(), Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName,
			Epochs: 2, LR: 1e-2}, Modes: []walk.Mode{walk.Inference}, Noise: typ, Sites: []int{4}, Sigmas: sigmas, Reps: 1}
		plan, _, err := study.Walk(spec)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := study.Observations(plan)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[float64]float64{}
		for _, o := range obs {
			if o.Mode == walk.Inference {
				stored[o.X] = o.Accuracy
			}
		}
		setup, seed := plan.Spec.Setup, plan.Spec.BaseSeed
		trainSet, _, testSet, err := data.LoadSplitsN(setup.Data, data.Dir(), setup.TrainN, setup.TestN)
		if err != nil {
			t.Fatal(err)
		}
		m, err := models.New(setup.Model, models.MNIST)
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: setup.Epochs, BatchSize: setup.BatchSize,
			LR: setup.LR, Seed: seed, Progress: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		acc, err := study.SigmaSweep(res.Trainer, testSet, setup, 4, typ, sigmas)
		if err != nil {
			t.Fatal(err)
		}
		varied := false
		for k, s := range sigmas {
			want, ok := stored[s]
			if !ok {
				t.Fatalf("%s: σ = %g not in the store (%v)", typ, s, stored)
			}
			if acc[k] != want {
				t.Errorf("%s σ = %g: SigmaSweep %.4f%%, the walk stored %.4f%%", typ, s, acc[k], want)
			}
			varied = varied || acc[k] != acc[0]
		}
		if !varied {
			t.Errorf("%s: every σ gives %.2f%%: the comparison does not exercise the noise", typ, acc[0])
		}
	}
}
