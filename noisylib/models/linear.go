package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// LinearAfter reports whether the operation right after site `from` is linear in the site's value: a Dense
// layer (after any Flatten) whose own site follows it. If so it returns that site, next, and the layer as a
// function of a value shaped like the site's ([batch, ...]): x·W + b with bias, x·W without. Then
// ForwardFrom(scope, next, layer(x, true), n) is ForwardFrom(scope, from, x, n') for an n' without noise at
// `from` (up to rounding), and layer(x + y, true) = layer(x, true) + layer(y, false) in exact arithmetic: a
// sweep of noise at `from` can apply the layer to the clean value and to the noise apart (see
// train.Trainer.EvaluateSweep). scope is the model's scope, as for ForwardFrom; the layer enters its sub-scope
// at the first call. It panics if from is out of range.
func (m *Model) LinearAfter(scope *model.Scope, from int) (layer func(x *Node, bias bool) *Node, next int, ok bool) {
	i := m.siteOp(from)
	flatten := false
	for i++; i < len(m.Ops) && m.Ops[i].Kind == KindFlatten && !m.Ops[i].Site; i++ {
		flatten = true
	}
	if i == len(m.Ops) || m.Ops[i].Kind != KindDense || !m.Ops[i].Site {
		return nil, 0, false
	}
	op := m.Ops[i]
	var ls *model.Scope // the layer's scope, entered at the first call
	layer = func(x *Node, bias bool) *Node {
		if ls == nil {
			ls = scope.In("%s", op.Name)
		}
		if flatten {
			x = layers.Flatten(x)
		}
		if bias {
			return layers.Dense(ls, x, op.Out)
		}
		return layers.DenseLinear(ls, x, op.Out)
	}
	return layer, from + 1, true
}

// siteOp returns the index in Ops of the operation that site s follows. It panics if s is out of range.
func (m *Model) siteOp(s int) int {
	site := 0
	for i, op := range m.Ops {
		if op.Site {
			if site == s {
				return i
			}
			site++
		}
	}
	panic(fmt.Sprintf("model %s: site %d out of range 0..%d", m.Name, s, len(m.Sites)-1))
}
