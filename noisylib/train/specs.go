package train

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// SetNoiseSpecs sets the noise of every site from resolved Specs (one per site), e.g. those returned by
// another trainer's Noise method. The weight noise (SetNoise's Config.Weights) stays as it was.
func (t *Trainer) SetNoiseSpecs(specs []noise.Spec) error {
	if len(specs) != t.Model.NumSites() {
		return fmt.Errorf("model %s has %d sites, got %d noise specs", t.Model.Name, t.Model.NumSites(), len(specs))
	}
	for i, s := range specs {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("model %s, site %d: %w", t.Model.Name, i, err)
		}
	}
	t.specs = append([]noise.Spec(nil), specs...)
	t.params = noise.WeightsParamsTensor(t.specs, t.weights)
	return nil
}

// ReseedNoise resets the noise RNG to the state of evaluation noise stream seed (the seed rule, see
// StreamNoise), so that an evaluation's noise draws do not
// depend on what the trainer evaluated before (e.g. which points of a sweep ran in this process).
//
// Static weight noise (noise.Spec.Static) is redrawn from seed too (see setWeights).
func (t *Trainer) ReseedNoise(seed uint64) error {
	dropEvalExecs(t.execs)
	t.noiseSeed = seed
	if err := t.seedStatic(); err != nil {
		return err
	}
	return t.Store.SetRNGStateFromSeed(noiseStateSeed(seed))
}

// InputOf returns the model input (example shape and classes) of a data set.
func InputOf(ds *data.Dataset) models.InputSpec {
	return models.InputSpec{H: ds.H, W: ds.W, C: ds.C, NumClasses: ds.NumClasses}
}
