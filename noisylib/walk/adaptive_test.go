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
// full grid's, and the search must train fewer points than the grid.
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
	for _, c := range cmp {
		trained += c.Trained
		t.Logf("site %s: adaptive %s (%d of %d σ), full grid %s: %.2f grid steps apart", c.Name, c.Adaptive, c.Trained, c.GridTrained, c.Grid, c.Steps)
		if !c.Agree {
			t.Errorf("site %s: adaptive midpoint %s is not within one grid step of the full grid's %s", c.Name, c.Adaptive, c.Grid)
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
