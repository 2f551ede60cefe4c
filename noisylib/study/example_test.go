package study_test

import (
	"fmt"
	"os"

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
	// but not run by go test; TestWalk* in study_test.go run the same calls.
}
