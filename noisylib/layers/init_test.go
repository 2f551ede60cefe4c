package layers_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// checkUniform asserts v lies within ±bound, reaches close to it, and has mean 0 and variance bound²/3
// within 5 standard errors (the variance of x² for U(−b, b) is 4b⁴/45).
func checkUniform(t *testing.T, name string, v []float32, bound float64) {
	t.Helper()
	n := float64(len(v))
	var sum, sq, top float64
	for _, x := range v {
		a := math.Abs(float64(x))
		if a > bound*(1+1e-6) {
			t.Fatalf("%s: value %g outside ±%g", name, x, bound)
		}
		top = max(top, a)
		sum += float64(x)
		sq += float64(x) * float64(x)
	}
	if top < bound*(1-10/n) { // P(max|x| < b(1−10/n)) ≈ e^−10.
		t.Errorf("%s: max |value| %g, want close to the bound %g", name, top, bound)
	}
	wantVar := bound * bound / 3
	if d := math.Abs(sum / n); d > 5*math.Sqrt(wantVar/n) {
		t.Errorf("%s: mean %g, want 0 ± %g", name, sum/n, 5*math.Sqrt(wantVar/n))
	}
	if d := math.Abs(sq/n - wantVar); d > 5*math.Sqrt(4*math.Pow(bound, 4)/45/n) {
		t.Errorf("%s: std %g, want bound/√3 = %g", name, math.Sqrt(sq/n), math.Sqrt(wantVar))
	}
}

func TestInitDistribution(t *testing.T) {
	store := model.NewStore()
	runLayer(t, store, false, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.Dense(scope.In("fc"), x, 256)
	}, make([]float32, 256), 1, 256)
	checkUniform(t, "Dense weights (fan_in 256)", getVar(t, store, "/fc/"+layers.WeightsName), 1.0/16)
	checkUniform(t, "Dense biases (fan_in 256)", getVar(t, store, "/fc/"+layers.BiasesName), 1.0/16)

	store = model.NewStore()
	runLayer(t, store, false, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.Conv2D(scope.In("conv"), x, 128, [2]int{3, 3}, [2]int{1, 1})
	}, make([]float32, 3*3*4), 1, 3, 3, 4)
	checkUniform(t, "Conv2D weights (fan_in 3·3·4)", getVar(t, store, "/conv/"+layers.WeightsName), 1.0/6)
	checkUniform(t, "Conv2D biases (fan_in 3·3·4)", getVar(t, store, "/conv/"+layers.BiasesName), 1.0/6)
}

// initWeights builds two Dense layers (in the given order) in a store with the given seed (nil: unset)
// and returns their initial weights by scope.
func initWeights(t *testing.T, seed any, order ...string) map[string][]float32 {
	t.Helper()
	store := model.NewStore()
	if seed != nil {
		store.SetParam("/"+layers.ParamInitSeed, seed)
	}
	runLayer(t, store, false, func(scope *model.Scope, x *graph.Node) *graph.Node {
		var y *graph.Node
		for _, name := range order {
			y = layers.Dense(scope.In("%s", name), x, 8)
		}
		return y
	}, make([]float32, 8), 1, 8)
	out := map[string][]float32{}
	for _, name := range order {
		out[name] = getVar(t, store, fmt.Sprintf("/%s/%s", name, layers.WeightsName))
	}
	return out
}

func TestInitSeed(t *testing.T) {
	a := initWeights(t, uint64(42), "fc1", "fc2")
	b := initWeights(t, uint64(42), "fc2", "fc1") // Other creation order.
	c := initWeights(t, int64(42), "fc1", "fc2")  // Same seed as int64.
	d := initWeights(t, uint64(43), "fc1", "fc2")
	for _, name := range []string{"fc1", "fc2"} {
		if !slices.Equal(a[name], b[name]) {
			t.Errorf("%s: same seed, other creation order gave different weights", name)
		}
		if !slices.Equal(a[name], c[name]) {
			t.Errorf("%s: seed 42 as uint64 and int64 gave different weights", name)
		}
		if slices.Equal(a[name], d[name]) {
			t.Errorf("%s: seeds 42 and 43 gave identical weights", name)
		}
	}
	if slices.Equal(a["fc1"], a["fc2"]) {
		t.Error("two layers of the same shape got identical weights")
	}
	if e := initWeights(t, nil, "fc1"); !slices.Equal(e["fc1"], initWeights(t, nil, "fc1")["fc1"]) {
		t.Error("without a seed, two stores gave different weights (want the default seed 0)")
	}
}
