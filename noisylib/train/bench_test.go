package train

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// randomBatch returns a synthetic MNIST-shaped batch.
func randomBatch(n int, seed uint64) (*tensors.Tensor, *tensors.Tensor) {
	rng := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float32, n*28*28)
	ys := make([]int32, n)
	for i := range xs {
		xs[i] = rng.Float32()
	}
	for i := range ys {
		ys[i] = int32(rng.IntN(10))
	}
	return tensors.FromFlatDataAndDimensions(xs, n, 28, 28, 1), tensors.FromFlatDataAndDimensions(ys, n)
}

// benchTrainer returns a trainer of the named model with additive noise at every site.
func benchTrainer(b *testing.B, name string) *Trainer {
	be, err := backend.Shared()
	if err != nil {
		b.Fatal(err)
	}
	m, err := models.New(name, models.MNIST)
	if err != nil {
		b.Fatal(err)
	}
	t, err := NewTrainer(be, m, 1)
	if err != nil {
		b.Fatal(err)
	}
	if err := t.SetNoise(noise.Global(noise.Add(0.1))); err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkTrainStep measures one training step (batch 128, noise at every site); img/s is reported.
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) {
			t := benchTrainer(b, name)
			x, y := randomBatch(128, 1)
			if _, _, err := t.Step(x, y); err != nil { // compile
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := t.Step(x, y); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(128*b.N)/b.Elapsed().Seconds(), "img/s")
		})
	}
}

// BenchmarkEvalBatch measures evaluation of a batch of 128 with noise at every site.
func BenchmarkEvalBatch(b *testing.B) {
	for _, name := range []string{"mlp-tfc-bn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) {
			t := benchTrainer(b, name)
			x, y := randomBatch(128, 1)
			if _, _, err := t.EvalBatch(x, y); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := t.EvalBatch(x, y); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(128*b.N)/b.Elapsed().Seconds(), "img/s")
		})
	}
}
