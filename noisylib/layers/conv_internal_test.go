package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
)

// TestConv2DMaxPoolSameBits checks that Conv2DMaxPool gives Conv2DWith → ReLU → MaxPool2x2's output and weight
// and bias gradients bit for bit, and their input gradient up to float32 rounding, on LeNet-5's two
// convolutions at batch 128 (the products' size in training), a strided one and odd output sizes (the
// fallback). The inputs take few distinct values and ReLU zeroes about half of the outputs, so many pooling
// windows hold ties.
func TestConv2DMaxPoolSameBits(t *testing.T) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dims           [4]int // x: batch, H, W, C
		out            int
		kernel, stride [2]int
	}{
		{[4]int{128, 28, 28, 1}, 6, [2]int{5, 5}, [2]int{1, 1}},  // LeNet-5 conv1: 24 × 24
		{[4]int{128, 12, 12, 6}, 16, [2]int{5, 5}, [2]int{1, 1}}, // LeNet-5 conv2: 8 × 8
		{[4]int{8, 13, 29, 2}, 5, [2]int{4, 10}, [2]int{1, 2}},   // strided: 10 × 10
		{[4]int{8, 12, 11, 3}, 4, [2]int{4, 2}, [2]int{1, 1}},    // 9 × 10: odd rows, the three layers
		{[4]int{8, 11, 12, 3}, 4, [2]int{2, 4}, [2]int{1, 1}},    // 10 × 9: odd columns
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v_k%v_s%v", c.dims, c.kernel, c.stride), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(c.dims[1])))
			flat := make([]float32, c.dims[0]*c.dims[1]*c.dims[2]*c.dims[3])
			for i := range flat {
				flat[i] = float32(rng.IntN(5)) / 4 // 0, ¼, ½, ¾, 1: many equal products
			}
			store := model.NewStore()
			e := model.MustNewExec(b, store, func(scope *model.Scope, x *Node) []*Node {
				scope = scope.In("conv")
				fused := Conv2DMaxPool(scope, x, c.out, c.kernel, c.stride, nil, ReLU)
				layered := MaxPool2x2(ReLU(Conv2DWith(scope, x, c.out, c.kernel, c.stride, nil)))
				r := Const(x.Graph(), tensors.FromFlatDataAndDimensions(
					randFloats(fused.Shape().Size()), fused.Shape().Dimensions...))
				wrt := []*Node{x, scope.GetVariable(WeightsName).NodeValue(x.Graph()),
					scope.GetVariable(BiasesName).NodeValue(x.Graph())}
				outs := []*Node{fused, layered}
				outs = append(outs, Gradient(ReduceAllSum(Mul(fused, r)), wrt...)...)
				return append(outs, Gradient(ReduceAllSum(Mul(layered, r)), wrt...)...)
			})
			res, err := e.Call(tensors.FromFlatDataAndDimensions(flat, c.dims[:]...))
			if err != nil {
				t.Fatal(err)
			}
			v := make([][]float32, len(res))
			for i, o := range res {
				v[i] = tensors.MustCopyFlatData[float32](o)
			}
			sameBits(t, "output", v[0], v[1])
			sameBits(t, "d/dweights", v[3], v[6])
			sameBits(t, "d/dbiases", v[4], v[7])
			scale := 0.0
			for _, g := range v[5] {
				scale = max(scale, math.Abs(float64(g)))
			}
			for i := range v[2] {
				if d := math.Abs(float64(v[2][i] - v[5][i])); d > 1e-5*scale {
					t.Fatalf("d/dx[%d] = %g, want %g (the three layers')", i, v[2][i], v[5][i])
				}
			}
		})
	}
}

// randFloats returns n seeded values uniform in [−1, 1).
func randFloats(n int) []float32 {
	rng := rand.New(rand.NewPCG(77, 1))
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(2*rng.Float64() - 1)
	}
	return v
}
