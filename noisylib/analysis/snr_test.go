package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSNRdB(t *testing.T) {
	for _, tc := range []struct{ p, v, want float64 }{
		{100, 1, 20},
		{1, 1, 0},
		{1, 10, -10},
		{2, 1, 10 * math.Log10(2)},
	} {
		if got := SNRdB(tc.p, tc.v); !near(got, tc.want, 1e-14) {
			t.Errorf("SNRdB(%v, %v) = %v, want %v", tc.p, tc.v, got, tc.want)
		}
	}
	if got := SNRdBSigma(4, 0.2); !near(got, 20, 1e-12) { // 4/0.04 = 100.
		t.Errorf("SNRdBSigma(4, 0.2) = %v, want 20", got)
	}
	if !math.IsInf(SNRdB(1, 0), 1) || !math.IsInf(SNRdBSigma(1, 0), 1) {
		t.Errorf("σ = 0 should give +Inf")
	}
	for _, pv := range [][2]float64{{0, 0}, {-1, 1}, {1, -1}, {math.NaN(), 1}} {
		if !math.IsNaN(SNRdB(pv[0], pv[1])) {
			t.Errorf("SNRdB(%v, %v) = %v, want NaN", pv[0], pv[1], SNRdB(pv[0], pv[1]))
		}
	}
}

// direct computes mean, population variance, mean square and max |x| in one go.
func direct(x []float64) (mean, variance, ms, maxAbs float64) {
	for _, v := range x {
		mean += v
		ms += v * v
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	mean /= float64(len(x))
	ms /= float64(len(x))
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x)), ms, maxAbs
}

func TestActivationStatsMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var acc ActivationStats
	var all []float64
	for b := range 7 {
		batch := make([]float32, 10+13*b)
		for i := range batch {
			v := float32(2 + 3*rng.NormFloat64())
			if v < 0 {
				v = 0 // post-ReLU: exact zeros.
			}
			batch[i] = v
			all = append(all, float64(v))
		}
		acc.Add(batch)
	}
	mean, variance, ms, maxAbs := direct(all)
	zeros := 0
	for _, v := range all {
		if v == 0 {
			zeros++
		}
	}
	if acc.Count() != int64(len(all)) || !near(acc.Mean(), mean, 1e-12) || !near(acc.Var(), variance, 1e-12) ||
		!near(acc.MeanSquare(), ms, 1e-12) || !near(acc.RMS(), math.Sqrt(ms), 1e-12) || acc.MaxAbs() != maxAbs {
		t.Errorf("stats n=%d mean=%v var=%v ms=%v max=%v, want %d %v %v %v %v",
			acc.Count(), acc.Mean(), acc.Var(), acc.MeanSquare(), acc.MaxAbs(), len(all), mean, variance, ms, maxAbs)
	}
	if want := float64(zeros) / float64(len(all)); acc.FractionZeros() != want || zeros == 0 {
		t.Errorf("FractionZeros = %v, want %v (> 0)", acc.FractionZeros(), want)
	}
	if !near(acc.SNRdB(0.5), 10*math.Log10(ms/0.25), 1e-12) || !near(acc.VarSNRdB(0.5), 10*math.Log10(variance/0.25), 1e-12) {
		t.Errorf("SNRdB(0.5) = %v, VarSNRdB(0.5) = %v, want %v, %v",
			acc.SNRdB(0.5), acc.VarSNRdB(0.5), 10*math.Log10(ms/0.25), 10*math.Log10(variance/0.25))
	}
}

func TestActivationStatsMerge(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, -9, 0}
	var whole, left, right, empty ActivationStats
	whole.AddFloat64(x)
	left.AddFloat64(x[:3])
	right.AddFloat64(x[3:])
	left.Merge(right)
	left.Merge(empty)
	empty.Merge(whole) // Merging into an empty accumulator copies.
	// Known values: mean 2.7, E[x²] = 285/10 = 28.5, var = 28.5 − 7.29 = 21.21.
	for name, a := range map[string]ActivationStats{"merged": left, "copied": empty, "whole": whole} {
		if a.Count() != 10 || !near(a.Mean(), 2.7, 1e-14) || !near(a.MeanSquare(), 28.5, 1e-14) ||
			!near(a.Var(), 21.21, 1e-13) || a.MaxAbs() != 9 || a.FractionZeros() != 0.1 {
			t.Errorf("%s: n=%d mean=%v ms=%v var=%v max=%v zeros=%v, want 10 2.7 28.5 21.21 9 0.1",
				name, a.Count(), a.Mean(), a.MeanSquare(), a.Var(), a.MaxAbs(), a.FractionZeros())
		}
	}
}

func TestActivationStatsLargeMean(t *testing.T) {
	// Values 1e8 ± 1: E[x²] − E[x]² would lose the variance entirely in float64.
	var a ActivationStats
	for range 100 {
		a.AddFloat64([]float64{1e8 - 1, 1e8 + 1})
	}
	if !near(a.Var(), 1, 1e-9) || a.Mean() != 1e8 {
		t.Errorf("var %v mean %v, want 1 and 1e8", a.Var(), a.Mean())
	}
	var e ActivationStats
	e.Add(nil)
	if e.Count() != 0 || !math.IsNaN(e.Mean()) || !math.IsNaN(e.Var()) || !math.IsNaN(e.RMS()) || !math.IsNaN(e.FractionZeros()) {
		t.Errorf("empty accumulator should report NaN")
	}
}
