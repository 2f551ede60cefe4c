package layers_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
)

// layerFn builds a layer on x in scope.
type layerFn func(scope *model.Scope, x *graph.Node) *graph.Node

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatalf("backend: %v", err)
	}
	return b
}

// randFlat returns n values uniform in [lo, hi) from a seeded RNG.
func randFlat(seed uint64, n int, lo, hi float64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 99))
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return v
}

// setVar creates the variable scope/name in store with the given values before any graph is built.
func setVar(t *testing.T, store *model.Store, scope, name string, flat []float32, dims ...int) {
	t.Helper()
	if _, err := store.RootScope().In("%s", scope).CreateVariable(name, tensors.FromFlatDataAndDimensions(flat, dims...)); err != nil {
		t.Fatalf("creating %s/%s: %v", scope, name, err)
	}
}

// getVar returns the flat values of the variable at path.
func getVar(t *testing.T, store *model.Store, path string) []float32 {
	t.Helper()
	v := store.GetVariable(path)
	if v == nil {
		t.Fatalf("variable %s does not exist", path)
	}
	return tensors.MustCopyFlatData[float32](v.MustValue())
}

// runLayer builds fn on x (in training or evaluation mode) and returns its output's flat values and dimensions.
func runLayer(t *testing.T, store *model.Store, training bool, fn layerFn, x []float32, dims ...int) ([]float32, []int) {
	t.Helper()
	e := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		scope.Store().SetTraining(x.Graph(), training)
		return fn(scope, x)
	})
	out, err := e.Call1(tensors.FromFlatDataAndDimensions(x, dims...))
	if err != nil {
		t.Fatalf("executing layer: %v", err)
	}
	return tensors.MustCopyFlatData[float32](out), out.Shape().Dimensions
}

// checkClose compares got with want elementwise, with a tolerance relative to the largest |want|.
func checkClose(t *testing.T, name string, got, want []float32, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	scale := 0.0
	for _, w := range want {
		scale = max(scale, math.Abs(float64(w)))
	}
	tol := rel * max(scale, 1e-3)
	bad := 0
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > tol {
			if bad < 5 {
				t.Errorf("%s[%d] = %.6g, want %.6g (|diff| %.2g > %.2g)", name, i, got[i], want[i], d, tol)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d of %d values differ", name, bad, len(got))
	}
}

func equalDims(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
