package data

import (
	"fmt"
	"iter"
	"math/rand/v2"
)

// DefaultBatchSize is the batch size of the reference for all image data sets; NewBatcher uses it when
// given a batch size below 1.
const DefaultBatchSize = 128

// Batcher cuts a data set into batches, like a PyTorch DataLoader with drop_last=false: training epochs
// are reshuffled every epoch and augmented with Transform, evaluation epochs are in order and only
// normalised. All randomness comes from the caller's generator, so the same seed gives the same batches.
//
// A Batcher is not safe for concurrent use.
type Batcher struct {
	// Transform is the preprocessing applied to every example. NewBatcher sets it to the registered
	// transform of the data set's Name (the identity for an unknown name); it may be replaced before an epoch.
	Transform Transform

	ds        *Dataset
	batchSize int
	rng       *rand.Rand
	perm      []int
	images    []float32
	labels    []int32
	err       error
}

// NewBatcher returns a Batcher over ds with the given batch size (DefaultBatchSize if below 1). rng drives
// the shuffling and augmentation of training epochs; if it is nil, a generator with the fixed seed (0, 0)
// is used. An invalid data set is reported by Err, and then epochs yield nothing.
func NewBatcher(ds *Dataset, batchSize int, rng *rand.Rand) *Batcher {
	if batchSize < 1 {
		batchSize = DefaultBatchSize
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	b := &Batcher{ds: ds, batchSize: batchSize, rng: rng}
	if ds == nil {
		b.err = fmt.Errorf("data: NewBatcher: nil data set")
		return b
	}
	if err := ds.Validate(); err != nil {
		b.err = fmt.Errorf("data: NewBatcher: %w", err)
		return b
	}
	if s, err := Lookup(ds.Name); err == nil {
		b.Transform = s.Transform
	}
	return b
}

// BatchSize returns the (maximum) number of examples per batch.
func (b *Batcher) BatchSize() int { return b.batchSize }

// NumBatches returns the number of batches per epoch, the last one possibly partial.
func (b *Batcher) NumBatches() int {
	if b.err != nil {
		return 0
	}
	return (b.ds.N + b.batchSize - 1) / b.batchSize
}

// Err returns the reason why epochs yield no batches (an invalid data set or Transform), or nil.
func (b *Batcher) Err() error { return b.err }

// Epoch returns an iterator over the batches of one epoch: pixels (n·H·W·C values, N×H×W×C order) and
// labels (n values), with n = BatchSize except possibly for the last batch. With train set, the order is
// a fresh random permutation and every example is augmented with Transform.Train; otherwise the order is
// the data set's and Transform.Eval is applied. Each call starts a new epoch.
//
// The yielded slices are buffers owned by the Batcher: they are valid until the next iteration step and
// are overwritten then; copy them to keep them.
func (b *Batcher) Epoch(train bool) iter.Seq2[[]float32, []int32] {
	return func(yield func([]float32, []int32) bool) {
		if b.err != nil {
			return
		}
		d := b.ds
		if err := b.Transform.Validate(d.C); err != nil {
			b.err = err
			return
		}
		if len(b.perm) != d.N {
			b.perm = make([]int, d.N)
		}
		for i := range b.perm {
			b.perm[i] = i
		}
		if train {
			b.rng.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
		}
		sz := d.ExampleSize()
		if len(b.images) != b.batchSize*sz {
			b.images = make([]float32, b.batchSize*sz)
			b.labels = make([]int32, b.batchSize)
		}
		for start := 0; start < d.N; start += b.batchSize {
			n := min(b.batchSize, d.N-start)
			for k, idx := range b.perm[start : start+n] {
				dst, src := b.images[k*sz:(k+1)*sz], d.Images[idx*sz:(idx+1)*sz]
				var err error
				if train {
					err = b.Transform.Train(dst, src, d.H, d.W, d.C, b.rng)
				} else {
					err = b.Transform.Eval(dst, src, d.H, d.W, d.C)
				}
				if err != nil {
					b.err = err
					return
				}
				b.labels[k] = d.Labels[idx]
			}
			if !yield(b.images[:n*sz], b.labels[:n]) {
				return
			}
		}
	}
}
