package train

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// linearShortcut enables the shortcut of linearSweep; tests turn it off to compare the two ways.
var linearShortcut = true

// linearSweep reports whether every point's noise at site `from` can be carried through a linear layer after it
// (see models.Model.LinearAfter): additive noise of mean 0, multiplicative noise of mean 1, or both with the
// product first (Combined, CombinedDirect without AddFirst), one repetition, σ not normalised. Such noise gives
// y = x + σ_m·(x⊙z_m) + σ_a·z_a, so a layer L with L(x) = x·W + b gives
//
//	L(y) = L(x) + σ_m·((x⊙z_m)·W) + σ_a·(z_a·W),
//
// the same in exact arithmetic: the layer's product runs once on the clean value and once per draw instead of
// once per point, and each point adds its σ-scaled images (the linear-sweep shortcut of EvaluateSweep).
func linearSweep(specs [][]noise.Spec, from int) bool {
	if !linearShortcut {
		return false
	}
	for _, ss := range specs {
		s := ss[from]
		if s.Reps() != 1 || s.NormalizeToInputSize || s.MeanAdd != 0 {
			return false
		}
		switch s.Type {
		case noise.Additive:
		case noise.Multiplicative:
			if s.MeanMul != 1 {
				return false
			}
		case noise.Combined, noise.CombinedDirect:
			if s.MeanMul != 1 || s.AddFirst {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// linearNoisy returns layer(x + noise of point j at `from`) as layer(x, true) (given: lx) plus the σ-scaled
// images of the point's draws under layer(·, false) (see linearSweep). It draws from the point's injector in the
// order Injector.Apply would (the multiplicative draw first), so later sites see the draws they would see
// without the shortcut; images of a draw shared by several points (same seed) are computed once, in images.
func linearNoisy(inj *noise.Injector, from int, x, lx, params *Node, j int, layer func(x *Node, bias bool) *Node,
	images map[*Node]*Node) *Node {
	s := inj.Specs[from]
	sigma := func(k int) *Node { // σ_add (k = 0) or σ_mul (k = 1) of point j at `from`, see noise.ParamsTensor
		return ConvertDType(Reshape(Slice(params, AxisElem(j), AxisElem(from), AxisElem(k))), x.DType())
	}
	// image returns the layer's image of a draw z (of x⊙z for the multiplicative draw). Draws are distinct
	// nodes, so one map serves both kinds.
	image := func(z *Node, mul bool) *Node {
		if im := images[z]; im != nil {
			return im
		}
		v := z
		if mul {
			v = Mul(x, z)
		}
		images[z] = layer(v, false)
		return images[z]
	}
	y := lx
	if s.Type != noise.Additive { // the multiplicative part, drawn first
		y = Add(y, Mul(image(inj.Random(x.Graph(), x.Shape()), true), sigma(1)))
	}
	if s.Type != noise.Multiplicative {
		y = Add(y, Mul(image(inj.Random(x.Graph(), x.Shape()), false), sigma(0)))
	}
	return y
}
