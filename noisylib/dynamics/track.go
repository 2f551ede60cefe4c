package dynamics

import (
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// EpochRecord holds the dynamics measured after one epoch.
type EpochRecord struct {
	Epoch int `json:"epoch"`
	// Layers holds the weight statistics of every Linear/Conv layer.
	Layers []LayerStats `json:"layers"`
	// Sites holds the clean signal statistics of every noise site on the tracker's test set (nil if Test is nil).
	Sites []train.SiteStat `json:"sites,omitempty"`
}

// Tracker records weight and site statistics after every epoch of a training; pass Hook() as
// train.Options.OnEpoch.
type Tracker struct {
	// Test is the data set the site statistics are measured on (nil: weights only). A subset of the test
	// set (e.g. 1000 examples) is plenty.
	Test *data.Dataset
	// Epochs receives one record per epoch.
	Epochs []EpochRecord
}

// Hook returns the function to use as train.Options.OnEpoch.
func (tr *Tracker) Hook() func(*train.Trainer, train.EpochStats) error {
	return func(t *train.Trainer, e train.EpochStats) error {
		ck, err := t.Checkpoint()
		if err != nil {
			return err
		}
		rec := EpochRecord{Epoch: e.Epoch, Layers: Weights(ck, t.Model)}
		if tr.Test != nil {
			if rec.Sites, err = t.SiteStats(tr.Test, 0); err != nil {
				return err
			}
		}
		tr.Epochs = append(tr.Epochs, rec)
		return nil
	}
}

// SignCopyAccuracy returns the accuracy (%) on ds, with the trainer's current noise, of a copy of the trained
// model whose weights are binarized per layer (see Binarized). If it stays close to the model's own accuracy,
// the model has self-binarized.
func SignCopyAccuracy(t *train.Trainer, ds *data.Dataset) (float64, error) {
	ck, err := t.Checkpoint()
	if err != nil {
		return 0, err
	}
	cp, err := train.NewTrainer(t.Backend, t.Model, t.Seed)
	if err != nil {
		return 0, err
	}
	if err := cp.Restore(Binarized(ck)); err != nil {
		return 0, err
	}
	if err := cp.SetNoiseSpecs(t.Noise()); err != nil {
		return 0, err
	}
	acc, _, err := cp.Evaluate(ds, 0)
	return acc, err
}
