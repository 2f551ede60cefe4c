package models_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatalf("backend: %v", err)
	}
	return b
}

// images returns a batch of pseudo-random NHWC images for the model's input.
func images(in models.InputSpec, batch int, seed uint64) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 1))
	flat := make([]float32, batch*in.H*in.W*in.C)
	for i := range flat {
		flat[i] = float32(rng.Float64())
	}
	return tensors.FromFlatDataAndDimensions(flat, batch, in.H, in.W, in.C)
}

// forward runs m.Forward on x in store with the given noise config and returns the logits followed by the
// value observed at every site.
func forward(t *testing.T, m *models.Model, store *model.Store, training bool, cfg noise.Config, x *tensors.Tensor) []*tensors.Tensor {
	t.Helper()
	specs, err := cfg.Resolve(m.NumSites())
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	outs, err := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x, params *graph.Node) []*graph.Node {
		scope.Store().SetTraining(x.Graph(), training)
		inj := &noise.Injector{Specs: specs, Params: params, Training: training, Random: scope.RandomNormal}
		var observed []*graph.Node
		logits := m.Forward(scope, x, inj, func(site int, v *graph.Node) {
			if site != len(observed) {
				t.Errorf("observe called for site %d, want site %d (in order)", site, len(observed))
			}
			// AddScalar(·, 0) keeps values exact; it works around a GoMLX pure-Go backend failure when an
			// output is an input parameter itself (the input site without noise).
			observed = append(observed, graph.AddScalar(v, 0))
		})
		return append([]*graph.Node{logits}, observed...)
	}).Call(x, noise.ParamsTensor(specs))
	if err != nil {
		t.Fatalf("executing %s: %v", m.Name, err)
	}
	return outs
}

// representative gives each family one input it is used with in the paper.
func representative(name string) models.InputSpec {
	if strings.HasPrefix(name, "lenet5") {
		return models.MNIST
	}
	return models.GSC2 // CNN-S's input, and the smallest MLP input (490).
}

func TestForwardCreatesNumParams(t *testing.T) {
	for _, name := range models.Names() {
		t.Run(name, func(t *testing.T) {
			m, err := models.New(name, representative(name))
			if err != nil {
				t.Fatal(err)
			}
			store := model.NewStore()
			forward(t, m, store, true, noise.Config{}, images(m.Input, 2, 1))
			trainable, frozen := 0, 0
			for v := range store.IterVariables() {
				switch {
				case v.Trainable:
					trainable += v.Shape().Size()
				case v.Name() == "running_mean" || v.Name() == "running_var":
					frozen += v.Shape().Size()
				}
			}
			if trainable != m.NumParams() {
				t.Errorf("Forward created %d trainable parameters, NumParams() = %d", trainable, m.NumParams())
			}
			if bnFeatures := (m.NumParams() - must(models.New(baseName(name), m.Input)).NumParams()) / 2; frozen != 2*bnFeatures {
				t.Errorf("Forward created %d running-statistics values, want %d (2 per BatchNorm feature)", frozen, 2*bnFeatures)
			}
		})
	}
}

func baseName(name string) string {
	for _, suffix := range []string{"-bn-nonoise", "-bn", "-nobn"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			return base + "-nobn"
		}
	}
	return name
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestForwardShapes(t *testing.T) {
	const batch = 2
	cases := []struct {
		name string
		in   models.InputSpec
	}{
		{"mlp-tfc-bn", models.MNIST}, {"mlp-tfc-nobn", models.CIFAR10}, {"mlp-tfc-bn-nonoise", models.GSC2},
		{"lenet5-bn", models.MNIST}, {"lenet5-nobn", models.CIFAR10},
		{"cnn-s-bn", models.GSC2}, {"cnn-s-nobn", models.GSC2},
		{"lenet5-bn", oddInput}, {"cnn-s-nobn", models.MNIST},
	}
	for _, c := range cases {
		t.Run(c.name+"/"+inputName(c.in), func(t *testing.T) {
			m, err := models.New(c.name, c.in)
			if err != nil {
				t.Fatal(err)
			}
			outs := forward(t, m, model.NewStore(), false, noise.Config{}, images(c.in, batch, 2))
			if got := outs[0].Shape().Dimensions; !slices.Equal(got, []int{batch, c.in.NumClasses}) {
				t.Errorf("logits shape %v, want [%d %d]", got, batch, c.in.NumClasses)
			}
			if len(outs)-1 != m.NumSites() {
				t.Fatalf("observe saw %d sites, want %d", len(outs)-1, m.NumSites())
			}
			for i, s := range m.Sites {
				want := append([]int{batch}, s.Shape...)
				if got := outs[1+i].Shape().Dimensions; !slices.Equal(got, want) {
					t.Errorf("observed site %s has shape %v, want %v", s.Name(), got, want)
				}
			}
			logits := tensors.MustCopyFlatData[float32](outs[0])
			last := tensors.MustCopyFlatData[float32](outs[len(outs)-1])
			if !slices.Equal(logits, last) {
				t.Error("the value observed at the last site is not the logits")
			}
		})
	}
}

