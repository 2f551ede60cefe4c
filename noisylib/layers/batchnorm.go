package layers

import (
	"fmt"

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
func BatchNorm(scope *model.Scope, x *Node) *Node { return batchNorm(scope, x, 0, nil) }

// BatchNormStack is BatchNorm for K stacked models (see DenseStack): x [K, batch, ..., features] is
// normalised per model over every axis but the first and the last; γ, β and the running statistics are
// [K, features].
func BatchNormStack(scope *model.Scope, x *Node) *Node {
	return batchNorm(scope, x, x.Shape().Dimensions[0], nil)
}

// channelsView describes a [N·H, W·C] view of NHWC images: W columns of C channels, with parity in the parity
// order of Conv2DMaxPool (every even column, then every odd one).
type channelsView struct {
	w      int
	parity bool
}

// batchNorm is BatchNorm (k = 0) or BatchNormStack (k models); with view (k = 0) x is a [N·H, W·C] view of
// images, which it normalises per channel.
func batchNorm(scope *model.Scope, x *Node, k int, view *channelsView) (y *Node) {
	g := x.Graph()
	rank := x.Rank()
	features := x.Shape().Dimensions[rank-1]
	if view != nil {
		features /= view.w
	}
	param := func(name string, value float32, trainable bool) *model.Variable {
		if k == 0 {
			return constParam(scope, name, value, trainable, features)
		}
		return stackedParam(scope, name, k, 0, value, trainable, features)
	}
	gamma := param(GammaName, 1, true).NodeValue(g)
	beta := param(BetaName, 0, true).NodeValue(g)
	runMeanVar := param(RunningMeanName, 0, false)
	runVarVar := param(RunningVarName, 1, false)
	lead := min(k, 1) // The model axis is not normalised over.
	axes := make([]int, rank-1-lead)
	for i := range axes {
		axes[i] = lead + i
	}
	expand := func(v *Node) *Node { // [features] → [1, ..., features]; [K, features] → [K, 1, ..., features].
		if k == 0 {
			return ExpandLeftToRank(v, rank)
		}
		return Reshape(v, append(append([]int{k}, ones(rank-2)...), features)...)
	}
	sum := func(v *Node) *Node { return sumChannels(v, features) }
	if k == 0 && rank == 4 {
		// Images [N, H, W, C]: run the full-size operations on the [N·H, W·C] view with the per-channel
		// values tiled W times, which the backend vectorises (a trailing broadcast axis of C = 6 or 16
		// does not); the same values.
		dims := x.Shape().Dimensions
		x, view = Reshape(x, dims[0]*dims[1], dims[2]*features), &channelsView{w: dims[2]}
		defer func() { y = Reshape(y, dims...) }()
	}
	if view != nil {
		w, parity := view.w, view.parity
		rank, axes = 2, []int{0}
		expand = func(v *Node) *Node {
			v = ExpandAxes(tileChannels(v, w), 0)
			if parity {
				v = parityColumns(v, w, features)
			}
			return v
		}
		if parity {
			// Per-channel sums add the columns in their natural order, as without parity: the same values.
			sum = func(v *Node) *Node {
				return sumChannels(Reshape(naturalColumns(ExpandAxes(v, 0), w, features), -1), features)
			}
		}
	}
	// y = (x − mean)·scale + β with the per-feature scale = γ/√(var + ε): the same value as
	// (x − mean)/√(var + ε)·γ + β with one full-size product instead of a division and a product, whose
	// gradients (through the statistics too) are much cheaper on the pure-Go backend.
	if scope.IsTraining(g) {
		n := x.Shape().Size() / (features * max(1, k))
		reduceMean := func(v *Node) *Node { return MulScalar(sum(ReduceSum(v, axes...)), 1/float64(n)) }
		mean := reduceMean(x)
		centered := Sub(x, expand(mean))
		variance := reduceMean(Square(centered))
		unbiased := MulScalar(StopGradient(variance), float64(n)/float64(max(1, n-1)))
		m := BatchNormMomentum
		runMeanVar.SetNodeValue(Add(MulScalar(runMeanVar.NodeValue(g), 1-m), MulScalar(StopGradient(mean), m)))
		runVarVar.SetNodeValue(Add(MulScalar(runVarVar.NodeValue(g), 1-m), MulScalar(unbiased, m)))
		scale := Div(gamma, Sqrt(AddScalar(variance, BatchNormEpsilon)))
		return Add(Mul(centered, expand(scale)), expand(beta))
	}
	// Evaluation: y = x·scale + (β − running_mean·scale), two full-size operations.
	scale := Div(gamma, Sqrt(AddScalar(runVarVar.NodeValue(g), BatchNormEpsilon)))
	shift := Sub(beta, Mul(runMeanVar.NodeValue(g), scale))
	return Add(Mul(x, expand(scale)), expand(shift))
}

// tileChannels repeats the per-channel values v [C] w times: [w·C], matching a [.., W·C] view of NHWC values.
func tileChannels(v *Node, w int) *Node {
	if w == 1 {
		return v
	}
	return Reshape(BroadcastPrefix(v, w), -1)
}

// sumChannels sums v [w·C] (a reduction of a [.., W·C] view) over the w groups: [C]. v [C] is returned as is.
func sumChannels(v *Node, c int) *Node {
	if v.Rank() != 1 || v.Shape().Dimensions[0] == c {
		return v
	}
	return ReduceSum(Reshape(v, -1, c), 0)
}

func ones(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

// DenseBatchNorm returns BatchNorm(Dense(x)) in evaluation mode (running statistics) as one product with
// folded parameters: x·(W·s) + ((b − running_mean)·s + β) with s = γ/√(running_var + ε) per output feature.
// It is the same function as the two layers (up to rounding) with two full-size operations fewer, for graphs
// that take no gradient and need nothing between the two layers (no noise, no observation). dense and bn
// are the scopes of the two layers; their variables are the ones Dense and BatchNorm use.
func DenseBatchNorm(dense, bn *model.Scope, x *Node, out int) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("layers.DenseBatchNorm: input must be [batch, features], got shape %s", x.Shape()))
	}
	g, in := x.Graph(), x.Shape().Dimensions[1]
	bound := torchBound(in)
	w := uniformParam(dense, WeightsName, bound, in, out).NodeValue(g)
	b := uniformParam(dense, BiasesName, bound, out).NodeValue(g)
	gamma := constParam(bn, GammaName, 1, true, out).NodeValue(g)
	beta := constParam(bn, BetaName, 0, true, out).NodeValue(g)
	runMean := constParam(bn, RunningMeanName, 0, false, out).NodeValue(g)
	runVar := constParam(bn, RunningVarName, 1, false, out).NodeValue(g)
	scale := Div(gamma, Sqrt(AddScalar(runVar, BatchNormEpsilon)))
	shift := Add(Mul(Sub(b, runMean), scale), beta)
	return Add(MatMul(x, Mul(w, ExpandAxes(scale, 0))), ExpandAxes(shift, 0))
}
