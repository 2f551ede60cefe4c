package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// t_{0.975, 2} = 4.302652729911275 (tables of Student's t; scipy.stats.t.ppf(0.975, 2)).
const t975df2 = 4.302652729911275

func TestMeanCIByHand(t *testing.T) {
	iv, err := MeanCI([]float64{1, 2, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	half := t975df2 * 1 / math.Sqrt(3) // sd of {1,2,3} is 1
	if iv.N != 3 || iv.Mean != 2 || math.Abs(iv.SD-1) > 1e-15 ||
		math.Abs(iv.Lo-(2-half)) > 1e-9 || math.Abs(iv.Hi-(2+half)) > 1e-9 {
		t.Fatalf("MeanCI({1,2,3}) = %+v, want mean 2, sd 1, 2 ± %.6f", iv, half)
	}
	if iv.Excludes(0) || !iv.Excludes(-1) || !iv.Excludes(5) {
		t.Errorf("%v: Excludes(0/−1/5) wrong", iv)
	}
}

func TestMeanCISmallAndBad(t *testing.T) {
	for _, x := range [][]float64{nil, {4}} {
		iv, err := MeanCI(x, 0.9)
		if err != nil || !math.IsNaN(iv.Lo) || !math.IsNaN(iv.Hi) || iv.Excludes(100) {
			t.Errorf("MeanCI(%v) = %+v, %v: want NaN bounds that exclude nothing", x, iv, err)
		}
	}
	if _, err := MeanCI([]float64{1, 2}, 1); err == nil {
		t.Error("level 1 accepted")
	}
	if _, err := MeanCI([]float64{1, math.NaN()}, 0.95); err == nil {
		t.Error("NaN accepted")
	}
}

func TestPairedDifferenceCancelsCommonVariation(t *testing.T) {
	// Seeds move both conditions together by large amounts; the difference is {1,2,3}.
	a := []float64{101, 52, 13}
	b := []float64{100, 50, 10}
	iv, err := PairedDifference(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := MeanCI([]float64{1, 2, 3}, 0.95)
	if iv != want {
		t.Fatalf("PairedDifference = %+v, want %+v", iv, want)
	}
	if _, err := PairedDifference(a, b[:2], 0.95); err == nil {
		t.Error("unequal lengths accepted")
	}
}

// The interval covers the true mean at close to its level (a statistical check on normal samples).
func TestMeanCICoverage(t *testing.T) {
	const trials, n = 4000, 5
	rng := rand.New(rand.NewPCG(7, 8))
	covered := 0
	for range trials {
		x := make([]float64, n)
		for i := range x {
			x[i] = 3 + 2*rng.NormFloat64()
		}
		iv, _ := MeanCI(x, 0.9)
		if !iv.Excludes(3) {
			covered++
		}
	}
	// Binomial(4000, 0.9): sd ≈ 19, so 0.9 ± 5 sd is 3505…3695.
	if covered < 3505 || covered > 3695 {
		t.Errorf("90%% interval covered the mean in %d of %d trials", covered, trials)
	}
}

// TestPredictionIntervalByHand: {1, 2, 3} at 95 %: 2 ± t_{0.975,2} · 1 · √(4/3).
func TestPredictionIntervalByHand(t *testing.T) {
	iv, err := PredictionInterval([]float64{1, 2, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	half := t975df2 * math.Sqrt(4.0/3)
	if iv.N != 3 || iv.Mean != 2 || math.Abs(iv.Lo-(2-half)) > 1e-9 || math.Abs(iv.Hi-(2+half)) > 1e-9 {
		t.Fatalf("PredictionInterval({1,2,3}) = %+v, want 2 ± %.6f", iv, half)
	}
	if iv, err := PredictionInterval([]float64{7}, 0.95); err != nil || !math.IsNaN(iv.Lo) {
		t.Errorf("one value: %+v, %v; want NaN bounds", iv, err)
	}
	if _, err := PredictionInterval([]float64{1, 2}, 0); err == nil {
		t.Error("level 0 accepted")
	}
}

// TestPredictionIntervalCoverage: for normal samples of 3 and a fourth value from the same distribution, the
// 90 % interval holds the fourth value in 90 % of 40 000 trials (within 5 binomial standard errors), whereas
// the 90 % CI of the mean, used by mistake, holds it far less often.
func TestPredictionIntervalCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const trials, level = 40000, 0.9
	inPI, inCI := 0, 0
	for range trials {
		x := []float64{rng.NormFloat64()*2 + 5, rng.NormFloat64()*2 + 5, rng.NormFloat64()*2 + 5}
		next := rng.NormFloat64()*2 + 5
		pi, err := PredictionInterval(x, level)
		if err != nil {
			t.Fatal(err)
		}
		ci, _ := MeanCI(x, level)
		if pi.Lo <= next && next <= pi.Hi {
			inPI++
		}
		if ci.Lo <= next && next <= ci.Hi {
			inCI++
		}
	}
	se := math.Sqrt(level * (1 - level) / trials)
	if got := float64(inPI) / trials; math.Abs(got-level) > 5*se {
		t.Errorf("prediction interval coverage %.4f, want %.2f ± %.4f", got, level, 5*se)
	}
	if got := float64(inCI) / trials; got > level-0.1 {
		t.Errorf("the mean's CI holds a new value in %.4f of trials: the test cannot tell the two intervals apart", got)
	}
}
