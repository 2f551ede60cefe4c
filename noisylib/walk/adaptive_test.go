package walk

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func TestSpread(t *testing.T) {
	for _, c := range []struct {
		lo, hi, count int
		want          []int
	}{
		{0, 40, 5, []int{0, 10, 20, 30, 40}},
		{0, 12, 5, []int{0, 3, 6, 9, 12}},
		{10, 20, 5, []int{10, 13, 15, 18, 20}},
		{3, 5, 5, []int{3, 4, 5}}, // fewer indices than asked: no repeats
		{3, 4, 5, []int{3, 4}},
	} {
		if got := spread(c.lo, c.hi, c.count); !slices.Equal(got, c.want) {
			t.Errorf("spread(%d, %d, %d) = %v, want %v", c.lo, c.hi, c.count, got, c.want)
		}
	}
}

// TestAdaptiveMatchesFullGrid runs the adaptive noisy-training search of MLP-TFC (BN) on a 17-σ log grid
// (4 per decade, 1e-2 … 1e2) at three sites, then the full grid of the same plan in the same store, which
// reuses the adaptive points. The adaptive midpoints must lie within one grid step (a quarter decade) of the
// full grid's, the search must train fewer points than the grid, and no site may train the smallest σ (every
// curve here starts above a_mid). The search with fanout 3 must agree as well, training more σ than the
// default bisection at every site with a crossing.
func TestAdaptiveMatchesFullGrid(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	var sigmas []float64
	for k := -8; k <= 8; k++ {
		sigmas = append(sigmas, math.Pow(10, float64(k)/4))
	}
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 4000, TestN: 1000},
		Modes: []Mode{Training}, Noise: noise.Additive, Sites: []int{0, 4, 10}, Sigmas: sigmas, Reps: 1, BaseSeed: 3})
	if err != nil {
		t.Fatal(err)
	}
	adaptive, err := r.Adaptive(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The search recorded the plan's spec: the store rebuilds the full plan by name.
	if stored, err := LoadPlan(st, p.Name); err != nil || !reflect.DeepEqual(stored.Points, p.Points) {
		t.Errorf("LoadPlan after the adaptive search: %v (points equal: %v)", err, err == nil && reflect.DeepEqual(stored.Points, p.Points))
	}
	if _, err := CompareAdaptive(st, p, adaptive); err == nil || !strings.Contains(err.Error(), "full grid first") {
		t.Errorf("CompareAdaptive before the full grid is stored: %v, want an error asking for the full grid", err)
	}
	full, err := r.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := CompareAdaptive(st, p, adaptive)
	if err != nil {
		t.Fatal(err)
	}
	// The search with fanout 3 on the same store, which now holds every σ (so it trains nothing), agrees too.
	wide, err := r.Adaptive(p, 3)
	if err != nil {
		t.Fatal(err)
	}
	if wideCmp, err := CompareAdaptive(st, p, wide); err != nil {
		t.Fatal(err)
	} else {
		for i, c := range wideCmp {
			if !c.Agree || c.Trained <= cmp[i].Trained && c.Grid.Censored == analysis.None {
				t.Errorf("site %s, fanout 3: midpoint %s (%d σ trained), full grid %s; bisection trained %d", c.Name, c.Adaptive,
					c.Trained, c.Grid, cmp[i].Trained)
			}
		}
	}
	// A search midpoint moved by two grid steps (half a decade), or censored where the grid's is not, disagrees.
	moved := slices.Clone(adaptive)
	for i := range moved {
		if moved[i].Mid.Censored == analysis.None {
			moved[i].Mid.Sigma *= math.Pow(10, 0.5)
		} else {
			moved[i].Mid = analysis.MidpointResult{Sigma: 1, Censored: analysis.None}
		}
	}
	if bad, err := CompareAdaptive(st, p, moved); err != nil {
		t.Fatal(err)
	} else {
		for i, c := range bad {
			if cmp[i].Grid.Censored != analysis.None {
				if c.Agree || !math.IsNaN(c.Steps) {
					t.Errorf("site %s: a measured midpoint against the grid's censored one: agree %v, %g steps", c.Name, c.Agree, c.Steps)
				}
				continue
			}
			want := math.Abs(math.Log10(adaptive[i].Mid.Sigma/cmp[i].Grid.Sigma)/0.25 + 2) // 4 σ per decade
			if math.Abs(c.Steps-want) > 1e-6 || c.Agree != (want <= 1) {
				t.Errorf("site %s moved by two grid steps: %.4f steps (want %.4f), agree %v", c.Name, c.Steps, want, c.Agree)
			}
		}
	}
	trained := 0
	for i, c := range cmp {
		trained += c.Trained
		t.Logf("site %s: adaptive %s (%d of %d σ), full grid %s: %.2f grid steps apart", c.Name, c.Adaptive, c.Trained, c.GridTrained, c.Grid, c.Steps)
		if !c.Agree {
			t.Errorf("site %s: adaptive midpoint %s is not within one grid step of the full grid's %s", c.Name, c.Adaptive, c.Grid)
		}
		// The smallest σ waits until the curve is below a_mid at the grid's second σ, which none is here.
		if a := adaptive[i]; a.Curve.Sigmas[0] == sigmas[0] {
			t.Errorf("site %s: trained the smallest σ, though its curve starts above a_mid (σ %v)", c.Name, a.Curve.Sigmas)
		}
	}
	curves, err := Curves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != len(adaptive) || len(cmp) != len(adaptive) {
		t.Fatalf("%d full-grid curves and %d comparisons for %d adaptive ones", len(curves), len(cmp), len(adaptive))
	}
	for i, c := range SiteCurves(adaptive) { // read like the full grid's curves
		f := curves[i]
		if c.Mode != f.Mode || c.Site != f.Site || c.Name != f.Name || c.AMax != f.AMax || c.AMin != f.AMin ||
			c.Mid.String() != adaptive[i].Mid.String() || len(c.PerRep) != len(f.PerRep) {
			t.Errorf("SiteCurves[%d] = %s %s (a_max %g, a_min %g, %d reps), full grid %s %s (a_max %g, a_min %g, %d reps)",
				i, c.Mode, c.Name, c.AMax, c.AMin, len(c.PerRep), f.Mode, f.Name, f.AMax, f.AMin, len(f.PerRep))
		}
	}
	if want := len(sigmas) * len(adaptive); trained >= want || full.Done != want-trained {
		t.Errorf("adaptive trained %d points, the full run then %d more; the grid has %d", trained, full.Done, want)
	}
}

