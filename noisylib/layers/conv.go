package layers

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"
)

// Conv2D is a 2D convolution without padding ("valid"), like PyTorch's nn.Conv2d(C, out, kernel, stride)
// but on NHWC images: x [batch, H, W, C] → [batch, (H−kh)/sh+1, (W−kw)/sw+1, out].
//
// It is computed as im2col + one matrix multiplication, which the pure-Go backend runs much faster than its
// generic convolution. The weights are [kh·kw·C, out], ordered (kernel row, kernel column, input channel);
// they and the biases are initialised from U(±1/√(C·kh·kw)).
func Conv2D(scope *model.Scope, x *Node, out int, kernel, stride [2]int) *Node {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("layers.Conv2D: input must be NHWC [batch, H, W, C], got shape %s", x.Shape()))
	}
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	kh, kw := kernel[0], kernel[1]
	sh, sw := max(1, stride[0]), max(1, stride[1])
	oh, ow := (h-kh)/sh+1, (w-kw)/sw+1
	if oh < 1 || ow < 1 {
		panic(fmt.Sprintf("layers.Conv2D: kernel %v larger than input %dx%d", kernel, h, w))
	}
	fanIn := kh * kw * c
	bound := torchBound(fanIn)
	wt := uniformParam(scope, WeightsName, bound, fanIn, out).NodeValue(x.Graph())
	b := uniformParam(scope, BiasesName, bound, out).NodeValue(x.Graph())
	patches := Im2Col(x, kernel, [2]int{sh, sw})
	y := MatMul(Reshape(patches, batch*oh*ow, fanIn), wt)
	return Reshape(Add(y, ExpandLeftToRank(b, 2)), batch, oh, ow, out)
}

// Im2Col returns the kernel-sized patches of NHWC x as [batch, oh, ow, kh·kw·C], ordered
// (kernel row, kernel column, channel), for a valid (unpadded) convolution with the given stride.
func Im2Col(x *Node, kernel, stride [2]int) *Node {
	dims := x.Shape().Dimensions
	h, w := dims[1], dims[2]
	kh, kw := kernel[0], kernel[1]
	sh, sw := stride[0], stride[1]
	oh, ow := (h-kh)/sh+1, (w-kw)/sw+1
	slices := make([]*Node, 0, kh*kw)
	for i := range kh {
		for j := range kw {
			slices = append(slices, Slice(x,
				AxisRange(),
				AxisRange(i, i+(oh-1)*sh+1).Stride(sh),
				AxisRange(j, j+(ow-1)*sw+1).Stride(sw),
				AxisRange()))
		}
	}
	return Concatenate(slices, 3)
}

// MaxPool2x2 is PyTorch's nn.MaxPool2d(2) on NHWC images: non-overlapping 2×2 windows, odd trailing
// rows/columns dropped. It is built from Reshape + ReduceMax, whose gradient the pure-Go backend supports.
func MaxPool2x2(x *Node) *Node {
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	oh, ow := h/2, w/2
	if oh*2 != h || ow*2 != w {
		x = Slice(x, AxisRange(), AxisRange(0, oh*2), AxisRange(0, ow*2), AxisRange())
	}
	x = Reshape(x, batch, oh, 2, ow, 2, c)
	return ReduceMax(x, 2, 4)
}
