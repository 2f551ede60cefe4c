package train

import (
	"fmt"
	"math"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
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

// batchInputs makes the input tensors of a batch loop's steps (x: [n, H, W, C] float32, y: [n] int32) from the
// Batcher's slices. With a backend that shares host memory (the pure-Go one), it keeps one pair of shared
// tensors per batch length and copies each batch into the memory the backend computes on: one copy per batch,
// instead of a copy into a new tensor, then into a new device buffer (and the garbage and page faults of both).
// Other backends get new tensors per batch, freed at the next batch. The tensors are valid until the next call;
// steps must not finalize them (finalize does, at the end of the loop).
type batchInputs struct {
	backend compute.Backend
	h, w, c int
	x, y    *tensors.Tensor
}

func newBatchInputs(b compute.Backend, ds *data.Dataset) *batchInputs {
	return &batchInputs{backend: b, h: ds.H, w: ds.W, c: ds.C}
}

// tensors returns the batch (px, labels) as tensors.
func (in *batchInputs) tensors(px []float32, labels []int32) (x, y *tensors.Tensor, err error) {
	n := len(labels)
	if in.backend == nil || !in.backend.HasSharedBuffers() {
		in.finalize()
		in.x, in.y = tensors.FromFlatDataAndDimensions(px, n, in.h, in.w, in.c), tensors.FromFlatDataAndDimensions(labels, n)
		return in.x, in.y, nil
	}
	if in.y == nil || in.y.Shape().Dimensions[0] != n {
		in.finalize()
		if in.x, err = tensors.FromShapeForBackend(in.backend, 0, shapes.Make(dtypes.Float32, n, in.h, in.w, in.c)); err != nil {
			return nil, nil, err
		}
		if in.y, err = tensors.FromShapeForBackend(in.backend, 0, shapes.Make(dtypes.Int32, n)); err != nil {
			return nil, nil, err
		}
	}
	if err := tensors.MutableFlatData(in.x, func(flat []float32) { copy(flat, px) }); err != nil {
		return nil, nil, err
	}
	if err := tensors.MutableFlatData(in.y, func(flat []int32) { copy(flat, labels) }); err != nil {
		return nil, nil, err
	}
	return in.x, in.y, nil
}

// finalize frees the tensors of the last batch.
func (in *batchInputs) finalize() {
	for _, t := range []*tensors.Tensor{in.x, in.y} {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
	in.x, in.y = nil, nil
}

// Batches calls f with every batch of ds as the package's evaluation loops see it: in order, with the data
// set's evaluation transform only (no shuffling or augmentation), batchSize examples per batch (≤ 0:
// DefaultEvalBatchSize; the last batch may be smaller), as tensors x: [n, H, W, C] float32 and y: [n] int32
// for backend b. It returns the number of examples, or f's first error. With a backend that shares host memory
// (the pure-Go one) the tensors are reused from batch to batch, each batch copied once into the memory the
// backend computes on: f must neither keep nor finalize them (copy what it needs).
func Batches(b compute.Backend, ds *data.Dataset, batchSize int, f func(x, y *tensors.Tensor) error) (int, error) {
	if batchSize <= 0 {
		batchSize = DefaultEvalBatchSize
	}
	var n int
	batcher := data.NewBatcher(ds, batchSize, nil)
	in := newBatchInputs(b, ds)
	defer in.finalize()
	for px, labels := range batcher.Epoch(false) {
		x, y, err := in.tensors(px, labels)
		if err != nil {
			return 0, fmt.Errorf("data set %s: %w", ds.Name, err)
		}
		if err := f(x, y); err != nil {
			return 0, err
		}
		n += len(labels)
	}
	if err := batcher.Err(); err != nil {
		return 0, fmt.Errorf("data set %s: %w", ds.Name, err)
	}
	return n, nil
}

// evalLoop evaluates k copies on ds with step (summed losses per batch) on backend b and returns each copy's
// accuracy (%) and mean loss per example.
func evalLoop(b compute.Backend, m *models.Model, ds *data.Dataset, batchSize, k int, step batchStep) (accs, losses []float64, err error) {
	lossSums, correct := make([]float64, k), make([]int, k)
	n, err := Batches(b, ds, batchSize, func(x, y *tensors.Tensor) error {
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

// epochLoop runs Fit's protocol for k copies trained by step (on backend b) on trainSet: opts.Epochs epochs, each
// begun by begin(e, lr) with its 0-based index and cosine learning rate (begin sets them, and the noise schedule),
// and one shuffled pass of opts.BatchSize batches from the data-order stream of seed, shown on a progress bar
// described by desc; after every epoch it calls after with each copy's statistics (test values NaN), which may
// fill them in. It returns each copy's statistics per epoch, whether its loss diverged, and how many images
// one copy saw.
func epochLoop(b compute.Backend, m *models.Model, trainSet *data.Dataset, opts Options, seed uint64, k int, desc string,
	begin func(e int, lr float64) error, step batchStep, after func(stats []EpochStats) error) (epochs [][]EpochStats, diverged []bool, images int, err error) {
	epochs, diverged = make([][]EpochStats, k), make([]bool, k)
	batcher := data.NewBatcher(trainSet, opts.BatchSize, shuffleRNG(seed))
	bar := newBar(opts.Progress, opts.Epochs*batcher.NumBatches(), desc)
	in := newBatchInputs(b, trainSet)
	defer in.finalize()
	for e := range opts.Epochs {
		epochStart := time.Now()
		lr := CosineLR(opts.LR, e, opts.Epochs)
		if err := begin(e, lr); err != nil {
			return nil, nil, 0, err
		}
		lossSums, corrects := make([]float64, k), make([]int, k)
		var seen, nb int
		for px, labels := range batcher.Epoch(true) {
			x, y, err := in.tensors(px, labels)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("model %s: %w", m.Name, err)
			}
			losses, cs, err := step(x, y)
			if err != nil {
				return nil, nil, 0, err
			}
			for j := range k {
				diverged[j] = diverged[j] || math.IsNaN(losses[j]) || math.IsInf(losses[j], 0)
				lossSums[j] += losses[j]
				corrects[j] += cs[j]
			}
			seen += len(labels)
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
