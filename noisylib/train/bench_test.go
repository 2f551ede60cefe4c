package train

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
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

// cpuTime returns the CPU time (user + system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRates reports img/s (wall clock) and the CPU milliseconds per batch, which is less sensitive than
// img/s to other processes sharing the machine.
func reportRates(b *testing.B, batch int, cpu0 time.Duration) {
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// benchTrainer returns a trainer of the named model with additive noise at every site, on the backend a model
// that trains alone takes (backend.ForSolo).
func benchTrainer(b *testing.B, name string) *Trainer {
	return benchTrainerWith(b, name, noise.Global(noise.Add(0.1)))
}

// benchTrainerWith returns a trainer of the named model with the given noise, on the backend a model that
// trains alone takes (backend.ForSolo: the default backend for LeNet-5, backend.SharedTraining for MLP-TFC).
func benchTrainerWith(b *testing.B, name string, cfg noise.Config) *Trainer {
	return benchTrainerOn(b, func() (compute.Backend, error) {
		m, err := models.New(name, models.MNIST)
		if err != nil {
			return nil, err
		}
		return backend.ForSolo(m.MACs())
	}, name, cfg)
}

// benchTrainerOn returns a trainer of the named model with the given noise on the backend newBackend returns:
// backend.Shared for evaluations, as the walks evaluate there.
func benchTrainerOn(b *testing.B, newBackend func() (compute.Backend, error), name string, cfg noise.Config) *Trainer {
	be, err := newBackend()
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
	if err := t.SetNoise(cfg); err != nil {
		b.Fatal(err)
	}
	return t
}

// benchSteps runs step on one batch of 128 (after one untimed call that compiles the graph) and reports img/s,
// counting images per step (128, or 128 per copy of a stack).
func benchSteps(b *testing.B, images int, step func(x, y *tensors.Tensor) error) {
	benchBatchSteps(b, 128, images, step)
}

// benchBatchSteps is benchSteps on a batch of the given size.
func benchBatchSteps(b *testing.B, batch, images int, step func(x, y *tensors.Tensor) error) {
	x, y := randomBatch(batch, 1)
	if err := step(x, y); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := step(x, y); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, images, cpu0)
}

// one adapts a Trainer step to benchSteps.
func one(step func(x, y *tensors.Tensor) (float64, int, error)) func(x, y *tensors.Tensor) error {
	return func(x, y *tensors.Tensor) error { _, _, err := step(x, y); return err }
}

// BenchmarkTrainStep measures one training step (batch 128, noise at every site); img/s is reported, and
// normals/img, the standard normal values each image draws (the sum of the sites' sizes): with
// BenchmarkTrainStepClean's img/s it gives what noise costs a step per value drawn (scripts/bench/report.py).
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) {
			t := benchTrainer(b, name)
			benchSteps(b, 128, one(t.Step))
			b.ReportMetric(float64(siteValues(t.Model)), "normals/img")
		})
	}
}

// siteValues returns the number of values at all of m's sites for one example.
func siteValues(m *models.Model) int {
	n := 0
	for _, s := range m.Sites {
		n += s.Size()
	}
	return n
}

// BenchmarkTrainStepClean measures one training step without noise, the cost of the network alone.
func BenchmarkTrainStepClean(b *testing.B) {
	for _, name := range []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) { benchSteps(b, 128, one(benchTrainerWith(b, name, noise.Config{}).Step)) })
	}
}

// BenchmarkEvalBatch measures evaluation of a batch of 128 with noise at every site.
func BenchmarkEvalBatch(b *testing.B) {
	for _, name := range []string{"mlp-tfc-bn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) {
			benchSteps(b, 128, one(benchTrainerOn(b, backend.Shared, name, noise.Global(noise.Add(0.1))).EvalBatch))
		})
	}
}

// BenchmarkStackStep measures a StackTrainer step of MLP-TFC (BN) with additive noise at one site (the shape
// of a layer-wise noisy-training walk) for K copies; img/s counts K·128 images per step. K = 1 is one model.
func BenchmarkStackStep(b *testing.B) {
	for _, k := range []int{1, 4, 8, 16} {
		b.Run(fmt.Sprintf("mlp-tfc-bn/K=%d", k), func(b *testing.B) {
			be, err := backend.SharedTraining()
			if err != nil {
				b.Fatal(err)
			}
			m, err := models.New("mlp-tfc-bn", models.MNIST)
			if err != nil {
				b.Fatal(err)
			}
			s, err := NewStackTrainer(be, m, 1, k)
			if err != nil {
				b.Fatal(err)
			}
			cfgs := make([]noise.Config, k)
			for j := range cfgs {
				cfgs[j] = noise.At(4, noise.Add(0.1*float64(j+1)))
			}
			if err := s.SetNoise(cfgs); err != nil {
				b.Fatal(err)
			}
			benchSteps(b, k*128, func(x, y *tensors.Tensor) error { _, _, err := s.Step(x, y); return err })
		})
	}
}

