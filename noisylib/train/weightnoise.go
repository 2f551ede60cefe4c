package train

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// setWeights sets the trainer's weight noise (one Spec per weight layer, nil for none) and the noise
// parameters of its sites and weights; with a static Spec it (re)draws the static noise from the current
// noise seed. Without weight noise the parameters are exactly noise.ParamsTensor(t.specs).
func (t *Trainer) setWeights(weights []noise.Spec) error {
	t.weights = weights
	t.params = noise.WeightsParamsTensor(t.specs, weights)
	return t.seedStatic()
}

// seedStatic sets the static weight-noise state from the current noise seed (StreamStaticWeights) when the
// trainer has static weight noise, and forgets the evaluation graphs that embed the old state.
func (t *Trainer) seedStatic() error {
	if !hasStatic(t.weights) {
		return nil
	}
	dropEvalExecs(t.execs)
	if err := noise.SetStaticSeed(t.Store, int64(t.noiseSeed^StreamStaticWeights)); err != nil {
		return fmt.Errorf("model %s: seeding static weight noise: %w", t.Model.Name, err)
	}
	return nil
}

// weightInjection returns the weight Specs and the static Normal (nil without static noise) of an Injector.
func (t *Trainer) weightInjection() ([]noise.Spec, noise.Normal) {
	if t.weights == nil {
		return nil, nil
	}
	weights := append([]noise.Spec(nil), t.weights...)
	if !hasStatic(weights) {
		return weights, nil
	}
	return weights, noise.StaticNormal(t.Store)
}

func hasStatic(weights []noise.Spec) bool {
	for _, s := range weights {
		if s.Static && s.Type != noise.None {
			return true
		}
	}
	return false
}
