package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// synthLogistic samples lo + (hi−lo)/(1+exp(s(log10σ − log10σ0))) on sigmas, plus N(0, noise²).
func synthLogistic(sigmas []float64, sigma0, s, lo, hi, noise float64, rng *rand.Rand) []float64 {
	y := make([]float64, len(sigmas))
	for i, sg := range sigmas {
		y[i] = logistic(math.Log10(sg), math.Log10(sigma0), s, lo, hi)
		if rng != nil {
			y[i] += noise * rng.NormFloat64()
		}
	}
	return y
}

func TestFitLogisticNoiseFree(t *testing.T) {
	sig := AdditiveGrid(8)
	sigma0 := math.Pow(10, 2.3)
	for _, s := range []float64{0.8, 3, -2} { // -2: a rising curve.
		y := synthLogistic(sig, sigma0, s, 10, 98, 0, nil)
		f, err := FitLogistic(sig, y)
		if err != nil {
			t.Fatal(err)
		}
		// The fit is normalised to Hi ≥ Lo, so the rising curve keeps lo=10, hi=98 and s < 0
		// even if the optimiser found the mirrored parameterisation.
		lo, hi, slope := 10.0, 98.0, s
		if !near(math.Log10(f.Sigma0), 2.3, 1e-6) || !near(f.Slope, slope, 1e-5) ||
			!near(f.Lo, lo, 1e-5) || !near(f.Hi, hi, 1e-5) {
			t.Errorf("s=%v: got σ0=10^%v s=%v lo=%v hi=%v, want 10^2.3 %v %v %v",
				s, math.Log10(f.Sigma0), f.Slope, f.Lo, f.Hi, slope, lo, hi)
		}
		if f.RMSE > 1e-5 || f.N != len(sig) {
			t.Errorf("s=%v: RMSE %v (N=%d), want ≈ 0 on noise-free data", s, f.RMSE, f.N)
		}
		if !near(f.At(sigma0), 54, 1e-5) {
			t.Errorf("s=%v: At(σ0) = %v, want the mid-plateau 54", s, f.At(sigma0))
		}
	}
}

func TestFitLogisticNoisy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sig := AdditiveGrid(10)
	for trial := range 5 {
		y := synthLogistic(sig, 1e4, 1.5, 10, 99, 1.5, rng)
		f, err := FitLogistic(sig, y)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(math.Log10(f.Sigma0)-4) > 0.1 || math.Abs(f.Slope-1.5) > 0.3 {
			t.Errorf("trial %d: σ0 = 10^%.3f, s = %.3f, want 10^4 ± 0.1 decade and 1.5 ± 0.3",
				trial, math.Log10(f.Sigma0), f.Slope)
		}
		if !f.PlateausNear(99, 10, 2) || f.PlateausNear(99, 10, 1e-6) {
			t.Errorf("trial %d: plateaus %v / %v, want within 2 points (but not 1e-6) of 99 / 10", trial, f.Hi, f.Lo)
		}
		// With noise sd 1.5 the residual RMSE should be about 1.5.
		if f.RMSE < 1 || f.RMSE > 2 {
			t.Errorf("trial %d: RMSE %v, want ≈ 1.5", trial, f.RMSE)
		}
	}
}

func TestFitLogisticCurve(t *testing.T) {
	sig := AdditiveGrid(8)
	y := synthLogistic(sig, 30, 2, 10, 95, 0, nil)
	c := Curve{Sigmas: sig, Acc: make([][]float64, len(sig))}
	for k := range sig { // Two repetitions whose mean is the logistic.
		c.Acc[k] = []float64{y[k] - 1, y[k] + 1}
	}
	f, err := FitLogisticCurve(c)
	if err != nil {
		t.Fatal(err)
	}
	if !near(f.Sigma0, 30, 1e-5) {
		t.Errorf("σ0 = %v, want 30", f.Sigma0)
	}
	// The midpoint of the same curve with matching plateaus is σ0 (up to interpolation error).
	m, err := Midpoint(c, 95, 10, LogGrid)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(math.Log10(m.Sigma)-math.Log10(30)) > 0.02 {
		t.Errorf("midpoint %v vs σ0 30, want within 0.02 decades", m.Sigma)
	}
}

func TestFitLogisticErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sigmas []float64
		acc    []float64
	}{
		{"mismatch", []float64{1, 2, 3, 4}, []float64{1, 2, 3}},
		{"too few", []float64{1, 2, 3}, []float64{90, 50, 10}},
		{"zero sigma", []float64{0, 1, 2, 3}, []float64{90, 60, 30, 10}},
		{"nan acc", []float64{1, 2, 3, 4}, []float64{90, math.NaN(), 30, 10}},
		{"flat", []float64{1, 2, 3, 4}, []float64{50, 50, 50, 50}},
	} {
		if _, err := FitLogistic(tc.sigmas, tc.acc); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestFitLogisticStep(t *testing.T) {
	// A step between σ = 10 and σ = 10^1.25 leaves the slope undetermined, but σ0 must stay in the
	// bracket and the plateaus must match.
	sig := AdditiveGrid(4)
	y := make([]float64, len(sig))
	for i, s := range sig {
		y[i] = 98
		if s > 10 {
			y[i] = 10
		}
	}
	f, err := FitLogistic(sig, y)
	if err != nil {
		t.Fatal(err)
	}
	if f.Sigma0 < 10 || f.Sigma0 > math.Pow(10, 1.25) || !f.PlateausNear(98, 10, 1e-3) || f.Slope < 10 {
		t.Errorf("step: got %+v, want σ0 in [10, 17.8], plateaus 98/10 and a steep slope", f)
	}
}
