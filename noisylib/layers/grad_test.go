package layers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// lossExec builds loss = sum(fn(x)·r), with r a fixed pseudo-random tensor of the output's shape, and returns
// the loss and its gradients w.r.t. x and the variables at varPaths (created by fn).
func lossExec(t *testing.T, store *model.Store, training bool, fn layerFn, varPaths ...string) *model.Exec {
	t.Helper()
	return model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		g := x.Graph()
		scope.Store().SetTraining(g, training)
		y := fn(scope, x)
		r := graph.Const(g, tensors.FromFlatDataAndDimensions(randFlat(77, y.Shape().Size(), -1, 1), y.Shape().Dimensions...))
		loss := graph.ReduceAllSum(graph.Mul(y, r))
		wrt := []*graph.Node{x}
		for _, p := range varPaths {
			wrt = append(wrt, store.GetVariable(p).NodeValue(g))
		}
		return append([]*graph.Node{loss}, graph.Gradient(loss, wrt...)...)
	})
}

// checkFiniteDifferences compares the graph's gradients w.r.t. x and the variables at varPaths with central
// finite differences (ε = 1e-2) of the loss computed by the same graph, and returns the gradient w.r.t. x.
func checkFiniteDifferences(t *testing.T, store *model.Store, training bool, fn layerFn, x []float32, dims []int, varPaths ...string) []float32 {
	t.Helper()
	const eps, rel = 1e-2, 2e-2
	e := lossExec(t, store, training, fn, varPaths...)
	call := func(x []float32) []*tensors.Tensor {
		outs, err := e.Call(tensors.FromFlatDataAndDimensions(x, dims...))
		if err != nil {
			t.Fatalf("executing: %v", err)
		}
		return outs
	}
	lossAt := func(x []float32) float64 { return float64(tensors.MustCopyFlatData[float32](call(x)[0])[0]) }
	outs := call(x)
	check := func(name string, grad []float32, perturb func(i int, delta float32) float64) {
		scale := 0.0
		for _, g := range grad {
			scale = max(scale, math.Abs(float64(g)))
		}
		if scale == 0 {
			t.Fatalf("%s: gradient is all zero", name)
		}
		for i, g := range grad {
			fd := (perturb(i, eps) - perturb(i, -eps)) / (2 * eps)
			if d := math.Abs(fd - float64(g)); d > rel*max(math.Abs(fd), 0.1*scale) {
				t.Errorf("%s[%d]: gradient %.5g, finite differences %.5g", name, i, g, fd)
			}
		}
	}
	check("d/dx", tensors.MustCopyFlatData[float32](outs[1]), func(i int, delta float32) float64 {
		xp := append([]float32(nil), x...)
		xp[i] += delta
		return lossAt(xp)
	})
	for k, p := range varPaths {
		v := store.GetVariable(p)
		orig := v.MustValue()
		vdims := append([]int(nil), orig.Shape().Dimensions...) // SetValue finalizes the old tensor.
		flat := tensors.MustCopyFlatData[float32](orig)
		check("d/d"+p, tensors.MustCopyFlatData[float32](outs[2+k]), func(i int, delta float32) float64 {
			vp := append([]float32(nil), flat...)
			vp[i] += delta
			v.MustSetValue(tensors.FromFlatDataAndDimensions(vp, vdims...))
			return lossAt(x)
		})
		v.MustSetValue(tensors.FromFlatDataAndDimensions(flat, vdims...))
	}
	return tensors.MustCopyFlatData[float32](outs[1])
}

func TestGradientDense(t *testing.T) {
	fn := func(scope *model.Scope, x *graph.Node) *graph.Node { return layers.Dense(scope.In("fc"), x, 3) }
	store := model.NewStore()
	checkFiniteDifferences(t, store, true, fn, randFlat(1, 2*5, -1, 1), []int{2, 5}, "/fc/weights", "/fc/biases")
}

func TestGradientConv2D(t *testing.T) {
	fn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.Conv2D(scope.In("conv"), x, 2, [2]int{4, 10}, [2]int{1, 2})
	}
	store := model.NewStore()
	checkFiniteDifferences(t, store, true, fn, randFlat(2, 5*13*2, -1, 1), []int{1, 5, 13, 2}, "/conv/weights", "/conv/biases")
}

func TestGradientMaxPool2x2(t *testing.T) {
	// Distinct values at least 0.05 apart, so ±ε never changes the arg-max of a window.
	const n = 2 * 5 * 5 * 2
	x := make([]float32, n)
	for i, p := range randPerm(3, n) {
		x[i] = 0.05 * float32(p)
	}
	fn := func(_ *model.Scope, x *graph.Node) *graph.Node { return layers.MaxPool2x2(x) }
	grad := checkFiniteDifferences(t, model.NewStore(), true, fn, x, []int{2, 5, 5, 2})
	nonZero := 0
	for _, g := range grad {
		if g != 0 {
			nonZero++
		}
	}
	if want := 2 * 2 * 2 * 2; nonZero != want { // One arg-max per output element.
		t.Errorf("%d non-zero gradient elements, want %d (one per pooling window)", nonZero, want)
	}
}

// randPerm returns a seeded permutation of 0..n-1.
func randPerm(seed uint64, n int) []int {
	keys := randFlat(seed, n, 0, 1)
	p := make([]int, n)
	for i := range p {
		for j := range p {
			if keys[j] < keys[i] {
				p[i]++
			}
		}
	}
	return p
}

