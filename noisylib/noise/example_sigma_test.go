package noise_test

import (
	"testing"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestExampleSigma: with standard normal draws replaced by ones, an Injector with ExampleSigma s gives row i
// x_i + (σ + s_i) for additive and x_i·(1 + σ + s_i) for multiplicative noise, with or without repetitions
// (hand-computed values); combined noise ignores it.
func TestExampleSigma(t *testing.T) {
	x := [][]float32{{1, 2, 3}, {4, 5, 6}}
	ex := []float32{0.25, 1}
	cases := []struct {
		spec noise.Spec
		want [][]float32
	}{
		{noise.Add(0.5), [][]float32{{1.75, 2.75, 3.75}, {5.5, 6.5, 7.5}}},
		{noise.Add(0.5).WithRepetitions(2), [][]float32{{1.75, 2.75, 3.75}, {5.5, 6.5, 7.5}}},
		{noise.Mul(0.5), [][]float32{{1.75, 3.5, 5.25}, {10, 12.5, 15}}},
		// Combined A = 1, r = 0.5 (σ_add = σ_mul = 0.5), mul-then-add: x·1.5 + 0.5 for every row.
		{noise.Combine(1, 0.5), [][]float32{{2, 3.5, 5}, {6.5, 8, 9.5}}},
	}
	for _, c := range cases {
		specs := []noise.Spec{c.spec}
		e := model.MustNewExec(testBackend(t), model.NewStore(), func(scope *model.Scope, xs, params, s *graph.Node) *graph.Node {
			inj := &noise.Injector{Specs: specs, Params: params, Training: true, ExampleSigma: s,
				Random: func(g *graph.Graph, sh shapes.Shape) *graph.Node { return graph.Ones(g, sh) }}
			return inj.Apply(0, xs)
		})
		outs, err := e.Call(tensors.FromValue(x), noise.ParamsTensor(specs), tensors.FromValue(ex))
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		got := outs[0].Value().([][]float32)
		for i := range c.want {
			for j := range c.want[i] {
				if got[i][j] != c.want[i][j] {
					t.Errorf("%s: y[%d][%d] = %g, want %g", c.spec, i, j, got[i][j], c.want[i][j])
				}
			}
		}
	}
}
