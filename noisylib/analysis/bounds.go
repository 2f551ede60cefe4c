package analysis

import (
	"fmt"
	"math"
)

// Interval returns the values the midpoint can take: [σ_mid, σ_mid] when it was measured, (σ_max, +Inf) when
// it is censored above and [0, σ_min) when censored below. A censored midpoint is a bound, never a number:
// comparisons and ratios of midpoints go through Interval (see Compare and Ratio).
func (m MidpointResult) Interval() (lo, hi float64) {
	switch m.Censored {
	case Above:
		return m.Bound, math.Inf(1)
	case Below:
		return 0, m.Bound
	}
	return m.Sigma, m.Sigma
}

// Compare orders two midpoints as far as their bounds decide: order is +1 when a > b, −1 when a < b and 0
// when both are measured and equal; decided is false when censoring leaves the order open (e.g. both
// "> 1e6", or "> 1e2" against a measured 5e2), and then order is 0.
func Compare(a, b MidpointResult) (order int, decided bool) {
	alo, ahi := a.Interval()
	blo, bhi := b.Interval()
	switch {
	case a.Censored == None && b.Censored == None:
		switch {
		case a.Sigma > b.Sigma:
			return 1, true
		case a.Sigma < b.Sigma:
			return -1, true
		}
		return 0, true
	case alo >= bhi: // a's lowest possible value is at least b's highest, one of them strictly (censored).
		return 1, true
	case ahi <= blo:
		return -1, true
	}
	return 0, false
}

// Bounds is a quantity known to lie in [Lo, Hi]: Lo = Hi when it is known exactly, Hi = +Inf when only a lower
// bound is known, Lo = 0 (for positive quantities) when only an upper bound is.
type Bounds struct {
	Lo, Hi float64
}

// Exact reports whether the quantity is known exactly.
func (b Bounds) Exact() bool { return b.Lo == b.Hi }

// String formats the bounds with three significant digits: "3.16", "> 3.16", "< 3.16", "3.16 … 10", or
// "unknown" when nothing is known.
func (b Bounds) String() string {
	switch {
	case b.Exact():
		return fmt.Sprintf("%.3g", b.Lo)
	case b.Lo > 0 && math.IsInf(b.Hi, 1):
		return fmt.Sprintf("> %.3g", b.Lo)
	case b.Lo <= 0 && !math.IsInf(b.Hi, 1):
		return fmt.Sprintf("< %.3g", b.Hi)
	case b.Lo > 0:
		return fmt.Sprintf("%.3g … %.3g", b.Lo, b.Hi)
	}
	return "unknown"
}

// Ratio returns the bounds of a/b for two midpoints (e.g. how many times more robust one site is than
// another): exact when both are measured, otherwise the range their bounds allow.
func Ratio(a, b MidpointResult) Bounds {
	alo, ahi := a.Interval()
	blo, bhi := b.Interval()
	return Bounds{Lo: div(alo, bhi), Hi: div(ahi, blo)}
}

// div divides non-negative bounds with x/0 = +Inf and x/Inf = 0 (Inf/Inf and 0/0 are taken as the
// uninformative +Inf for an upper and 0 for a lower bound by the callers' order of arguments).
func div(x, y float64) float64 {
	switch {
	case math.IsInf(y, 1):
		if math.IsInf(x, 1) {
			return math.Inf(1)
		}
		return 0
	case y == 0:
		if x == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return x / y
}
