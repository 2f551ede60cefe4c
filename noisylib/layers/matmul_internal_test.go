package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
)

// TestMatMulGradients compares matMul's value and hand-written gradients with GoMLX's MatMul and its generic
// gradients, on shapes that take both branches of weightGradient (and, with M a multiple of 256, its padded
// transposition of x or of v), also when the product is used twice.
func TestMatMulGradients(t *testing.T) {
	randT := randTensors(1)
	for _, sz := range [][3]int{{5, 7, 3}, {4, 9, 2}, {128, 64, 10}, {6, 1, 4}, {512, 40, 48}, {256, 90, 36}} {
		m, k, n := sz[0], sz[1], sz[2]
		if m*k <= m*n+k*n {
			t.Logf("[%d,%d]·[%d,%d]: d/dw as xᵀ·v", m, k, k, n)
		} else {
			t.Logf("[%d,%d]·[%d,%d]: d/dw as (vᵀ·x)ᵀ", m, k, k, n)
		}
		compareGradients(t, MatMul, matMul, randT(m, k), randT(k, n), randT(m, n), max(m, k, n))
	}
}

// TestBatchMatMulGradients does the same for batchMatMul against GoMLX's DotGeneral with a batch axis.
func TestBatchMatMulGradients(t *testing.T) {
	randT := randTensors(2)
	ref := func(x, w *Node) *Node { return DotGeneral(x, []int{2}, []int{0}, w, []int{1}, []int{0}) }
	for _, sz := range [][4]int{{3, 5, 7, 2}, {8, 128, 64, 10}, {1, 6, 1, 4}} {
		k, m, d, n := sz[0], sz[1], sz[2], sz[3]
		compareGradients(t, ref, batchMatMul, randT(k, m, d), randT(k, d, n), randT(k, m, n), max(m, d, n))
	}
}

// randTensors returns a source of tensors with values uniform in [−1, 1).
func randTensors(seed uint64) func(dims ...int) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 2))
	return func(dims ...int) *tensors.Tensor {
		n := 1
		for _, d := range dims {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.Float64()*2 - 1)
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
}

// compareGradients checks that ours(x, w) has the value and the gradients (with respect to x and w) of
// ref(x, w), with the product used twice (the gradient arriving at it is the sum of both) and a
// non-linearity; terms is the longest sum, which bounds the rounding difference.
func compareGradients(t *testing.T, ref, ours func(x, w *Node) *Node, x, w, r *tensors.Tensor, terms int) {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	build := func(mm func(x, w *Node) *Node) func(x, w, r *Node) []*Node {
		return func(x, w, r *Node) []*Node {
			y := mm(x, w)
			loss := Add(ReduceAllSum(Mul(y, r)), ReduceAllSum(Square(y)))
			grads := Gradient(loss, x, w)
			return []*Node{y, grads[0], grads[1]}
		}
	}
	want, err := MustNewExec(b, build(ref)).Exec(x, w, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := MustNewExec(b, build(ours)).Exec(x, w, r)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"value", "d/dx", "d/dw"} {
		if !got[i].Shape().Equal(want[i].Shape()) {
			t.Fatalf("%s × %s %s: shape %s, want %s", x.Shape(), w.Shape(), name, got[i].Shape(), want[i].Shape())
		}
		g, wv := tensors.MustCopyFlatData[float32](got[i]), tensors.MustCopyFlatData[float32](want[i])
		scale := 0.0
		for _, v := range wv {
			scale = max(scale, math.Abs(float64(v)))
		}
		for j := range g {
			// Float32 sums in another order: allow a few ulps of the largest value per summed term.
			if math.Abs(float64(g[j]-wv[j])) > 1e-7*float64(terms)*max(scale, 1) {
				t.Errorf("%s × %s %s[%d] = %g, want %g", x.Shape(), w.Shape(), name, j, g[j], wv[j])
				break
			}
		}
	}
}
