package analysis

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestTwoLevelsHandComputed(t *testing.T) {
	// {0, 0, 1} | {5, 6}: means 1/3 and 5.5, σ_B² = (3/5)(2/5)(31/6)², σ_T² = 62/5 − 2.4² = 6.64.
	tl := TwoLevels([]float32{5, 0, 1, 6, 0})
	eta := 0.24 * (31.0 / 6) * (31.0 / 6) / 6.64
	if !near(tl.Lo, 1.0/3, 1e-12) || tl.Hi != 5.5 || !near(tl.Threshold, (1.0/3+5.5)/2, 1e-12) || tl.FracHi != 0.4 || !near(tl.Eta, eta, 1e-12) {
		t.Errorf("TwoLevels = %+v, want Lo 1/3, Hi 5.5, FracHi 0.4, η %.6f", tl, eta)
	}
	if tl.Code(2.9) != tl.Lo || tl.Code(2.95) != 5.5 || tl.Code(-7) != tl.Lo {
		t.Errorf("Code: 2.9 → %v, 2.95 → %v, −7 → %v", tl.Code(2.9), tl.Code(2.95), tl.Code(-7))
	}
	if r := tl.LevelRatio(); !near(r, 16.5, 1e-12) {
		t.Errorf("LevelRatio = %v, want 5.5/(1/3) = 16.5", r)
	}
	if r := (TwoLevel{Lo: 0, Hi: -2}).LevelRatio(); !math.IsInf(r, 1) {
		t.Errorf("LevelRatio with an off level 0 = %v, want +Inf", r)
	}
	if c := TwoLevels([]float64{2, 2, 2}); c.Lo != 2 || c.Hi != 2 || c.FracHi != 1 || !math.IsNaN(c.Eta) {
		t.Errorf("constant values: %+v", c)
	}
	for _, bad := range [][]float64{{}, {1, math.NaN(), 2}} {
		if c := TwoLevels(bad); !math.IsNaN(c.Lo) || !math.IsNaN(c.Eta) {
			t.Errorf("TwoLevels(%v) = %+v, want NaNs", bad, c)
		}
	}
}

// TestTwoLevelsKnownDistributions: η is 1 for a two-point mixture, 2/π for a normal (split at the mean, levels
// μ ± σ√(2/π)) and 3/4 for a uniform (levels at the quartiles).
func TestTwoLevelsKnownDistributions(t *testing.T) {
	mix := make([]float64, 1000)
	for i := range mix {
		mix[i] = 3
		if i%10 < 3 {
			mix[i] = -0.5
		}
	}
	if m := TwoLevels(mix); m.Lo != -0.5 || m.Hi != 3 || m.FracHi != 0.7 || !near(m.Eta, 1, 1e-12) {
		t.Errorf("two-point mixture: %+v, want levels −0.5/3, FracHi 0.7, η 1", m)
	}
	norm := quantileSample(200000, distuv.Normal{Mu: 1, Sigma: 0.1}.Quantile)
	n := TwoLevels(norm)
	if !near(n.Eta, 2/math.Pi, 1e-3) || !near(n.Lo, 1-0.1*math.Sqrt(2/math.Pi), 1e-3) || !near(n.Hi, 1+0.1*math.Sqrt(2/math.Pi), 1e-3) {
		t.Errorf("normal(1, 0.1): %+v, want η 2/π = %.4f, levels 1 ∓ 0.0798", n, 2/math.Pi)
	}
	u := TwoLevels(quantileSample(100000, distuv.Uniform{Min: 0, Max: 1}.Quantile))
	if !near(u.Eta, 0.75, 1e-3) || !near(u.Lo, 0.25, 1e-3) || !near(u.Hi, 0.75, 1e-3) || !near(u.FracHi, 0.5, 1e-3) {
		t.Errorf("uniform(0, 1): %+v, want η 3/4, levels 1/4 and 3/4", u)
	}
}

// TestFractionNearExtremesIsHonest: a BatchNorm-like γ ~ N(1, 0.01²) is "all near the maximum" by
// FractionNearMax but not by FractionNearExtremes; an asymmetric 0/1 two-point tensor is all at its extremes.
func TestFractionNearExtremesIsHonest(t *testing.T) {
	gamma := quantileSample(10000, distuv.Normal{Mu: 1, Sigma: 0.01}.Quantile)
	if f := FractionNearMax(gamma, 0.1); f != 1 {
		t.Errorf("FractionNearMax(γ ≈ 1) = %v, expected the dishonest 1", f)
	}
	// |z| ≥ 0.9·3.72 (the sample's extreme quantile) has probability ≈ 8e-4.
	if f := FractionNearExtremes(gamma, 0.1); f > 0.002 {
		t.Errorf("FractionNearExtremes(γ ≈ 1) = %v, want < 0.002", f)
	}
	bits := make([]float64, 100)
	for i := range 10 {
		bits[i] = 1
	}
	if f, g := FractionNearMax(bits, 0.1), FractionNearExtremes(bits, 0.1); f != 0.1 || g != 1 {
		t.Errorf("0/1 tensor: FractionNearMax %v (want 0.1), FractionNearExtremes %v (want 1)", f, g)
	}
	sym := []float64{-3, -1, 0, 2.8, 3, 1}
	if f, g := FractionNearMax(sym, 0.1), FractionNearExtremes(sym, 0.1); f != g || f != 0.5 {
		t.Errorf("symmetric range: FractionNearMax %v, FractionNearExtremes %v, want both 0.5", f, g)
	}
	for _, bad := range []float64{-0.1, 1.1, math.NaN()} {
		if !math.IsNaN(FractionNearExtremes(sym, bad)) {
			t.Errorf("tol %v accepted", bad)
		}
	}
	if !math.IsNaN(FractionNearExtremes([]float64{2, 2}, 0.1)) || !math.IsNaN(FractionNearExtremes([]float32{}, 0.1)) {
		t.Error("constant or empty tensor: want NaN")
	}
}

func TestFractionAtBound(t *testing.T) {
	w := []float32{1, -1, 0.999, -0.3, 1, 0}
	if f := FractionAtBound(w, 1); f != 0.5 {
		t.Errorf("FractionAtBound = %v, want 3/6", f)
	}
	if !math.IsNaN(FractionAtBound(w, 0)) || !math.IsNaN(FractionAtBound([]float32{}, 1)) {
		t.Error("bound 0 or empty tensor: want NaN")
	}
}
