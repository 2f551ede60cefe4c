package analysis

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestWeightStats(t *testing.T) {
	s := WeightStats([]float32{3, -4, 0, 1})
	// mean|w| = 8/4 = 2, RMS = sqrt(26/4), max = 4.
	if s.N != 4 || s.MeanAbs != 2 || !near(s.RMS, math.Sqrt(6.5), 1e-15) || s.MaxAbs != 4 {
		t.Errorf("WeightStats = %+v, want {2 √6.5 4 4}", s)
	}
	if e := WeightStats([]float64{}); e.N != 0 || !math.IsNaN(e.MeanAbs) || !math.IsNaN(e.RMS) {
		t.Errorf("empty WeightStats = %+v, want NaNs", e)
	}
}

// quantileSample returns n evenly spread quantiles of a distribution: a deterministic sample.
func quantileSample(n int, q func(p float64) float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = q((float64(i) + 0.5) / float64(n))
	}
	return x
}

func TestBimodalityCoefficient(t *testing.T) {
	const n = 20000
	uni := quantileSample(n, func(p float64) float64 { return 2*p - 1 })
	if bc := BimodalityCoefficient(uni); math.Abs(bc-5.0/9) > 2e-3 {
		t.Errorf("uniform BC = %v, want ≈ 5/9 = 0.5556", bc)
	}
	norm := quantileSample(n, distuv.UnitNormal.Quantile)
	if bc := BimodalityCoefficient(norm); math.Abs(bc-1.0/3) > 5e-3 {
		t.Errorf("normal BC = %v, want ≈ 1/3", bc)
	}
	// Balanced ±1 sample of even size m: G1 = 0 and G2 + 3(m−1)²/((m−2)(m−3)) = (m+1)(m−1)/((m−2)(m−3)),
	// so BC = (m−2)(m−3)/((m−1)(m+1)) exactly, → 1 for large m.
	for _, m := range []int{6, 100, 10000} {
		x := make([]float32, m)
		for i := range x {
			x[i] = float32(1 - 2*(i%2))
		}
		fm := float64(m)
		want := (fm - 2) * (fm - 3) / ((fm - 1) * (fm + 1))
		if bc := BimodalityCoefficient(x); !near(bc, want, 1e-12) {
			t.Errorf("two-point m=%d: BC = %v, want %v", m, bc, want)
		}
	}
	if bc := BimodalityCoefficient(make([]float64, 10000)); !math.IsNaN(bc) {
		t.Errorf("constant sample BC = %v, want NaN", bc)
	}
	if bc := BimodalityCoefficient([]float64{1, 2, 3}); !math.IsNaN(bc) {
		t.Errorf("n=3 BC = %v, want NaN", bc)
	}
	// Binarized weights are more bimodal than the uniform threshold 5/9.
	if bc := BimodalityCoefficient(Binarize(norm)); bc < 0.99 {
		t.Errorf("BC of binarized normal = %v, want ≈ 1", bc)
	}
}

func TestFractionNearMaxAndZeros(t *testing.T) {
	w := []float32{1, -0.95, 0.5, 0, -0.89, 0.92}
	// max|w| = 1, threshold 0.9: 1, −0.95 and 0.92 qualify (float32(0.9) < 0.9 would not).
	if got := FractionNearMax(w, 0.1); !near(got, 3.0/6, 1e-15) {
		t.Errorf("FractionNearMax = %v, want 0.5", got)
	}
	if got := FractionNearMax(w, 0); got != 1.0/6 {
		t.Errorf("FractionNearMax tol 0 = %v, want 1/6", got)
	}
	if got := FractionNearMax(w, 1); got != 1 {
		t.Errorf("FractionNearMax tol 1 = %v, want 1", got)
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if !math.IsNaN(FractionNearMax(w, bad)) {
			t.Errorf("tol %v should give NaN", bad)
		}
	}
	if !math.IsNaN(FractionNearMax([]float64{0, 0}, 0.1)) || !math.IsNaN(FractionNearMax([]float64{}, 0.1)) {
		t.Errorf("all-zero or empty w should give NaN")
	}
	if got := FractionZeros(w); got != 1.0/6 {
		t.Errorf("FractionZeros = %v, want 1/6", got)
	}
	if got := FractionZeros([]float64{0, 1e-30, -0.0}); got != 2.0/3 {
		t.Errorf("FractionZeros = %v, want 2/3 (−0 is zero, 1e-30 is not)", got)
	}
}

func TestBinarize(t *testing.T) {
	w := []float32{2, -1, 0, 3}
	got := Binarize(w) // mean|w| = 6/4 = 1.5.
	if want := []float32{1.5, -1.5, 0, 1.5}; !slices.Equal(got, want) {
		t.Errorf("Binarize = %v, want %v", got, want)
	}
	if w[0] != 2 {
		t.Errorf("Binarize modified its input")
	}
	if len(Binarize([]float64{})) != 0 {
		t.Errorf("Binarize of empty should be empty")
	}
}

func TestHistogram(t *testing.T) {
	x := []float64{0, 0.5, 1, 1.5, 2, -1, 3, math.NaN(), 0.49}
	got, err := Histogram(x, 4, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Bins [0,.5) [.5,1) [1,1.5) [1.5,2]: 0 and 0.49; 0.5; 1; 1.5 and 2. −1, 3 and NaN dropped.
	if want := []int{2, 1, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("Histogram = %v, want %v", got, want)
	}
	if _, err := Histogram(x, 0, 0, 1); err == nil {
		t.Errorf("bins=0 accepted")
	}
	if _, err := Histogram(x, 3, 1, 1); err == nil {
		t.Errorf("empty range accepted")
	}
	if _, err := Histogram(x, 3, math.Inf(-1), 1); err == nil {
		t.Errorf("infinite range accepted")
	}
}
