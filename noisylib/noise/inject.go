package noise

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute/shapes"
	g "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// NumParams is the number of numeric parameters per site in a parameter tensor: σ_add, σ_mul, μ_add, μ_mul.
const NumParams = 4

// ParamsTensor packs the numeric values of one Spec per site into a [numSites, NumParams] float32 tensor
// (σ_add, σ_mul, μ_add, μ_mul). It is fed to the graph as an input, so sweeping σ does not recompile;
// only the structure (see StructureKey) is baked into a graph.
func ParamsTensor(specs []Spec) *tensors.Tensor {
	flat := make([]float32, len(specs)*NumParams)
	for i, s := range specs {
		sa, sm := s.Sigmas()
		flat[i*NumParams+0] = float32(sa)
		flat[i*NumParams+1] = float32(sm)
		flat[i*NumParams+2] = float32(s.MeanAdd)
		flat[i*NumParams+3] = float32(s.MeanMul)
	}
	return tensors.FromFlatDataAndDimensions(flat, len(specs), NumParams)
}

// StackParams stacks the ParamsTensor of K models' Specs into one [K, sites, NumParams] tensor.
func StackParams(specs [][]Spec) *tensors.Tensor {
	flat := make([]float32, 0, len(specs)*len(specs[0])*NumParams)
	for _, s := range specs {
		flat = append(flat, tensors.MustCopyFlatData[float32](ParamsTensor(s))...)
	}
	return tensors.FromFlatDataAndDimensions(flat, len(specs), len(specs[0]), NumParams)
}

// StructureKey returns a string that is equal for two lists of Specs exactly when they build the same graph
// (same operator kinds, orders, switches, normalisation and repetitions at every site): the numeric values,
// which travel in ParamsTensor, do not count.
func StructureKey(specs []Spec) string {
	var b strings.Builder
	for i, s := range specs {
		if i > 0 {
			b.WriteByte('|')
		}
		fmt.Fprintf(&b, "%d", int(s.Type))
		if s.Type == None {
			continue
		}
		fmt.Fprintf(&b, ",%t,%t,%t,%t,%d", s.AddFirst, s.EvalOnly, s.TrainOnly, s.NormalizeToInputSize, s.Reps())
	}
	return b.String()
}

// Normal is a source of standard normal values of a given shape inside a graph, e.g. StoreNormal (the fast
// one the trainer uses) or a GoMLX model.Scope's RandomNormal; both draw from the model's seeded RNG state and
// advance it.
type Normal func(g *g.Graph, shape shapes.Shape) *g.Node

// Injector applies the noise of a model's sites while its graph is built.
type Injector struct {
	// Specs holds one Spec per site; only their structure is used, the values come from Params.
	Specs []Spec
	// Params is the [len(Specs), NumParams] graph input built from ParamsTensor, or, for K stacked models
	// whose values carry a leading model axis ([K, batch, ...], see models.Model.ForwardStack), the
	// [K, len(Specs), NumParams] stack of one such tensor per model (see StackParams).
	Params *g.Node
	// Training selects which switch (EvalOnly / TrainOnly) applies.
	Training bool
	// Random draws standard normal noise.
	Random Normal
	// Weights, if set, holds one Spec per weight layer (see Config.ResolveWeights and ApplyWeights); their
	// values are the rows of Params after those of Specs.
	Weights []Spec
	// Static draws the noise of Static weight Specs (see StaticNormal); unused without them.
	Static Normal
	// Transforms, if set, replace a site's value before its noise operator: Apply(site, x) returns the noise
	// operator of the site applied to Transforms[site](x), whether or not the site's noise is active (a probe
	// such as replacing a site's activation by a two-level code, see package dynamics). Sites without an
	// entry are unchanged. Each function must return a value of x's shape.
	Transforms map[int]func(x *g.Node) *g.Node
	// ExampleSigma, if set, is a [batch] value added to the σ of every Additive and Multiplicative site for
	// each example of the batch: σ_i = σ + ExampleSigma[i] (the per-example σ of a training schedule, see
	// train.Schedule). It needs unstacked models (Params of rank 2); nil leaves the graph as without it.
	ExampleSigma *g.Node
}

// Active reports whether Apply changes the site's value: its noise is on in the current mode or it has a
// transform (false for a nil Injector).
func (inj *Injector) Active(site int) bool {
	return inj != nil && site >= 0 && site < len(inj.Specs) && (inj.Specs[site].ActiveIn(inj.Training) || inj.Transforms[site] != nil)
}

