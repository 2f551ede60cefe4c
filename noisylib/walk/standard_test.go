package walk

import (
	"slices"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func TestEveryOther(t *testing.T) {
	for _, c := range []struct{ in, want []float64 }{
		{nil, nil},
		{[]float64{1}, []float64{1}},
		{[]float64{1, 2}, []float64{1, 2}},
		{[]float64{1, 2, 3}, []float64{1, 3}},
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 4}},
	} {
		if got := EveryOther(c.in); !slices.Equal(got, c.want) {
			t.Errorf("EveryOther(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestStandardPreset checks the standard preset's values against method.md: the paper's epochs (§4) except for
// noisy training, 3 repetitions, every other point of the paper's grids (§5.2), the protocol's batch and
// learning rate, independent draws; and that Reductions names exactly what departs from the paper.
func TestStandardPreset(t *testing.T) {
	build := func(preset string, spec PlanSpec) *Plan {
		t.Helper()
		p, err := Preset(preset, spec)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mnist := func(model string) Setup { return Setup{Model: model, Data: "mnist"} }
	cases := []struct {
		name       string
		spec       PlanSpec
		epochs     int
		sigmas     int
		first, end float64
		reductions []string
	}{
		{"MLP inference", PlanSpec{Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference}}, 100, 21, 1e-2, 1e8,
			[]string{"repetitions 3 (paper 5)", "σ grid 21, 0.01 … 1e+08 (paper 41, 0.01 … 1e+08)"}},
		{"MLP noisy training", PlanSpec{Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference, Training}}, 20, 21, 1e-2, 1e8,
			[]string{"epochs 20 (paper 100: noisy training)", "repetitions 3 (paper 5)", "σ grid 21, 0.01 … 1e+08 (paper 41, 0.01 … 1e+08)"}},
		{"LeNet noisy training", PlanSpec{Setup: mnist("lenet5-bn"), Modes: []Mode{Training}}, 5, 21, 1e-2, 1e8, nil},
		{"LeNet inference", PlanSpec{Setup: mnist("lenet5-nobn"), Modes: []Mode{Inference}}, 50, 21, 1e-2, 1e8, nil},
		{"MLP linear mul", PlanSpec{Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference}, Noise: noise.Multiplicative}, 100, 31, 0, 6, nil},
		{"MLP log mul", PlanSpec{Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference}, Noise: noise.Multiplicative, LogGrid: true}, 100, 33, 1, 1e16, nil},
		{"global", PlanSpec{Kind: GlobalAll, Setup: mnist("mlp-tfc-nobn"), Modes: []Mode{Inference}}, 100, 9, 1e-2, 1e2,
			[]string{"repetitions 3 (paper 10)", "σ grid 9, 0.01 … 100 (paper 17, 0.01 … 100)"}},
		{"MAX", PlanSpec{Kind: MaxNoise, Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Training}, Noise: noise.Multiplicative}, 20, 1, 1e10, 1e10,
			[]string{"epochs 20 (paper 100: noisy training)", "repetitions 3 (paper 6)"}},
		{"mixed", PlanSpec{Kind: Mixed, Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference}}, 100, 25, 1e-2, 1e10, nil},
		{"CIFAR MLP training", PlanSpec{Setup: Setup{Model: "mlp-tfc-nobn", Data: "cifar10"}, Modes: []Mode{Training}}, 40, 25, 1e-2, 1e10, nil},
	}
	for _, c := range cases {
		p := build("standard", c.spec)
		s := p.Spec
		if s.Epochs != c.epochs || s.Reps != 3 || len(s.Sigmas) != c.sigmas || s.Sigmas[0] != c.first || s.Sigmas[len(s.Sigmas)-1] != c.end {
			t.Errorf("%s: epochs %d, reps %d, %d σ %g … %g; want %d, 3, %d σ %g … %g", c.name, s.Epochs, s.Reps,
				len(s.Sigmas), s.Sigmas[0], s.Sigmas[len(s.Sigmas)-1], c.epochs, c.sigmas, c.first, c.end)
		}
		if s.TrainN != 0 || s.TestN != 0 || s.BatchSize != 0 || s.LR != 0 || s.Draws != Independent {
			t.Errorf("%s: train %d test %d batch %d lr %g draws %q; want the full data, the reference's 128 and 1e-3 and independent draws",
				c.name, s.TrainN, s.TestN, s.BatchSize, s.LR, s.Draws)
		}
		// Every σ is one of the paper's own grid points, bit for bit.
		paperPlan := build("paper", c.spec)
		for _, x := range s.Sigmas {
			if !slices.Contains(paperPlan.Spec.Sigmas, x) {
				t.Errorf("%s: σ %v is not a point of the paper's grid", c.name, x)
			}
		}
		red, err := p.Reductions()
		if err != nil {
			t.Fatal(err)
		}
		if c.reductions != nil && !slices.Equal(red, c.reductions) {
			t.Errorf("%s: reductions\n%q\nwant\n%q", c.name, red, c.reductions)
		}
		if red, err := paperPlan.Reductions(); err != nil || len(red) != 0 {
			t.Errorf("%s: the paper preset's plan has reductions %q (%v), want none", c.name, red, err)
		}
	}
	// The linear multiplicative grid keeps the paper's spacing and its values k/10 in steps of 0.2.
	mul := build("standard", cases[4].spec)
	if mul.Spec.Spacing != "linear" || mul.Spec.Sigmas[1] != 0.2 || mul.Spec.Sigmas[2] != 0.4 {
		t.Errorf("standard linear mul grid: spacing %q, σ %v", mul.Spec.Spacing, mul.Spec.Sigmas[:3])
	}
	// MAX combined noise: every other of the 20 ratios, both ends kept.
	mx := build("standard", PlanSpec{Kind: MaxNoise, Setup: mnist("mlp-tfc-bn"), Noise: noise.Combined, BothOrders: true})
	if r := mx.Spec.Ratios; len(r) != 11 || r[0] != 0.001 || r[len(r)-1] != 0.99999 {
		t.Errorf("standard MAX ratios %v, want 11 from 0.001 to 0.99999", r)
	}
	// GSC2 keeps its protocol (batch 512, lr 5e-4): no reduction of either.
	g := build("standard", PlanSpec{Setup: Setup{Model: "cnn-s-bn", Data: "gsc2"}, Modes: []Mode{Inference}})
	if g.Spec.BatchSize != 512 || g.Spec.LR != 5e-4 || g.Spec.Epochs != 150 {
		t.Errorf("standard GSC2: batch %d lr %g epochs %d, want 512, 5e-4, 150", g.Spec.BatchSize, g.Spec.LR, g.Spec.Epochs)
	}
	if red, _ := g.Reductions(); slices.ContainsFunc(red, func(s string) bool { return strings.Contains(s, "batch") || strings.Contains(s, "learning") }) {
		t.Errorf("standard GSC2 reductions %q name the batch or learning rate", red)
	}
	// Multi-execution: the paper's budgets and policies, 3 seeds.
	me := build("standard", PlanSpec{Kind: MultiExec, Setup: mnist("mlp-tfc-bn"), Sigmas: []float64{0.4},
		SiteMidpoints: analysis.Logspace(0.1, 10, 11)})
	if len(me.Spec.Budgets) != 7 || len(me.Spec.Policies) != 4 || me.Spec.Reps != 3 {
		t.Errorf("standard multiexec: budgets %v policies %v reps %d", me.Spec.Budgets, me.Spec.Policies, me.Spec.Reps)
	}
	// Its models are clean (noise at inference only): the paper's 100 epochs, as the inference walks whose
	// midpoints it allocates by, not the noisy-training share.
	if red, _ := me.Reductions(); me.Spec.Epochs != 100 || slices.ContainsFunc(red, func(s string) bool { return strings.Contains(s, "epochs") }) {
		t.Errorf("standard multiexec: epochs %d, reductions %q; want 100 and no epoch reduction", me.Spec.Epochs, red)
	}
	// Quick: its reductions name its small training and data.
	q := build("quick", PlanSpec{Setup: mnist("mlp-tfc-bn"), Modes: []Mode{Inference}})
	red, _ := q.Reductions()
	for _, want := range []string{"epochs 1 (paper 100)", "the first 10000 training examples (paper: all)", "repetitions 1 (paper 5)",
		"common noise draws per inference point (paper: independent, as its unseeded runs)"} {
		if !slices.Contains(red, want) {
			t.Errorf("quick reductions %q lack %q", red, want)
		}
	}
}
