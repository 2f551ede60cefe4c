package analysis

import (
	"math"
	"testing"
)

func measured(s float64) MidpointResult { return MidpointResult{Sigma: s, Bound: math.NaN()} }
func above(b float64) MidpointResult {
	return MidpointResult{Sigma: math.NaN(), Censored: Above, Bound: b}
}
func below(b float64) MidpointResult {
	return MidpointResult{Sigma: math.NaN(), Censored: Below, Bound: b}
}

// TestCensoredMidpointsAreBounds: comparisons and ratios of censored midpoints use their bounds and say when
// they cannot decide (issue 14, fault 9: "> σ_max" entered arithmetic as 10·σ_max).
func TestCensoredMidpointsAreBounds(t *testing.T) {
	for _, tc := range []struct {
		a, b    MidpointResult
		order   int
		decided bool
	}{
		{measured(2), measured(1), 1, true},
		{measured(1), measured(1), 0, true},
		{above(1e6), measured(5e5), 1, true},
		{above(1e6), measured(1e6), 1, true},
		{above(1e2), measured(5e2), 0, false}, // "> 100" against 500: open
		{above(1e6), above(1e6), 0, false},
		{below(1e-2), measured(1e-2), -1, true},
		{below(1e-2), below(1e-2), 0, false},
		{below(1e-2), above(1e6), -1, true},
		{measured(0.5), below(1), 0, false},
	} {
		o, d := Compare(tc.a, tc.b)
		if o != tc.order || d != tc.decided {
			t.Errorf("Compare(%v, %v) = %d, %v; want %d, %v", tc.a, tc.b, o, d, tc.order, tc.decided)
		}
		if o2, d2 := Compare(tc.b, tc.a); o2 != -o || d2 != d {
			t.Errorf("Compare(%v, %v) = %d, %v; not the mirror of %d, %v", tc.b, tc.a, o2, d2, o, d)
		}
	}
	for _, tc := range []struct {
		a, b MidpointResult
		want string
	}{
		{measured(10), measured(2), "5"},
		{above(1e6), measured(10), "> 1e+05"},
		{measured(10), below(0.1), "> 100"},
		{below(0.1), measured(10), "< 0.01"},
		{above(1e6), above(1e6), "unknown"},
		{above(1e2), below(1e-2), "> 1e+04"},
	} {
		if got := Ratio(tc.a, tc.b).String(); got != tc.want {
			t.Errorf("Ratio(%v, %v) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	lo, hi := above(1e6).Interval()
	if lo != 1e6 || !math.IsInf(hi, 1) {
		t.Errorf("interval of > 1e6: [%v, %v]", lo, hi)
	}
}
