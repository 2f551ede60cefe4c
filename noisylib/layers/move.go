package layers

import (
	"slices"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
)

// Data movement (cropping, concatenation) in the form the pure-Go backend runs fast.
//
// The backend's Slice copies element by element through a generic index iterator (a few ns per element),
// while its Pad and Concatenate copy contiguous runs. GoMLX's gradients of Slice and Concatenate are Pad
// (fast) and Slice (slow), and its gradient of Pad is a Slice. Here a crop is a Pad with negative padding
// (which the backend accepts and copies by runs) and its gradient a Pad with the opposite padding; the
// gradient of a concatenation is one crop per input. Both are exactly the values GoMLX's own gradients give.
//
// GoMLX's Pad gradient cannot take negative padding and the graph package exposes no per-node custom
// gradient for ops with a different input shape, so the nodes built here are recorded in their graph's
// state and the gradient functions of Pad and Concatenate (graph.VJPRegistration) are wrapped once: for a
// recorded node they return the crops/pads above, for any other node they call GoMLX's own.

// moveKey is the graph state key of the crops and concatenations built by this file.
type moveKey struct{}

// moveNodes records, per graph, the padding of every crop and the axis of every concatenation built here.
type moveNodes struct {
	crops   map[*Node][]PadAxis
	concats map[*Node]int
}

func movesOf(g *Graph) *moveNodes {
	if m, ok := g.State(moveKey{}).(*moveNodes); ok {
		return m
	}
	m := &moveNodes{crops: map[*Node][]PadAxis{}, concats: map[*Node]int{}}
	g.AttachState(moveKey{}, m)
	return m
}

func init() {
	padGrad, concatGrad := VJPRegistration[NodeTypePad], VJPRegistration[NodeTypeConcatenate]
	VJPRegistration[NodeTypePad] = func(node *Node, v []*Node, outputShape shapes.Shape) []*Node {
		if m, ok := node.Graph().State(moveKey{}).(*moveNodes); ok {
			if cfg, ok := m.crops[node]; ok {
				x, fill := node.Inputs()[0], node.Inputs()[1]
				inverse := make([]PadAxis, len(cfg))
				for i, c := range cfg {
					inverse[i] = PadAxis{Start: -c.Start, End: -c.End}
				}
				return []*Node{pad(v[0], x.Shape().Dimensions, inverse), ZerosLike(fill)}
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

// pad returns x padded (positive) or cropped (negative) per axis by cfg (no interior padding), filled with
// zeros, recording the node so that its gradient is the opposite padding. dims is the expected output shape.
func pad(x *Node, dims []int, cfg []PadAxis) *Node {
	y := Pad(x, ScalarZero(x.Graph(), x.DType()), cfg...)
	if !slices.Equal(y.Shape().Dimensions, dims) {
		panic("layers: internal error: padding gave shape " + y.Shape().String())
	}
	movesOf(x.Graph()).crops[y] = cfg
	return y
}

// crop returns the elements [start, end) of x along axis (like Slice with AxisRange(start, end) there), by
// runs instead of element by element; its gradient is a zero padding.
func crop(x *Node, axis, start, end int) *Node {
	dims := x.Shape().Dimensions
	if start == 0 && end == dims[axis] {
		return x
	}
	cfg := make([]PadAxis, len(dims))
	cfg[axis] = PadAxis{Start: -start, End: end - dims[axis]}
	out := append([]int(nil), dims...)
	out[axis] = end - start
	return pad(x, out, cfg)
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
