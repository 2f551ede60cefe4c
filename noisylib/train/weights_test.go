package train

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestClassWeightedLoss: with class weights the training loss is PyTorch's weighted mean
// Σ w_y·CE_i / Σ w_y, checked against per-example cross-entropies measured one example at a time, for a
// single model and for every copy of a stack. The model has no BatchNorm and no noise, so the training-mode
// forward pass equals the evaluation one.
func TestClassWeightedLoss(t *testing.T) {
	b, _ := backend.Shared()
	in := models.InputSpec{H: 10, W: 49, C: 1, NumClasses: 12}
	m, err := models.New("mlp-tfc-nobn", in)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	x := make([]float32, n*490)
	for i := range x {
		x[i] = float32(math.Sin(float64(i) * 0.37))
	}
	y := []int32{0, 3, 3, 11, 10, 11, 5, 0}
	weights := make([]float32, 12)
	for c := range weights {
		weights[c] = float32(c+1) / 78
	}
	ref, err := NewTrainer(b, m, 5)
	if err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for i := range n {
		ce, _, err := ref.EvalBatch(tensors.FromFlatDataAndDimensions(x[i*490:(i+1)*490], 1, 10, 49, 1),
			tensors.FromFlatDataAndDimensions(y[i:i+1], 1))
		if err != nil {
			t.Fatal(err)
		}
		num += float64(weights[y[i]]) * ce
		den += float64(weights[y[i]])
	}
	want := num / den
	xt, yt := tensors.FromFlatDataAndDimensions(x, n, 10, 49, 1), tensors.FromFlatDataAndDimensions(y, n)
	tr, err := NewTrainer(b, m, 5)
	if err != nil {
		t.Fatal(err)
	}
	tr.ClassWeights = weights
	got, _, err := tr.Step(xt, yt)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-5*math.Abs(want) {
		t.Errorf("weighted training loss %v, want Σ w_y·CE / Σ w_y = %v", got, want)
	}
	plain, err := NewTrainer(b, m, 5)
	if err != nil {
		t.Fatal(err)
	}
	unweighted, _, err := plain.Step(xt, yt)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(unweighted-want) < 1e-4 {
		t.Fatalf("the unweighted loss %v equals the weighted one: the test cannot tell them apart", unweighted)
	}
	st, err := NewStackTrainer(b, m, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetNoise([]noise.Config{noise.At(1, noise.Add(0)), noise.At(1, noise.Add(0))}); err != nil {
		t.Fatal(err)
	}
	st.ClassWeights = weights
	losses, _, err := st.Step(xt, yt)
	if err != nil {
		t.Fatal(err)
	}
	for j, l := range losses {
		if math.Abs(l-want) > 1e-5*math.Abs(want) {
			t.Errorf("stack copy %d: weighted loss %v, want %v", j, l, want)
		}
	}
}

// TestEpochStatsJSON: epochs without evaluation (NaN test values) and diverged losses (±Inf) survive a JSON
// round trip as null ↔ NaN, where encoding/json alone refuses them (and a point's metrics were lost).
func TestEpochStatsJSON(t *testing.T) {
	in := []EpochStats{{Epoch: 1, LR: 1e-3, TrainLoss: math.Inf(1), TrainAcc: 10, TestLoss: math.NaN(), TestAcc: math.NaN(), Seconds: 2}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out []EpochStats
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	o := out[0]
	if o.Epoch != 1 || o.LR != 1e-3 || !math.IsNaN(o.TrainLoss) || o.TrainAcc != 10 || !math.IsNaN(o.TestLoss) || !math.IsNaN(o.TestAcc) || o.Seconds != 2 {
		t.Errorf("round trip of %s gave %+v", b, o)
	}
}
