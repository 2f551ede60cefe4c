package walk

import (
	"fmt"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// MaxStack is the largest number of training points trained together as one stack (train.FitStack): the
// measured gain per image levels off around 8–16 copies of the small models.
const MaxStack = 16

// canStack reports whether a training point can be trained in a stack.
func (r *Runner) canStack(pt Point) bool {
	if r.NoStack || !r.StackTraining || pt.alone() || pt.Schedule != nil || pt.Eval != nil { // FitStack trains at constant σ
		return false
	}
	m, err := pt.NewModel()
	return err == nil && m.CanStack()
}

// runStack trains the group of training points (same setup, seed and noise structure, see group) as
// one stack and passes the records to put, in one call. Each point's result is what its training alone would give (same weights, batches
// and noise draws) up to floating-point rounding, so grouping does not change results. shared tells whether
// other trainings run at the same time (see trainBackend).
func (r *Runner) runStack(pts []Point, hashes []string, group []int, put func(...results.Record) error, shared bool) error {
	first := pts[group[0]]
	trainSet, testSet, mdl, err := r.setup(first.Setup)
	if err != nil {
		return err
	}
	noises := make([]noise.Config, len(group))
	for j, i := range group {
		noises[j] = pts[i].Noise
	}
	start := time.Now()
	res, err := train.FitStack(r.trainBackend(first.Noise, mdl, shared), mdl, trainSet, testSet, r.options(first, noise.Config{}), noises)
	if err != nil {
		return fmt.Errorf("points %s … (%d stacked): %w", first, len(group), err)
	}
	per := time.Since(start).Seconds() / float64(len(group))
	recs := make([]results.Record, len(group))
	for j, i := range group {
		m := Metrics{CleanAcc: res[j].CleanAcc, TrainSeconds: res[j].TrainSeconds / float64(len(group)),
			ImgPerSec: res[j].ImgPerSec, Diverged: res[j].Diverged, Epochs: res[j].Epochs, Warning: res[j].Warning}
		if m.ValAcc, err = r.validationAcc(pts[i], hashes[i], res[j].Trainer); err != nil {
			return err
		}
		if recs[j], err = r.record(pts[i], hashes[i], res[j].NoisyAcc, res[j].TestLoss, res[j].Diverged, per, trainSet.NumClasses, m); err != nil {
			return err
		}
	}
	return put(recs...)
}
