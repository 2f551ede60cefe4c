package noise_test

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Every statistical test draws n = 400·500 = 200,000 elements of a constant input x0 and accepts a mean or
// variance within 5 standard errors of the known distribution's value.
const (
	x0         = 2.0
	rows, cols = 400, 500
)

// mulThenAdd returns the mean and variance of x·m + a for m ~ N(μm, σm²), a ~ N(μa, σa²).
func mulThenAdd(x, sm, sa, mm, ma float64) (mean, variance float64) {
	return x*mm + ma, x*x*sm*sm + sa*sa
}

// addThenMul returns the mean and variance of (x + a)·m for the same m and a.
func addThenMul(x, sm, sa, mm, ma float64) (mean, variance float64) {
	u := x + ma
	return u * mm, (u*u+sa*sa)*(mm*mm+sm*sm) - u*u*mm*mm
}

func TestOperatorStatistics(t *testing.T) {
	type tc struct {
		name              string
		spec              noise.Spec
		wantMean, wantVar float64
	}
	mtaM, mtaV := mulThenAdd(x0, 0.3, 0.9, 1, 0) // Combine(1.2, 0.75): σ_add = 0.9, σ_mul = 0.3.
	atmM, atmV := addThenMul(x0, 0.3, 0.9, 1, 0) // (x²+σa²)(1+σm²) − x² = 1.2429 vs 1.17 above.
	dMtaM, dMtaV := mulThenAdd(x0, 0.5, 1, 1, 0) // CombineDirect(0.5, 1).
	dAtmM, dAtmV := addThenMul(x0, 0.5, 1, 1, 0) // = 2.25 vs 2 above.
	cmM, cmV := mulThenAdd(x0, 0.4, 0.6, 2, -1)  // means μm = 2, μa = −1.
	caM, caV := addThenMul(x0, 0.4, 0.6, 2, -1)  //
	cases := []tc{
		{"additive", noise.Add(0.5), x0, 0.25},
		{"multiplicative", noise.Mul(0.3), x0, x0 * x0 * 0.09},
		{"combined mul-then-add", noise.Combine(1.2, 0.75), mtaM, mtaV},
		{"combined add-then-mul", noise.Combine(1.2, 0.75).WithAddFirst(), atmM, atmV},
		{"combined r=1 is additive", noise.Combine(0.7, 1), x0, 0.49},
		{"combined r=0 is multiplicative", noise.Combine(0.7, 0), x0, x0 * x0 * 0.49},
		{"combined-direct mul-then-add", noise.CombineDirect(0.5, 1), dMtaM, dMtaV},
		{"combined-direct add-then-mul", noise.CombineDirect(0.5, 1).WithAddFirst(), dAtmM, dAtmV},
		{"additive mean 0.7", noise.Spec{Type: noise.Additive, Sigma: 0.5, MeanAdd: 0.7}, x0 + 0.7, 0.25},
		{"multiplicative mean 0.5", noise.Spec{Type: noise.Multiplicative, Sigma: 0.3, MeanMul: 0.5}, x0 * 0.5, x0 * x0 * 0.09},
		{"combined-direct means", noise.Spec{Type: noise.CombinedDirect, SigmaMul: 0.4, SigmaAdd: 0.6, MeanMul: 2, MeanAdd: -1}, cmM, cmV},
		{"combined-direct means add-then-mul", noise.Spec{Type: noise.CombinedDirect, SigmaMul: 0.4, SigmaAdd: 0.6, MeanMul: 2, MeanAdd: -1, AddFirst: true}, caM, caV},
		{"additive σ=0 is exact", noise.Add(0), x0, 0},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			y := sample(t, c.spec, x0, false, int64(100+i), rows, cols)
			checkMoments(t, c.name, y, c.wantMean, c.wantVar)
		})
	}
}

func TestNoiseIsIndependentAndFresh(t *testing.T) {
	for _, s := range []noise.Spec{noise.Add(1), noise.Mul(1), noise.CombineDirect(0.5, 0.5)} {
		t.Run(s.String(), func(t *testing.T) {
			specs := []noise.Spec{s}
			e := applyExec(t, specs, 0, false, 7, false)
			x := constTensor(x0, rows, cols)
			y1 := run(t, e, specs, x)[0]
			y2 := run(t, e, specs, x)[0]
			n := len(y1)
			limit := 5 / math.Sqrt(float64(n)) // The standard error of a correlation of independent values is 1/√n.
			if r := correlation(y1[:n-1], y1[1:]); math.Abs(r) > limit {
				t.Errorf("correlation of neighbouring elements = %.4f, want |r| < %.4f", r, limit)
			}
			if r := correlation(y1[:n-cols], y1[cols:]); math.Abs(r) > limit {
				t.Errorf("correlation across the batch axis = %.4f, want |r| < %.4f", r, limit)
			}
			if r := correlation(y1, y2); math.Abs(r) > limit {
				t.Errorf("correlation between two executions = %.4f, want |r| < %.4f", r, limit)
			}
			same := 0
			for i := range y1 {
				if y1[i] == y2[i] {
					same++
				}
			}
			if same > n/100 {
				t.Errorf("%d of %d elements identical in two executions: noise is not redrawn", same, n)
			}
		})
	}
}

