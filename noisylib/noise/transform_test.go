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
// noise is off, and composes with stacked points. The noise draws are fixed (every draw 0.5) so the outputs are
// hand-computable: multiplicative σ = 2 multiplies by 1 + 2·0.5 = 2, additive σ = 3 adds 1.5.
func TestTransformsBeforeNoise(t *testing.T) {
	half := func(gr *graph.Graph, s shapes.Shape) *graph.Node { return graph.MulScalar(graph.Ones(gr, s), 0.5) }
	// The transform: 1 where x ≥ 0, −1 elsewhere.
	code := func(x *graph.Node) *graph.Node {
		return graph.Where(graph.GreaterOrEqual(x, graph.ZerosLike(x)), graph.OnesLike(x), graph.Neg(graph.OnesLike(x)))
	}
	x := tensors.FromFlatDataAndDimensions([]float32{-3, 0.5, 2, -0.25}, 2, 2)
	cases := []struct {
		name   string
		specs  []noise.Spec
		points int
		want   []float32
	}{
		{"multiplicative", []noise.Spec{{}, noise.Mul(2)}, 1, []float32{-2, 2, 2, -2}},
		{"no noise at the site", []noise.Spec{{}, {}}, 1, []float32{-1, 1, 1, -1}},
		// Two stacked points: point 0 (row 0) additive σ = 3, point 1 (row 1) multiplicative σ = 2.
		{"stacked", nil, 2, []float32{0.5, 2.5, 2, -2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			points := [][]noise.Spec{c.specs}
			if c.points == 2 {
				points = [][]noise.Spec{{{}, noise.Add(3)}, {{}, noise.Mul(2)}}
			}
			e := model.MustNewExec(testBackend(t), model.NewStore(), func(_ *model.Scope, x *graph.Node) *graph.Node {
				var st noise.Stacked
				for _, p := range points {
					st = append(st, &noise.Injector{Specs: p, Params: graph.Const(x.Graph(), tensors.MustCopyFlatData[float32](noise.ParamsTensor(p))),
						Random: half, Transforms: map[int]func(*graph.Node) *graph.Node{1: code}})
				}
				// The params constant is flat: reshape it as Apply expects.
				for i, inj := range st {
					inj.Params = graph.Reshape(inj.Params, len(points[i]), noise.NumParams)
				}
				if !st.Active(1) || st.Active(0) {
					t.Errorf("Active(1) = %v, Active(0) = %v: want a site with a transform active, one without inactive", st.Active(1), st.Active(0))
				}
				return graph.AddScalar(st.Apply(1, st.Apply(0, x)), 0)
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
