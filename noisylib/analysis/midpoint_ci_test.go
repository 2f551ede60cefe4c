package analysis

import (
	"math"
	"strings"
	"testing"
)

// repCurve builds a Curve from per-repetition curves (reps[r][k]).
func repCurve(sigmas []float64, reps ...[]float64) Curve {
	c := Curve{Sigmas: sigmas, Acc: make([][]float64, len(sigmas))}
	for k := range sigmas {
		for _, r := range reps {
			c.Acc[k] = append(c.Acc[k], r[k])
		}
	}
	return c
}

func TestMidpointsPerRep(t *testing.T) {
	c := repCurve([]float64{1, 10, 100, 1000},
		[]float64{90, 50, 10, 10}, // touches a_mid at 10, drops after: σ = 10
		[]float64{90, 70, 30, 10}, // half way between 10 and 100: 10^1.5
		[]float64{90, 90, 90, 90}, // never collapses
		[]float64{40, 30, 20, 10}, // already collapsed
	)
	per, err := MidpointsPerRep(c, 90, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if len(per) != 4 {
		t.Fatalf("got %d results, want 4", len(per))
	}
	if per[0].Sigma != 10 || !near(per[1].Sigma, math.Pow(10, 1.5), 1e-12) {
		t.Errorf("midpoints %v, %v, want 10 and 10^1.5", per[0].Sigma, per[1].Sigma)
	}
	if per[2].Censored != Above || per[3].Censored != Below {
		t.Errorf("censoring %v, %v, want Above, Below", per[2].Censored, per[3].Censored)
	}
	// Each result carries its own curve, not a shared buffer.
	if per[0].Mean[1] != 50 || per[1].Mean[1] != 70 {
		t.Errorf("per-rep curves %v / %v were overwritten", per[0].Mean, per[1].Mean)
	}

	ragged := Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90, 90}, {10}}}
	if _, err := MidpointsPerRep(ragged, 90, 10, LogGrid); err == nil || !strings.Contains(err.Error(), "same count") {
		t.Errorf("ragged repetitions: err = %v, want a 'same count' error", err)
	}
}

