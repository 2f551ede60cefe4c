package study_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/study"
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
