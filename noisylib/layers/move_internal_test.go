package layers

import (
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
)

// execFloats runs fn on the inputs and returns its outputs' values.
func execFloats[F ExecGraphFn](t *testing.T, fn F, inputs ...any) [][]float32 {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := MustNewExec(b, fn).Exec(inputs...)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([][]float32, len(outs))
	for i, o := range outs {
		vals[i] = tensors.MustCopyFlatData[float32](o)
	}
	return vals
}

// sameBits fails unless got and want hold the same float32 values bit for bit (so +0 and −0 differ).
func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %g (bits %08x), want %g (bits %08x)", name, i, got[i], math.Float32bits(got[i]),
				want[i], math.Float32bits(want[i]))
		}
	}
}

// TestCropAndPadZeros checks crop against GoMLX's Slice and padZeros against a zero Pad, bit for bit (the
// crop's −0 fill value must never show, and the padding must be +0), and the gradients GoMLX takes through
// them against those of Slice and Pad.
func TestCropAndPadZeros(t *testing.T) {
	x := randTensors(3)(3, 5, 4)
	flat := tensors.MustCopyFlatData[float32](x)
	flat[0] = 0 // +0 must stay +0
	x = tensors.FromFlatDataAndDimensions(flat, 3, 5, 4)
	for axis := range 3 {
		dims := x.Shape().Dimensions
		start, end := 1, dims[axis]-1
		ours := execFloats(t, func(x *Node) []*Node {
			c := crop(x, axis, start, end)
			p := padZeros(x, axis, 2, 3)
			loss := Add(ReduceAllSum(Square(c)), ReduceAllSum(Mul(p, p)))
			return []*Node{c, p, Gradient(loss, x)[0]}
		}, x)
		want := execFloats(t, func(x *Node) []*Node {
			ranges := make([]SliceAxisSpec, 3)
			for a := range ranges {
				ranges[a] = AxisRange()
			}
			ranges[axis] = AxisRange(start, end)
			c := Slice(x, ranges...)
			cfg := make([]PadAxis, 3)
			cfg[axis] = PadAxis{Start: 2, End: 3}
			p := Pad(x, ScalarZero(x.Graph(), x.DType()), cfg...)
			loss := Add(ReduceAllSum(Square(c)), ReduceAllSum(Mul(p, p)))
			return []*Node{c, p, Gradient(loss, x)[0]}
		}, x)
		for i, name := range []string{"crop", "padZeros", "gradient"} {
			sameBits(t, name, ours[i], want[i])
		}
	}
}

// TestKernelRowsT checks that kernelRowsT holds exactly the transposed kernel rows, for several channels,
// a batch, and a batch·H that is a multiple of 256 (transpose2D's padded path).
func TestKernelRowsT(t *testing.T) {
	for _, dims := range [][4]int{{2, 7, 6, 3}, {32, 8, 9, 1}, {1, 5, 5, 2}} {
		batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
		for _, kh := range []int{1, 3, h} {
			oh := h - kh + 1
			got := execFloats(t, func(x *Node) *Node { return kernelRowsT(x, kh) }, randTensors(4)(dims[:]...))
			want := execFloats(t, func(x *Node) *Node {
				return Transpose(Reshape(kernelRows(x, kh, 1), batch*oh, kh*w*c), 0, 1)
			}, randTensors(4)(dims[:]...))
			sameBits(t, "kernelRowsT", got[0], want[0])
		}
	}
}
