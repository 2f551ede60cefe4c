package data

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// toySet is an n-example 2×2×1 data set whose example i has every pixel i/100 and label i.
func toySet(name string, n int) *Dataset {
	d := &Dataset{Name: name, N: n, H: 2, W: 2, C: 1, NumClasses: n}
	for i := range n {
		d.Images = append(d.Images, slices.Repeat([]float32{float32(i) / 100}, 4)...)
		d.Labels = append(d.Labels, int32(i))
	}
	return d
}

// epoch collects the batches of one epoch (copied, since the Batcher reuses its buffers).
func epoch(b *Batcher, train bool) (xs [][]float32, ys [][]int32) {
	for x, y := range b.Epoch(train) {
		xs, ys = append(xs, slices.Clone(x)), append(ys, slices.Clone(y))
	}
	return xs, ys
}

func TestBatcherPartialLastBatch(t *testing.T) {
	b := NewBatcher(toySet("toy", 10), 4, nil)
	if b.NumBatches() != 3 || b.Err() != nil {
		t.Fatalf("NumBatches = %d (err %v), want 3", b.NumBatches(), b.Err())
	}
	for _, train := range []bool{false, true} {
		xs, ys := epoch(b, train)
		var sizes []int
		var all []int32
		for i := range ys {
			sizes = append(sizes, len(ys[i]))
			if len(xs[i]) != 4*len(ys[i]) {
				t.Errorf("batch %d: %d pixels for %d labels", i, len(xs[i]), len(ys[i]))
			}
			for k, l := range ys[i] { // identity transform: pixels still belong to their label
				if xs[i][4*k] != float32(l)/100 {
					t.Errorf("batch %d example %d: pixel %v for label %d", i, k, xs[i][4*k], l)
				}
			}
			all = append(all, ys[i]...)
		}
		if !slices.Equal(sizes, []int{4, 4, 2}) {
			t.Errorf("train=%v: batch sizes %v, want [4 4 2]", train, sizes)
		}
		if !train && !slices.Equal(all, []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("eval order %v, want 0..9", all)
		}
		slices.Sort(all)
		if !slices.Equal(all, []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("train=%v: epoch is not a permutation: %v", train, all)
		}
	}
}

func TestBatcherDeterministicBySeed(t *testing.T) {
	ds := toySet("cifar10-like", 50)
	run := func(seed uint64) (out [][]float32) {
		b := NewBatcher(ds, 8, rand.New(rand.NewPCG(seed, 1)))
		b.Transform = Transform{CropPad: 1, Flip: true, Mean: []float32{0.1}, Std: []float32{0.3}}
		for range 3 {
			xs, ys := epoch(b, true)
			for i := range xs {
				out = append(out, xs[i], toFloats(ys[i]))
			}
		}
		return out
	}
	a, again, other := run(42), run(42), run(43)
	if !slices.EqualFunc(a, again, slices.Equal) {
		t.Error("the same seed gave different batches")
	}
	if slices.EqualFunc(a, other, slices.Equal) {
		t.Error("different seeds gave identical batches")
	}
	// Epochs are reshuffled: the label order of epoch 1 and 2 differ (7 batches of pixels+labels each).
	var order [3][]float32
	for i := 1; i < len(a); i += 2 {
		order[i/14] = append(order[i/14], a[i]...)
	}
	if len(order[0]) != 50 || slices.Equal(order[0], order[1]) || slices.Equal(order[1], order[2]) {
		t.Errorf("epochs not reshuffled: %v / %v", order[0], order[1])
	}
}

func toFloats(y []int32) []float32 {
	out := make([]float32, len(y))
	for i, v := range y {
		out[i] = float32(v)
	}
	return out
}

func TestBatcherTransforms(t *testing.T) {
	// A data set named fashion-mnist gets its registered transform: eval is (x − 0.5)/0.5, in order.
	ds := toySet("fashion-mnist", 5)
	ds.NumClasses = 10
	b := NewBatcher(ds, 2, rand.New(rand.NewPCG(1, 2)))
	xs, _ := epoch(b, false)
	if got, want := xs[2][0], (float32(4)/100-0.5)/0.5; got != want {
		t.Errorf("eval pixel = %v, want %v", got, want)
	}
	// Training augments: every output pixel is either an image value or the normalised padding −1.
	xs, ys := epoch(b, true)
	padded := 0
	for i := range xs {
		for k, l := range ys[i] {
			for _, v := range xs[i][4*k : 4*k+4] {
				switch v {
				case -1:
					padded++
				case (float32(l)/100 - 0.5) / 0.5:
				default:
					t.Errorf("train pixel %v is neither padding nor from example %d", v, l)
				}
			}
		}
	}
	if padded == 0 { // with pad 4 on a 2×2 image most crops are mostly padding
		t.Error("no padded pixels in a training epoch")
	}
	// The data set itself is not modified.
	if ds.Images[4*4] != float32(4)/100 {
		t.Error("the batcher modified the data set")
	}
}

func TestBatcherInvalid(t *testing.T) {
	if b := NewBatcher(nil, 4, nil); b.Err() == nil || b.NumBatches() != 0 {
		t.Error("nil data set accepted")
	}
	bad := toySet("toy", 3)
	bad.Labels[1] = 7
	if b := NewBatcher(bad, 4, nil); b.Err() == nil {
		t.Error("label outside [0, NumClasses) accepted")
	}
	b := NewBatcher(toySet("toy", 3), 4, nil)
	b.Transform = Transform{Mean: []float32{0, 0}, Std: []float32{1, 1}} // 2 channels for a 1-channel set
	if xs, _ := epoch(b, false); len(xs) != 0 || b.Err() == nil {
		t.Errorf("invalid transform: %d batches, err %v", len(xs), b.Err())
	}
	if NewBatcher(toySet("toy", 3), 0, nil).BatchSize() != DefaultBatchSize {
		t.Error("batch size 0 does not fall back to DefaultBatchSize")
	}
}
