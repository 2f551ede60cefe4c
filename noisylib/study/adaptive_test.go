package study

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/figures"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestAdaptiveReadsLikeWalk runs notebook 03's standard path at a small scale: an inference walk and the adaptive
// noisy-training search with repetitions, read as site curves, drawn, and compared per site by the paired gap.
func TestAdaptiveReadsLikeWalk(t *testing.T) {
	t.Setenv(EnvOut, t.TempDir())
	t.Setenv(EnvPreset, "quick")
	base := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2000, TestN: 500},
		Sites: []int{0, 4, 10}, Sigmas: []float64{0.1, 0.3, 1, 3, 10, 30, 100}, Reps: 2}
	inference, training := base, base
	inference.Modes, training.Modes = []walk.Mode{walk.Inference}, []walk.Mode{walk.Training}
	_, inf, err := Walk(inference)
	if err != nil {
		t.Fatal(err)
	}
	_, adaptive, err := Adaptive(training)
	if err != nil {
		t.Fatal(err)
	}
	noisy := walk.SiteCurves(adaptive)
	if len(noisy) != len(inf) {
		t.Fatalf("%d adaptive curves, %d inference curves", len(noisy), len(inf))
	}
	curves := append(inf, noisy...)
	if _, err := figures.MidpointBars(curves, "bars"); err != nil {
		t.Errorf("MidpointBars: %v", err)
	}
	if _, err := figures.MidpointShift(curves, walk.Training, walk.Inference, "shift"); err != nil {
		t.Errorf("MidpointShift: %v", err)
	}
	// Stored only: reading the same plans again computes nothing and succeeds; a plan with a new σ fails.
	t.Setenv(EnvStoredOnly, "1")
	if _, again, err := Walk(inference); err != nil || len(again) != len(inf) {
		t.Errorf("stored-only Walk of a stored plan: %v", err)
	}
	if _, _, err := Adaptive(training); err != nil {
		t.Errorf("stored-only Adaptive of a stored search: %v", err)
	}
	more := inference
	more.Sigmas = append([]float64{0.03}, base.Sigmas...)
	if _, _, err := Walk(more); err == nil || !strings.Contains(err.Error(), "computes nothing") {
		t.Errorf("stored-only Walk with a σ not stored: %v, want an error saying nothing is computed", err)
	}
	for i := range inf {
		g := walk.CurveGap(noisy[i], inf[i])
		if g.Diff.N != 2 {
			t.Errorf("site %s: paired gap over %d repetitions, want 2 (%s)", inf[i].Name, g.Diff.N, g.Verdict("higher", "lower"))
		}
		t.Logf("%s: %s", inf[i].Name, g.Verdict("noisy training higher", "inference-only higher"))
	}
}