// TestAdaptiveSmallestSigmaWaits runs the search on a grid that starts where additive noise at MLP-TFC's input
// already hurts (13 σ, 1 … 1e3) with fanout 1: round 0 leaves the smallest σ out, a curve below a_mid at the
// first σ it trained sends the search back between the smallest σ and that one, and the smallest σ is trained
// only when the curve is below a_mid at the grid's second σ. Every midpoint must still equal the full grid's
// within one grid step, with fewer trainings.
func TestAdaptiveSmallestSigmaWaits(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	var sigmas []float64
	for k := 0; k <= 12; k++ {
		sigmas = append(sigmas, math.Pow(10, float64(k)/4))
	}
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 4000, TestN: 1000},
		Modes: []Mode{Training}, Noise: noise.Additive, Sites: []int{0, 10}, Sigmas: sigmas, Reps: 1, BaseSeed: 5})
	if err != nil {
		t.Fatal(err)
	}
	adaptive, err := r.Adaptive(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	cmp, err := CompareAdaptive(st, p, adaptive)
	if err != nil {
		t.Fatal(err)
	}
	wentBack := false
	for i, c := range cmp {
		a := adaptive[i]
		t.Logf("site %s: adaptive %s (σ %v, %d rounds), full grid %s", c.Name, c.Adaptive, a.Curve.Sigmas, a.Rounds, c.Grid)
		if !c.Agree || c.Trained >= c.GridTrained {
			t.Errorf("site %s: adaptive %s with %d trainings, full grid %s with %d", c.Name, c.Adaptive, c.Trained, c.Grid, c.GridTrained)
		}
		// Round 0 trains σ indices 6 and 12 (spread(0, 12, 3) without 0).
		mean, aMid := a.Curve.Mean(), (a.AMax+a.AMin)/2
		at := func(k int) int { return slices.Index(a.Curve.Sigmas, sigmas[k]) }
		belowAt1 := at(1) >= 0 && mean[at(1)] < aMid
		if trained0 := at(0) >= 0; trained0 != belowAt1 {
			t.Errorf("site %s: smallest σ trained = %v, curve below a_mid at the second σ = %v (σ %v, accuracies %v, a_mid %.1f%%)",
				c.Name, trained0, belowAt1, a.Curve.Sigmas, mean, aMid)
		}
		wentBack = wentBack || a.Curve.Sigmas[0] < sigmas[6]
	}
	if !wentBack {
		t.Error("no site went back below the first σ of round 0: the grid does not test that path")
	}
}
