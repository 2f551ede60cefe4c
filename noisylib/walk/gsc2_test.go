package walk

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestGSC2ValidationAccuracy walks MLP-TFC (BN) on a generated Speech Commands folder: clean and training points
// report a validation accuracy (GSC2 has a validation split), inference points do not, stacked trainings give
// the same test and validation accuracies as trainings alone (up to one example), and collapsed points sit at
// GSC2's chance level, 100/12 %.
func TestGSC2ValidationAccuracy(t *testing.T) {
	dir := t.TempDir()
	fx, err := datatest.WriteGSC2(dir, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(data.EnvDataDir, dir)
	p, err := Preset("quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "gsc2", Epochs: 3},
		Modes: []Mode{Inference, Training}, Noise: noise.Additive, Sites: []int{1}, Sigmas: []float64{0.1, 1, 1e38}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.BatchSize != 512 || p.Spec.LR != 5e-4 {
		t.Errorf("GSC2 protocol: batch %d, lr %g; want 512, 5e-4", p.Spec.BatchSize, p.Spec.LR)
	}
	run := func(noStack bool) map[string]Observation {
		out := map[string]Observation{}
		for _, o := range runObservations(t, p, noStack) {
			h, _ := Hash(o.Point)
			out[h] = o
		}
		return out
	}
	stacked, alone := run(false), run(true)
	oneVal, oneTest := 100/float64(fx.Validation), 100/float64(fx.Test)
	for h, a := range alone {
		s := stacked[h]
		if (a.Mode == Inference) != (a.Metrics.ValAcc == nil) || (s.Mode == Inference) != (s.Metrics.ValAcc == nil) {
			t.Fatalf("%s point: validation accuracy %v (stacked %v), want one exactly for clean and training points",
				a.Mode, a.Metrics.ValAcc, s.Metrics.ValAcc)
		}
		if math.Abs(s.Accuracy-a.Accuracy) > oneTest+1e-9 {
			t.Errorf("%s σ=%g: test accuracy stacked %.1f%%, alone %.1f%%", a.Mode, a.X, s.Accuracy, a.Accuracy)
		}
		if a.Metrics.ValAcc != nil && math.Abs(*s.Metrics.ValAcc-*a.Metrics.ValAcc) > oneVal+1e-9 {
			t.Errorf("%s σ=%g: validation accuracy stacked %.1f%%, alone %.1f%%", a.Mode, a.X, *s.Metrics.ValAcc, *a.Metrics.ValAcc)
		}
		if a.X == 1e38 && a.Mode == Training && (a.Status != "collapsed" || math.Abs(a.Accuracy-100.0/12) > 1e-9) {
			t.Errorf("training at σ = 1e38: status %s accuracy %v, want collapsed at 100/12 %%", a.Status, a.Accuracy)
		}
	}
}