func TestGradientBatchNormTraining(t *testing.T) {
	const f = 3
	dims := []int{2, 2, 2, f}
	x := randFlat(4, 2*2*2*f, -2, 3)
	gamma := []float32{0.5, 1.5, 2}
	store := model.NewStore()
	setVar(t, store, "bn", layers.GammaName, gamma, f)
	grad := checkFiniteDifferences(t, store, true, bn, x, dims, "/bn/gamma", "/bn/beta")

	// The analytic gradient of sum(BN(x)·r): (γ/σ)(r − mean(r) − x̂·mean(r·x̂)) per feature; with the statistics
	// treated as constants it would be just γ·r/σ.
	r := randFlat(77, len(x), -1, 1) // The r of lossExec.
	mean, variance := featureStats(x, f)
	n := float64(len(x) / f)
	meanR, meanRX := make([]float64, f), make([]float64, f)
	xhat := make([]float64, len(x))
	for i, v := range x {
		k := i % f
		xhat[i] = (float64(v) - mean[k]) / math.Sqrt(variance[k]+layers.BatchNormEpsilon)
		meanR[k] += float64(r[i]) / n
		meanRX[k] += float64(r[i]) * xhat[i] / n
	}
	full, stopped := make([]float32, len(x)), make([]float32, len(x))
	for i := range x {
		k := i % f
		s := float64(gamma[k]) / math.Sqrt(variance[k]+layers.BatchNormEpsilon)
		full[i] = float32(s * (float64(r[i]) - meanR[k] - xhat[i]*meanRX[k]))
		stopped[i] = float32(s * float64(r[i]))
	}
	checkClose(t, "BatchNorm d/dx vs analytic", grad, full, 1e-3)
	maxDiff, scale := 0.0, 0.0
	for i := range grad {
		maxDiff = max(maxDiff, math.Abs(float64(grad[i]-stopped[i])))
		scale = max(scale, math.Abs(float64(stopped[i])))
	}
	if maxDiff < 0.1*scale {
		t.Errorf("BatchNorm gradient equals the one with stopped statistics (max diff %g): it must flow through the batch mean and variance", maxDiff)
	}
}

// TestReLUPyTorchSemantics: ReLU's gradient is 1 for x > 0 and 0 for x ≤ 0 (PyTorch's choice at 0), and a NaN
// input propagates to the output.
func TestReLUPyTorchSemantics(t *testing.T) {
	b := testBackend(t)
	e := graph.MustNewExec(b, func(x *graph.Node) (*graph.Node, *graph.Node) {
		y := layers.ReLU(x)
		return y, graph.Gradient(graph.ReduceAllSum(graph.Where(graph.IsNaN(y), graph.ZerosLike(y), y)), x)[0]
	})
	outs := e.MustExec([]float32{-1, 0, 2, float32(math.NaN())})
	y, g := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
	if y[0] != 0 || y[1] != 0 || y[2] != 2 || !math.IsNaN(float64(y[3])) {
		t.Errorf("ReLU(-1, 0, 2, NaN) = %v, want 0 0 2 NaN", y)
	}
	if g[0] != 0 || g[1] != 0 || g[2] != 1 {
		t.Errorf("ReLU gradient at -1, 0, 2 = %v, want 0 0 1", g[:3])
	}
}

// TestMaxPool2x2Ties checks PyTorch's rule for tied maxima (max_pool2d's backward): the whole gradient goes to
// the first maximum of the window in row-major order, nowhere else.
func TestMaxPool2x2Ties(t *testing.T) {
	windows := []struct {
		x     [4]float32 // row-major 2×2 window
		first int        // index of the first maximum
	}{
		{[4]float32{0.5, 0.5, 0.5, 0.5}, 0},
		{[4]float32{0.1, 0.7, 0.7, 0.7}, 1},
		{[4]float32{0.1, 0.2, 0.7, 0.7}, 2},
		{[4]float32{0, 0, 0, 0.3}, 3},
		{[4]float32{0.4, 0.1, 0.4, 0.2}, 0},
		{[4]float32{0.1, 0.4, 0.2, 0.4}, 1},
	}
	// One image per window, 2 channels: channel 0 holds the window, channel 1 its mirror (first and last swap).
	n := len(windows)
	x := make([]float32, n*2*2*2)
	for b, w := range windows {
		for i, v := range w.x {
			x[(b*4+i)*2] = v
			x[(b*4+3-i)*2+1] = v
		}
	}
	fn := func(_ *model.Scope, x *graph.Node) *graph.Node { return layers.MaxPool2x2(x) }
	outs, err := lossExec(t, model.NewStore(), true, fn).Call(tensors.FromFlatDataAndDimensions(x, n, 2, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	grad := tensors.MustCopyFlatData[float32](outs[1])
	for b, w := range windows {
		mirrored := w.x
		for i := range mirrored {
			mirrored[i] = w.x[3-i]
		}
		wantMirror := 0
		for i := range mirrored {
			if mirrored[i] > mirrored[wantMirror] {
				wantMirror = i
			}
		}
		for ch, want := range []int{w.first, wantMirror} {
			for i := range 4 {
				g := grad[(b*4+i)*2+ch]
				if (i == want) != (g != 0) {
					t.Errorf("window %v channel %d: gradient %v at %d, want non-zero only at %d", w.x, ch, g, i, want)
				}
			}
		}
	}
}