func TestMidpointCILogGrid(t *testing.T) {
	// Uncensored per-rep midpoints 10, 10^1.5, 100 → log10 values 1, 1.5, 2: mean 1.5, sd 0.5.
	// 95% two-sided t quantile with 2 d.o.f. is 4.302652729911275 (table value 4.303).
	c := repCurve([]float64{1, 10, 100, 1000},
		[]float64{90, 50, 10, 10},
		[]float64{90, 70, 30, 10},
		[]float64{90, 90, 50, 10},
		[]float64{90, 90, 90, 90},
		[]float64{40, 30, 20, 10},
	)
	s, err := MidpointCI(c, 90, 10, LogGrid, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 3 || s.Above != 1 || s.Below != 1 || len(s.PerRep) != 5 {
		t.Fatalf("counts N=%d Above=%d Below=%d reps=%d, want 3, 1, 1, 5", s.N, s.Above, s.Below, len(s.PerRep))
	}
	half := 4.302652729911275 * 0.5 / math.Sqrt(3)
	if !near(s.Mean, math.Pow(10, 1.5), 1e-9) || !near(s.SD, 0.5, 1e-12) {
		t.Errorf("mean %v sd %v, want 10^1.5 and 0.5 (log10 units)", s.Mean, s.SD)
	}
	if !near(s.Lo, math.Pow(10, 1.5-half), 1e-6) || !near(s.Hi, math.Pow(10, 1.5+half), 1e-6) {
		t.Errorf("CI [%v, %v], want [%v, %v]", s.Lo, s.Hi, math.Pow(10, 1.5-half), math.Pow(10, 1.5+half))
	}
	if got := s.String(); !strings.Contains(got, "n=3") || !strings.Contains(got, "1 > σ_max, 1 < σ_min") {
		t.Errorf("String() = %q, want counts n=3 and 1/1 censored", got)
	}
}

func TestMidpointCILinearGrid(t *testing.T) {
	// Per-rep midpoints 0.5, 0.7, 0.9 on a linear grid: averaged in σ, mean 0.7, sd 0.2.
	// Between σ=0 (90) and σ=1 (a) the crossing of 50 is at t = 40/(90−a), so a = 90 − 40/t.
	at := func(t float64) float64 { return 90 - 40/t }
	c := repCurve([]float64{0, 1, 2},
		[]float64{90, at(0.5), 10},
		[]float64{90, at(0.7), 10},
		[]float64{90, at(0.9), 10},
	)
	s, err := MidpointCI(c, 90, 10, LinearGrid, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	// 90% two-sided t quantile with 2 d.o.f.: 2.919985580353725.
	half := 2.919985580353725 * 0.2 / math.Sqrt(3)
	if !near(s.Mean, 0.7, 1e-12) || !near(s.SD, 0.2, 1e-12) || !near(s.Lo, 0.7-half, 1e-9) || !near(s.Hi, 0.7+half, 1e-9) {
		t.Errorf("got mean %v sd %v CI [%v, %v], want 0.7, 0.2, [%v, %v]", s.Mean, s.SD, s.Lo, s.Hi, 0.7-half, 0.7+half)
	}
}

func TestMidpointCIAllCensoredAndErrors(t *testing.T) {
	c := repCurve([]float64{1, 10}, []float64{90, 90}, []float64{90, 80})
	s, err := MidpointCI(c, 90, 10, LogGrid, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 0 || s.Above != 2 || !math.IsNaN(s.Mean) || !math.IsNaN(s.Lo) {
		t.Errorf("all censored: got %+v, want N=0, Above=2, NaN mean and CI", s)
	}
	if got := s.String(); strings.ContainsAny(got, ".") || !strings.Contains(got, "2 > σ_max") {
		t.Errorf("String() = %q, want only counts", got)
	}
	for _, lvl := range []float64{0, 1, -0.5, math.NaN()} {
		if _, err := MidpointCI(c, 90, 10, LogGrid, lvl); err == nil {
			t.Errorf("level %v accepted, want an error", lvl)
		}
	}
	if _, err := MidpointCI(c, 10, 90, LogGrid, 0.95); err == nil {
		t.Errorf("aMax < aMin accepted, want an error")
	}
}

func TestLogMidpointDifference(t *testing.T) {
	m := func(s float64) MidpointResult { return MidpointResult{Sigma: s} }
	// Ratios a/b = 10^-1, 10^-1.2, 10^-0.8: log differences −1, −1.2, −0.8, mean −1, sd 0.2,
	// half-width t_{0.975,2}·0.2/√3 = 4.302653·0.11547 = 0.49683.
	a := []MidpointResult{m(1), m(math.Pow(10, -1.2) * 3), m(math.Pow(10, -0.8) * 5)}
	b := []MidpointResult{m(10), m(3), m(5)}
	iv, err := LogMidpointDifference(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(iv.Mean+1) > 1e-12 || math.Abs(iv.Hi-iv.Mean-0.49683) > 1e-4 || iv.N != 3 {
		t.Errorf("LogMidpointDifference = %+v, want mean −1, half-width 0.4968, n 3", iv)
	}
	if !iv.Excludes(0) {
		t.Errorf("%v should exclude 0", iv)
	}
	// A Bonferroni level over 3 comparisons prints with 4 significant digits, not float noise.
	if b, _ := LogMidpointDifference(a, b, 1-0.05/3); !strings.Contains(b.String(), "(98.33% CI ") {
		t.Errorf("Interval.String at level 1−0.05/3 = %q, want it to show 98.33%%", b)
	}
	cens := []MidpointResult{m(1), {Censored: Above, Bound: 100, Sigma: math.NaN()}, m(2)}
	if _, err := LogMidpointDifference(cens, b, 0.95); err == nil || !strings.Contains(err.Error(), "censored") {
		t.Errorf("censored repetition: err = %v, want one naming the censoring", err)
	}
	if _, err := LogMidpointDifference(a[:2], b, 0.95); err == nil {
		t.Error("different lengths: want an error")
	}
}