// Apply returns x after the noise operator of the given site (after the site's transform, if any). Sites
// whose noise is off in the current mode return x (transformed) without noise. It panics (GoMLX
// graph-building convention) if site is out of range.
func (inj *Injector) Apply(site int, x *g.Node) *g.Node {
	if inj == nil {
		return x
	}
	if site < 0 || site >= len(inj.Specs) {
		panic(fmt.Sprintf("noise: site %d out of range 0..%d", site, len(inj.Specs)-1))
	}
	if f := inj.Transforms[site]; f != nil {
		x = f(x)
	}
	s := inj.Specs[site]
	if !s.ActiveIn(inj.Training) {
		return x
	}
	gr := x.Graph()
	reps := s.Reps()
	// With stacked models (Params [K, sites, NumParams], x [K, batch, ...]) each model's values broadcast
	// over its own slice.
	stacked := inj.Params.Rank() == 3
	// perLeading reshapes a value per element of x's leading axis (a model of a stack, or an example) to broadcast
	// over x's other axes and the repetition axis.
	perLeading := func(v *g.Node) *g.Node {
		dims := make([]int, x.Rank())
		for i := range dims {
			dims[i] = 1
		}
		dims[0] = x.Shape().Dimensions[0]
		if reps > 1 {
			dims = append([]int{1}, dims...)
		}
		return g.ConvertDType(g.Reshape(v, dims...), x.DType())
	}
	param := func(k int) *g.Node {
		if !stacked {
			return g.ConvertDType(g.Reshape(g.Slice(inj.Params, g.AxisElem(site), g.AxisElem(k))), x.DType())
		}
		return perLeading(g.Slice(inj.Params, g.AxisRange(), g.AxisElem(site), g.AxisElem(k)))
	}
	sigmaAdd, sigmaMul, meanAdd, meanMul := param(0), param(1), param(2), param(3)
	if inj.ExampleSigma != nil && (s.Type == Additive || s.Type == Multiplicative) {
		if stacked {
			panic("noise: ExampleSigma needs unstacked models")
		}
		extra := perLeading(inj.ExampleSigma)
		if s.Type == Additive {
			sigmaAdd = g.Add(sigmaAdd, extra)
		} else {
			sigmaMul = g.Add(sigmaMul, extra)
		}
	}
	if s.NormalizeToInputSize {
		examples := x.Shape().Dimensions[0]
		if stacked {
			examples *= x.Shape().Dimensions[1]
		}
		perExample := x.Shape().Size() / max(1, examples)
		sigmaAdd = g.MulScalar(sigmaAdd, 1/float64(perExample))
		sigmaMul = g.MulScalar(sigmaMul, 1/float64(perExample))
	}
	// Draw with a leading repetition axis and average: exactly (1/r) Σ_j op_j(x). With one repetition the
	// noise is drawn in x's own shape, which saves the reshapes (copies on the pure-Go backend). Stacked
	// models share one draw: K separate runs with the same seed draw the same values from the same stream,
	// so each copy sees exactly the noise it would see alone (scaled by its own σ).
	dims := x.Shape().Dimensions
	if stacked {
		dims = dims[1:]
	}
	if reps > 1 {
		dims = append([]int{reps}, dims...)
	}
	drawShape, xr := shapes.Make(x.DType(), dims...), x
	if reps > 1 {
		xr = g.ExpandAxes(x, 0)
	}
	draw := func() *g.Node {
		n := inj.Random(gr, drawShape)
		if stacked {
			n = g.ExpandAxes(n, drawShape.Rank()-x.Rank()+1)
		}
		return n
	}
	addNoise := func() *g.Node { return g.Add(g.Mul(draw(), sigmaAdd), meanAdd) }
	mulNoise := func() *g.Node { return g.Add(g.Mul(draw(), sigmaMul), meanMul) }
	var y *g.Node
	switch s.Type {
	case Additive:
		y = g.Add(xr, addNoise())
	case Multiplicative:
		y = g.Mul(xr, mulNoise())
	case Combined, CombinedDirect:
		m, a := mulNoise(), addNoise()
		if s.AddFirst {
			y = g.Mul(g.Add(xr, a), m)
		} else {
			y = g.Add(g.Mul(xr, m), a)
		}
	default:
		return x
	}
	if reps == 1 {
		return y
	}
	return g.ReduceMean(y, 0)
}
