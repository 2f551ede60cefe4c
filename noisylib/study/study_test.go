package study

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func TestQuickAndSpec(t *testing.T) {
	base := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 5}, Sites: []int{1}}
	quick := walk.PlanSpec{Setup: walk.Setup{TrainN: 100, Epochs: 2}, Sigmas: []float64{1, 2}}

	t.Setenv(EnvPreset, "quick")
	if got := Quick(1, 2); got != 1 || !IsQuick() {
		t.Errorf("quick preset: Quick(1, 2) = %d, IsQuick %v", got, IsQuick())
	}
	s := Spec(base, quick)
	if s.Model != "mlp-tfc-bn" || s.Epochs != 2 || s.TrainN != 100 || len(s.Sigmas) != 2 || len(s.Sites) != 1 {
		t.Errorf("quick Spec = %+v: want the base with quick's non-zero fields (epochs 2, train 100, 2 σ)", s)
	}
	if base.TrainN != 0 || base.Epochs != 5 {
		t.Error("Spec modified its argument")
	}

	t.Setenv(EnvPreset, "paper")
	if got := Quick("a", "b"); got != "b" || IsQuick() {
		t.Errorf("paper preset: Quick = %q", got)
	}
	if s := Spec(base, quick); s.TrainN != 0 || s.Epochs != 5 || s.Sigmas != nil {
		t.Errorf("paper Spec = %+v: want the base unchanged", s)
	}
}

func TestPlanUsesSeedAndPreset(t *testing.T) {
	t.Setenv(EnvPreset, "quick")
	t.Setenv(EnvSeed, "7")
	p, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-nobn", Data: "mnist"}, Sites: []int{2},
		Modes: []walk.Mode{walk.Inference}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.BaseSeed != 7 || p.Points[0].Seed != 7 || p.Spec.TrainN != 10000 {
		t.Errorf("Plan: seed %d, first point seed %d, train %d: want 7, 7 and the quick preset's 10000",
			p.Spec.BaseSeed, p.Points[0].Seed, p.Spec.TrainN)
	}
	if _, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "nope", Data: "mnist"}}); err == nil {
		t.Error("Plan of an unknown model: want an error")
	}
}

func TestStandardWalks(t *testing.T) {
	t.Setenv(EnvPreset, "quick")
	l := InferenceWalk("lenet5-bn")
	if l.TrainN != 8000 || l.TestN != 400 || len(l.Sigmas) != 9 || l.Sigmas[8] != 100 {
		t.Errorf("quick LeNet walk = %+v", l)
	}
	g := GlobalWalk("lenet5-bn", walk.Inference)
	if g.Kind != walk.GlobalAll || g.Setup != l.Setup || len(g.Modes) != 1 {
		t.Errorf("GlobalWalk = %+v: want kind global with the layer-wise walk's setup", g)
	}
	t.Setenv(EnvPreset, "paper")
	if l := InferenceWalk("lenet5-bn"); l.TrainN != 0 || l.Sigmas != nil {
		t.Errorf("paper LeNet walk = %+v: want preset fields left zero", l)
	}
}

// TestReadersNeedTheirKind: the store conveniences refuse a plan of another kind.
func TestReadersNeedTheirKind(t *testing.T) {
	if _, err := MixedCurves(&walk.Plan{Spec: walk.PlanSpec{Kind: walk.LayerWise}}); err == nil {
		t.Error("MixedCurves of a layer-wise plan: want an error")
	}
	if _, err := MultiExecResults(&walk.Plan{Spec: walk.PlanSpec{Kind: walk.Mixed}}); err == nil {
		t.Error("MultiExecResults of a mixed plan: want an error")
	}
}

func TestSweepErrors(t *testing.T) {
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(b, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	setup := walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}
	if _, err := SigmaSweep(tr, nil, setup, 11, noise.Additive, []float64{1}); err == nil {
		t.Error("SigmaSweep at site 11 of an 11-site model: want an error")
	}
	if _, err := SigmaSweep(tr, nil, setup, 1, noise.Additive, nil); err == nil {
		t.Error("SigmaSweep without σ: want an error")
	}
	if _, err := SigmaSweep(tr, nil, walk.Setup{Model: "lenet5-bn"}, 1, noise.Additive, []float64{1}); err == nil ||
		!strings.Contains(err.Error(), "lenet5-bn") {
		t.Errorf("SigmaSweep with another model's setup: error %v, want one naming it", err)
	}
}

// TestInvalidSeedIsAnError: an invalid $WALKINGNOISE_SEED is an error naming the variable, not silently seed 1.
func TestInvalidSeedIsAnError(t *testing.T) {
	for _, v := range []string{"abc", "-1", "1.5", "0x10"} {
		t.Setenv(EnvSeed, v)
		if _, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}}); err == nil ||
			!strings.Contains(err.Error(), EnvSeed) {
			t.Errorf("%s=%q: Plan error %v, want one naming the variable", EnvSeed, v, err)
		}
	}
	t.Setenv(EnvSeed, " 7 ")
	if p, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}}); err != nil || p.Spec.BaseSeed != 7 {
		t.Errorf("%s=' 7 ': %v, %v", EnvSeed, p, err)
	}
}

func TestDynamicsRefusesBadSpecs(t *testing.T) {
	if _, err := Dynamics(DynamicsSpec{Model: "mlp-tfc-bn", Data: "mnist", Noise: noise.Combined, Sigmas: []float64{1}}); err == nil {
		t.Error("Dynamics with combined noise: want an error")
	}
	if _, err := Dynamics(DynamicsSpec{Model: "mlp-tfc-bn", Data: "mnist", Noise: noise.Additive}); err == nil {
		t.Error("Dynamics without σ: want an error")
	}
}
