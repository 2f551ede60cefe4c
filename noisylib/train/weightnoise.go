package train

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
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

// HasWeightNoise reports whether the trainer's noise includes noise on weights (SetNoise with Config.Weights).
// Probes that build their own graphs from Noise() (activation noise only) refuse such a trainer.
func (t *Trainer) HasWeightNoise() bool {
	for _, s := range t.weights {
		if s.Type != noise.None {
			return true
		}
	}
	return false
}

func hasStatic(weights []noise.Spec) bool {
	for _, s := range weights {
		if s.Static && s.Type != noise.None {
			return true
		}
	}
	return false
}

// WeightSignals returns, per weight layer (models.Model.WeightLayers), the signal its weights W present to
// the noise unit conversions: E[w²] and max|w| over the layer's weights (not its biases). The weights must
// exist: the model has been trained, restored or evaluated once.
func (t *Trainer) WeightSignals() ([]noise.Signal, error) {
	vars, err := modelVars(t.Store)
	if err != nil {
		return nil, err
	}
	var out []noise.Signal
	for _, op := range t.Model.WeightLayers() {
		v, ok := vars["/"+op.Name+"/"+layers.WeightsName]
		if !ok {
			return nil, fmt.Errorf("model %s: layer %s has no weights yet: train, restore or evaluate the model first", t.Model.Name, op.Name)
		}
		var sig noise.Signal
		for _, w := range v.Data {
			sig.MeanSquare += float64(w) * float64(w)
			sig.MaxAbs = max(sig.MaxAbs, math.Abs(float64(w)))
		}
		sig.MeanSquare /= float64(max(1, len(v.Data)))
		out = append(out, sig)
	}
	return out, nil
}
