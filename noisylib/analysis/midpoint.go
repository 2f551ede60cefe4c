package analysis

import (
	"fmt"
	"math"
	"strings"
)

// Censoring tells whether a midpoint lies inside the swept σ range or only has a bound.
type Censoring int

const (
	// None means the curve crosses a_mid inside the grid and the midpoint is a number.
	None Censoring = iota
	// Above means the curve never drops below a_mid: the midpoint is "> σ_max".
	Above
	// Below means the curve is already below a_mid at the first grid point: the midpoint is "< σ_min".
	Below
)

// String returns "none", "> σ_max" or "< σ_min".
func (c Censoring) String() string {
	switch c {
	case None:
		return "none"
	case Above:
		return "> σ_max"
	case Below:
		return "< σ_min"
	}
	return fmt.Sprintf("Censoring(%d)", int(c))
}

// MidpointResult is the midpoint noise level of one curve.
type MidpointResult struct {
	// Sigma is the interpolated midpoint σ_mid. It is NaN for censored results, so that a
	// censored midpoint can never be averaged or plotted as if it were a measurement by accident.
	Sigma float64
	// Censored tells whether Sigma is a measurement (None) or only a bound (Above, Below).
	Censored Censoring
	// Bound is the grid edge a censored midpoint is compared with: σ_max for Above, σ_min for
	// Below. It is NaN when Censored is None.
	Bound float64
	// AMid is the accuracy level (a_max + a_min)/2 that defines the midpoint.
	AMid float64
	// Index is k such that the crossing lies in [Sigmas[k], Sigmas[k+1]); -1 when censored.
	Index int
	// Grid is the spacing used for interpolation (never AutoGrid).
	Grid Grid
	// Mean is the curve that was searched for the crossing (the mean over repetitions).
	Mean []float64
}

// String formats the midpoint with three significant digits, e.g. "3.16e+00", or the censoring
// bound, e.g. "> 1e+08" or "< 1e-02". A censored result never prints as a bare number.
func (m MidpointResult) String() string {
	switch m.Censored {
	case None:
		return fmt.Sprintf("%.2e", m.Sigma)
	case Above:
		return "> " + compactE(m.Bound)
	case Below:
		return "< " + compactE(m.Bound)
	}
	return fmt.Sprintf("invalid midpoint (%v)", m.Censored)
}

// compactE formats v as %.2e with trailing zeros of the mantissa removed: 1e+08, 2.5e+00, 3.16e+09.
func compactE(v float64) string {
	s := fmt.Sprintf("%.2e", v)
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s // NaN or Inf.
	}
	mant := strings.TrimRight(s[:i], "0")
	mant = strings.TrimSuffix(mant, ".")
	return mant + s[i:]
}

// Midpoint returns the midpoint noise level of curve c (method.md §5.4, [REC]).
//
// With a_mid = (aMax+aMin)/2 and ā_k the mean accuracy over repetitions at Sigmas[k], σ_mid is
// the first downward crossing: the first k with ā_k ≥ a_mid > ā_{k+1} (all earlier points being
// ≥ a_mid), interpolated as
//
//	log10 σ_mid = log10 σ_k + (a_mid − ā_k)/(ā_{k+1} − ā_k) · (log10 σ_{k+1} − log10 σ_k)   (LogGrid)
//	      σ_mid =       σ_k + (a_mid − ā_k)/(ā_{k+1} − ā_k) · (σ_{k+1} − σ_k)               (LinearGrid)
//
// A point exactly at a_mid counts as not yet below it, so a curve that reaches a_mid exactly and
// then falls gets σ_mid = the σ of the last point at a_mid before the drop. If ā_0 < a_mid the result is censored Below; if no point is below
// a_mid it is censored Above.
//
// aMax must be the clean accuracy and aMin the chance level (not the curve's own extremes, see
// §5.4). Errors: empty curve, len(Acc) ≠ len(Sigmas), an empty accuracy row, non-finite values,
// non-increasing sigmas, aMax ≤ aMin, σ ≤ 0 on a log grid, unknown grid.
func Midpoint(c Curve, aMax, aMin float64, grid Grid) (MidpointResult, error) {
	g, err := grid.resolve(c.Sigmas)
	if err != nil {
		return MidpointResult{}, err
	}
	if err := checkLevels(aMax, aMin); err != nil {
		return MidpointResult{}, err
	}
	if err := c.validate(g); err != nil {
		return MidpointResult{}, err
	}
	return crossing(c.Sigmas, c.Mean(), (aMax+aMin)/2, g), nil
}

// MidpointsPerRep returns the midpoint of every repetition's own curve (Acc[k][r] for fixed r),
// with the same definition, levels and errors as [Midpoint]. It also fails if the number of
// repetitions differs between sigmas.
func MidpointsPerRep(c Curve, aMax, aMin float64, grid Grid) ([]MidpointResult, error) {
	g, err := grid.resolve(c.Sigmas)
	if err != nil {
		return nil, err
	}
	if err := checkLevels(aMax, aMin); err != nil {
		return nil, err
	}
	if err := c.validate(g); err != nil {
		return nil, err
	}
	n, err := c.Reps()
	if err != nil {
		return nil, err
	}
	out := make([]MidpointResult, n)
	curve := make([]float64, len(c.Sigmas))
	for r := range n {
		for k := range c.Acc {
			curve[k] = c.Acc[k][r]
		}
		out[r] = crossing(c.Sigmas, append([]float64(nil), curve...), (aMax+aMin)/2, g)
	}
	return out, nil
}

// checkLevels validates the clean and chance accuracies.
func checkLevels(aMax, aMin float64) error {
	if math.IsNaN(aMax) || math.IsInf(aMax, 0) || math.IsNaN(aMin) || math.IsInf(aMin, 0) {
		return fmt.Errorf("analysis: aMax = %g and aMin = %g, want finite accuracies", aMax, aMin)
	}
	if aMax <= aMin {
		return fmt.Errorf("analysis: aMax = %g is not greater than aMin = %g, want clean accuracy > chance level", aMax, aMin)
	}
	return nil
}

// crossing finds the first downward crossing of aMid by mean on a validated grid.
func crossing(sigmas, mean []float64, aMid float64, g Grid) MidpointResult {
	res := MidpointResult{Sigma: math.NaN(), Bound: math.NaN(), AMid: aMid, Index: -1, Grid: g, Mean: mean}
	if mean[0] < aMid {
		res.Censored, res.Bound = Below, sigmas[0]
		return res
	}
	for k := 0; k+1 < len(mean); k++ {
		if mean[k+1] >= aMid {
			continue
		}
		// mean[k] >= aMid > mean[k+1], so t is in [0, 1).
		t := (aMid - mean[k]) / (mean[k+1] - mean[k])
		res.Index = k
		switch {
		case t == 0:
			res.Sigma = sigmas[k]
		case g == LogGrid:
			lo, hi := math.Log10(sigmas[k]), math.Log10(sigmas[k+1])
			res.Sigma = math.Pow(10, lo+t*(hi-lo))
		default:
			res.Sigma = sigmas[k] + t*(sigmas[k+1]-sigmas[k])
		}
		return res
	}
	res.Censored, res.Bound = Above, sigmas[len(sigmas)-1]
	return res
}