// TestForwardNoiseSite checks that noise at site k changes nothing observed up to site k (observe sees the
// value before the noise) and everything after it, in evaluation mode where BatchNorm is deterministic.
func TestForwardNoiseSite(t *testing.T) {
	m, err := models.New("lenet5-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	store := model.NewStore()
	x := images(m.Input, 2, 3)
	clean := forward(t, m, store, false, noise.Config{}, x)
	again := forward(t, m, store, false, noise.At(0, noise.NoNoise()), x)
	for _, k := range []int{0, 5, 10} {
		noisy := forward(t, m, store, false, noise.At(k, noise.Add(1)), x)
		for site := range m.NumSites() {
			a := tensors.MustCopyFlatData[float32](clean[1+site])
			b := tensors.MustCopyFlatData[float32](noisy[1+site])
			if !slices.Equal(a, tensors.MustCopyFlatData[float32](again[1+site])) {
				t.Fatalf("site %d: two clean runs differ", site)
			}
			if same := slices.Equal(a, b); same != (site <= k) {
				t.Errorf("noise at site %d: site %s unchanged = %t, want %t", k, m.Sites[site].Name(), same, site <= k)
			}
		}
	}
}

// TestForwardConvMaxPoolSameBits checks that LeNet-5's first convolution, [BatchNorm,] ReLU and pooling, which
// a training forward pass runs as one layers.Conv2DMaxPool when their sites are silent and nothing observes
// them, give the same logits and the same gradients of every variable bit for bit as the layers run apart (as
// they run when an observer is given), clean and with noise at the input, after the pooling, further on and on
// conv1's weights.
func TestForwardConvMaxPoolSameBits(t *testing.T) {
	for _, name := range []string{"lenet5-nobn", "lenet5-bn"} {
		t.Run(name, func(t *testing.T) { checkConvMaxPool(t, must(models.New(name, models.MNIST))) })
	}
}

// checkConvMaxPool runs TestForwardConvMaxPoolSameBits on m.
func checkConvMaxPool(t *testing.T, m *models.Model) {
	x := images(m.Input, 128, 9)
	run := func(cfg noise.Config, observe func(int, *graph.Node)) [][]float32 {
		specs := must(cfg.Resolve(m.NumSites()))
		weights := must(cfg.ResolveWeights(5))
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(11); err != nil {
			t.Fatal(err)
		}
		outs, err := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x, params *graph.Node) []*graph.Node {
			scope.Store().SetTraining(x.Graph(), true)
			inj := &noise.Injector{Specs: specs, Weights: weights, Params: params, Training: true, Random: scope.RandomNormal}
			logits := m.Forward(scope, x, inj, observe)
			loss := graph.ReduceAllSum(graph.Mul(logits, logits))
			var wrt []*graph.Node
			for v := range store.IterVariables() {
				if v.Trainable {
					wrt = append(wrt, v.NodeValue(x.Graph()))
				}
			}
			want := 10 // 5 weight layers
			if strings.HasSuffix(m.Name, "-bn") {
				want += 8 // 4 BatchNorms
			}
			if len(wrt) != want {
				t.Fatalf("%d trainable variables, want %d", len(wrt), want)
			}
			return append([]*graph.Node{logits}, graph.Gradient(loss, wrt...)...)
		}).Call(x, noise.WeightsParamsTensor(specs, weights))
		if err != nil {
			t.Fatal(err)
		}
		v := make([][]float32, len(outs))
		for i, o := range outs {
			v[i] = tensors.MustCopyFlatData[float32](o)
		}
		return v
	}
	site := func(op string) int {
		for _, s := range m.Sites {
			if s.Op == op {
				return s.Index
			}
		}
		t.Fatalf("%s has no site %s", m.Name, op)
		return -1
	}
	var clean []float32 // the logits without noise
	for _, cfg := range []noise.Config{{}, noise.At(site("input"), noise.Add(0.3)), noise.At(site("pool1"), noise.Add(0.3)),
		noise.At(site("conv2"), noise.Mul(0.3)), {Weights: map[int]noise.Spec{0: noise.Mul(0.3)}}} {
		fused, apart := run(cfg, nil), run(cfg, func(int, *graph.Node) {})
		if clean == nil {
			clean = fused[0]
		} else if slices.Equal(fused[0], clean) {
			t.Errorf("noise %v: the logits equal the clean ones: the noise was not applied", cfg)
		}
		for i := range fused {
			if !slices.EqualFunc(fused[i], apart[i], func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
				t.Errorf("noise %v: output %d (0: logits, then gradients) differs from the layers run apart", cfg, i)
			}
		}
	}
}
