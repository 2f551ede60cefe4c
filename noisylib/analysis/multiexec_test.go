package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestAllocateKnownCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      []float64
		p      float64
		budget int
		want   []int
	}{
		{"sqrt exact", []float64{1, 4}, InverseSqrt, 6, []int{4, 2}},
		{"lin exact", []float64{1, 2, 4}, InverseLin, 7, []int{4, 2, 1}},
		{"square exact", []float64{1, 2}, InverseSquare, 5, []int{4, 1}},
		{"even p=0", []float64{1, 10, 100}, 0, 9, []int{3, 3, 3}},
		{"tie to lower index", []float64{1, 1, 1}, InverseLin, 10, []int{4, 3, 3}},
		{"largest remainder", []float64{1, 2, 3}, InverseLin, 10, []int{5, 3, 2}}, // 5.45, 2.73, 1.82 → 5,2,1 + 1 each to .82, .73
		{"floor of one", []float64{1, 100}, InverseLin, 4, []int{3, 1}},           // 3.96, 0.04 → fixed at 1
		{"budget = sites", []float64{1, 1e-6, 5}, InverseSquare, 3, []int{1, 1, 1}},
		{"negative p favours robust", []float64{1, 3}, -1, 8, []int{2, 6}},
		{"huge range no overflow", []float64{1e-300, 1e300}, InverseSquare, 5, []int{4, 1}},
	} {
		got, err := Allocate(tc.s, tc.p, tc.budget)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: Allocate(%v, %v, %d) = %v, want %v", tc.name, tc.s, tc.p, tc.budget, got, tc.want)
		}
	}
}

func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 1 + rng.IntN(16)
		s := make([]float64, n)
		for i := range s {
			s[i] = math.Pow(10, 8*rng.Float64()-2)
		}
		p := []float64{InverseSqrt, InverseLin, InverseSquare}[trial%3]
		budget := n * []int{1, 2, 3, 5, 7, 10, 20}[rng.IntN(7)]
		r, err := Allocate(s, p, budget)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i := range r {
			sum += r[i]
			if r[i] < 1 {
				t.Fatalf("trial %d: r[%d] = %d < 1", trial, i, r[i])
			}
			for j := range r { // Less robust sites never get fewer executions.
				if s[i] < s[j] && r[i] < r[j] {
					t.Fatalf("trial %d: s[%d]=%g < s[%d]=%g but r = %d < %d", trial, i, s[i], j, s[j], r[i], r[j])
				}
			}
		}
		if sum != budget {
			t.Fatalf("trial %d: Σr = %d, want %d", trial, sum, budget)
		}
	}
}

func TestAllocateUnconstrainedIsWithinOneOfShare(t *testing.T) {
	s := []float64{0.3, 1, 2.5, 7, 12}
	w := make([]float64, len(s))
	var tot float64
	for i, v := range s {
		w[i] = 1 / v
		tot += w[i]
	}
	r, err := Allocate(s, InverseLin, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r {
		q := 100 * w[i] / tot // every share ≥ 1 here, so no site is fixed.
		if math.Abs(float64(r[i])-q) >= 1 {
			t.Errorf("r[%d] = %d, share %.3f: want |r − share| < 1", i, r[i], q)
		}
	}
}

func TestAllocateErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      []float64
		p      float64
		budget int
	}{
		{"empty", nil, 1, 3},
		{"small budget", []float64{1, 2, 3}, 1, 2},
		{"zero s", []float64{1, 0}, 1, 4},
		{"negative s", []float64{1, -2}, 1, 4},
		{"nan s", []float64{1, math.NaN()}, 1, 4},
		{"inf s", []float64{1, math.Inf(1)}, 1, 4},
		{"nan p", []float64{1, 2}, math.NaN(), 4},
	} {
		if _, err := Allocate(tc.s, tc.p, tc.budget); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestPredictGlobalMidpointAndEffectiveSigma(t *testing.T) {
	// 1/σ² = 1/9 + 1/16 = 25/144 → σ = 12/5.
	if got := PredictGlobalMidpoint([]float64{3, 4}); !near(got, 2.4, 1e-15) {
		t.Errorf("PredictGlobalMidpoint(3, 4) = %v, want 2.4", got)
	}
	// L equal sites: σ/√L.
	if got := PredictGlobalMidpoint([]float64{5, 5, 5, 5}); !near(got, 2.5, 1e-15) {
		t.Errorf("four sites of 5: %v, want 2.5", got)
	}
	if got := PredictGlobalMidpoint([]float64{2, math.Inf(1)}); got != 2 {
		t.Errorf("never-collapsing site should not contribute: got %v, want 2", got)
	}
	if !math.IsInf(PredictGlobalMidpoint([]float64{math.Inf(1)}), 1) {
		t.Errorf("all sites +Inf should give +Inf")
	}
	for _, bad := range [][]float64{nil, {1, 0}, {1, -1}, {math.NaN()}} {
		if !math.IsNaN(PredictGlobalMidpoint(bad)) {
			t.Errorf("PredictGlobalMidpoint(%v) should be NaN", bad)
		}
	}
	if got := EffectiveSigma(3, 9); got != 1 {
		t.Errorf("EffectiveSigma(3, 9) = %v, want 1", got)
	}
	if got := EffectiveSigma(2, 1); got != 2 {
		t.Errorf("EffectiveSigma(2, 1) = %v, want 2", got)
	}
	if !math.IsNaN(EffectiveSigma(1, 0)) {
		t.Errorf("EffectiveSigma with r = 0 should be NaN")
	}
}
