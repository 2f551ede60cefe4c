package dynamics

import (
	"io"
	"math"
	"slices"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// TestParamsEveryTensor: every trainable tensor (weights, biases, γ, β; not the running statistics) in model
// order, with hand-computed statistics.
func TestParamsEveryTensor(t *testing.T) {
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	ck := &train.Checkpoint{Model: m.Name, Input: m.Input, Vars: map[string]train.Var{
		"/fc1/weights":     {Dims: []int{2, 2}, Data: []float32{1, -3, 0, 2}},
		"/fc1/biases":      {Dims: []int{2}, Data: []float32{0.5, -0.5}},
		"/bn1/gamma":       {Dims: []int{4}, Data: []float32{1.02, 0.98, 1.02, 0.98}},
		"/bn1/beta":        {Dims: []int{3}, Data: []float32{-0.2, -0.1, 0.6}},
		"/bn1/running_var": {Dims: []int{2}, Data: []float32{1, 1}},
		"/fc2/weights":     {Dims: []int{1, 2}, Data: []float32{0.5, 0.5}},
	}}
	ps := Params(ck, m)
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.Path)
	}
	if want := []string{"/fc1/weights", "/fc1/biases", "/bn1/gamma", "/bn1/beta", "/fc2/weights"}; !slices.Equal(paths, want) {
		t.Fatalf("Params paths %v, want %v", paths, want)
	}
	w, b, g, beta := ps[0], ps[1], ps[2], ps[3]
	if w.Op != "fc1" || w.Name != "weights" || w.Mean != 0 || w.Median != 0.5 || w.FracNegative != 0.25 || w.AtBound != 0.75 || w.MeanAbs != 1.5 {
		t.Errorf("fc1 weights %+v: want mean 0, median 0.5, 1/4 negative, 3/4 at |w| ≥ 1, mean|w| 1.5", w)
	}
	if b.Mean != 0 || b.FracNegative != 0.5 || b.AtBound != 0 {
		t.Errorf("fc1 biases %+v", b)
	}
	// γ is two-valued around 1: η = 1 and every value at its extremes, whereas |γ| − max|γ| would call it
	// "all near the maximum" whether or not it were two-valued.
	if math.Abs(g.Eta-1) > 1e-9 || g.NearExtremes != 1 || math.Abs(g.Mean-1) > 1e-7 {
		t.Errorf("bn1 γ %+v: want η 1, all near the extremes, mean 1", g)
	}
	if beta.Median != float64(float32(-0.1)) || math.Abs(beta.FracNegative-2.0/3) > 1e-15 {
		t.Errorf("bn1 β %+v: want median −0.1, 2/3 negative", beta)
	}
}

// TestBinarizedLayer: the per-layer sign copy changes that layer's weights only, and the per-layer accuracies
// come one per Linear layer.
func TestBinarizedLayer(t *testing.T) {
	ck := &train.Checkpoint{Vars: map[string]train.Var{
		"/fc1/weights": {Dims: []int{2}, Data: []float32{1, -3}},
		"/fc2/weights": {Dims: []int{2}, Data: []float32{2, -4}},
		"/fc2/biases":  {Dims: []int{2}, Data: []float32{2, -4}},
	}}
	b := BinarizedLayer(ck, "fc2")
	if !slices.Equal(b.Vars["/fc2/weights"].Data, []float32{3, -3}) || !slices.Equal(b.Vars["/fc1/weights"].Data, []float32{1, -3}) ||
		!slices.Equal(b.Vars["/fc2/biases"].Data, []float32{2, -4}) || ck.Vars["/fc2/weights"].Data[0] != 2 {
		t.Errorf("BinarizedLayer(fc2) = %v", b.Vars)
	}
	tn, te := trained(t, noise.At(4, noise.Mul(1)))
	ops, acc, err := LayerSignCopyAccuracies(tn, te)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ops, []string{"fc1", "fc2", "fc3", "logits"}) || len(acc) != 4 {
		t.Fatalf("layers %v, accuracies %v", ops, acc)
	}
	for i, a := range acc {
		if !(a >= 0 && a <= 100) {
			t.Errorf("%s sign-copy accuracy %v", ops[i], a)
		}
	}
}

// TestClampAtBound: a clamped training at a large learning rate holds weights at ±1, and LayerStats.AtBound
// counts exactly them; the same training unclamped has weights beyond the bound.
func TestClampAtBound(t *testing.T) {
	tr, _ := datatest.Load(t, "mnist")
	b, _ := backend.Shared()
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	for _, clamp := range []bool{true, false} {
		res, err := train.Fit(b, m, tr.Subset(1000), nil, train.Options{Epochs: 1, BatchSize: 50, Seed: 2, LR: 0.1,
			Clamp: clamp, Progress: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		ck, _ := res.Trainer.Checkpoint()
		for _, l := range Weights(ck, m) {
			w := ck.Vars["/"+l.Op+"/weights"].Data
			at, beyond := 0, 0
			for _, v := range w {
				if v == 1 || v == -1 {
					at++
				}
				if math.Abs(float64(v)) > 1 {
					beyond++
				}
			}
			if want := float64(at+beyond) / float64(len(w)); l.AtBound != want {
				t.Errorf("clamp %v, %s: AtBound %v, counted %v", clamp, l.Op, l.AtBound, want)
			}
			if clamp && (beyond > 0 || at == 0) {
				t.Errorf("clamped %s: %d weights beyond ±1, %d at it: want none beyond, some at the bound", l.Op, beyond, at)
			}
			if !clamp && l.Op == "fc1" && beyond == 0 {
				t.Errorf("unclamped %s: no weight beyond ±1 at lr 0.1, the probe would not show clamping", l.Op)
			}
			t.Logf("clamp %v %s: %.4f at the bound", clamp, l.Op, l.AtBound)
		}
	}
}
