package dynamics

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// LayerWeights holds the final weights of one Linear/Conv layer.
type LayerWeights struct {
	// Op is the layer's name, e.g. "fc2".
	Op string
	// Values are the weights.
	Values []float32
}

// Run is the record of one tracked training (study.Dynamics trains them): its noise, accuracies, per-epoch
// statistics and final weights.
type Run struct {
	// Sigma is the training σ and Spec the noise it trained (and is evaluated) with.
	Sigma float64
	// Seed is the run seed of the training (study.DynamicsSpec.Seed plus the repetition index).
	Seed uint64
	Spec noise.Spec
	// Clamp tells whether the weights were clamped.
	Clamp bool
	// Acc is the test accuracy (%) with the training noise on, CleanAcc with all noise off.
	Acc, CleanAcc float64
	// SignCopyAcc is the accuracy (%) of the binarized copy with the training noise on (NaN if not measured).
	SignCopyAcc float64
	// Diverged is true when the training loss became NaN or infinite.
	Diverged bool
	// Epochs holds the weight and site statistics after every epoch.
	Epochs []EpochRecord
	// Weights are the final weights of every Linear/Conv layer, in model order.
	Weights []LayerWeights
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

// CodeSeries returns the values of one code metric (of CodeStats, e.g. the median level ratio)
// of the runs trained with the noise spec ns, measured after every epoch: values[e][r] is epoch e+1 of the
// r-th such run (runs in order, i.e. by seed). The runs must have been recorded with study.DynamicsSpec.Code.
func CodeSeries(runs []Run, ns noise.Spec, metric func(CodeStats) float64) ([][]float64, error) {
	var values [][]float64
	n := 0
	for _, r := range runs {
		if r.Spec != ns {
			continue
		}
		if n > 0 && len(r.Epochs) != len(values) {
			return nil, fmt.Errorf("dynamics: runs with %s have %d and %d epochs", ns, len(values), len(r.Epochs))
		}
		for e, rec := range r.Epochs {
			if len(rec.Codes) != 1 {
				return nil, fmt.Errorf("dynamics: run %s (seed %d) has no code record at epoch %d: set study.DynamicsSpec.Code", ns, r.Seed, rec.Epoch)
			}
			if n == 0 {
				values = append(values, nil)
			}
			values[e] = append(values[e], metric(rec.Codes[0]))
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("dynamics: no run trained with %s", ns)
	}
	return values, nil
}

// SNRGain returns, for every run with σ > 0, the SNR (dB) of its clean signal at site under its own noise
// minus the SNR the noise-free run's signal (σ = 0, which must be among runs) has under the same noise: how
// much noisy training raised the SNR at the site.
func SNRGain(runs []Run, site int) (sigmas, gainDB []float64, err error) {
	var ref *Run
	for i := range runs {
		if runs[i].Sigma == 0 {
			ref = &runs[i]
		}
	}
	if ref == nil {
		return nil, nil, fmt.Errorf("dynamics: SNRGain needs the noise-free run (σ = 0)")
	}
	for _, r := range runs {
		if r.Sigma == 0 {
			continue
		}
		st, rs := r.Final().Sites, ref.Final().Sites
		if site < 0 || site >= len(st) || site >= len(rs) {
			return nil, nil, fmt.Errorf("dynamics: no site statistics at site %d", site)
		}
		sigmas = append(sigmas, r.Sigma)
		gainDB = append(gainDB, st[site].SNRdB(r.Spec)-rs[site].SNRdB(r.Spec))
	}
	return sigmas, gainDB, nil
}
