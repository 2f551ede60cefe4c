package layers

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Conv2D is a 2D convolution without padding ("valid"), like PyTorch's nn.Conv2d(C, out, kernel, stride)
// but on NHWC images: x [batch, H, W, C] → [batch, (H−kh)/sh+1, (W−kw)/sw+1, out].
//
// The weights are [kh·kw·C, out], ordered (kernel row, kernel column, input channel); they and the biases
// are initialised from U(±1/√(C·kh·kw)).
//
// It is computed as one matrix multiplication, which the pure-Go backend runs much faster than its generic
// convolution: the kh input rows of every output row are placed side by side ([batch·oh, kh·W·C], kh row
// crops copied by runs instead of the kh·kw strided slices of Im2Col; see crop) and multiplied by the weights
// expanded to a banded (row-Toeplitz) [kh·W·C, ow·out] matrix, which gives NHWC output without any
// transposition. The bias is added on the [batch·oh, ow·out] product, tiled ow times (vectorised). When the
// weight gradient needs the rows transposed (stride 1 and rows outnumbering outputs, as in a first layer), it
// builds them from one transposition of x instead (kernelRowsT): the same values, so the same gradient.
func Conv2D(scope *model.Scope, x *Node, out int, kernel, stride [2]int) *Node {
	return Conv2DWith(scope, x, out, kernel, stride, nil)
}

// Conv2DWith is Conv2D computed with weights(W) instead of W ([kh·kw·C, out]); the stored variable is W, so
// the gradient reaches W through weights. With weights nil it is Conv2D.
func Conv2DWith(scope *model.Scope, x *Node, out int, kernel, stride [2]int, weights WeightsFunc) *Node {
	y, oh, ow, _ := convProduct(scope, x, out, kernel, stride, weights, false)
	return Reshape(y, x.Shape().Dimensions[0], oh, ow, out)
}

// Conv2DMaxPool is Conv2DWith, then BatchNorm in scope bn (nil: none), then act (an element-wise function,
// e.g. ReLU; nil: none), then MaxPool2x2, like PyTorch's Conv2d → BatchNorm2d → ReLU → MaxPool2d(2), computed
// without the short copies that pooling NHWC columns takes (runs of C values): the convolution's product gives
// its output columns in parity order (every even output column, then every odd one), so that the two columns
// of every pooling window lie in the two halves of a row. x [batch, H, W, C] → [batch, oh/2, ow/2, out] for the
// convolution's output size oh × ow; when oh or ow is odd it is the layers as they are.
//
// Its output and the gradients of the weights, biases, γ and β are bit-identical to the layers' (the columns
// are put back in order before anything sums over them; tested). The gradient reaching x sums over the output
// columns in parity order, so it equals theirs only up to float32 rounding: use it where no gradient reaches
// x, e.g. on a model's input.
func Conv2DMaxPool(scope *model.Scope, x *Node, out int, kernel, stride [2]int, weights WeightsFunc,
	bn *model.Scope, act func(*Node) *Node) *Node {
	if act == nil {
		act = func(y *Node) *Node { return y }
	}
	batch := x.Shape().Dimensions[0]
	y, oh, ow, parity := convProduct(scope, x, out, kernel, stride, weights, true)
	if !parity {
		y = Reshape(y, batch, oh, ow, out)
		if bn != nil {
			y = BatchNorm(bn, y)
		}
		return MaxPool2x2(act(y))
	}
	if bn != nil {
		y = batchNorm(bn, y, 0, &channelsView{w: ow, parity: true})
	}
	y = pairMax(Reshape(act(y), batch*oh, 2, ow/2*out))                                  // the two columns of every window
	return Reshape(pairMax(Reshape(y, batch*oh/2, 2, ow/2*out)), batch, oh/2, ow/2, out) // the two rows
}

// convProduct returns Conv2DWith's output as the product [batch·oh, ow·out] and oh, ow. When parity is asked
// for and oh and ow are even, its columns are in parity order (see Conv2DMaxPool) and it returns parity true.
func convProduct(scope *model.Scope, x *Node, out int, kernel, stride [2]int, weights WeightsFunc,
	parity bool) (y *Node, oh, ow int, inParity bool) {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("layers.Conv2D: input must be NHWC [batch, H, W, C], got shape %s", x.Shape()))
	}
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	kh, kw := kernel[0], kernel[1]
	sh, sw := max(1, stride[0]), max(1, stride[1])
	oh, ow = (h-kh)/sh+1, (w-kw)/sw+1
	if oh < 1 || ow < 1 {
		panic(fmt.Sprintf("layers.Conv2D: kernel %v larger than input %dx%d", kernel, h, w))
	}
	fanIn := kh * kw * c
	bound := torchBound(fanIn)
	wt := uniformParam(scope, WeightsName, bound, fanIn, out).NodeValue(x.Graph())
	b := uniformParam(scope, BiasesName, bound, out).NodeValue(x.Graph())
	if weights != nil {
		wt = weights(wt)
	}
	rows := Reshape(kernelRows(x, kh, sh), batch*oh, kh*w*c)
	var rowsT func() *Node
	if sh == 1 {
		rowsT = func() *Node { return kernelRowsT(x, kh) }
	}
	banded, bias := bandedWeights(wt, kh, kw, c, out, w, ow, sw), ExpandAxes(tileChannels(b, ow), 0)
	inParity = parity && oh%2 == 0 && ow%2 == 0
	if inParity {
		banded, bias = parityColumns(banded, ow, out), parityColumns(bias, ow, out)
	}
	return Add(matMulRowsT(rows, banded, rowsT), bias), oh, ow, inParity
}

