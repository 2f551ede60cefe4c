package noise

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gomlx/compute/shapes"
	g "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Weight noise perturbs the weights W of a Linear or Conv layer (not its biases) in the forward pass, with the
// operators of activation noise applied to W instead of a site's value:
//
//	Additive:       W' = W + a,   a ~ N(μ_a, σ²), one value per weight
//	Multiplicative: W' = W · m,   m ~ N(μ_m, σ²), one value per weight
//	Combined(Direct): both, in the Spec's order
//
// The layer computes x·W' + b. A dynamic Spec draws a new perturbation for every forward pass (every batch,
// train or eval) from the model's noise stream, like activation noise; a Static Spec draws it once per model
// and noise seed (StaticNormal) and every batch of an evaluation, and every step of a training, sees the same
// W' − W pattern (the fixed deviation of one device, as in analog in-memory computing). The gradient flows
// through W' to W as through x for activation noise (dW'/dW = 1 for additive, m for multiplicative). Weight
// noise does not run in stacked graphs (train's EvaluateSweep and stacked training refuse it).

// ResolveWeights returns one validated Spec per weight layer for a model with numLayers Linear/Conv layers
// (None where Weights has no entry), or nil when the Config has no weight noise. An entry for a layer the
// model does not have, or a Spec still in a relative unit, is an error naming the fix.
func (c Config) ResolveWeights(numLayers int) ([]Spec, error) {
	if len(c.Weights) == 0 {
		return nil, nil
	}
	keys := make([]int, 0, len(c.Weights))
	for k := range c.Weights {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]Spec, numLayers)
	for i := range out {
		out[i] = NoNoise()
	}
	for _, k := range keys {
		if k < 0 || k >= numLayers {
			return nil, fmt.Errorf("noise config: weight layer %d out of range: the model has weight layers 0..%d", k, numLayers-1)
		}
		s := c.Weights[k]
		s.Static = false // validateSite refuses static activation noise only
		if err := s.validateSite(); err != nil {
			return nil, fmt.Errorf("noise config, weight layer %d: %w", k, err)
		}
		if s.NormalizeToInputSize || s.Reps() > 1 {
			return nil, fmt.Errorf("noise config, weight layer %d: normalize_to_input_size and repetitions apply to activation sites only", k)
		}
		out[k] = c.Weights[k]
	}
	return out, nil
}

// WeightsActive reports whether the forward pass perturbs the weights of weight layer l (false for a nil
// Injector or one without weight noise).
func (inj *Injector) WeightsActive(l int) bool {
	return inj != nil && l >= 0 && l < len(inj.Weights) && inj.Weights[l].ActiveIn(inj.Training)
}

// ApplyWeights returns the weights w of weight layer l after its noise operator (w itself when the layer's
// weight noise is off in the current mode). The layer's numeric values are row len(Specs)+l of Params. It
// panics (GoMLX graph-building convention) for stacked parameters and, with a Static Spec, without Static.
func (inj *Injector) ApplyWeights(l int, w *g.Node) *g.Node {
	if !inj.WeightsActive(l) {
		return w
	}
	if inj.Params.Rank() != 2 {
		panic("noise: weight noise does not run in stacked graphs")
	}
	s := inj.Weights[l]
	random := inj.Random
	if s.Static {
		if inj.Static == nil {
			panic("noise: static weight noise needs Injector.Static (see StaticNormal)")
		}
		random = inj.Static
	}
	row := len(inj.Specs) + l
	param := func(k int) *g.Node {
		return g.ConvertDType(g.Reshape(g.Slice(inj.Params, g.AxisElem(row), g.AxisElem(k))), w.DType())
	}
	shape := w.Shape()
	addNoise := func() *g.Node { return g.Add(g.Mul(random(w.Graph(), shape), param(0)), param(2)) }
	mulNoise := func() *g.Node { return g.Add(g.Mul(random(w.Graph(), shape), param(1)), param(3)) }
	switch s.Type {
	case Additive:
		return g.Add(w, addNoise())
	case Multiplicative:
		return g.Mul(w, mulNoise())
	case Combined, CombinedDirect:
		m, a := mulNoise(), addNoise()
		if s.AddFirst {
			return g.Mul(g.Add(w, a), m)
		}
		return g.Add(g.Mul(w, m), a)
	}
	return w
}

// WeightsParamsTensor is ParamsTensor of the activation Specs followed by one row per weight layer: the
// [len(sites)+len(weights), NumParams] graph input of an Injector with weight noise. Without weight Specs it
// is ParamsTensor(sites).
func WeightsParamsTensor(sites, weights []Spec) *tensors.Tensor {
	return ParamsTensor(append(append([]Spec(nil), sites...), weights...))
}

// WeightsStructureKey is StructureKey for weight Specs (with their Static switch): "" without weight noise.
func WeightsStructureKey(weights []Spec) string {
	if weights == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("w:")
	for i, s := range weights {
		if i > 0 {
			b.WriteByte('|')
		}
		fmt.Fprintf(&b, "%d", int(s.Type))
		if s.Type != None {
			fmt.Fprintf(&b, ",%t,%t,%t,%t", s.AddFirst, s.EvalOnly, s.TrainOnly, s.Static)
		}
	}
	return b.String()
}

// StaticStatePath is the store path of the RNG state StaticNormal draws from.
const StaticStatePath = "/weight_noise_static_rng"

// SetStaticSeed sets (creating it if needed) the store's static weight-noise RNG state from seed. Graphs
// compiled before may hold the old state as a constant: recompile evaluation graphs after it.
func SetStaticSeed(store *model.Store, seed int64) error {
	st, err := g.RNGStateFromSeed(seed)
	if err != nil {
		return err
	}
	if v := store.GetVariable(StaticStatePath); v != nil {
		return v.SetValue(st)
	}
	v := store.VariableWithValue(StaticStatePath, st)
	v.Trainable = false
	return nil
}

// StaticNormal returns a Normal that draws from the store's static RNG state (SetStaticSeed) without
// advancing it: the draws of one graph follow each other from that state (so two layers get different values),
// but every execution of the graph, i.e. every batch, gets the same values, until SetStaticSeed changes the
// state. It panics (GoMLX graph-building convention) if the state was never set.
func StaticNormal(store *model.Store) Normal {
	states := map[*g.Graph]*g.Node{}
	return func(gr *g.Graph, shape shapes.Shape) *g.Node {
		state, ok := states[gr]
		if !ok {
			v := store.GetVariable(StaticStatePath)
			if v == nil || !v.HasValue() {
				panic("noise: static weight noise without a static RNG state: call noise.SetStaticSeed first")
			}
			state = v.NodeValue(gr)
		}
		state, values := PairedNormal(state, shape)
		states[gr] = state
		return values
	}
}
