package analysis

import (
	"math"
	"sort"
)

// TwoLevel is the best two-level (on/off) description of a set of values: the exact 1-D 2-means partition,
// which is Otsu's threshold of the values' empirical distribution (N. Otsu, "A threshold selection method from
// gray-level histograms", IEEE Trans. SMC 9(1), 1979; taken on the exact values instead of a histogram it is
// the globally optimal 1-D k-means with k = 2, cf. Wang & Song, "Ckmeans.1d.dp", R Journal 3(2), 2011).
type TwoLevel struct {
	// Lo and Hi are the means of the lower and upper cluster (Lo ≤ Hi; equal when all values are).
	Lo, Hi float64
	// Threshold is (Lo + Hi)/2: Code maps values ≥ Threshold to Hi and the others to Lo. At the optimum every
	// value is nearer to its own cluster's mean, so this is the optimal partition itself.
	Threshold float64
	// FracHi is the fraction of values ≥ Threshold (the "on" fraction when Hi is the larger magnitude).
	FracHi float64
	// Eta is Otsu's separability η = σ_B²/σ_T², the fraction of the variance the two levels explain: 1 for a
	// two-point distribution, 2/π ≈ 0.637 for a normal, 3/4 for a uniform; NaN when all values are equal.
	Eta float64
}

// TwoLevels returns the two-level description of x (see TwoLevel), in O(n log n). For an empty x, or one with
// a NaN, every field is NaN; for constant values Lo = Hi = Threshold = that value, FracHi = 1 and Eta = NaN.
func TwoLevels[F Float](x []F) TwoLevel {
	nan := math.NaN()
	bad := TwoLevel{Lo: nan, Hi: nan, Threshold: nan, FracHi: nan, Eta: nan}
	if len(x) == 0 {
		return bad
	}
	v := make([]float64, len(x))
	var mean float64
	for i, e := range x {
		v[i] = float64(e)
		if math.IsNaN(v[i]) {
			return bad
		}
		mean += v[i]
	}
	n := float64(len(v))
	mean /= n
	sort.Float64s(v)
	// Work with deviations from the mean (stable sums); σ_B²(k) = w0·w1·(m1 − m0)² for the split after k values.
	var total, sq float64
	for _, e := range v {
		total += e - mean
		sq += (e - mean) * (e - mean)
	}
	best, bestK, prefix := -1.0, 0, 0.0
	for k := 1; k < len(v); k++ {
		prefix += v[k-1] - mean
		if v[k-1] == v[k] {
			continue
		}
		m0, m1 := prefix/float64(k), (total-prefix)/float64(len(v)-k)
		w0 := float64(k) / n
		if b := w0 * (1 - w0) * (m1 - m0) * (m1 - m0); b > best {
			best, bestK = b, k
		}
	}
	if bestK == 0 {
		return TwoLevel{Lo: v[0], Hi: v[0], Threshold: v[0], FracHi: 1, Eta: nan}
	}
	var s0 float64
	for _, e := range v[:bestK] {
		s0 += e
	}
	var s1 float64
	for _, e := range v[bestK:] {
		s1 += e
	}
	t := TwoLevel{Lo: s0 / float64(bestK), Hi: s1 / float64(len(v)-bestK), Eta: math.Min(1, best/(sq/n))}
	t.Threshold = (t.Lo + t.Hi) / 2
	t.FracHi = float64(len(v)-sort.SearchFloat64s(v, t.Threshold)) / n
	return t
}

// Code returns the level nearer to v: Hi if v ≥ Threshold, Lo otherwise.
func (t TwoLevel) Code(v float64) float64 {
	if v >= t.Threshold {
		return t.Hi
	}
	return t.Lo
}

// LevelRatio returns max(|Lo|, |Hi|) / min(|Lo|, |Hi|) ≥ 1, the on/off ratio of the two levels' magnitudes
// (what survives a multiplicative noise of large σ, which scrambles signs but keeps |x|): +Inf when one
// level is 0 (a perfect off level), NaN when both are.
func (t TwoLevel) LevelRatio() float64 {
	a, b := math.Abs(t.Lo), math.Abs(t.Hi)
	lo, hi := math.Min(a, b), math.Max(a, b)
	if hi == 0 || math.IsNaN(lo) || math.IsNaN(hi) {
		return math.NaN()
	}
	return hi / lo
}

// FractionNearExtremes returns the fraction of elements within tol of the extremes relative to the tensor's
// own center: |w − c| ≥ (1−tol)·h with c = (min+max)/2 and h = (max−min)/2. Unlike FractionNearMax (which
// measures from 0), it is honest for tensors that sit away from 0 (BatchNorm γ near 1: FractionNearMax calls
// almost every γ "near the maximum") or are asymmetric (a 0/1 two-point tensor: every element is at an
// extreme, FractionNearMax counts only the ones). For a tensor symmetric about 0 it equals FractionNearMax.
// It returns NaN for an empty or constant w and for tol outside [0, 1].
func FractionNearExtremes[F Float](w []F, tol float64) float64 {
	if len(w) == 0 || !(tol >= 0 && tol <= 1) {
		return math.NaN()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range w {
		v := float64(e)
		if math.IsNaN(v) {
			return math.NaN()
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	c, h := (lo+hi)/2, (hi-lo)/2
	if !(h > 0) {
		return math.NaN()
	}
	thr := (1 - tol) * h
	count := 0
	for _, e := range w {
		if math.Abs(float64(e)-c) >= thr {
			count++
		}
	}
	return float64(count) / float64(len(w))
}

// FractionAtBound returns the fraction of elements with |w| ≥ bound, e.g. the weights a clamp to [−1, 1]
// holds at its bound (bound = 1). It returns NaN for an empty w or a bound that is not > 0.
func FractionAtBound[F Float](w []F, bound float64) float64 {
	if len(w) == 0 || !(bound > 0) {
		return math.NaN()
	}
	count := 0
	for _, e := range w {
		if math.Abs(float64(e)) >= bound {
			count++
		}
	}
	return float64(count) / float64(len(w))
}
