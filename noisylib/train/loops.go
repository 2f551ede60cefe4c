package train

import (
	"fmt"
	"math"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// The one epoch loop and the one evaluation loop of the package: single trainers (Trainer.Fit, Evaluate,
// SiteStats, EvaluateSweep) and stacks of K copies (FitStack, StackTrainer.Evaluate) differ only in the
// step they run per batch, which returns one loss and one count of correct predictions per copy (K = 1 for a
// single model).

// batchStep runs one step on a batch (x: [n, H, W, C], y: [n]) and returns each copy's loss (a training step's
// mean, an evaluation's sum) and number of correct predictions.
type batchStep func(x, y *tensors.Tensor) (losses []float64, corrects []int, err error)

// batches calls f with every batch of ds as tensors, in order (no shuffling or augmentation), in batches of
// batchSize (≤ 0: DefaultEvalBatchSize), and returns the number of examples.
func batches(m *models.Model, ds *data.Dataset, batchSize int, f func(x, y *tensors.Tensor) error) (int, error) {
	if batchSize <= 0 {
		batchSize = DefaultEvalBatchSize
	}
	var n int
	batcher := data.NewBatcher(ds, batchSize, nil)
	for x, y := range batcher.Epoch(false) {
		if err := f(tensors.FromFlatDataAndDimensions(x, len(y), ds.H, ds.W, ds.C), tensors.FromFlatDataAndDimensions(y, len(y))); err != nil {
			return 0, err
		}
		n += len(y)
	}
	if err := batcher.Err(); err != nil {
		return 0, fmt.Errorf("model %s: %w", m.Name, err)
	}
	return n, nil
}

// evalLoop evaluates k copies on ds with step (summed losses per batch) and returns each copy's accuracy (%)
// and mean loss per example.
func evalLoop(m *models.Model, ds *data.Dataset, batchSize, k int, step batchStep) (accs, losses []float64, err error) {
	lossSums, correct := make([]float64, k), make([]int, k)
	n, err := batches(m, ds, batchSize, func(x, y *tensors.Tensor) error {
		ls, cs, err := step(x, y)
		if err != nil {
			return err
		}
		for j := range k {
			lossSums[j] += ls[j]
			correct[j] += cs[j]
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	accs, losses = make([]float64, k), make([]float64, k)
	for j := range k {
		accs[j], losses[j] = 100*float64(correct[j])/float64(max(1, n)), lossSums[j]/float64(max(1, n))
	}
	return accs, losses, nil
}

// epochLoop runs Fit's protocol for k copies trained by step on trainSet: opts.Epochs epochs, each begun by
// begin(e, lr) with its 0-based index and cosine learning rate (begin sets them, and the noise schedule), and one shuffled pass of opts.BatchSize batches from the data-order
// stream of seed, shown on a progress bar described by desc; after every epoch it calls after with each copy's statistics (test values NaN), which may
// fill them in. It returns each copy's statistics per epoch, whether its loss diverged, and how many images
// one copy saw.
func epochLoop(m *models.Model, trainSet *data.Dataset, opts Options, seed uint64, k int, desc string,
	begin func(e int, lr float64) error, step batchStep, after func(stats []EpochStats) error) (epochs [][]EpochStats, diverged []bool, images int, err error) {
	epochs, diverged = make([][]EpochStats, k), make([]bool, k)
	batcher := data.NewBatcher(trainSet, opts.BatchSize, shuffleRNG(seed))
	bar := newBar(opts.Progress, opts.Epochs*batcher.NumBatches(), desc)
	for e := range opts.Epochs {
		epochStart := time.Now()
		lr := CosineLR(opts.LR, e, opts.Epochs)
		if err := begin(e, lr); err != nil {
			return nil, nil, 0, err
		}
		lossSums, corrects := make([]float64, k), make([]int, k)
		var seen, nb int
		for x, y := range batcher.Epoch(true) {
			losses, cs, err := step(tensors.FromFlatDataAndDimensions(x, len(y), trainSet.H, trainSet.W, trainSet.C),
				tensors.FromFlatDataAndDimensions(y, len(y)))
			if err != nil {
				return nil, nil, 0, err
			}
			for j := range k {
				diverged[j] = diverged[j] || math.IsNaN(losses[j]) || math.IsInf(losses[j], 0)
				lossSums[j] += losses[j]
				corrects[j] += cs[j]
			}
			seen += len(y)
			nb++
			_ = bar.Add(1)
		}
		if err := batcher.Err(); err != nil {
			return nil, nil, 0, fmt.Errorf("model %s: %w", m.Name, err)
		}
		images += seen
		stats := make([]EpochStats, k)
		for j := range k {
			stats[j] = EpochStats{Epoch: e + 1, LR: lr, TrainLoss: lossSums[j] / float64(max(1, nb)),
				TrainAcc: 100 * float64(corrects[j]) / float64(max(1, seen)), TestLoss: math.NaN(), TestAcc: math.NaN(),
				Seconds: time.Since(epochStart).Seconds()}
		}
		if after != nil {
			if err := after(stats); err != nil {
				return nil, nil, 0, err
			}
		}
		for j := range k {
			epochs[j] = append(epochs[j], stats[j])
		}
	}
	_ = bar.Finish()
	return epochs, diverged, images, nil
}
