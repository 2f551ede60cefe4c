package study

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestThreePresets: the notebooks' Quick/Spec calls keep their two-way meaning (standard takes the paper value
// and leaves the spec to its preset), PerPreset and SpecPerPreset pick the standard value, and a plan built
// under standard states its reductions.
func TestThreePresets(t *testing.T) {
	base := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []walk.Mode{walk.Inference, walk.Training}}
	quick := walk.PlanSpec{Setup: walk.Setup{TrainN: 100}}
	std := walk.PlanSpec{Setup: walk.Setup{Epochs: 30}}
	for _, c := range []struct {
		preset           string
		quick, perPreset string
		epochs, trainN   int
	}{
		{"quick", "q", "q", 0, 100},
		{"standard", "p", "s", 30, 0},
		{"paper", "p", "p", 0, 0},
	} {
		t.Setenv(EnvPreset, c.preset)
		if got := Quick("q", "p"); got != c.quick {
			t.Errorf("%s: Quick = %q, want %q", c.preset, got, c.quick)
		}
		if got := PerPreset("q", "s", "p"); got != c.perPreset {
			t.Errorf("%s: PerPreset = %q, want %q", c.preset, got, c.perPreset)
		}
		if IsStandard() != (c.preset == "standard") || IsQuick() != (c.preset == "quick") {
			t.Errorf("%s: IsStandard %v IsQuick %v", c.preset, IsStandard(), IsQuick())
		}
		s := SpecPerPreset(base, quick, std)
		if s.Epochs != c.epochs || s.TrainN != c.trainN || s.Model != "mlp-tfc-bn" {
			t.Errorf("%s: SpecPerPreset epochs %d train %d, want %d and %d", c.preset, s.Epochs, s.TrainN, c.epochs, c.trainN)
		}
		if s := Spec(base, quick); c.preset != "quick" && (s.Epochs != 0 || s.TrainN != 0) {
			t.Errorf("%s: Spec changed the spec: %+v", c.preset, s.Setup)
		}
	}
	t.Setenv(EnvPreset, "standard")
	p, err := Plan(base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.Reps != 3 || p.Spec.Epochs != 20 || len(p.Spec.Sigmas) != 21 {
		t.Errorf("standard plan: reps %d epochs %d σ %d, want 3, 20, 21", p.Spec.Reps, p.Spec.Epochs, len(p.Spec.Sigmas))
	}
	r, err := Reductions(p)
	if err != nil || !strings.Contains(r, "epochs 20 (paper 100: noisy training)") || !strings.HasPrefix(r, "reduced from the paper's protocol: ") {
		t.Errorf("Reductions = %q, %v", r, err)
	}
	t.Setenv(EnvPreset, "paper")
	if p, err = Plan(base); err != nil {
		t.Fatal(err)
	}
	if r, err := Reductions(p); err != nil || r != "the paper's protocol" {
		t.Errorf("paper Reductions = %q, %v", r, err)
	}
}
