package dynamics

import (
	"io"
	"math"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// TestCodeHandComputed: the per-unit levels, the code of values and the graph transforms against hand values.
func TestCodeHandComputed(t *testing.T) {
	// Three examples of two units: unit 0 takes 0, 0, 6 (levels 0 and 6, η = 1); unit 1 takes −2, 1, 3:
	// {−2} | {1, 3} has σ_B² = (1/3)(2/3)(2 − (−2))² = 32/9, more than {−2, 1} | {3} with (2/9)(3.5)² = 24.5/9,
	// so its levels are −2 and 2 (threshold 0) and η = (32/9)/(114/27) = 16/19.
	a := &Activations{Site: 3, Units: 2, Values: []float32{0, -2, 0, 1, 6, 3}}
	c := TwoLevelCode(a)
	if u0, u1 := c.Units[0], c.Units[1]; u0.Lo != 0 || u0.Hi != 6 || u1.Lo != -2 || u1.Hi != 2 || u1.Threshold != 0 {
		t.Fatalf("levels: unit 0 %+v, unit 1 %+v; want 0/6 and −2/2 (threshold 0)", u0, u1)
	}
	x := []float32{2.9, 0, 3, -0.1, -1, 100}
	want := []float32{0, 2, 6, -2, 0, 2}
	if got := c.Apply(x); !slices.Equal(got, want) {
		t.Errorf("Apply = %v, want %v", got, want)
	}
	if r := c.MedianLevelRatio(); !math.IsInf(r, 1) { // Ratios +Inf (unit 0) and 1: the median of two is +Inf.
		t.Errorf("MedianLevelRatio = %v, want +Inf", r)
	}
	if e := c.MeanEta(); math.Abs(e-(1+16.0/19)/2) > 1e-12 {
		t.Errorf("MeanEta = %v, want (1 + 16/19)/2", e)
	}
	// In a graph, on a [3, 2] batch: the code and the sign copy sign(x)·mean|x| (mean|x| = 2 for both units).
	b, _ := backend.Shared()
	sign := SignCopy(a)
	e := model.MustNewExec(b, model.NewStore(), func(_ *model.Scope, v *graph.Node) []*graph.Node {
		return []*graph.Node{c.Transform(v), sign(v)}
	})
	outs, err := e.Call(tensors.FromFlatDataAndDimensions(x, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	if got := tensors.MustCopyFlatData[float32](outs[0]); !slices.Equal(got, want) {
		t.Errorf("Transform = %v, want %v", got, want)
	}
	if got, w := tensors.MustCopyFlatData[float32](outs[1]), []float32{2, 0, 2, -2, -2, 2}; !slices.Equal(got, w) {
		t.Errorf("SignCopy = %v, want %v", got, w)
	}
}

func TestFeedingReLU(t *testing.T) {
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	// Sites: 0 input, 1 fc1, 2 bn1, 3 relu1, 4 fc2, 5 bn2, 6 relu2, ...
	for site, want := range map[int]int{0: -1, 2: -1, 3: 3, 4: 3, 5: 3, 6: 6, 10: 9} {
		if got := FeedingReLU(m, site); got != want {
			t.Errorf("FeedingReLU(%s) = %d, want %d", m.Sites[site].Name(), got, want)
		}
	}
}

// trained returns an mlp-tfc-bn trained for one epoch on 1000 MNIST examples and 300 test examples.
func trained(t *testing.T, cfg noise.Config) (*train.Trainer, *data.Dataset) {
	t.Helper()
	tr, te := datatest.Load(t, "mnist")
	b, _ := backend.Shared()
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	res, err := train.Fit(b, m, tr.Subset(1000), te, train.Options{Epochs: 1, BatchSize: 100, Seed: 4, LR: 3e-3,
		Noise: cfg, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return res.Trainer, te.Subset(300)
}

// TestTransformedAccuracy: replacing the logits by their code gives the accuracy computed by hand from the
// clean logits; the identity transform at a noisy site is the model's own noisy accuracy (the same draws);
// neither changes the trainer's noise stream.
func TestTransformedAccuracy(t *testing.T) {
	tn, te := trained(t, noise.At(4, noise.Mul(1)))
	last := tn.Model.NumSites() - 1
	logits, err := SiteActivations(tn, te, last)
	if err != nil {
		t.Fatal(err)
	}
	if logits.Units != 10 || logits.Examples() != te.Len() {
		t.Fatalf("logits: %d units × %d examples, want 10 × %d", logits.Units, logits.Examples(), te.Len())
	}
	code := TwoLevelCode(logits)
	coded := code.Apply(logits.Values)
	hits := 0
	for i, y := range te.Labels {
		row := coded[i*10 : (i+1)*10]
		if int32(slices.Index(row, slices.Max(row))) == y {
			hits++
		}
	}
	wantAcc := 100 * float64(hits) / float64(te.Len())
	before, _, err := tn.Evaluate(te, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The noise at site 4 is on: evaluate the code at the logits with it off, as the hand computation has it.
	if err := tn.SetNoise(noise.Config{}); err != nil {
		t.Fatal(err)
	}
	got, err := TransformedAccuracy(tn, te, last, code.Transform, 128)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("coded logits: %v%% (by hand %v%%), noisy model %v%%", got, wantAcc, before)
	if got != wantAcc {
		t.Errorf("accuracy with coded logits %v%%, by hand %v%%", got, wantAcc)
	}
	if err := tn.SetNoise(noise.At(4, noise.Mul(1))); err != nil {
		t.Fatal(err)
	}
	same, err := TransformedAccuracy(tn, te, 4, func(x *graph.Node) *graph.Node { return x }, 0)
	if err != nil {
		t.Fatal(err)
	}
	after, _, err := tn.Evaluate(te, 0)
	if err != nil {
		t.Fatal(err)
	}
	if same != before || after != before {
		t.Errorf("noisy accuracy %v%%, with the identity transform %v%%, again after it %v%%: want all equal", before, same, after)
	}
	if _, err := TransformedAccuracy(tn, te, last+1, code.Transform, 0); err == nil {
		t.Error("a site out of range was accepted")
	}
}

// TestProbesRefuseWeightNoise: the probes build their graphs from the trainer's activation noise, so a trainer
// with noise on weights is refused rather than measured without it.
func TestProbesRefuseWeightNoise(t *testing.T) {
	tn, te := trained(t, noise.At(4, noise.Mul(1)))
	if err := tn.SetNoise(noise.Config{Sites: map[int]noise.Spec{4: noise.Mul(1)}, Weights: map[int]noise.Spec{1: noise.Add(0.1)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := TransformedAccuracy(tn, te, 4, func(x *graph.Node) *graph.Node { return x }, 0); err == nil {
		t.Error("TransformedAccuracy with weight noise: want an error")
	}
	if _, err := MeasureCode(tn, te, te, 4); err == nil {
		t.Error("MeasureCode with weight noise: want an error")
	}
	if _, err := SignCopyAccuracy(tn, te); err == nil {
		t.Error("SignCopyAccuracy with weight noise: want an error")
	}
}
