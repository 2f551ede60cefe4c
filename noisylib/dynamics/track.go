package dynamics

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// EpochRecord holds the dynamics measured after one epoch.
type EpochRecord struct {
	Epoch int `json:"epoch"`
	// Layers holds the weight statistics of every Linear/Conv layer.
	Layers []LayerStats `json:"layers"`
	// Params holds the statistics of every parameter tensor (weights, biases, BatchNorm γ and β).
	Params []ParamStats `json:"params"`
	// Sites holds the clean signal statistics of every noise site on the tracker's test set (nil if Test is nil).
	Sites []train.SiteStat `json:"sites,omitempty"`
	// Codes holds the two-level code measurements of the tracker's CodeSites (see MeasureCode).
	Codes []CodeStats `json:"codes,omitempty"`
}

// Tracker records weight, parameter, site and code statistics after every epoch of a training (or the epochs
// Record selects); pass Hook() as train.Options.OnEpoch. It never changes the training it observes: its evaluations draw from a copy of the
// training's noise stream (see train.Trainer.Observe).
type Tracker struct {
	// Test is the data set the site statistics are measured on (nil: weights only). A subset of the test
	// set (e.g. 1000 examples) is plenty.
	Test *data.Dataset
	// CodeSites lists the sites whose two-level code is measured on Test after every epoch (MeasureCode,
	// levels from Levels, or from Test if Levels is nil). It needs Test.
	CodeSites []int
	// Levels is the data set the codes' levels are taken from (nil: Test).
	Levels *data.Dataset
	// Record selects the epochs (1-based) that are measured and recorded (nil: every epoch), e.g.
	// SparseEpochs(epochs) for long trainings.
	Record func(epoch int) bool
	// Epochs receives one record per epoch.
	Epochs []EpochRecord
}

// Hook returns the function to use as train.Options.OnEpoch.
func (tr *Tracker) Hook() func(*train.Trainer, train.EpochStats) error {
	return func(t *train.Trainer, e train.EpochStats) error {
		if tr.Record != nil && !tr.Record(e.Epoch) {
			return nil
		}
		ck, err := t.Checkpoint()
		if err != nil {
			return err
		}
		rec := EpochRecord{Epoch: e.Epoch, Layers: Weights(ck, t.Model), Params: Params(ck, t.Model)}
		if tr.Test != nil {
			if rec.Sites, err = t.SiteStats(tr.Test, 0); err != nil {
				return err
			}
		}
		levels := tr.Levels
		if levels == nil {
			levels = tr.Test
		}
		for _, site := range tr.CodeSites {
			if tr.Test == nil {
				return fmt.Errorf("dynamics: Tracker.CodeSites needs a Test data set")
			}
			cs, err := MeasureCode(t, levels, tr.Test, site)
			if err != nil {
				return err
			}
			rec.Codes = append(rec.Codes, cs)
		}
		tr.Epochs = append(tr.Epochs, rec)
		return nil
	}
}

// SparseEpochs returns the epochs a long training's tracker records (Tracker.Record): 1 to 10, every 10th, and
// the last of a training of epochs epochs. A 100-epoch training records 19 epochs instead of 100; up to 10
// epochs, all are recorded.
func SparseEpochs(epochs int) func(epoch int) bool {
	return func(e int) bool { return e <= 10 || e%10 == 0 || e == epochs }
}

// SignCopyAccuracy returns the accuracy (%) on ds, with the trainer's current noise, of a copy of the trained
// model whose weights are binarized per layer (see Binarized). If it stays close to the model's own accuracy,
// the model has self-binarized. The copy draws its noise from the run seed's stream.
func SignCopyAccuracy(t *train.Trainer, ds *data.Dataset) (float64, error) {
	ck, err := t.Checkpoint()
	if err != nil {
		return 0, err
	}
	return copyAccuracy(t, Binarized(ck), ds)
}

// copyAccuracy evaluates a copy of the trainer's model with the checkpoint's values and the trainer's noise.
func copyAccuracy(t *train.Trainer, ck *train.Checkpoint, ds *data.Dataset) (float64, error) {
	if err := noWeightNoise(t); err != nil {
		return 0, err
	}
	cp, err := train.NewTrainer(t.Backend, t.Model, t.Seed)
	if err != nil {
		return 0, err
	}
	if err := cp.Restore(ck); err != nil {
		return 0, err
	}
	if err := cp.SetNoiseSpecs(t.Noise()); err != nil {
		return 0, err
	}
	acc, _, err := cp.Evaluate(ds, 0)
	return acc, err
}
