package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// WeightNoise is the optional part of a Noise that perturbs the weights of Linear and Conv layers (a
// noise.Injector implements it). Layers are numbered in order from 0 (see WeightLayers).
type WeightNoise interface {
	// ApplyWeights returns the weights w of weight layer l after its noise operator.
	ApplyWeights(l int, w *Node) *Node
	// WeightsActive reports whether weight layer l's weights are perturbed in the current mode.
	WeightsActive(l int) bool
}

// WeightLayers returns the model's Linear (Dense) and Conv layers in order: weight layer l, the target of
// noise.Config.Weights[l], is WeightLayers()[l].
func (m *Model) WeightLayers() []Op {
	var out []Op
	for _, op := range m.Ops {
		if hasWeights(op) {
			out = append(out, op)
		}
	}
	return out
}

// WeightLayerNames returns the readable names of the weight layers, e.g. "w0:fc1", "w1:fc2".
func (m *Model) WeightLayerNames() []string {
	var names []string
	for i, op := range m.WeightLayers() {
		names = append(names, fmt.Sprintf("w%d:%s", i, op.Name))
	}
	return names
}

func hasWeights(op Op) bool { return op.Kind == KindDense || op.Kind == KindConv }

// weightsFunc returns the weight transform of weight layer l under n (nil when n perturbs no weights there).
func weightsFunc(n Noise, l int) layers.WeightsFunc {
	wn, ok := n.(WeightNoise)
	if !ok || !wn.WeightsActive(l) {
		return nil
	}
	return func(w *Node) *Node { return wn.ApplyWeights(l, w) }
}
