package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a sample mean with its two-sided Student-t confidence interval.
type Interval struct {
	// Mean is the sample mean; NaN for an empty sample.
	Mean float64
	// Lo and Hi bound the confidence interval Mean ± t_{(1+Level)/2, N−1} · SD/√N; NaN if N < 2.
	Lo, Hi float64
	// SD is the sample standard deviation (divisor N − 1); NaN if N < 2.
	SD float64
	// Level is the confidence level, e.g. 0.95.
	Level float64
	// N is the sample size.
	N int
}

// MeanCI returns the mean of x with its two-sided Student-t confidence interval at level
// (0 < level < 1): mean ± t_{(1+level)/2, n−1} · sd/√n, the textbook interval for the mean of a normal
// sample with unknown variance. Fewer than two values give NaN bounds, not an error; a level outside
// (0, 1) or a NaN in x is an error.
func MeanCI(x []float64, level float64) (Interval, error) {
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("analysis: confidence level %g out of range, want 0 < level < 1", level)
	}
	iv := Interval{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN(), Level: level, N: len(x)}
	for i, v := range x {
		if math.IsNaN(v) {
			return Interval{}, fmt.Errorf("analysis: value %d is NaN", i)
		}
	}
	switch len(x) {
	case 0:
		return iv, nil
	case 1:
		iv.Mean = x[0]
		return iv, nil
	}
	mean, sd := stat.MeanStdDev(x, nil)
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(x) - 1)}.Quantile((1+level)/2) * sd / math.Sqrt(float64(len(x)))
	iv.Mean, iv.SD, iv.Lo, iv.Hi = mean, sd, mean-half, mean+half
	return iv, nil
}

// PairedDifference returns the mean of the paired differences a_i − b_i with its Student-t confidence
// interval at level (the paired t-interval: pairs share a seed, a data order or a noise draw, so their
// common variation cancels). a and b must have equal lengths.
func PairedDifference(a, b []float64, level float64) (Interval, error) {
	if len(a) != len(b) {
		return Interval{}, fmt.Errorf("analysis: paired samples of different lengths %d and %d", len(a), len(b))
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return MeanCI(d, level)
}

// Excludes reports whether the interval lies entirely above or entirely below v (a decided comparison at
// the interval's level). An interval with NaN bounds excludes nothing.
func (iv Interval) Excludes(v float64) bool { return iv.Lo > v || iv.Hi < v }

// String formats the interval, e.g. "2.00 (95% CI −0.48 … 4.48, n=3)".
func (iv Interval) String() string {
	if iv.N < 2 {
		return fmt.Sprintf("%.3g (n=%d, no CI)", iv.Mean, iv.N)
	}
	return fmt.Sprintf("%.3g (%.4g%% CI %.3g … %.3g, n=%d)", iv.Mean, 100*iv.Level, iv.Lo, iv.Hi, iv.N)
}

// PredictionInterval returns the mean of x with the two-sided Student-t prediction interval at level for one
// new value from the normal distribution x was sampled from: mean ± t_{(1+level)/2, n−1} · sd · √(1 + 1/n) (the
// textbook interval for one future observation; Hahn, Meeker and Escobar, Statistical Intervals, 2nd ed., ch. 4).
// Unlike MeanCI's, its bounds Lo and Hi bound the new value, not the mean. Fewer than two values give NaN bounds,
// not an error; a level outside (0, 1) or a NaN in x is an error.
func PredictionInterval(x []float64, level float64) (Interval, error) {
	iv, err := MeanCI(x, level)
	if err != nil || iv.N < 2 {
		return iv, err
	}
	n := float64(iv.N)
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile((1+level)/2) * iv.SD * math.Sqrt(1+1/n)
	iv.Lo, iv.Hi = iv.Mean-half, iv.Mean+half
	return iv, nil
}
