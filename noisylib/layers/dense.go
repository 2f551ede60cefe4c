package layers

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"
)

// Dense returns x·W + b for x shaped [batch, in], like PyTorch's nn.Linear(in, out): weights [in, out] and
// biases [out] initialised from U(±1/√in).
func Dense(scope *model.Scope, x *Node, out int) *Node { return DenseWith(scope, x, out, nil) }

// WeightsFunc transforms a layer's weights node before the layer uses it, e.g. weight noise
// (noise.Injector.ApplyWeights); it must return a node of the weights' shape. nil leaves them unchanged.
type WeightsFunc func(w *Node) *Node

// DenseWith is Dense computed with weights(W) instead of W ([in, out]); the stored variable is W, so the
// gradient reaches W through weights. With weights nil it is Dense.
func DenseWith(scope *model.Scope, x *Node, out int, weights WeightsFunc) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("layers.Dense: input must be [batch, features], got shape %s", x.Shape()))
	}
	in := x.Shape().Dimensions[1]
	bound := torchBound(in)
	w := uniformParam(scope, WeightsName, bound, in, out).NodeValue(x.Graph())
	b := uniformParam(scope, BiasesName, bound, out).NodeValue(x.Graph())
	if weights != nil {
		w = weights(w)
	}
	return Add(matMul(x, w), ExpandLeftToRank(b, 2))
}

// DenseLinear returns x·W for x [batch, in]: the linear part of the Dense layer in scope (its weights W [in,
// out], without the biases), so that Dense(x + y) = Dense(x) + DenseLinear(y) in exact arithmetic. Meant for
// evaluation graphs: its gradient is GoMLX's generic one, not Dense's.
func DenseLinear(scope *model.Scope, x *Node, out int) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("layers.DenseLinear: input must be [batch, features], got shape %s", x.Shape()))
	}
	in := x.Shape().Dimensions[1]
	return MatMul(x, uniformParam(scope, WeightsName, torchBound(in), in, out).NodeValue(x.Graph()))
}

// Flatten reshapes [batch, ...] to [batch, features].
func Flatten(x *Node) *Node {
	if x.Rank() == 2 {
		return x
	}
	return Reshape(x, x.Shape().Dimensions[0], -1)
}

// ReLU returns max(x, 0) with PyTorch's gradient: 1 where x > 0 and 0 where x ≤ 0 (NaN propagates).
//
// It is written as a Where rather than MaxScalar: the same values and gradient, but the gradient of Where is
// one select instead of GoMLX's generic Max gradient (two Sign passes, a comparison and two products).
func ReLU(x *Node) *Node {
	zero := ScalarZero(x.Graph(), x.DType())
	return Where(LessOrEqual(x, zero), zero, x)
}

// ReLUNoGrad returns max(x, 0) like ReLU (NaN propagates), in one pass instead of two, for graphs that take
// no gradient through it (evaluation): its gradient at 0 is GoMLX's generic Max gradient, not PyTorch's.
func ReLUNoGrad(x *Node) *Node { return MaxScalar(x, 0) }
