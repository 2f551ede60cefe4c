package noise_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// weightExec returns an executor that perturbs a constant [rows, cols] weight matrix w (weight layer 0 of an
// injector with one activation site) and returns W'. Its graph reads the store's static state when built.
func weightExec(t *testing.T, store *model.Store, spec noise.Spec, w []float32, rows, cols int) *model.Exec {
	t.Helper()
	weights := []noise.Spec{spec}
	e := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, params *graph.Node) *graph.Node {
		scope.Store().SetTraining(params.Graph(), false)
		inj := &noise.Injector{Specs: []noise.Spec{noise.NoNoise()}, Params: params, Random: noise.StoreNormal(store),
			Weights: weights, Static: noise.StaticNormal(store)}
		wn := graph.Const(params.Graph(), tensors.FromFlatDataAndDimensions(w, rows, cols))
		return inj.ApplyWeights(0, wn)
	})
	return e
}

func callWeights(t *testing.T, e *model.Exec, spec noise.Spec) []float32 {
	t.Helper()
	outs, err := e.Call(noise.WeightsParamsTensor([]noise.Spec{noise.NoNoise()}, []noise.Spec{spec}))
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](outs[0])
}

// TestWeightNoiseStaticAndDynamic: static weight noise gives the same W' on every execution (every batch)
// until its seed changes, and the same W' again after reseeding with the same seed; dynamic weight noise gives
// a new W' on every execution. The perturbation has the Spec's distribution: additive W' − W ~ N(0, σ²),
// multiplicative W'/W − 1 ~ N(0, σ²) (mean within 5 standard errors, standard deviation within 3 %).
func TestWeightNoiseStaticAndDynamic(t *testing.T) {
	const rows, cols = 100, 100
	w := make([]float32, rows*cols)
	for i := range w {
		w[i] = 0.5 + float32(i%7)*0.1
	}
	for _, base := range []noise.Spec{noise.Add(0.3), noise.Mul(0.2)} {
		for _, static := range []bool{true, false} {
			spec := base
			spec.Static = static
			store := model.NewStore()
			if err := store.SetRNGStateFromSeed(7); err != nil {
				t.Fatal(err)
			}
			if err := noise.SetStaticSeed(store, 11); err != nil {
				t.Fatal(err)
			}
			e := weightExec(t, store, spec, w, rows, cols)
			a, b := callWeights(t, e, spec), callWeights(t, e, spec)
			same := equal(a, b)
			if same != static {
				t.Errorf("%s: two executions equal = %v, want %v", spec, same, static)
			}
			// The perturbation's statistics.
			var sum, sq float64
			for i := range a {
				d := float64(a[i] - w[i])
				if spec.Type == noise.Multiplicative {
					d = float64(a[i]/w[i]) - 1
				}
				sum += d
				sq += d * d
			}
			n := float64(len(a))
			mean, sd := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n))
			if math.Abs(mean) > 5*spec.Sigma/math.Sqrt(n) || math.Abs(sd/spec.Sigma-1) > 0.03 {
				t.Errorf("%s: perturbation mean %.4g, sd %.4g; want N(0, %g²)", spec, mean, sd, spec.Sigma)
			}
			if !static {
				continue
			}
			// Another static seed draws another W'; the first seed again draws the first W' (a graph is
			// rebuilt after a reseed, as the trainer does: the pure-Go backend bakes variables into eval graphs).
			for _, c := range []struct {
				seed int64
				same bool
			}{{12, false}, {11, true}} {
				if err := noise.SetStaticSeed(store, c.seed); err != nil {
					t.Fatal(err)
				}
				if got := callWeights(t, weightExec(t, store, spec, w, rows, cols), spec); equal(a, got) != c.same {
					t.Errorf("%s: static seed %d gives the first W' = %v, want %v", spec, c.seed, !c.same, c.same)
				}
			}
		}
	}
}

