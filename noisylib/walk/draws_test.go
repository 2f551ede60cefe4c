package walk

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestNoiseSeeds: with common draws the inference points of one clean model and site share one noise seed
// across σ; with independent draws every point has its own; training points never carry a draws field, and
// common points serialise exactly as before the option existed (no "draws" key), so their hashes are unchanged.
func TestNoiseSeeds(t *testing.T) {
	spec := PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Noise: noise.Additive,
		Sites: []int{2}, Sigmas: []float64{0.1, 1, 10}, Reps: 2}
	seeds := func(d Draws) map[uint64]int {
		s := spec
		s.Draws = d
		p, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		out := map[uint64]int{}
		for _, pt := range p.Points {
			b, _ := json.Marshal(pt)
			if pt.Mode == Training && pt.Draws != "" || d != Independent && strings.Contains(string(b), "draws") {
				t.Fatalf("%s point %s carries draws %q", pt.Mode, b, pt.Draws)
			}
			if pt.Mode != Inference {
				continue
			}
			seed, err := NoiseSeed(pt)
			if err != nil {
				t.Fatal(err)
			}
			out[seed]++
		}
		return out
	}
	if c := seeds(Common); len(c) != 2 {
		t.Errorf("common draws: %d distinct noise seeds over 2 clean models × 3 σ, want 2 (one per clean model)", len(c))
	}
	if c := seeds(""); len(c) != 2 {
		t.Errorf("default draws: %d distinct noise seeds, want 2 (common)", len(c))
	}
	if c := seeds(Independent); len(c) != 6 {
		t.Errorf("independent draws: %d distinct noise seeds over 6 points, want 6", len(c))
	}
	s := spec
	s.Draws = "fresh"
	if _, err := Build(s); err == nil || !strings.Contains(err.Error(), "use common or independent") {
		t.Errorf("unknown draws: err = %v", err)
	}
	paper, err := Preset("paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []Mode{Inference}})
	if err != nil {
		t.Fatal(err)
	}
	quick, err := Preset("quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []Mode{Inference}})
	if err != nil {
		t.Fatal(err)
	}
	if paper.Spec.Draws != Independent || paper.Points[len(paper.Points)-1].Draws != Independent || quick.Spec.Draws != "" {
		t.Errorf("draws: paper preset %q (last point %q), quick %q; want independent, independent, common",
			paper.Spec.Draws, paper.Points[len(paper.Points)-1].Draws, quick.Spec.Draws)
	}
}

// TestIndependentDrawsStackedEqualsAlone: with independent draws a stacked sweep (several σ per pass, each
// with its own noise stream) gives every point the accuracy it gets alone, and the accuracies differ from
// those of common draws at the same σ (other noise), at a scale where noise matters.
func TestIndependentDrawsStackedEqualsAlone(t *testing.T) {
	needMNIST(t)
	spec := PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2048, TestN: 500},
		Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{0, 3}, Sigmas: []float64{0.5, 1, 2, 4},
		Reps: 1, BaseSeed: 3}
	acc := func(d Draws, noStack bool) map[[2]float64]float64 {
		s := spec
		s.Draws = d
		p, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		out := map[[2]float64]float64{}
		for _, o := range runObservations(t, p, noStack) {
			if o.Mode == Inference {
				out[[2]float64{float64(o.Site), o.X}] = o.Accuracy
			}
		}
		return out
	}
	stacked, alone, common := acc(Independent, false), acc(Independent, true), acc(Common, false)
	differ := 0
	for k, a := range alone {
		if s := stacked[k]; math.Abs(s-a) > 0.4+1e-9 {
			t.Errorf("site %v σ %v: stacked %.2f%%, alone %.2f%%", k[0], k[1], s, a)
		}
		if common[k] != a {
			differ++
		}
	}
	if len(alone) != 8 || differ == 0 {
		t.Errorf("%d points; %d differ from common draws, want 8 points and some differing", len(alone), differ)
	}
}

// runObservations runs a plan in a new runner and store (point by point with noStack) and returns its
// observations.
func runObservations(t *testing.T, p *Plan, noStack bool) []Observation {
	t.Helper()
	r, _ := newRunner(t)
	r.NoStack = noStack
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	obs, err := Observations(r.Store, p)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}
