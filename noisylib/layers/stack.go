package layers

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"
)

// The *Stack layers run K models of the same architecture side by side in one graph, e.g. to train K noise
// levels at once: values carry a leading model axis ([K, batch, features]) and every variable a leading axis
// of K, initialised to K copies of the single-model layer's initial values (same scope path and init seed).
// Model k's slice computes exactly what the single-model layer computes on its slice.

// DenseStack is Dense for K stacked models: x [K, batch, in], weights [K, in, out], biases [K, out].
func DenseStack(scope *model.Scope, x *Node, out int) *Node {
	if x.Rank() != 3 {
		panic(fmt.Sprintf("layers.DenseStack: input must be [models, batch, features], got shape %s", x.Shape()))
	}
	k, in := x.Shape().Dimensions[0], x.Shape().Dimensions[2]
	bound := torchBound(in)
	w := stackedParam(scope, WeightsName, k, bound, 0, true, in, out).NodeValue(x.Graph())
	b := stackedParam(scope, BiasesName, k, bound, 0, true, out).NodeValue(x.Graph())
	y := batchMatMul(x, w) // [K, batch, out]
	return Add(y, ExpandAxes(b, 1))
}