func equal(a, b []float32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestWeightNoiseGradient: with multiplicative static weight noise in a Dense layer, y = x·(W⊙m) + b and
// L = Σ y, the gradient reaching the stored W ([in, out]) is dL/dW_ij = m_ij·Σ_n x_ni, computed by hand from
// the drawn m = W'/W, and dL/db_j = the batch size.
func TestWeightNoiseGradient(t *testing.T) {
	const batch, in, out = 3, 4, 2
	spec := noise.Mul(0.5)
	spec.Static = true
	store := model.NewStore()
	if err := noise.SetStaticSeed(store, 5); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, batch*in)
	for i := range x {
		x[i] = float32(i%5) - 1.5
	}
	var wVar *model.Variable
	e := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, xs, params *graph.Node) []*graph.Node {
		inj := &noise.Injector{Specs: []noise.Spec{noise.NoNoise()}, Params: params, Random: noise.StoreNormal(store),
			Weights: []noise.Spec{spec}, Static: noise.StaticNormal(store)}
		var wNoisy *graph.Node
		dense := scope.In("fc")
		y := layers.DenseWith(dense, xs, out, func(w *graph.Node) *graph.Node {
			wNoisy = inj.ApplyWeights(0, w)
			return wNoisy
		})
		wVar = dense.GetVariable(layers.WeightsName)
		w := wVar.NodeValue(xs.Graph())
		bias := dense.GetVariable(layers.BiasesName).NodeValue(xs.Graph())
		grads := graph.Gradient(graph.ReduceAllSum(y), w, bias)
		return []*graph.Node{w, wNoisy, grads[0], grads[1]}
	})
	outs, err := e.Call(tensors.FromFlatDataAndDimensions(x, batch, in),
		noise.WeightsParamsTensor([]noise.Spec{noise.NoNoise()}, []noise.Spec{spec}))
	if err != nil {
		t.Fatal(err)
	}
	w, wn := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
	gw, gb := tensors.MustCopyFlatData[float32](outs[2]), tensors.MustCopyFlatData[float32](outs[3])
	for i := range in {
		var colSum float64
		for n := range batch {
			colSum += float64(x[n*in+i])
		}
		for j := range out {
			k := i*out + j
			m := float64(wn[k]) / float64(w[k])
			if want := m * colSum; math.Abs(float64(gw[k])-want) > 1e-4*max(1, math.Abs(want)) {
				t.Errorf("dL/dW[%d,%d] = %v, want m·Σx = %v·%v = %v", i, j, gw[k], m, colSum, want)
			}
		}
	}
	for j := range out {
		if gb[j] != batch {
			t.Errorf("dL/db[%d] = %v, want %d", j, gb[j], batch)
		}
	}
}

func TestResolveWeights(t *testing.T) {
	if w, err := (noise.At(1, noise.Add(1))).ResolveWeights(3); w != nil || err != nil {
		t.Errorf("no weight noise: %v, %v; want nil, nil", w, err)
	}
	s := noise.Add(0.1)
	s.Static = true
	w, err := noise.Config{Weights: map[int]noise.Spec{1: s}}.ResolveWeights(3)
	if err != nil || len(w) != 3 || w[0].Type != noise.None || w[1] != s || w[2].Type != noise.None {
		t.Errorf("ResolveWeights = %v, %v", w, err)
	}
	for name, c := range map[string]struct {
		cfg  noise.Config
		want string
	}{
		"out of range": {noise.Config{Weights: map[int]noise.Spec{3: s}}, "weight layers 0..2"},
		"invalid":      {noise.Config{Weights: map[int]noise.Spec{0: noise.Add(-1)}}, "weight layer 0"},
		"repetitions":  {noise.Config{Weights: map[int]noise.Spec{0: noise.Add(1).WithRepetitions(3)}}, "activation sites only"},
	} {
		if _, err := c.cfg.ResolveWeights(3); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
}
