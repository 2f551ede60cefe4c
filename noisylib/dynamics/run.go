package dynamics

import (
	"fmt"
	"math"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Run is the record of one tracked training (study.Dynamics trains them, and keeps them in the results store
// as JSON with these keys): its noise, accuracies, per-epoch statistics and final weight histograms.
type Run struct {
	// Sigma is the training σ and Spec the noise it trained (and is evaluated) with.
	Sigma float64    `json:"sigma"`
	Spec  noise.Spec `json:"spec"`
	// Seed is the run seed of the training (study.DynamicsSpec.Seed plus the repetition index).
	Seed uint64 `json:"seed"`
	// Clamp tells whether the weights were clamped.
	Clamp bool `json:"clamp"`
	// Acc is the test accuracy (%) with the training noise on, CleanAcc with all noise off.
	Acc      float64 `json:"acc"`
	CleanAcc float64 `json:"clean_acc"`
	// SignCopyAcc is the accuracy (%) of the binarized copy with the training noise on (NaN if not measured).
	SignCopyAcc float64 `json:"sign_copy_acc"`
	// Diverged is true when the training loss became NaN or infinite.
	Diverged bool `json:"diverged"`
	// Epochs holds the weight and site statistics after every recorded epoch (study.Dynamics: dynamics.SparseEpochs).
	Epochs []EpochRecord `json:"epochs"`
	// Histograms are the histograms of the final weights of every Linear/Conv layer, in model order.
	Histograms []WeightHistogram `json:"histograms"`
}

// Histogram returns the final weight histogram of the named layer, and false if there is no such layer.
func (r Run) Histogram(op string) (WeightHistogram, bool) {
	for _, h := range r.Histograms {
		if h.Op == op {
			return h, true
		}
	}
	return WeightHistogram{}, false
}

// Final returns the statistics after the last epoch.
func (r Run) Final() EpochRecord {
	if len(r.Epochs) == 0 {
		return EpochRecord{}
	}
	return r.Epochs[len(r.Epochs)-1]
}

// Layer returns the final statistics of the named layer, and false if there is no such layer.
func (r Run) Layer(op string) (LayerStats, bool) {
	for _, l := range r.Final().Layers {
		if l.Op == op {
			return l, true
		}
	}
	return LayerStats{}, false
}

// SiteRMS returns the RMS of the clean signal at site after the last epoch (NaN if not measured).
func (r Run) SiteRMS(site int) float64 {
	f := r.Final()
	if site < 0 || site >= len(f.Sites) {
		return math.NaN()
	}
	return math.Sqrt(f.Sites[site].MeanSquare)
}

// CodeSeries returns the values of one code metric (of CodeStats, e.g. the median level ratio) of the runs
// trained with the noise spec ns, at every recorded epoch: values[k][r] is epoch epochs[k] of the r-th such run
// (runs in order, i.e. by seed). The runs must have been recorded with study.DynamicsSpec.Code, at the same
// epochs; it fails otherwise, and when no run has noise ns.
func CodeSeries(runs []Run, ns noise.Spec, metric func(CodeStats) float64) (epochs []int, values [][]float64, err error) {
	n := 0
	for _, r := range runs {
		if r.Spec != ns {
			continue
		}
		if n > 0 && len(r.Epochs) != len(epochs) {
			return nil, nil, fmt.Errorf("dynamics: runs with %s have %d and %d recorded epochs", ns, len(epochs), len(r.Epochs))
		}
		for k, rec := range r.Epochs {
			if len(rec.Codes) != 1 {
				return nil, nil, fmt.Errorf("dynamics: run %s (seed %d) has no code record at epoch %d: set study.DynamicsSpec.Code", ns, r.Seed, rec.Epoch)
			}
			if n == 0 {
				epochs, values = append(epochs, rec.Epoch), append(values, nil)
			} else if rec.Epoch != epochs[k] {
				return nil, nil, fmt.Errorf("dynamics: runs with %s recorded different epochs (%d and %d)", ns, epochs[k], rec.Epoch)
			}
			values[k] = append(values[k], metric(rec.Codes[0]))
		}
		n++
	}
	if n == 0 {
		return nil, nil, fmt.Errorf("dynamics: no run trained with %s", ns)
	}
	return epochs, values, nil
}

// SNRGain returns, for every run with σ > 0, the SNR (dB) of its clean signal at site under its own noise
// minus the SNR the noise-free run's signal (σ = 0, same seed: the runs of one seed differ only by their noise)
// has under the same noise: how much noisy training raised the SNR at the site. Every seed with a noisy run
// needs its noise-free run.
func SNRGain(runs []Run, site int) (sigmas, gainDB []float64, err error) {
	for _, r := range runs {
		if r.Sigma == 0 {
			continue
		}
		g, err := snrGain(runs, r, site)
		if err != nil {
			return nil, nil, err
		}
		sigmas, gainDB = append(sigmas, r.Sigma), append(gainDB, g)
	}
	return sigmas, gainDB, nil
}

func snrGain(runs []Run, r Run, site int) (float64, error) {
	ref, err := reference(runs, r.Seed, r.Clamp)
	if err != nil {
		return 0, err
	}
	st, rs := r.Final().Sites, ref.Final().Sites
	if site < 0 || site >= len(st) || site >= len(rs) {
		return 0, fmt.Errorf("dynamics: no site statistics at site %d", site)
	}
	return st[site].SNRdB(r.Spec) - rs[site].SNRdB(r.Spec), nil
}

// reference returns the noise-free run (σ = 0) of a seed and clamping.
func reference(runs []Run, seed uint64, clamp bool) (Run, error) {
	for _, r := range runs {
		if r.Sigma == 0 && r.Seed == seed && r.Clamp == clamp {
			return r, nil
		}
	}
	return Run{}, fmt.Errorf("dynamics: no noise-free run (σ = 0) with seed %d: the comparison needs one per seed", seed)
}

// Seeds returns the seeds of the runs, in first-seen order.
func Seeds(runs []Run) []uint64 {
	var out []uint64
	for _, r := range runs {
		if !slices.Contains(out, r.Seed) {
			out = append(out, r.Seed)
		}
	}
	return out
}

// OfSeed returns the runs trained with one seed (e.g. to draw one seed's series), in order.
func OfSeed(runs []Run, seed uint64) []Run {
	var out []Run
	for _, r := range runs {
		if r.Seed == seed {
			out = append(out, r)
		}
	}
	return out
}

// perSeed returns f of every run with the given σ, in run order (one value per seed), and an error if there
// is none.
func perSeed(runs []Run, sigma float64, f func(Run) (float64, error)) ([]float64, error) {
	var out []float64
	for _, r := range runs {
		if r.Sigma != sigma {
			continue
		}
		v, err := f(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dynamics: no run with training σ %g", sigma)
	}
	return out, nil
}

// SNRGainAt returns the SNR gain (dB, as SNRGain) at site of every run trained with σ, one per seed: the sample
// for a confidence interval across seeds (analysis.MeanCI).
func SNRGainAt(runs []Run, site int, sigma float64) ([]float64, error) {
	return perSeed(runs, sigma, func(r Run) (float64, error) { return snrGain(runs, r, site) })
}

// GrowthAt returns, for every run trained with σ (one per seed), log10 of the final weight RMS of layer op over
// that of the noise-free run of the same seed: > 0 says the layer's weights grew under the noise.
func GrowthAt(runs []Run, op string, sigma float64) ([]float64, error) {
	return perSeed(runs, sigma, func(r Run) (float64, error) {
		ref, err := reference(runs, r.Seed, r.Clamp)
		if err != nil {
			return 0, err
		}
		l, ok1 := r.Layer(op)
		l0, ok2 := ref.Layer(op)
		if !ok1 || !ok2 {
			return 0, fmt.Errorf("dynamics: no layer %q in the runs with seed %d", op, r.Seed)
		}
		return math.Log10(l.RMS / l0.RMS), nil
	})
}

// AtBoundAt returns the final fraction of layer op's weights with |w| ≥ 1 (LayerStats.AtBound: those a
// clamped training would hold at the bound) of every run trained with σ, one per seed.
func AtBoundAt(runs []Run, op string, sigma float64) ([]float64, error) {
	return perSeed(runs, sigma, func(r Run) (float64, error) {
		l, ok := r.Layer(op)
		if !ok {
			return 0, fmt.Errorf("dynamics: no layer %q in the run σ=%g seed %d", op, r.Sigma, r.Seed)
		}
		return l.AtBound, nil
	})
}

// AccAt returns the test accuracy (%) under its own training noise of every run trained with σ, one per seed.
func AccAt(runs []Run, sigma float64) ([]float64, error) {
	return perSeed(runs, sigma, func(r Run) (float64, error) { return r.Acc, nil })
}
