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
// gradients, on shapes that take both branches of weightGradient, also when the product is used twice.
func TestMatMulGradients(t *testing.T) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	randT := func(dims ...int) *tensors.Tensor {
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
	for _, sz := range [][3]int{{5, 7, 3}, {4, 9, 2}, {128, 64, 10}, {6, 1, 4}} {
		m, k, n := sz[0], sz[1], sz[2]
		if m*k <= m*n+k*n {
			t.Logf("[%d,%d]·[%d,%d]: d/dw as xᵀ·v", m, k, k, n)
		} else {
			t.Logf("[%d,%d]·[%d,%d]: d/dw as (vᵀ·x)ᵀ", m, k, k, n)
		}
		build := func(mm func(x, w *Node) *Node) func(x, w, r *Node) []*Node {
			return func(x, w, r *Node) []*Node {
				y := mm(x, w)
				// Use y twice (the gradient arriving at y is the sum of both), with a non-linearity.
				loss := Add(ReduceAllSum(Mul(y, r)), ReduceAllSum(Square(y)))
				grads := Gradient(loss, x, w)
				return []*Node{y, grads[0], grads[1]}
			}
		}
		x, w, r := randT(m, k), randT(k, n), randT(m, n)
		want, err := MustNewExec(b, build(MatMul)).Exec(x, w, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MustNewExec(b, build(matMul)).Exec(x, w, r)
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range []string{"value", "d/dx", "d/dw"} {
			if !got[i].Shape().Equal(want[i].Shape()) {
				t.Fatalf("%v %s: shape %s, want %s", sz, name, got[i].Shape(), want[i].Shape())
			}
			g, wv := tensors.MustCopyFlatData[float32](got[i]), tensors.MustCopyFlatData[float32](want[i])
			scale := 0.0
			for _, v := range wv {
				scale = max(scale, math.Abs(float64(v)))
			}
			for j := range g {
				// Float32 sums in another order: allow a few ulps of the largest value per summed term.
				if math.Abs(float64(g[j]-wv[j])) > 1e-7*float64(max(m, k, n))*max(scale, 1) {
					t.Errorf("%v %s[%d] = %g, want %g", sz, name, j, g[j], wv[j])
					break
				}
			}
		}
	}
}
