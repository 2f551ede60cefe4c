package dynamics

import (
	"fmt"
	"math"
)

// HistogramBins is the number of equal-width bins of a WeightHistogram over [−1, 1].
const HistogramBins = 41

// WeightHistogram is the histogram of one layer's weights w, each divided by the layer's max|w|, in
// HistogramBins equal-width bins over [−1, 1] (the last bin closed): the shape of the distribution, stored
// instead of the weights themselves. A two-valued (binarized) layer puts its mass in the first and last bins.
type WeightHistogram struct {
	// Op is the layer's name, e.g. "fc2".
	Op string `json:"op"`
	// MaxAbs is max|w|, the scale the bins are relative to (0 for an all-zero layer, whose values are binned as 0).
	MaxAbs float64 `json:"max_abs"`
	// Counts[k] is the number of weights in bin k, k = 0 … HistogramBins−1.
	Counts []int `json:"counts"`
}

// NewWeightHistogram bins the weights of layer op. It fails on an empty or non-finite w.
func NewWeightHistogram(op string, w []float32) (WeightHistogram, error) {
	if len(w) == 0 {
		return WeightHistogram{}, fmt.Errorf("dynamics: layer %q has no weights to bin", op)
	}
	h := WeightHistogram{Op: op, Counts: make([]int, HistogramBins)}
	for _, v := range w {
		a := math.Abs(float64(v))
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return WeightHistogram{}, fmt.Errorf("dynamics: layer %q has a non-finite weight %v", op, v)
		}
		h.MaxAbs = math.Max(h.MaxAbs, a)
	}
	scale := h.MaxAbs
	if scale == 0 {
		scale = 1
	}
	const width = 2.0 / HistogramBins
	for _, v := range w {
		k := min(int((float64(v)/scale+1)/width), HistogramBins-1)
		h.Counts[max(k, 0)]++
	}
	return h, nil
}
