package analysis

import "math"

// SNRdB returns the signal-to-noise ratio 10·log10(P/σ²) in decibels for a signal power
// P = E[x²] (or Var(x)) and a noise variance σ² (method.md §6.1, §8 item 4). It returns +Inf for
// noiseVar = 0 and P > 0, and NaN for negative or NaN inputs or for P = noiseVar = 0.
func SNRdB(signalPower, noiseVar float64) float64 {
	if !(signalPower >= 0) || !(noiseVar >= 0) || (signalPower == 0 && noiseVar == 0) {
		return math.NaN()
	}
	if noiseVar == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(signalPower/noiseVar)
}

// SNRdBSigma is [SNRdB] with the noise given as a standard deviation σ instead of a variance.
func SNRdBSigma(signalPower, sigma float64) float64 {
	if math.IsNaN(sigma) {
		return math.NaN()
	}
	return SNRdB(signalPower, sigma*sigma)
}

// ActivationStats accumulates statistics of activations streamed batch by batch: count, mean,
// mean square, population variance, max |x| and the fraction of exact zeros. The zero value is an
// empty accumulator. It uses the pairwise update of Chan et al. (per batch: two-pass mean and
// sum of squared deviations in float64, then merged), so the variance does not suffer from the
// cancellation of E[x²] − E[x]² when the mean is large. Queries on an empty accumulator return NaN.
type ActivationStats struct {
	n      int64
	mean   float64 // Running mean.
	m2     float64 // Sum of squared deviations from the running mean.
	zeros  int64   // Number of exact zeros.
	maxAbs float64 // Largest |x| seen.
}

// Add accumulates a batch of activations.
func (a *ActivationStats) Add(values []float32) { a.Merge(batchStats(values)) }

// AddFloat64 accumulates a batch of float64 activations.
func (a *ActivationStats) AddFloat64(values []float64) { a.Merge(batchStats(values)) }

// batchStats computes the statistics of one batch with a two-pass algorithm.
func batchStats[F Float](values []F) ActivationStats {
	var b ActivationStats
	if len(values) == 0 {
		return b
	}
	var sum float64
	for _, v := range values {
		x := float64(v)
		sum += x
		if x == 0 {
			b.zeros++
		}
		if ax := math.Abs(x); ax > b.maxAbs || math.IsNaN(ax) {
			b.maxAbs = ax
		}
	}
	b.n = int64(len(values))
	b.mean = sum / float64(b.n)
	for _, v := range values {
		d := float64(v) - b.mean
		b.m2 += d * d
	}
	return b
}

// Merge adds the statistics accumulated in o (e.g. by another goroutine) to a.
func (a *ActivationStats) Merge(o ActivationStats) {
	if o.n == 0 {
		return
	}
	if a.n == 0 {
		*a = o
		return
	}
	n := a.n + o.n
	delta := o.mean - a.mean
	fa, fo, fn := float64(a.n), float64(o.n), float64(n)
	a.mean += delta * fo / fn
	a.m2 += o.m2 + delta*delta*fa*fo/fn
	a.zeros += o.zeros
	if o.maxAbs > a.maxAbs || math.IsNaN(o.maxAbs) {
		a.maxAbs = o.maxAbs
	}
	a.n = n
}

// Count returns the number of values accumulated.
func (a ActivationStats) Count() int64 { return a.n }

// Mean returns E[x].
func (a ActivationStats) Mean() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.mean
}

// Var returns the population variance E[(x − E[x])²].
func (a ActivationStats) Var() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.m2 / float64(a.n)
}

// MeanSquare returns the signal power E[x²] = Var + Mean².
func (a ActivationStats) MeanSquare() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.m2/float64(a.n) + a.mean*a.mean
}

// RMS returns sqrt(E[x²]).
func (a ActivationStats) RMS() float64 { return math.Sqrt(a.MeanSquare()) }

// MaxAbs returns the largest |x| accumulated.
func (a ActivationStats) MaxAbs() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return a.maxAbs
}

// FractionZeros returns the fraction of exact zeros (e.g. dead post-ReLU units, §6.2).
func (a ActivationStats) FractionZeros() float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return float64(a.zeros) / float64(a.n)
}

// SNRdB returns the power SNR 10·log10(E[x²]/σ²) of these activations under additive noise of
// standard deviation sigma (the recommended definition of §8 item 4).
func (a ActivationStats) SNRdB(sigma float64) float64 { return SNRdBSigma(a.MeanSquare(), sigma) }

// VarSNRdB returns the variance-based SNR 10·log10(Var(x)/σ²), reported next to [ActivationStats.SNRdB]
// because post-ReLU activations have a non-zero mean (§8 item 4).
func (a ActivationStats) VarSNRdB(sigma float64) float64 { return SNRdBSigma(a.Var(), sigma) }
