package train

import (
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// syntheticMNIST returns n random MNIST-shaped examples under the name "mnist" (its identity transform).
func syntheticMNIST(n int, seed uint64) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 3))
	d := &data.Dataset{Name: "mnist", N: n, H: 28, W: 28, C: 1, NumClasses: 10,
		Images: make([]float32, n*28*28), Labels: make([]int32, n)}
	for i := range d.Images {
		d.Images[i] = rng.Float32()
	}
	for i := range d.Labels {
		d.Labels[i] = int32(rng.IntN(10))
	}
	return d
}

// TestBatchInputsEqualFreshTensors: a batch loop on the backend's shared tensors (reused batch after batch)
// gives bit-identical training statistics, weights and evaluations to one on new tensors per batch (no backend:
// tensors.FromFlatDataAndDimensions), with a partial last batch in both the training and the evaluation loop.
func TestBatchInputsEqualFreshTensors(t *testing.T) {
	b := testBackend(t)
	if !b.HasSharedBuffers() {
		t.Skip("the backend has no shared buffers: batch loops use new tensors anyway")
	}
	trainSet, testSet := syntheticMNIST(700, 1), syntheticMNIST(450, 2) // 700 = 5·128 + 60; 450 = 2·200 + 50
	opts := Options{Epochs: 2, BatchSize: 128, LR: 1e-3, Progress: io.Discard}.withDefaults()
	type run struct {
		epochs      []EpochStats
		accs, loss  []float64
		checkpoint  *Checkpoint
		inputsTaken int
	}
	do := func(shared bool) run {
		tr, err := NewTrainer(b, newModel(t, "mlp-tfc-bn"), 5)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.SetNoise(noise.At(4, noise.Add(0.3))); err != nil {
			t.Fatal(err)
		}
		loopBackend := b
		if !shared {
			loopBackend = nil
		}
		var r run
		epochs, _, _, err := epochLoop(loopBackend, tr.Model, trainSet, opts, tr.Seed, 1, "test", func(_ int, lr float64) error { return tr.SetLearningRate(lr) },
			func(x, y *tensors.Tensor) ([]float64, []int, error) {
				l, c, err := tr.Step(x, y)
				return []float64{l}, []int{c}, err
			}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.epochs = epochs[0]
		if r.accs, r.loss, err = evalLoop(loopBackend, tr.Model, testSet, 200, 1, func(x, y *tensors.Tensor) ([]float64, []int, error) {
			l, c, err := tr.EvalBatch(x, y)
			return []float64{l}, []int{c}, err
		}); err != nil {
			t.Fatal(err)
		}
		if r.checkpoint, err = tr.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, c := do(true), do(false)
	for i := range a.epochs {
		ea, ec := a.epochs[i], c.epochs[i]
		if ea.TrainLoss != ec.TrainLoss || ea.TrainAcc != ec.TrainAcc {
			t.Errorf("epoch %d: shared tensors give loss %v acc %v, fresh tensors %v %v", i+1, ea.TrainLoss, ea.TrainAcc,
				ec.TrainLoss, ec.TrainAcc)
		}
	}
	if !slices.Equal(a.accs, c.accs) || !slices.Equal(a.loss, c.loss) {
		t.Errorf("evaluation: shared tensors give acc %v loss %v, fresh tensors %v %v", a.accs, a.loss, c.accs, c.loss)
	}
	for name, v := range a.checkpoint.Vars {
		if !slices.Equal(v.Data, c.checkpoint.Vars[name].Data) {
			t.Errorf("variable %s differs between shared and fresh batch tensors", name)
		}
	}
}

// TestBatchInputsReuse: full batches reuse one pair of tensors holding the batch's values; a batch of another
// length gets its own pair; finalize frees them.
func TestBatchInputsReuse(t *testing.T) {
	b := testBackend(t)
	if !b.HasSharedBuffers() {
		t.Skip("the backend has no shared buffers")
	}
	ds := syntheticMNIST(5, 9)
	in := newBatchInputs(b, ds)
	sz := ds.ExampleSize()
	x1, y1, err := in.tensors(ds.Images[:2*sz], ds.Labels[:2])
	if err != nil {
		t.Fatal(err)
	}
	x2, y2, err := in.tensors(ds.Images[2*sz:4*sz], ds.Labels[2:4])
	if err != nil {
		t.Fatal(err)
	}
	if x1 != x2 || y1 != y2 {
		t.Error("two batches of the same length got different tensors")
	}
	if got := tensors.MustCopyFlatData[float32](x2); !slices.Equal(got, ds.Images[2*sz:4*sz]) {
		t.Error("the reused x tensor does not hold the second batch's pixels")
	}
	if got := tensors.MustCopyFlatData[int32](y2); !slices.Equal(got, ds.Labels[2:4]) {
		t.Errorf("the reused y tensor holds %v, want %v", got, ds.Labels[2:4])
	}
	x3, y3, err := in.tensors(ds.Images[4*sz:], ds.Labels[4:])
	if err != nil {
		t.Fatal(err)
	}
	if dims := x3.Shape().Dimensions; !slices.Equal(dims, []int{1, 28, 28, 1}) || y3.Shape().Dimensions[0] != 1 {
		t.Errorf("last batch of 1: x %v, y %v", dims, y3.Shape().Dimensions)
	}
	if got := tensors.MustCopyFlatData[float32](x3); !slices.Equal(got, ds.Images[4*sz:]) {
		t.Error("the last batch's x tensor does not hold its pixels")
	}
	in.finalize()
	if x3.Ok() || y3.Ok() {
		t.Error("finalize left the tensors valid")
	}
}

// TestBatches: the batches of Batches cover the data set in order (pixels and labels), the last one partial, and
// f's error stops the loop and is returned.
func TestBatches(t *testing.T) {
	ds := syntheticMNIST(23, 4)
	var px []float32
	var labels []int32
	var sizes []int
	n, err := Batches(testBackend(t), ds, 10, func(x, y *tensors.Tensor) error {
		px = append(px, tensors.MustCopyFlatData[float32](x)...)
		labels = append(labels, tensors.MustCopyFlatData[int32](y)...)
		sizes = append(sizes, x.Shape().Dimensions[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 23 || !slices.Equal(sizes, []int{10, 10, 3}) {
		t.Errorf("Batches gave %d examples in batches %v, want 23 in [10 10 3]", n, sizes)
	}
	if !slices.Equal(px, ds.Images) || !slices.Equal(labels, ds.Labels) {
		t.Error("the batches' pixels or labels differ from the data set's, in order")
	}
	calls := 0
	stop := errors.New("stop")
	if _, err := Batches(testBackend(t), ds, 10, func(x, y *tensors.Tensor) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("f failing: Batches returned %v after %d calls, want f's error after 1", err, calls)
	}
}
