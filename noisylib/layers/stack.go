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

// BatchNormStack is BatchNorm for K stacked models: x [K, batch, ..., features] is normalised per model over
// every axis but the first and the last; γ, β and the running statistics are [K, features].
func BatchNormStack(scope *model.Scope, x *Node) *Node {
	g := x.Graph()
	rank := x.Rank()
	k, features := x.Shape().Dimensions[0], x.Shape().Dimensions[rank-1]
	gamma := stackedParam(scope, GammaName, k, 0, 1, true, features).NodeValue(g)
	beta := stackedParam(scope, BetaName, k, 0, 0, true, features).NodeValue(g)
	runMeanVar := stackedParam(scope, RunningMeanName, k, 0, 0, false, features)
	runVarVar := stackedParam(scope, RunningVarName, k, 0, 1, false, features)
	axes := make([]int, rank-2)
	for i := range axes {
		axes[i] = i + 1
	}
	expand := func(v *Node) *Node { // [K, features] → [K, 1, ..., 1, features]
		return Reshape(v, append(append([]int{k}, ones(rank-2)...), features)...)
	}
	if scope.IsTraining(g) {
		n := x.Shape().Size() / (k * features)
		mean := ReduceMean(x, axes...)
		centered := Sub(x, expand(mean))
		variance := ReduceMean(Square(centered), axes...)
		unbiased := MulScalar(StopGradient(variance), float64(n)/float64(max(1, n-1)))
		m := BatchNormMomentum
		runMeanVar.SetNodeValue(Add(MulScalar(runMeanVar.NodeValue(g), 1-m), MulScalar(StopGradient(mean), m)))
		runVarVar.SetNodeValue(Add(MulScalar(runVarVar.NodeValue(g), 1-m), MulScalar(unbiased, m)))
		scale := Div(gamma, Sqrt(AddScalar(variance, BatchNormEpsilon)))
		return Add(Mul(centered, expand(scale)), expand(beta))
	}
	scale := Div(gamma, Sqrt(AddScalar(runVarVar.NodeValue(g), BatchNormEpsilon)))
	shift := Sub(beta, Mul(runMeanVar.NodeValue(g), scale))
	return Add(Mul(x, expand(scale)), expand(shift))
}

func ones(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = 1
	}
	return o
}