// oneSites names the site a layer-wise noisy-training walk trains with noise in the benchmarks: the second dense
// output (fc2) of the MLPs, the second convolution (conv2) of LeNet-5.
var oneSites = map[string]string{
	"mlp-tfc-nobn": "fc2", "mlp-tfc-bn": "fc2", "lenet5-nobn": "conv2", "lenet5-bn": "conv2",
}

// oneSite returns the noise of the named model's benchmarks with noise at one site: additive σ = 0.1 at oneSites.
func oneSite(b *testing.B, name string) noise.Config {
	m, err := models.New(name, models.MNIST)
	if err != nil {
		b.Fatal(err)
	}
	site := slices.IndexFunc(m.Sites, func(s models.Site) bool { return s.Op == oneSites[name] })
	if site < 0 {
		b.Fatalf("%s has no site %q: %v", name, oneSites[name], m.SiteNames())
	}
	return noise.At(site, noise.Add(0.1))
}

// BenchmarkTrainStepOneSite measures a Trainer step with additive noise at one site (oneSites), what a
// layer-wise noisy-training walk trains. Its mlp-tfc-bn case (site 4) is the K = 1 reference for
// BenchmarkStackStep.
func BenchmarkTrainStepOneSite(b *testing.B) {
	for _, name := range []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
		b.Run(name, func(b *testing.B) { benchSteps(b, 128, one(benchTrainerWith(b, name, oneSite(b, name)).Step)) })
	}
}

// BenchmarkStepBatch measures a Trainer step with noise at one site (oneSites) on batches of 4 and 128, on one
// worker per op (backend.SharedTraining, as the trainings of a walk and a stack run). A step's time at batch 4
// bounds its cost that does not grow with the batch (launching every op, the weights' own work, Adam): the most
// that training K copies as one stack (one op per layer for all K) could save per copy.
func BenchmarkStepBatch(b *testing.B) {
	for _, name := range []string{"mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
		for _, batch := range []int{4, 128} {
			b.Run(fmt.Sprintf("%s/batch=%d", name, batch), func(b *testing.B) {
				t := benchTrainerOn(b, backend.SharedTraining, name, oneSite(b, name))
				benchBatchSteps(b, batch, batch, one(t.Step))
			})
		}
	}
}

// BenchmarkEvaluateSweep measures a stacked inference sweep (what an inference-only walk runs per site): K σ
// of additive noise at one site, common draws (one seed), on 2,000 synthetic MNIST-shaped images in batches
// of 1,000; img/s counts images × points.
func BenchmarkEvaluateSweep(b *testing.B) {
	const n = 2000
	x, y := randomBatch(n, 2)
	ds := &data.Dataset{Name: "mnist", Images: tensors.MustCopyFlatData[float32](x), Labels: tensors.MustCopyFlatData[int32](y),
		N: n, H: 28, W: 28, C: 1, NumClasses: 10}
	for _, c := range []struct {
		name, site string
		points     int
	}{
		{"mlp-tfc-bn", "input", 16}, {"mlp-tfc-bn", "fc2", 16}, {"mlp-tfc-bn", "input", 48}, {"mlp-tfc-bn", "fc2", 48},
		{"lenet5-bn", "input", 16}, {"lenet5-bn", "conv2", 16},
	} {
		b.Run(fmt.Sprintf("%s/%s/K=%d", c.name, c.site, c.points), func(b *testing.B) {
			t := benchTrainerOn(b, backend.Shared, c.name, noise.Config{})
			site := slices.IndexFunc(t.Model.Sites, func(s models.Site) bool { return s.Op == c.site })
			pts := make([]SweepPoint, c.points)
			for j := range pts {
				pts[j] = SweepPoint{Noise: noise.At(site, noise.Add(0.05*float64(j+1))), Seed: 1}
			}
			if _, _, err := t.EvaluateSweep(ds, pts, 1000); err != nil { // compile
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, _, err := t.EvaluateSweep(ds, pts, 1000); err != nil {
					b.Fatal(err)
				}
			}
			reportRates(b, n*len(pts), cpu0)
		})
	}
}
