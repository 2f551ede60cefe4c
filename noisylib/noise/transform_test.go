package noise_test

import (
	"slices"
	"testing"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestTransformsBeforeNoise: a site's transform replaces its value before the noise operator, also where the
// noise is off. The noise draws are fixed (every draw 0.5) so the outputs are
// hand-computable: multiplicative σ = 2 multiplies by 1 + 2·0.5 = 2, additive σ = 3 adds 1.5.
func TestTransformsBeforeNoise(t *testing.T) {
	half := func(gr *graph.Graph, s shapes.Shape) *graph.Node { return graph.MulScalar(graph.Ones(gr, s), 0.5) }
	// The transform: 1 where x ≥ 0, −1 elsewhere.
	code := func(x *graph.Node) *graph.Node {
		return graph.Where(graph.GreaterOrEqual(x, graph.ZerosLike(x)), graph.OnesLike(x), graph.Neg(graph.OnesLike(x)))
	}
	x := tensors.FromFlatDataAndDimensions([]float32{-3, 0.5, 2, -0.25}, 2, 2)
	cases := []struct {
		name  string
		specs []noise.Spec
		want  []float32
	}{
		{"multiplicative", []noise.Spec{{}, noise.Mul(2)}, []float32{-2, 2, 2, -2}},
		{"no noise at the site", []noise.Spec{{}, {}}, []float32{-1, 1, 1, -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := model.MustNewExec(testBackend(t), model.NewStore(), func(_ *model.Scope, x *graph.Node) *graph.Node {
				inj := &noise.Injector{Specs: c.specs, Random: half, Transforms: map[int]func(*graph.Node) *graph.Node{1: code},
					Params: graph.Reshape(graph.Const(x.Graph(), tensors.MustCopyFlatData[float32](noise.ParamsTensor(c.specs))),
						len(c.specs), noise.NumParams)}
				if !inj.Active(1) || inj.Active(0) {
					t.Errorf("Active(1) = %v, Active(0) = %v: want a site with a transform active, one without inactive", inj.Active(1), inj.Active(0))
				}
				return graph.AddScalar(inj.Apply(1, inj.Apply(0, x)), 0)
			})
			outs, err := e.Call(x)
			if err != nil {
				t.Fatal(err)
			}
			if got := tensors.MustCopyFlatData[float32](outs[0]); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