func TestRepetitions(t *testing.T) {
	mtaM, mtaV := mulThenAdd(x0, 0.6, 0.8, 1, 0)
	atmM, atmV := addThenMul(x0, 0.6, 0.8, 1, 0)
	cases := []struct {
		name              string
		spec              noise.Spec
		wantMean, wantVar float64
	}{
		// r = 4 repetitions of σ = 0.8 must behave as one execution with σ/√4 = 0.4.
		{"additive r=4", noise.Add(0.8).WithRepetitions(4), x0, 0.4 * 0.4},
		{"multiplicative r=4", noise.Mul(0.8).WithRepetitions(4), x0, x0 * x0 * 0.4 * 0.4},
		{"multiplicative r=9", noise.Mul(0.9).WithRepetitions(9), x0, x0 * x0 * 0.3 * 0.3},
		{"combined mul-then-add r=4", noise.CombineDirect(0.6, 0.8).WithRepetitions(4), mtaM, mtaV / 4},
		{"combined add-then-mul r=4", noise.CombineDirect(0.6, 0.8).WithAddFirst().WithRepetitions(4), atmM, atmV / 4},
		{"r=1 is one execution", noise.Add(0.8).WithRepetitions(1), x0, 0.64},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkMoments(t, c.name, sample(t, c.spec, x0, false, int64(200+i), rows, cols), c.wantMean, c.wantVar)
		})
	}
}

func TestNormalizeToInputSize(t *testing.T) {
	cases := []struct {
		name              string
		spec              noise.Spec
		dims              []int
		wantMean, wantVar float64
	}{
		// [B, 10]: 10 elements per example, σ = 2 → 0.2.
		{"additive [B,10]", noise.Add(2).Normalized(), []int{20000, 10}, x0, 0.04},
		// [B, 2, 5, 3]: 30 elements per example, σ = 6 → 0.2 on the multiplier.
		{"multiplicative [B,2,5,3]", noise.Mul(6).Normalized(), []int{4000, 2, 5, 3}, x0, x0 * x0 * 0.04},
		// Both combined σ are rescaled: A = 20, r = 0.5 on [B, 10] → σ_add = σ_mul = 1.
		{"combined [B,10]", noise.Combine(20, 0.5).Normalized(), []int{20000, 10}, x0, x0*x0 + 1},
		{"not normalized", noise.Add(2), []int{20000, 10}, x0, 4},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkMoments(t, c.name, sample(t, c.spec, x0, false, int64(300+i), c.dims...), c.wantMean, c.wantVar)
		})
	}
}

func TestSwitches(t *testing.T) {
	cases := []struct {
		name       string
		spec       noise.Spec
		noisyTrain bool
		noisyEval  bool
	}{
		{"default", noise.Add(1), true, true},
		{"eval-only", noise.Add(1).InferenceOnly(), false, true},
		{"train-only", noise.Spec{Type: noise.Multiplicative, Sigma: 1, MeanMul: 1, TrainOnly: true}, true, false},
		{"none", noise.Spec{Type: noise.None, Sigma: 1}, false, false},
	}
	for i, c := range cases {
		for _, training := range []bool{true, false} {
			want := c.noisyEval
			if training {
				want = c.noisyTrain
			}
			if got := c.spec.ActiveIn(training); got != want {
				t.Errorf("%s: ActiveIn(%t) = %t, want %t", c.name, training, got, want)
			}
			y := sample(t, c.spec, x0, training, int64(400+i), 20, 50)
			changed := 0
			for _, v := range y {
				if v != x0 {
					changed++
				}
			}
			if want && changed < len(y)/2 {
				t.Errorf("%s, training=%t: only %d of %d elements changed, want noise", c.name, training, changed, len(y))
			}
			if !want && changed != 0 {
				t.Errorf("%s, training=%t: %d elements changed, want identity", c.name, training, changed)
			}
		}
	}
}
