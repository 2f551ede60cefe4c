package layers

import (
	"math"
	"slices"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
)

// Data movement (cropping, concatenation) in the form the pure-Go backend runs fast.
//
// The backend's Slice copies element by element through a generic index iterator (a few ns per element),
// while its Pad and Concatenate copy contiguous runs. GoMLX's gradients of Slice and Concatenate are Pad
// (fast) and Slice (slow), and its gradient of Pad is a Slice. Here a crop is a Pad with negative padding
// (which the backend accepts and copies by runs) and its gradient a zero padding, written as a concatenation
// with constant zero blocks; the gradient of a concatenation is one crop per input. Both are exactly the
// values GoMLX's own gradients give.
//
// GoMLX's Pad gradient cannot take negative padding and the graph package exposes no per-node custom
// gradient for ops with a different input shape, so the nodes built here are recorded in their graph's
// state and the gradient functions of Pad and Concatenate (graph.VJPRegistration) are wrapped once: for a
// recorded node they return the crops/pads above, for any other node they call GoMLX's own.

// moveKey is the graph state key of the crops and concatenations built by this file.
type moveKey struct{}

// cropAt is a crop's range [start, end) along its axis.
type cropAt struct{ axis, start, end int }

// moveNodes records, per graph, the range of every crop and the axis of every concatenation built here.
type moveNodes struct {
	crops   map[*Node]cropAt
	concats map[*Node]int
}

func movesOf(g *Graph) *moveNodes {
	if m, ok := g.State(moveKey{}).(*moveNodes); ok {
		return m
	}
	m := &moveNodes{crops: map[*Node]cropAt{}, concats: map[*Node]int{}}
	g.AttachState(moveKey{}, m)
	return m
}

func init() {
	padGrad, concatGrad := VJPRegistration[NodeTypePad], VJPRegistration[NodeTypeConcatenate]
	VJPRegistration[NodeTypePad] = func(node *Node, v []*Node, outputShape shapes.Shape) []*Node {
		if m, ok := node.Graph().State(moveKey{}).(*moveNodes); ok {
			if c, ok := m.crops[node]; ok {
				x, fill := node.Inputs()[0], node.Inputs()[1]
				return []*Node{padZeros(v[0], c.axis, c.start, x.Shape().Dimensions[c.axis]-c.end), ZerosLike(fill)}
			}
		}
		return padGrad(node, v, outputShape)
	}
	VJPRegistration[NodeTypeConcatenate] = func(node *Node, v []*Node, outputShape shapes.Shape) []*Node {
		if m, ok := node.Graph().State(moveKey{}).(*moveNodes); ok {
			if axis, ok := m.concats[node]; ok {
				grads := make([]*Node, 0, len(node.Inputs()))
				start := 0
				for _, in := range node.Inputs() {
					end := start + in.Shape().Dimensions[axis]
					grads = append(grads, crop(v[0], axis, start, end))
					start = end
				}
				return grads
			}
		}
		return concatGrad(node, v, outputShape)
	}
}

// cropFill is the fill value of a crop's Pad: negative zero. A crop never shows its fill value (every output
// element is copied from x), but the backend first fills Pad's whole output: with a fill value whose bytes are
// all zero it writes it element by element in a generic loop (≈ 10 % of a LeNet-5 training step), with any
// other value by doubling copies (memmove), several times faster.
var cropFill = math.Copysign(0, -1)

// crop returns the elements [start, end) of x along axis (like Slice with AxisRange(start, end) there), by
// runs instead of element by element; its gradient is a zero padding (padZeros).
func crop(x *Node, axis, start, end int) *Node {
	dims := x.Shape().Dimensions
	if start == 0 && end == dims[axis] {
		return x
	}
	cfg := make([]PadAxis, len(dims))
	cfg[axis] = PadAxis{Start: -start, End: end - dims[axis]}
	y := Pad(x, ConstAs(x, cropFill), cfg...)
	if y.Shape().Dimensions[axis] != end-start {
		panic("layers: internal error: crop gave shape " + y.Shape().String())
	}
	movesOf(x.Graph()).crops[y] = cropAt{axis, start, end}
	return y
}

// padZeros returns x with before zeros in front of and after zeros behind its elements along axis, as one
// concatenation with constant zero blocks (copies by runs; a zero-filled Pad would write every element twice,
// the first time in the backend's generic fill loop). Its gradient crops (see concat).
func padZeros(x *Node, axis, before, after int) *Node {
	xs := make([]*Node, 0, 3)
	zeros := func(n int) *Node {
		dims := slices.Clone(x.Shape().Dimensions)
		dims[axis] = n
		return ConstTensor(x.Graph(), tensors.FromShape(shapes.Make(x.DType(), dims...)))
	}
	if before > 0 {
		xs = append(xs, zeros(before))
	}
	xs = append(xs, x)
	if after > 0 {
		xs = append(xs, zeros(after))
	}
	return concat(xs, axis)
}

// concat is Concatenate(xs, axis) whose gradient crops by runs instead of slicing element by element.
func concat(xs []*Node, axis int) *Node {
	if len(xs) == 1 {
		return xs[0]
	}
	y := Concatenate(xs, axis)
	movesOf(y.Graph()).concats[y] = axis
	return y
}
