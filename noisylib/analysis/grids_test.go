package analysis

import (
	"math"
	"testing"
)

func TestNamedGrids(t *testing.T) {
	for _, tc := range []struct {
		name        string
		g           []float64
		n           int
		first, last float64
	}{
		{"AdditiveGrid(10)", AdditiveGrid(10), 49, 1e-2, 1e10},
		{"AdditiveGrid(8)", AdditiveGrid(8), 41, 1e-2, 1e8},
		{"GlobalAdditiveGrid", GlobalAdditiveGrid(), 17, 1e-2, 1e2},
		{"MulLinearGrid(2)", MulLinearGrid(2), 21, 0, 2},
		{"MulLinearGrid(3)", MulLinearGrid(3), 31, 0, 3},
		{"MulLinearGrid(6)", MulLinearGrid(6), 61, 0, 6},
		{"MulLogGrid(10)", MulLogGrid(10), 41, 1, 1e10},
		{"MulLogGrid(16)", MulLogGrid(16), 65, 1, 1e16},
		{"CombinedAmplitudes", CombinedAmplitudes(), 25, 1e-2, 1e10},
		{"CombinedRatios", CombinedRatios(), 5, 0.01, 0.99},
		{"MaxRatios", MaxRatios(), 20, 0.001, 0.99999},
		{"DeepDiveAmplitudes", DeepDiveAmplitudes(), 35, 1e-4, 1e13},
		{"DeepDiveRatios", DeepDiveRatios(), 35, 1e-17, 1},
	} {
		if len(tc.g) != tc.n {
			t.Errorf("%s: %d points, want %d", tc.name, len(tc.g), tc.n)
			continue
		}
		if tc.g[0] != tc.first || tc.g[tc.n-1] != tc.last {
			t.Errorf("%s: ends %v … %v, want exactly %v … %v", tc.name, tc.g[0], tc.g[tc.n-1], tc.first, tc.last)
		}
		for k := 1; k < tc.n; k++ {
			if tc.g[k] <= tc.g[k-1] {
				t.Errorf("%s: not increasing at %d", tc.name, k)
			}
		}
	}
}

func TestGridSpacing(t *testing.T) {
	// Four points per decade: every fourth point is an exact power of ten, in between 10^(q/4).
	a := AdditiveGrid(10)
	for k, v := range a {
		want := math.Pow(10, -2+float64(k)/4)
		if !near(v, want, 1e-14) {
			t.Errorf("AdditiveGrid[%d] = %v, want %v", k, v, want)
		}
	}
	if a[8] != 1 || a[12] != 10 || a[44] != 1e9 {
		t.Errorf("decade points %v %v %v, want exactly 1, 10, 1e9", a[8], a[12], a[44])
	}
	if c := CombinedAmplitudes(); !near(c[1], math.Pow(10, -1.5), 1e-14) || c[2] != 0.1 {
		t.Errorf("CombinedAmplitudes[1:3] = %v, want 10^-1.5, 0.1", c[1:3])
	}
	m := MulLinearGrid(2)
	if m[3] != 0.3 || m[7] != 0.7 || m[11] != 1.1 {
		t.Errorf("MulLinearGrid(2) = %v, want the literals 0.3, 0.7, 1.1 at 3, 7, 11", m)
	}
	if len(AdditiveGrid(-3)) != 0 || len(MulLogGrid(-1)) != 0 || len(MulLinearGrid(-0.1)) != 0 {
		t.Errorf("out-of-range grid arguments should give empty grids")
	}
}

func TestLinspaceLogspace(t *testing.T) {
	lin := Linspace(0, 2, 21)
	for k, v := range lin {
		if !near(v, MulLinearGrid(2)[k], 1e-15) {
			t.Errorf("Linspace(0,2,21)[%d] = %v, want %v", k, v, float64(k)/10)
		}
	}
	if lin[0] != 0 || lin[20] != 2 {
		t.Errorf("Linspace ends %v, %v, want 0, 2", lin[0], lin[20])
	}
	lg := Logspace(1e-2, 1e2, 17) // seml loguniform = np.logspace(-2, 2, 17).
	want := GlobalAdditiveGrid()
	if len(lg) != 17 || lg[0] != 1e-2 || lg[16] != 1e2 {
		t.Fatalf("Logspace(1e-2, 1e2, 17) = %v, want 17 points from exactly 1e-2 to 1e2", lg)
	}
	for k := range lg {
		if !near(lg[k], want[k], 1e-13) {
			t.Errorf("Logspace[%d] = %v, want %v", k, lg[k], want[k])
		}
	}
	if l := Logspace(3, 7, 5); l[0] != 3 || l[4] != 7 || !near(l[2], math.Sqrt(21), 1e-14) {
		t.Errorf("Logspace(3, 7, 5) = %v, want 3 … √21 … 7", l)
	}
	if l := Linspace(5, 9, 1); len(l) != 1 || l[0] != 5 {
		t.Errorf("Linspace n=1 = %v, want [5]", l)
	}
	if len(Linspace(0, 1, 0)) != 0 || len(Logspace(0, 1, 5)) != 0 || len(Logspace(1, 10, -1)) != 0 {
		t.Errorf("invalid Linspace/Logspace arguments should give empty grids")
	}
}

// TestDeepDiveRatios: the 18th ratio is 0.5, the 17 before are 1e-17 … 1e-1 and the 17 after 0.9 … 1 − 1e-17,
// increasing; the last is exactly 1 in float64, the one before is not.
func TestDeepDiveRatios(t *testing.T) {
	g := DeepDiveRatios()
	if g[16] != 0.1 || g[17] != 0.5 || g[18] != 0.9 || g[33] == 1 || g[34] != 1 {
		t.Errorf("DeepDiveRatios: g[16..18] = %v, g[33..34] = %v; want 0.1 0.5 0.9 and (<1, 1)", g[16:19], g[33:])
	}
	for i := 1; i < len(g)-1; i++ {
		if !(g[i] > g[i-1]) {
			t.Errorf("DeepDiveRatios not increasing at %d: %v ≤ %v", i, g[i], g[i-1])
		}
	}
	a := DeepDiveAmplitudes()
	if math.Abs(a[1]-math.Sqrt(10)*1e-4) > 1e-18 || a[8] != 1 {
		t.Errorf("DeepDiveAmplitudes: a[1] = %v, a[8] = %v; want √10·1e-4 and 1", a[1], a[8])
	}
}
