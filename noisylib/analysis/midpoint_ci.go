package analysis

import (
	"fmt"
	"math"
)

// MidpointSummary summarises the per-repetition midpoints of a curve (method.md §5.4 item 7).
//
// On log grids the averaging is done in log10 σ and the results are transformed back, so Mean is
// the geometric mean of the uncensored midpoints; on linear grids it is done in σ. Censored
// repetitions are counted in Above and Below and left out of every average.
type MidpointSummary struct {
	// Mean is the (back-transformed) mean of the uncensored per-repetition midpoints; NaN if
	// there are none.
	Mean float64
	// Lo and Hi bound the two-sided Student-t confidence interval of the mean at Level,
	// back-transformed to σ; NaN if fewer than two repetitions are uncensored.
	Lo, Hi float64
	// SD is the sample standard deviation of the uncensored midpoints in the averaging scale
	// (log10 σ on log grids, σ on linear grids); NaN if fewer than two are uncensored.
	SD float64
	// Level is the confidence level of [Lo, Hi], e.g. 0.95.
	Level float64
	// N is the number of uncensored repetitions that were averaged.
	N int
	// Above and Below count the repetitions censored "> σ_max" and "< σ_min".
	Above, Below int
	// Grid is the spacing used (never AutoGrid).
	Grid Grid
	// PerRep holds the midpoint of every repetition, in repetition order.
	PerRep []MidpointResult
}

// MidpointCI computes the midpoint of every repetition ([MidpointsPerRep]) and summarises the
// uncensored ones by their mean and a two-sided t-distribution confidence interval at level
// (0 < level < 1), mean ± t_{(1+level)/2, n−1} · sd/√n, computed in log10 σ on log grids and then
// back-transformed. Errors are those of [MidpointsPerRep] plus a level outside (0, 1). Having all
// repetitions censored is not an error: the counts say so and Mean is NaN.
func MidpointCI(c Curve, aMax, aMin float64, grid Grid, level float64) (MidpointSummary, error) {
	if !(level > 0 && level < 1) {
		return MidpointSummary{}, fmt.Errorf("analysis: confidence level %g out of range, want 0 < level < 1", level)
	}
	per, err := MidpointsPerRep(c, aMax, aMin, grid)
	if err != nil {
		return MidpointSummary{}, err
	}
	s := MidpointSummary{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN(), Level: level, PerRep: per}
	if len(per) > 0 {
		s.Grid = per[0].Grid
	}
	var vals []float64
	for _, m := range per {
		switch m.Censored {
		case Above:
			s.Above++
		case Below:
			s.Below++
		default:
			v := m.Sigma
			if s.Grid == LogGrid {
				v = math.Log10(v)
			}
			vals = append(vals, v)
		}
	}
	s.N = len(vals)
	back := func(v float64) float64 {
		if s.Grid == LogGrid {
			return math.Pow(10, v)
		}
		return v
	}
	iv, err := MeanCI(vals, level)
	if err != nil {
		return MidpointSummary{}, err
	}
	if s.N > 0 {
		s.Mean, s.SD = back(iv.Mean), iv.SD
		s.Lo, s.Hi = back(iv.Lo), back(iv.Hi)
	}
	return s, nil
}

// String formats the summary, e.g. "3.16e+00 (95% CI 2.00e+00 … 5.01e+00, n=3; 2 > σ_max, 0 < σ_min)".
// Without uncensored repetitions it prints only the counts.
func (s MidpointSummary) String() string {
	cens := fmt.Sprintf("%d > σ_max, %d < σ_min", s.Above, s.Below)
	switch s.N {
	case 0:
		return fmt.Sprintf("no uncensored repetition (%s)", cens)
	case 1:
		return fmt.Sprintf("%.2e (n=1, no CI; %s)", s.Mean, cens)
	}
	return fmt.Sprintf("%.2e (%.4g%% CI %.2e … %.2e, n=%d; %s)", s.Mean, 100*s.Level, s.Lo, s.Hi, s.N, cens)
}

// LogMidpointDifference returns the mean paired difference log10 σ_a − log10 σ_b of two conditions'
// per-repetition midpoints (a[i] and b[i] share repetition i: its seed, hence its data order and noise stream),
// with its Student-t confidence interval at level: a negative mean says condition a collapses at a smaller σ,
// by the factor 10^Mean. A censored midpoint in either list is a bound, not a number: it is an error (widen
// the grid), as are lists of different lengths. Fewer than two pairs give NaN bounds (see MeanCI).
func LogMidpointDifference(a, b []MidpointResult, level float64) (Interval, error) {
	if len(a) != len(b) {
		return Interval{}, fmt.Errorf("analysis: paired midpoints of different lengths %d and %d", len(a), len(b))
	}
	la, lb := make([]float64, len(a)), make([]float64, len(b))
	for i := range a {
		if a[i].Censored != None || b[i].Censored != None {
			return Interval{}, fmt.Errorf("analysis: repetition %d has a censored midpoint (%s, %s): a bound, not a number; widen the σ grid", i, a[i], b[i])
		}
		la[i], lb[i] = math.Log10(a[i].Sigma), math.Log10(b[i].Sigma)
	}
	return PairedDifference(la, lb, level)
}
