package analysis

import (
	"math"
	"strings"
	"testing"
)

// near reports whether a and b agree to a relative (or, near zero, absolute) tolerance.
func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestMidpointLogGridInterpolatesInLog10(t *testing.T) {
	// Mean curve 90, 80, 40, 10 with a_mid = 50: crossing between σ=10 (80) and σ=100 (40),
	// t = (50−80)/(40−80) = 0.75, so log10 σ_mid = 1.75.
	c := Curve{
		Sigmas: []float64{1, 10, 100, 1000},
		Acc:    [][]float64{{89, 91}, {70, 90}, {40, 40}, {5, 15}},
	}
	m, err := Midpoint(c, 90, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Censored != None || m.Index != 1 || m.AMid != 50 {
		t.Fatalf("got %+v, want uncensored crossing in bracket 1 at a_mid 50", m)
	}
	if want := math.Pow(10, 1.75); !near(m.Sigma, want, 1e-12) {
		t.Errorf("σ_mid = %v, want %v", m.Sigma, want)
	}
	if !math.IsNaN(m.Bound) {
		t.Errorf("Bound = %v for an uncensored result, want NaN", m.Bound)
	}
	// The same data read as a linear grid interpolates in σ: 10 + 0.75·90 = 77.5.
	lin, err := Midpoint(c, 90, 10, LinearGrid)
	if err != nil {
		t.Fatal(err)
	}
	if !near(lin.Sigma, 77.5, 1e-12) {
		t.Errorf("linear σ_mid = %v, want 77.5", lin.Sigma)
	}
}

func TestMidpointLinearGrid(t *testing.T) {
	// 90, 60, 20, 10 on {0, 0.5, 1, 1.5}: t = (50−60)/(20−60) = 0.25 → 0.5 + 0.25·0.5 = 0.625.
	c := Curve{Sigmas: []float64{0, 0.5, 1, 1.5}, Acc: [][]float64{{90}, {60}, {20}, {10}}}
	m, err := Midpoint(c, 90, 10, AutoGrid) // σ = 0 makes the guess linear.
	if err != nil {
		t.Fatal(err)
	}
	if m.Grid != LinearGrid || !near(m.Sigma, 0.625, 1e-12) {
		t.Errorf("got σ_mid %v on %v grid, want 0.625 on linear", m.Sigma, m.Grid)
	}
}

func TestMidpointFirstCrossingAndTouching(t *testing.T) {
	sig := []float64{1, 10, 100, 1000}
	// Non-monotone: dips below at σ=10, recovers, falls again. The first crossing counts:
	// t = (50−90)/(40−90) = 0.8.
	m, err := Midpoint(Curve{Sigmas: sig, Acc: [][]float64{{90}, {40}, {60}, {20}}}, 90, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Index != 0 || !near(m.Sigma, math.Pow(10, 0.8), 1e-12) {
		t.Errorf("got %v in bracket %d, want 10^0.8 in bracket 0", m.Sigma, m.Index)
	}
	// Points exactly at a_mid are not below it: the drop starts after the last one, at σ = 100.
	m, err = Midpoint(Curve{Sigmas: sig, Acc: [][]float64{{90}, {50}, {50}, {20}}}, 90, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Sigma != 100 || m.Index != 2 {
		t.Errorf("got %v in bracket %d, want exactly 100 in bracket 2", m.Sigma, m.Index)
	}
}

func TestMidpointCensoring(t *testing.T) {
	grid := AdditiveGrid(8)
	flat := func(a float64) Curve {
		c := Curve{Sigmas: grid, Acc: make([][]float64, len(grid))}
		for k := range c.Acc {
			c.Acc[k] = []float64{a, a}
		}
		return c
	}
	above, err := Midpoint(flat(95), 98, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if above.Censored != Above || above.Bound != 1e8 || !math.IsNaN(above.Sigma) || above.Index != -1 {
		t.Errorf("never-collapsing curve: got %+v, want Above with bound 1e8 and NaN σ", above)
	}
	if got := above.String(); got != "> 1e+08" {
		t.Errorf("String() = %q, want %q", got, "> 1e+08")
	}
	below, err := Midpoint(flat(30), 98, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if below.Censored != Below || below.Bound != 1e-2 || !math.IsNaN(below.Sigma) {
		t.Errorf("collapsed curve: got %+v, want Below with bound 1e-2", below)
	}
	if got := below.String(); got != "< 1e-02" {
		t.Errorf("String() = %q, want %q", got, "< 1e-02")
	}
}

func TestMidpointResultString(t *testing.T) {
	// 90 → 10 between σ = 1 and 10 with a_mid = 50: exactly half way in log10, σ = 10^0.5.
	m, err := Midpoint(Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90}, {10}}}, 90, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.String(); got != "3.16e+00" {
		t.Errorf("String() = %q, want 3.16e+00", got)
	}
	for _, tc := range []struct {
		r    MidpointResult
		want string
	}{
		{MidpointResult{Censored: Above, Bound: 2, Sigma: math.NaN()}, "> 2e+00"},
		{MidpointResult{Censored: Above, Bound: math.Pow(10, 9.75), Sigma: math.NaN()}, "> 5.62e+09"},
		{MidpointResult{Censored: Below, Bound: 0.25, Sigma: math.NaN()}, "< 2.5e-01"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestMidpointErrors(t *testing.T) {
	ok := Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90}, {10}}}
	for _, tc := range []struct {
		name       string
		c          Curve
		aMax, aMin float64
		grid       Grid
		want       string
	}{
		{"empty", Curve{}, 90, 10, LogGrid, "empty curve"},
		{"mismatch", Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90}}}, 90, 10, LogGrid, "2 sigmas but 1 accuracy rows"},
		{"decreasing", Curve{Sigmas: []float64{10, 1}, Acc: [][]float64{{90}, {10}}}, 90, 10, LogGrid, "not greater"},
		{"repeated", Curve{Sigmas: []float64{1, 1}, Acc: [][]float64{{90}, {10}}}, 90, 10, LinearGrid, "strictly increasing"},
		{"levels", ok, 10, 10, LogGrid, "aMax = 10 is not greater than aMin = 10"},
		{"nan level", ok, math.NaN(), 10, LogGrid, "finite accuracies"},
		{"zero on log", Curve{Sigmas: []float64{0, 1}, Acc: [][]float64{{90}, {10}}}, 90, 10, LogGrid, "σ > 0"},
		{"negative on log", Curve{Sigmas: []float64{-1, 1}, Acc: [][]float64{{90}, {10}}}, 90, 10, LogGrid, "σ > 0"},
		{"empty row", Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90}, {}}}, 90, 10, LogGrid, "no accuracies"},
		{"nan acc", Curve{Sigmas: []float64{1, 10}, Acc: [][]float64{{90}, {math.NaN()}}}, 90, 10, LogGrid, "finite accuracy"},
		{"bad grid", ok, 90, 10, Grid(7), "unknown grid"},
	} {
		_, err := Midpoint(tc.c, tc.aMax, tc.aMin, tc.grid)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestGuessGrid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sigmas []float64
		want   Grid
	}{
		{"additive", AdditiveGrid(10), LogGrid},
		{"mul log", MulLogGrid(16), LogGrid},
		{"rounded 3 digits", []float64{1, 1.78, 3.16, 5.62, 10, 17.8}, LogGrid},
		{"mul linear with 0", MulLinearGrid(2), LinearGrid},
		{"linear positive", Linspace(0.1, 2, 20), LinearGrid},
		{"two-step ratios", []float64{1, 10, 20, 200}, LinearGrid},
		{"decreasing", []float64{100, 10, 1}, LinearGrid},
		{"single", []float64{3}, LogGrid},
		{"empty", nil, LinearGrid},
	} {
		if got := GuessGrid(tc.sigmas); got != tc.want {
			t.Errorf("%s: GuessGrid = %v, want %v", tc.name, got, tc.want)
		}
	}
}
