package dynamics

import (
	"io"
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

func TestWeightsAndBinarized(t *testing.T) {
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	ck := &train.Checkpoint{Model: m.Name, Input: m.Input, Vars: map[string]train.Var{
		"/fc1/weights": {Dims: []int{2, 2}, Data: []float32{1, -3, 0, 2}},
		"/fc1/biases":  {Dims: []int{2}, Data: []float32{5, -5}},
		"/bn1/gamma":   {Dims: []int{2}, Data: []float32{2, -4}},
		"/fc2/weights": {Dims: []int{1, 2}, Data: []float32{0.5, 0.5}},
	}}
	st := Weights(ck, m)
	if len(st) != 2 || st[0].Op != "fc1" || st[1].Op != "fc2" {
		t.Fatalf("Weights = %+v, want fc1 then fc2", st)
	}
	if st[0].MeanAbs != 1.5 || st[0].MaxAbs != 3 || st[0].GammaMeanAbs != 3 {
		t.Errorf("fc1 stats %+v: want mean|w| 1.5, max 3, mean|γ| 3", st[0])
	}
	// Only |w| ≥ 0.9·3 = 2.7 counts as near the maximum: 1 of 4.
	if st[0].NearMax != 0.25 {
		t.Errorf("fc1 NearMax = %v, want 0.25", st[0].NearMax)
	}
	b := Binarized(ck)
	want := []float32{1.5, -1.5, 0, 1.5}
	for i, v := range b.Vars["/fc1/weights"].Data {
		if v != want[i] {
			t.Errorf("binarized fc1 = %v, want %v", b.Vars["/fc1/weights"].Data, want)
			break
		}
	}
	if b.Vars["/fc1/biases"].Data[0] != 5 || ck.Vars["/fc1/weights"].Data[1] != -3 {
		t.Error("Binarized must leave biases alone and not modify the original checkpoint")
	}
}

func TestTrackerAndSignCopy(t *testing.T) {
	tr, te := datatest.Load(t, "mnist")
	tr, te = tr.Subset(2000), te.Subset(500)
	b, _ := backend.Shared()
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	tk := &Tracker{Test: te.Subset(200)}
	res, err := train.Fit(b, m, tr, te, train.Options{Epochs: 2, Seed: 3, Progress: io.Discard, OnEpoch: tk.Hook(),
		Noise: noise.At(1, noise.Add(0.3))})
	if err != nil {
		t.Fatal(err)
	}
	if len(tk.Epochs) != 2 || len(tk.Epochs[1].Layers) != 4 || len(tk.Epochs[1].Sites) != m.NumSites() {
		t.Fatalf("tracker recorded %d epochs (want 2) with %d layers (want 4) and %d sites (want %d)",
			len(tk.Epochs), len(tk.Epochs[1].Layers), len(tk.Epochs[1].Sites), m.NumSites())
	}
	if tk.Epochs[0].Layers[0].MeanAbs == tk.Epochs[1].Layers[0].MeanAbs {
		t.Error("fc1 weights did not change between epochs")
	}
	acc, err := SignCopyAccuracy(res.Trainer, te)
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(acc) || acc < 0 || acc > 100 {
		t.Errorf("sign-copy accuracy %v", acc)
	}
	// A model whose weights are already binary is unchanged by binarization: its copy scores the same.
	ck, _ := res.Trainer.Checkpoint()
	bin, _ := train.NewTrainer(b, m, 3)
	if err := bin.Restore(Binarized(ck)); err != nil {
		t.Fatal(err)
	}
	want, _, err := bin.Evaluate(te, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SignCopyAccuracy(bin, te)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("sign copy of a binary model: %v%%, the model itself %v%%", got, want)
	}
}
