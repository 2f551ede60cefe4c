package layers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// featureStats returns the per-feature (last axis) mean and biased variance of x with f features.
func featureStats(x []float32, f int) (mean, variance []float64) {
	mean, variance = make([]float64, f), make([]float64, f)
	n := float64(len(x) / f)
	for i, v := range x {
		mean[i%f] += float64(v) / n
	}
	for i, v := range x {
		d := float64(v) - mean[i%f]
		variance[i%f] += d * d / n
	}
	return mean, variance
}

// bnWant returns (x − mean)/√(var + ε)·γ + β per feature.
func bnWant(x []float32, mean, variance []float64, gamma, beta []float32) []float32 {
	f := len(mean)
	y := make([]float32, len(x))
	for i, v := range x {
		k := i % f
		y[i] = float32((float64(v)-mean[k])/math.Sqrt(variance[k]+layers.BatchNormEpsilon)*float64(gamma[k]) + float64(beta[k]))
	}
	return y
}

func bn(scope *model.Scope, x *graph.Node) *graph.Node { return layers.BatchNorm(scope.In("bn"), x) }

func TestBatchNormTraining(t *testing.T) {
	for _, dims := range [][]int{{6, 3}, {2, 3, 4, 2}} {
		f := dims[len(dims)-1]
		size := 1
		for _, d := range dims {
			size *= d
		}
		n := float64(size / f)
		x := randFlat(uint64(size), size, -2, 5)
		gamma := randFlat(7, f, 0.5, 2)
		beta := randFlat(8, f, -1, 1)
		store := model.NewStore()
		setVar(t, store, "bn", layers.GammaName, gamma, f)
		setVar(t, store, "bn", layers.BetaName, beta, f)

		got, gotDims := runLayer(t, store, true, bn, x, dims...)
		if !equalDims(gotDims, dims) {
			t.Fatalf("BatchNorm changed the shape %v to %v", dims, gotDims)
		}
		mean, variance := featureStats(x, f)
		checkClose(t, "BatchNorm(training)", got, bnWant(x, mean, variance, gamma, beta), 1e-4)

		// Running stats after one step from (0, 1): 0.1·mean and 0.9 + 0.1·unbiased variance.
		wantMean, wantVar := make([]float32, f), make([]float32, f)
		for k := range f {
			wantMean[k] = float32(0.1 * mean[k])
			wantVar[k] = float32(0.9 + 0.1*variance[k]*n/(n-1))
		}
		checkClose(t, "running_mean after 1 step", getVar(t, store, "/bn/"+layers.RunningMeanName), wantMean, 1e-5)
		checkClose(t, "running_var after 1 step", getVar(t, store, "/bn/"+layers.RunningVarName), wantVar, 1e-5)

		// A second step on the same batch: 0.9·(0.1·mean) + 0.1·mean = 0.19·mean, 0.81 + 0.19·unbiased.
		runLayer(t, store, true, bn, x, dims...)
		for k := range f {
			wantMean[k] = float32(0.19 * mean[k])
			wantVar[k] = float32(0.81 + 0.19*variance[k]*n/(n-1))
		}
		checkClose(t, "running_mean after 2 steps", getVar(t, store, "/bn/"+layers.RunningMeanName), wantMean, 1e-5)
		checkClose(t, "running_var after 2 steps", getVar(t, store, "/bn/"+layers.RunningVarName), wantVar, 1e-5)
	}
}

func TestBatchNormEval(t *testing.T) {
	const f = 3
	dims := []int{2, 2, 3, f}
	x := randFlat(11, 2*2*3*f, -2, 5)
	gamma, beta := randFlat(12, f, 0.5, 2), randFlat(13, f, -1, 1)
	runMean, runVar := []float32{0.5, -1, 2}, []float32{0.25, 4, 1.5}
	store := model.NewStore()
	setVar(t, store, "bn", layers.GammaName, gamma, f)
	setVar(t, store, "bn", layers.BetaName, beta, f)
	setVar(t, store, "bn", layers.RunningMeanName, runMean, f)
	setVar(t, store, "bn", layers.RunningVarName, runVar, f)
	got, _ := runLayer(t, store, false, bn, x, dims...)
	mean, variance := make([]float64, f), make([]float64, f)
	for k := range f {
		mean[k], variance[k] = float64(runMean[k]), float64(runVar[k])
	}
	checkClose(t, "BatchNorm(eval)", got, bnWant(x, mean, variance, gamma, beta), 1e-5)
	checkClose(t, "running_mean after eval", getVar(t, store, "/bn/"+layers.RunningMeanName), runMean, 0)
	checkClose(t, "running_var after eval", getVar(t, store, "/bn/"+layers.RunningVarName), runVar, 0)
}

func TestBatchNormVariables(t *testing.T) {
	store := model.NewStore()
	runLayer(t, store, false, bn, randFlat(1, 8, 0, 1), 2, 4)
	want := map[string]struct {
		value     float32
		trainable bool
	}{
		layers.GammaName: {1, true}, layers.BetaName: {0, true},
		layers.RunningMeanName: {0, false}, layers.RunningVarName: {1, false},
	}
	for name, w := range want {
		v := store.GetVariable("/bn/" + name)
		if v == nil {
			t.Fatalf("BatchNorm did not create %s", name)
		}
		if v.Trainable != w.trainable {
			t.Errorf("%s trainable = %t, want %t", name, v.Trainable, w.trainable)
		}
		checkClose(t, name, getVar(t, store, "/bn/"+name), []float32{w.value, w.value, w.value, w.value}, 0)
	}
}

// TestDenseBatchNorm checks the folded evaluation of Dense then BatchNorm against the two layers run one after
// the other, with non-trivial weights, affine parameters and running statistics.
func TestDenseBatchNorm(t *testing.T) {
	const in, out, n = 5, 4, 6
	store := model.NewStore()
	setVar(t, store, "fc", layers.WeightsName, randFlat(21, in*out, -1, 1), in, out)
	setVar(t, store, "fc", layers.BiasesName, randFlat(22, out, -1, 1), out)
	setVar(t, store, "bn", layers.GammaName, randFlat(23, out, 0.5, 2), out)
	setVar(t, store, "bn", layers.BetaName, randFlat(24, out, -1, 1), out)
	setVar(t, store, "bn", layers.RunningMeanName, randFlat(25, out, -2, 2), out)
	setVar(t, store, "bn", layers.RunningVarName, randFlat(26, out, 0.1, 3), out)
	x := randFlat(27, n*in, -3, 3)
	twoLayers := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.BatchNorm(scope.In("bn"), layers.Dense(scope.In("fc"), x, out))
	}
	folded := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.DenseBatchNorm(scope.In("fc"), scope.In("bn"), x, out)
	}
	want, _ := runLayer(t, store, false, twoLayers, x, n, in)
	got, dims := runLayer(t, store, false, folded, x, n, in)
	if !equalDims(dims, []int{n, out}) {
		t.Fatalf("shape %v, want [%d %d]", dims, n, out)
	}
	checkClose(t, "DenseBatchNorm", got, want, 1e-5)
}
