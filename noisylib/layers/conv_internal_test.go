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

// TestConv2DMaxPoolSameBits checks that Conv2DMaxPool gives Conv2DWith → [BatchNorm →] ReLU → MaxPool2x2's
// output and the gradients of every variable bit for bit, and their input gradient up to float32 rounding, in
// training, on LeNet-5's two convolutions at batch 128 (the products' size in training), a strided one and odd
// output sizes (the fallback). The inputs take few distinct values and ReLU zeroes about half of the outputs,
// so many pooling windows hold ties.
func TestConv2DMaxPoolSameBits(t *testing.T) {
	cases := []struct {
		dims           [4]int // x: batch, H, W, C
		out            int
		kernel, stride [2]int
	}{
		{[4]int{128, 28, 28, 1}, 6, [2]int{5, 5}, [2]int{1, 1}},  // LeNet-5 conv1: 24 × 24
		{[4]int{128, 12, 12, 6}, 16, [2]int{5, 5}, [2]int{1, 1}}, // LeNet-5 conv2: 8 × 8
		{[4]int{8, 13, 29, 2}, 5, [2]int{4, 10}, [2]int{1, 2}},   // strided: 10 × 10
		{[4]int{8, 12, 11, 3}, 4, [2]int{4, 2}, [2]int{1, 1}},    // 9 × 10: odd rows, the layers as they are
		{[4]int{8, 11, 12, 3}, 4, [2]int{2, 4}, [2]int{1, 1}},    // 10 × 9: odd columns
	}
	for _, c := range cases {
		for _, withBN := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v_k%v_s%v_bn=%t", c.dims, c.kernel, c.stride, withBN), func(t *testing.T) {
				checkConv2DMaxPool(t, c.dims, c.out, c.kernel, c.stride, withBN)
			})
		}
	}
}

// checkConv2DMaxPool runs one case of TestConv2DMaxPoolSameBits.
func checkConv2DMaxPool(t *testing.T, dims [4]int, out int, kernel, stride [2]int, withBN bool) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, uint64(dims[1])))
	flat := make([]float32, dims[0]*dims[1]*dims[2]*dims[3])
	for i := range flat {
		flat[i] = float32(rng.IntN(5)) / 4 // 0, ¼, ½, ¾, 1: many equal products
	}
	store := model.NewStore()
	e := model.MustNewExec(b, store, func(scope *model.Scope, x *Node) []*Node {
		g := x.Graph()
		store.SetTraining(g, true)
		var bn *model.Scope
		conv := scope.In("conv")
		layered := Conv2DWith(conv, x, out, kernel, stride, nil)
		if withBN {
			bn = scope.In("bn")
			layered = BatchNorm(bn, layered)
		}
		layered = MaxPool2x2(ReLU(layered))
		fused := Conv2DMaxPool(conv, x, out, kernel, stride, nil, bn, ReLU)
		r := Const(g, tensors.FromFlatDataAndDimensions(randFloats(fused.Shape().Size()), fused.Shape().Dimensions...))
		wrt := []*Node{x}
		for v := range store.IterVariables() {
			if v.Trainable {
				wrt = append(wrt, v.NodeValue(g))
			}
		}
		want := 3 // x, weights, biases
		if withBN {
			want += 2 // γ, β
		}
		if len(wrt) != want {
			t.Fatalf("%d inputs and trainable variables, want %d", len(wrt), want)
		}
		outs := []*Node{fused, layered}
		outs = append(outs, Gradient(ReduceAllSum(Mul(fused, r)), wrt...)...)
		return append(outs, Gradient(ReduceAllSum(Mul(layered, r)), wrt...)...)
	})
	res, err := e.Call(tensors.FromFlatDataAndDimensions(flat, dims[:]...))
	if err != nil {
		t.Fatal(err)
	}
	v := make([][]float32, len(res))
	for i, o := range res {
		v[i] = tensors.MustCopyFlatData[float32](o)
	}
	sameBits(t, "output", v[0], v[1])
	grads := (len(v) - 2) / 2
	for i := 1; i < grads; i++ {
		sameBits(t, fmt.Sprintf("gradient of trainable variable %d", i-1), v[2+i], v[2+grads+i])
	}
	scale := 0.0
	for _, g := range v[2+grads] {
		scale = max(scale, math.Abs(float64(g)))
	}
	for i := range v[2] {
		if d := math.Abs(float64(v[2][i] - v[2+grads][i])); d > 1e-5*scale {
			t.Fatalf("d/dx[%d] = %g, want %g (the layers')", i, v[2][i], v[2+grads][i])
		}
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
