package layers

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"
)

// BatchNorm constants, as PyTorch's defaults.
const (
	BatchNormMomentum = 0.1
	BatchNormEpsilon  = 1e-5
)

// Names of BatchNorm's variables.
const (
	GammaName       = "gamma"
	BetaName        = "beta"
	RunningMeanName = "running_mean"
	RunningVarName  = "running_var"
)

// BatchNorm normalises x over every axis but the last (features/channels), like PyTorch's BatchNorm1d on
// [batch, features] and BatchNorm2d on NHWC images, with affine γ (init 1) and β (init 0).
//
// In training (scope.IsTraining) it normalises with the batch mean and the biased batch variance, and
// gradients flow through both statistics, as in PyTorch; it updates running_mean and running_var with
// momentum 0.1, the latter from the unbiased batch variance. In evaluation it uses the running statistics.
func BatchNorm(scope *model.Scope, x *Node) *Node {
	g := x.Graph()
	features := x.Shape().Dimensions[x.Rank()-1]
	rank := x.Rank()
	gamma := constParam(scope, GammaName, 1, true, features).NodeValue(g)
	beta := constParam(scope, BetaName, 0, true, features).NodeValue(g)
	runMeanVar := constParam(scope, RunningMeanName, 0, false, features)
	runVarVar := constParam(scope, RunningVarName, 1, false, features)
	axes := make([]int, x.Rank()-1)
	for i := range axes {
		axes[i] = i
	}
	// y = (x − mean)·scale + β with the per-feature scale = γ/√(var + ε): the same value as
	// (x − mean)/√(var + ε)·γ + β with one full-size product instead of a division and a product, whose
	// gradients (through the statistics too) are much cheaper on the pure-Go backend.
	if scope.IsTraining(g) {
		n := x.Shape().Size() / features
		mean := ReduceMean(x, axes...)
		centered := Sub(x, ExpandLeftToRank(mean, rank))
		variance := ReduceMean(Square(centered), axes...)
		unbiased := MulScalar(StopGradient(variance), float64(n)/float64(max(1, n-1)))
		m := BatchNormMomentum
		runMeanVar.SetNodeValue(Add(MulScalar(runMeanVar.NodeValue(g), 1-m), MulScalar(StopGradient(mean), m)))
		runVarVar.SetNodeValue(Add(MulScalar(runVarVar.NodeValue(g), 1-m), MulScalar(unbiased, m)))
		scale := Div(gamma, Sqrt(AddScalar(variance, BatchNormEpsilon)))
		return Add(Mul(centered, ExpandLeftToRank(scale, rank)), ExpandLeftToRank(beta, rank))
	}
	// Evaluation: y = x·scale + (β − running_mean·scale), two full-size operations.
	scale := Div(gamma, Sqrt(AddScalar(runVarVar.NodeValue(g), BatchNormEpsilon)))
	shift := Sub(beta, Mul(runMeanVar.NodeValue(g), scale))
	return Add(Mul(x, ExpandLeftToRank(scale, rank)), ExpandLeftToRank(shift, rank))
}
