package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// LogisticFit is a logistic curve in log10 σ fitted to an accuracy-vs-σ curve (method.md §5.4
// item 7):
//
//	a(σ) = Lo + (Hi − Lo) / (1 + exp(Slope · (log10 σ − log10 Sigma0)))
//
// Fits are normalised so that Hi ≥ Lo; a positive Slope then means a falling curve, and Slope is
// the steepness per decade of σ (the accuracy falls from 73 % to 27 % of the way down over
// ±1/Slope decades around Sigma0).
type LogisticFit struct {
	// Sigma0 is the centre of the transition, where a = (Lo+Hi)/2.
	Sigma0 float64
	// Slope is s, in units of 1/decade.
	Slope float64
	// Lo and Hi are the fitted plateaus (in %).
	Lo, Hi float64
	// RSS is the residual sum of squares of the fit, and RMSE = sqrt(RSS/N).
	RSS, RMSE float64
	// N is the number of points fitted.
	N int
}

// At evaluates the fitted curve at σ > 0.
func (f LogisticFit) At(sigma float64) float64 {
	return logistic(math.Log10(sigma), math.Log10(f.Sigma0), f.Slope, f.Lo, f.Hi)
}

// PlateausNear reports whether the fitted plateaus are within tol (in accuracy points) of the
// clean accuracy aMax and the chance level aMin, the condition under which §5.4 recommends
// reporting Sigma0 next to the interpolated midpoint.
func (f LogisticFit) PlateausNear(aMax, aMin, tol float64) bool {
	return math.Abs(f.Hi-aMax) <= tol && math.Abs(f.Lo-aMin) <= tol
}

// logistic is lo + (hi−lo)/(1+exp(s(x−m))).
func logistic(x, m, s, lo, hi float64) float64 {
	return lo + (hi-lo)/(1+math.Exp(s*(x-m)))
}

// FitLogisticCurve fits [LogisticFit] to the mean over repetitions of c, see [FitLogistic].
func FitLogisticCurve(c Curve) (LogisticFit, error) {
	if err := c.validate(LogGrid); err != nil {
		return LogisticFit{}, err
	}
	return FitLogistic(c.Sigmas, c.Mean())
}

// FitLogistic fits a(σ) = lo + (hi−lo)/(1+exp(s·(log10 σ − log10 σ0))) to the points
// (sigmas[i], acc[i]) by least squares (Levenberg–Marquardt from a few starting slopes,
// keeping the best). It needs at least 4 points with σ > 0, finite values and a non-constant acc.
// The fit is only a robustness check: with a transition narrower than the grid spacing the slope
// is poorly determined (it can grow very large) while Sigma0 stays within the bracketing interval.
func FitLogistic(sigmas, acc []float64) (LogisticFit, error) {
	if len(sigmas) != len(acc) {
		return LogisticFit{}, fmt.Errorf("analysis: logistic fit got %d sigmas and %d accuracies, want equal lengths", len(sigmas), len(acc))
	}
	if len(sigmas) < 4 {
		return LogisticFit{}, fmt.Errorf("analysis: logistic fit got %d points, want at least 4 (4 parameters)", len(sigmas))
	}
	x := make([]float64, len(sigmas))
	for i, s := range sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return LogisticFit{}, fmt.Errorf("analysis: logistic fit sigmas[%d] = %g, want finite σ > 0", i, s)
		}
		if math.IsNaN(acc[i]) || math.IsInf(acc[i], 0) {
			return LogisticFit{}, fmt.Errorf("analysis: logistic fit acc[%d] = %g, want a finite accuracy", i, acc[i])
		}
		x[i] = math.Log10(s)
	}
	yMin, yMax := floats.Min(acc), floats.Max(acc)
	if yMin == yMax {
		return LogisticFit{}, fmt.Errorf("analysis: logistic fit of a flat curve (all accuracies = %g) is undetermined", yMin)
	}

	m0, dir := startCentre(x, acc, (yMin+yMax)/2)
	var best []float64
	bestRSS := math.Inf(1)
	for _, s0 := range []float64{0.5, 2, 8} {
		p, f := levenbergMarquardt(x, acc, []float64{m0, dir * s0, yMin, yMax})
		if allFinite(p) && f < bestRSS {
			bestRSS, best = f, p
		}
	}
	if best == nil {
		return LogisticFit{}, fmt.Errorf("analysis: logistic fit did not converge to finite parameters")
	}
	m, s, lo, hi := best[0], best[1], best[2], best[3]
	if hi < lo { // Same curve with the plateaus swapped and the slope negated.
		lo, hi, s = hi, lo, -s
	}
	return LogisticFit{
		Sigma0: math.Pow(10, m), Slope: s, Lo: lo, Hi: hi,
		RSS: bestRSS, RMSE: math.Sqrt(bestRSS / float64(len(x))), N: len(x),
	}, nil
}

// startCentre guesses the transition centre (in log10 σ) as the first crossing of level, and the
// direction of the curve (+1 falling, −1 rising) from its ends.
func startCentre(x, y []float64, level float64) (m, dir float64) {
	dir = 1
	if y[len(y)-1] > y[0] {
		dir = -1
	}
	for i := 0; i+1 < len(x); i++ {
		if (y[i]-level)*(y[i+1]-level) <= 0 && y[i] != y[i+1] {
			return x[i] + (level-y[i])/(y[i+1]-y[i])*(x[i+1]-x[i]), dir
		}
	}
	return (x[0] + x[len(x)-1]) / 2, dir
}

// allFinite reports whether no element is NaN or ±Inf.
func allFinite(v []float64) bool {
	for _, e := range v {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return false
		}
	}
	return true
}
