package models_test

import (
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// recorder is a models.Noise with weight noise that adds 0 to the weights of the layers in `on` and records
// which weight layers the forward pass asked for and with which weight shapes.
type recorder struct {
	on     []int
	called []int
	shapes [][]int
}

func (r *recorder) Apply(_ int, x *graph.Node) *graph.Node { return x }
func (r *recorder) Active(int) bool                        { return false }
func (r *recorder) WeightsActive(l int) bool               { return slices.Contains(r.on, l) }
func (r *recorder) ApplyWeights(l int, w *graph.Node) *graph.Node {
	r.called = append(r.called, l)
	r.shapes = append(r.shapes, w.Shape().Dimensions)
	return graph.AddScalar(w, 0)
}

// TestWeightLayers: the weight layers are the Linear and Conv ops in order; a forward pass hands each active
// layer's weights ([fan-in, out]) to the weight noise once, in evaluation too (a Dense followed by BatchNorm is
// then not fused, which would hide its weights), and ForwardFrom a later site numbers the layers as Forward
// does (only those after the site are built).
func TestWeightLayers(t *testing.T) {
	for _, c := range []struct {
		name   string
		layers []string
		shapes [][]int
	}{
		{"mlp-tfc-bn", []string{"w0:fc1", "w1:fc2", "w2:fc3", "w3:logits"}, [][]int{{784, 64}, {64, 64}, {64, 64}, {64, 10}}},
		{"lenet5-bn", []string{"w0:conv1", "w1:conv2", "w2:fc1", "w3:fc2", "w4:logits"}, nil},
	} {
		m, err := models.New(c.name, models.MNIST)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.WeightLayerNames(); !slices.Equal(got, c.layers) {
			t.Errorf("%s: weight layers %v, want %v", c.name, got, c.layers)
		}
		all := make([]int, len(c.layers))
		for i := range all {
			all[i] = i
		}
		for _, training := range []bool{false, true} {
			rec := &recorder{on: all}
			store := model.NewStore()
			x := images(m.Input, 2, 1)
			model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
				scope.Store().SetTraining(x.Graph(), training)
				return m.Forward(scope, x, nil, nil)
			}).MustCall(x) // creates the variables
			if _, err := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
				scope.Store().SetTraining(x.Graph(), training)
				return m.ForwardFrom(scope, 0, m.ForwardTo(scope, x, 0), rec)
			}).Call(x); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rec.called, all) {
				t.Errorf("%s training=%v: weight noise asked for layers %v, want %v", c.name, training, rec.called, all)
			}
			for i, want := range c.shapes {
				if !slices.Equal(rec.shapes[i], want) {
					t.Errorf("%s: layer %d weights %v, want %v", c.name, i, rec.shapes[i], want)
				}
			}
		}
		// From the site after the second weight layer on, only later layers are built, with their own numbers.
		from := -1
		for i, s := range m.Sites {
			if s.Op == m.WeightLayers()[1].Name {
				from = i
			}
		}
		rec := &recorder{on: all}
		store := model.NewStore()
		model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return m.Forward(scope, x, nil, nil)
		}).MustCall(images(m.Input, 2, 1))
		if _, err := model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return m.ForwardFrom(scope, from, m.ForwardTo(scope, x, from), rec)
		}).Call(images(m.Input, 2, 1)); err != nil {
			t.Fatal(err)
		}
		if want := all[2:]; !slices.Equal(rec.called, want) {
			t.Errorf("%s: ForwardFrom site %d asked for layers %v, want %v", c.name, from, rec.called, want)
		}
	}
}