// naturalColumns is the inverse of parityColumns: m [R, ow·out] in parity order back in order.
func naturalColumns(m *Node, ow, out int) *Node {
	r := m.Shape().Dimensions[0]
	return Reshape(Transpose(Reshape(m, r, 2, ow/2, out), 1, 2), r, ow*out)
}

// parityColumns reorders the columns (ox, o) of m [R, ow·out] (ow even) to (ox mod 2, ⌊ox/2⌋, o): every even
// output column, then every odd one. Its gradient (GoMLX's, a transposition) puts them back in order.
func parityColumns(m *Node, ow, out int) *Node {
	r := m.Shape().Dimensions[0]
	return Reshape(Transpose(Reshape(m, r, ow/2, 2, out), 1, 2), r, ow*out)
}

// kernelRows returns, for NHWC x, the kh input rows under each output row side by side:
// [batch, oh, kh·W·C] with element (n, oy, (i, col, ch)) = x[n, oy·sh + i, col, ch].
func kernelRows(x *Node, kh, sh int) *Node {
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	oh := (h-kh)/sh + 1
	if kh == 1 && sh == 1 {
		return Reshape(x, batch, oh, w*c)
	}
	rows := make([]*Node, kh)
	for i := range kh {
		if sh == 1 {
			rows[i] = Reshape(crop(x, 1, i, i+oh), batch, oh, w*c)
		} else {
			rows[i] = Reshape(Slice(x, AxisRange(), AxisRange(i, i+(oh-1)*sh+1).Stride(sh)), batch, oh, w*c)
		}
	}
	return concat(rows, 2)
}

// kernelRowsT returns the transposed rows of kernelRows(x, kh, 1): [kh·W·C, batch·oh] with element
// ((i, col, ch), (n, oy)) = x[n, oy + i, col, ch]. It transposes x once ([batch·H, W·C], kh·oh/H times fewer
// elements than the rows) and copies kh crops of it by runs, instead of transposing the rows themselves. The
// weight gradient of the first convolution (whose rows outnumber its outputs) uses it.
func kernelRowsT(x *Node, kh int) *Node {
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	oh := h - kh + 1
	xt := Reshape(transpose2D(Reshape(x, batch*h, w*c)), w*c, batch, h)
	rows := make([]*Node, kh)
	for i := range kh {
		rows[i] = Reshape(crop(xt, 2, i, i+oh), w*c, batch*oh)
	}
	return concat(rows, 0)
}

// bandedWeights expands the [kh·kw·C, out] weights to the [kh·W·C, ow·out] matrix B with
// B[(i, col, ch), (ox, o)] = weights[(i, col − ox·sw, ch), o] when 0 ≤ col − ox·sw < kw and 0 otherwise, so that
// kernelRows(x)·B is the convolution. It is a contraction with a constant 0/1 selection tensor, so gradients
// flow back to the weights.
func bandedWeights(wt *Node, kh, kw, c, out, w, ow, sw int) *Node {
	sel := make([]float32, kw*w*ow) // sel[j, col, ox] = 1 iff col = ox·sw + j.
	for j := range kw {
		for ox := range ow {
			sel[(j*w+ox*sw+j)*ow+ox] = 1
		}
	}
	selection := ConstTensor(wt.Graph(), tensors.FromFlatDataAndDimensions(sel, kw, w, ow))
	if wt.DType() != selection.DType() {
		selection = ConvertDType(selection, wt.DType())
	}
	banded := Einsum("ijco,jwx->iwcxo", Reshape(wt, kh, kw, c, out), selection)
	return Reshape(banded, kh*w*c, ow*out)
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
// rows/columns dropped. Its gradient goes, like PyTorch's, to the first maximum of each window in row-major
// order only. Ties are common (ReLU of a bias over MNIST's blank background); GoMLX's ReduceMax gradient,
// used here before, gives every tied element the whole gradient.
//
// It is computed as two element-wise maxima of window halves (pairMax of columns, then of rows: ties go to
// the first column of the first row that holds the maximum, PyTorch's order), copied out by runs (see crop),
// which the pure-Go backend runs several times faster than a ReduceMax over a 6-axis reshape and its generic
// gradient.
func MaxPool2x2(x *Node) *Node {
	dims := x.Shape().Dimensions
	batch, h, w, c := dims[0], dims[1], dims[2], dims[3]
	oh, ow := h/2, w/2
	x = crop(crop(x, 1, 0, oh*2), 2, 0, ow*2)
	x = pairMax(Reshape(x, batch*oh*2*ow, 2, c))                             // the two columns of every window row
	return Reshape(pairMax(Reshape(x, batch*oh, 2, ow*c)), batch, oh, ow, c) // the two rows of every window
}

// pairMax returns the element-wise maximum of the two halves of x [M, 2, D]: [M, 1, D]. Its gradient goes to
// the first half where it is ≥ the second and to the second elsewhere (ties to the first), written at once as
// one concatenation of two selects (GoMLX's generic Max gradient takes two Sign passes, a comparison and
// two products, and the gradients of the two halves would be padded to x's size and added). The gradients
// are attached as in matMul: the generic ones of the halves are built but never used, so never computed.
func pairMax(x *Node) *Node {
	var v *Node // output gradient, set during the reverse pass
	var xs, a, b *Node
	xs = IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
		if v == nil {
			panic("layers: pairMax's output gradient was not computed before its input's: GoMLX's reverse pass order changed")
		}
		first, zero := GreaterOrEqual(a, b), ScalarZero(x.Graph(), x.DType())
		return concat([]*Node{Where(first, v, zero), Where(first, zero, v)}, 1)
	})
	a, b = crop(xs, 1, 0, 1), crop(xs, 1, 1, 2)
	return IdentityWithCustomGradient(Max(a, b), func(_, vy *Node) *Node {
		v = vy
		return vy
	})
}
