package dynamics

import (
	"math"
	"slices"
	"testing"
)

func TestNewWeightHistogram(t *testing.T) {
	// max|w| = 2: w/max = −1, −0.5, 0, 0.5, 1, 1. Bin width 2/41; bin k covers [−1 + k·w, −1 + (k+1)·w).
	h, err := NewWeightHistogram("fc2", []float32{-2, -1, 0, 1, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, HistogramBins)
	want[0]++                             // −1
	want[int(math.Floor(0.5/(2.0/41)))]++ // −0.5 → (0.5)/(2/41) = 10.25 → bin 10
	want[20]++                            // 0 → 1/(2/41) = 20.5 → bin 20 (the middle bin)
	want[int(math.Floor(1.5/(2.0/41)))]++ // 0.5 → 30.75 → bin 30
	want[HistogramBins-1] += 2            // 1 lands in the closed last bin
	if h.MaxAbs != 2 || h.Op != "fc2" || !slices.Equal(h.Counts, want) {
		t.Errorf("histogram %+v, want max 2 and counts %v", h, want)
	}
	zero, err := NewWeightHistogram("z", []float32{0, 0})
	if err != nil || zero.MaxAbs != 0 || zero.Counts[20] != 2 {
		t.Errorf("all-zero layer: %+v, %v; want both in the middle bin", zero, err)
	}
	for _, w := range [][]float32{nil, {1, float32(math.NaN())}, {float32(math.Inf(1))}} {
		if _, err := NewWeightHistogram("bad", w); err == nil {
			t.Errorf("NewWeightHistogram(%v) accepted", w)
		}
	}
}
