package study

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// SigmaSweep evaluates a trained model on test with inference-only noise of type typ (add or mul) at one
// site for every σ and returns the accuracies (%). The noise draws of σ_k are seeded by the trainer's seed
// and k, and the trainer's own noise is restored afterwards.
func SigmaSweep(t *train.Trainer, test *data.Dataset, site int, typ noise.Type, sigmas []float64) ([]float64, error) {
	if site < 0 || site >= t.Model.NumSites() {
		return nil, fmt.Errorf("study: site %d out of range: %s has sites 0..%d", site, t.Model.Name, t.Model.NumSites()-1)
	}
	if len(sigmas) == 0 {
		return nil, fmt.Errorf("study: empty σ grid")
	}
	saved := t.Noise()
	defer func() { _ = t.SetNoiseSpecs(saved) }()
	acc := make([]float64, len(sigmas))
	for k, s := range sigmas {
		var spec noise.Spec
		switch typ {
		case noise.Additive:
			spec = noise.Add(s)
		case noise.Multiplicative:
			spec = noise.Mul(s)
		default:
			return nil, fmt.Errorf("study: SigmaSweep walks add or mul noise, got %s", typ)
		}
		if err := t.SetNoise(noise.At(site, spec.InferenceOnly())); err != nil {
			return nil, err
		}
		if err := t.ReseedNoise(t.Seed*1000003 + uint64(k)); err != nil {
			return nil, err
		}
		var err error
		if acc[k], _, err = t.Evaluate(test, 0); err != nil {
			return nil, fmt.Errorf("study: σ = %g at site %d: %w", s, site, err)
		}
	}
	return acc, nil
}
