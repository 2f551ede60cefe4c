package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// Float is the element type accepted by the weight and activation helpers: float32 (GoMLX
// tensors) or float64.
type Float interface{ ~float32 | ~float64 }

// WStats are magnitude statistics of one weight tensor (method.md §6.1, §8 item 5).
type WStats struct {
	// MeanAbs is mean |w|, the recommended weight-magnitude metric.
	MeanAbs float64
	// RMS is ‖w‖₂/√N.
	RMS float64
	// MaxAbs is max |w|.
	MaxAbs float64
	// N is the number of elements.
	N int
}

// WeightStats returns mean |w|, RMS and max |w| of w, accumulated in float64. For an empty w all
// statistics are NaN and N is 0.
func WeightStats[F Float](w []F) WStats {
	if len(w) == 0 {
		return WStats{MeanAbs: math.NaN(), RMS: math.NaN(), MaxAbs: math.NaN()}
	}
	var sumAbs, sumSq, maxAbs float64
	for _, v := range w {
		a := math.Abs(float64(v))
		sumAbs += a
		sumSq += a * a
		if a > maxAbs || math.IsNaN(a) {
			maxAbs = a
		}
	}
	n := float64(len(w))
	return WStats{MeanAbs: sumAbs / n, RMS: math.Sqrt(sumSq / n), MaxAbs: maxAbs, N: len(w)}
}

// BimodalityCoefficient returns Sarle's sample bimodality coefficient in the sample-size
// corrected form used by SAS:
//
//	BC = (G1² + 1) / (G2 + 3(n−1)² / ((n−2)(n−3)))
//
// where G1 is the adjusted sample skewness (gonum stat.Skew) and G2 the adjusted sample excess
// kurtosis (gonum stat.ExKurtosis). For large samples BC → (skew² + 1)/kurtosis: 1/3 for a
// normal, 5/9 ≈ 0.556 for a uniform and 1 for a symmetric two-point distribution. BC > 5/9
// suggests bimodality, the signature of self-binarized weights (§6.2). It returns NaN for fewer
// than 4 values or zero variance.
func BimodalityCoefficient[F Float](x []F) float64 {
	n := len(x)
	if n < 4 {
		return math.NaN()
	}
	v := toFloat64(x)
	if stat.Variance(v, nil) == 0 {
		return math.NaN()
	}
	g1 := stat.Skew(v, nil)
	g2 := stat.ExKurtosis(v, nil)
	fn := float64(n)
	return (g1*g1 + 1) / (g2 + 3*(fn-1)*(fn-1)/((fn-2)*(fn-3)))
}

// FractionNearMax returns the fraction of elements with |w| ≥ (1−tol)·max|w|, e.g. tol = 0.1 for
// "within 10 % of ±max|w|" (§6.2). It measures from 0, so it only suits tensors centered on 0
// (Linear/Conv weights); FractionNearExtremes measures from the tensor's own center (BatchNorm γ,
// biases, asymmetric tensors). It returns NaN for an empty or all-zero w and for tol outside [0, 1].
func FractionNearMax[F Float](w []F, tol float64) float64 {
	if len(w) == 0 || !(tol >= 0 && tol <= 1) {
		return math.NaN()
	}
	maxAbs := WeightStats(w).MaxAbs
	if !(maxAbs > 0) {
		return math.NaN()
	}
	thr := (1 - tol) * maxAbs
	count := 0
	for _, v := range w {
		if math.Abs(float64(v)) >= thr {
			count++
		}
	}
	return float64(count) / float64(len(w))
}

// FractionZeros returns the fraction of exact zeros in x (NaN for an empty x), e.g. of post-ReLU
// activations (§6.2).
func FractionZeros[F Float](x []F) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	count := 0
	for _, v := range x {
		if v == 0 {
			count++
		}
	}
	return float64(count) / float64(len(x))
}

// Binarize returns the binarized copy sign(w)·mean|w| of a weight tensor, mean|w| being taken
// over all elements; zeros stay zero. Evaluating a model with every layer binarized this way is
// the self-binarization test of §6.2: if accuracy holds, the model has self-binarized.
func Binarize[F Float](w []F) []F {
	out := make([]F, len(w))
	if len(w) == 0 {
		return out
	}
	m := F(WeightStats(w).MeanAbs)
	for i, v := range w {
		switch {
		case v > 0:
			out[i] = m
		case v < 0:
			out[i] = -m
		default:
			out[i] = v // 0 (or NaN) stays as is.
		}
	}
	return out
}

// Histogram counts x into bins equal-width bins over [lo, hi]. As in numpy.histogram, every bin
// is half-open [edge_i, edge_{i+1}) except the last, which includes hi; values outside [lo, hi]
// and NaNs are not counted. It fails for bins < 1 or a range that is not finite with lo < hi.
func Histogram[F Float](x []F, bins int, lo, hi float64) ([]int, error) {
	if bins < 1 {
		return nil, fmt.Errorf("analysis: histogram with %d bins, want bins >= 1", bins)
	}
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("analysis: histogram range [%g, %g], want finite lo < hi", lo, hi)
	}
	counts := make([]int, bins)
	scale := float64(bins) / (hi - lo)
	for _, e := range x {
		v := float64(e)
		if !(v >= lo && v <= hi) {
			continue
		}
		i := int((v - lo) * scale)
		if i >= bins {
			i = bins - 1
		}
		counts[i]++
	}
	return counts, nil
}

// toFloat64 converts a slice to float64 (sharing it when it already is []float64).
func toFloat64[F Float](x []F) []float64 {
	if v, ok := any(x).([]float64); ok {
		return v
	}
	v := make([]float64, len(x))
	for i, e := range x {
		v[i] = float64(e)
	}
	return v
}
