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

// TestTrackerDoesNotChangeTraining: a tracker measuring every parameter, the site statistics, the two-level
// codes of two sites (activations, coded and sign-copy evaluations with the training's noise) after every
// epoch, together with EvalEveryEpoch, leaves the training's losses, accuracies and final weights
// bit-identical to the same training unobserved.
func TestTrackerDoesNotChangeTraining(t *testing.T) {
	tr, te := datatest.Load(t, "mnist")
	tr, te = tr.Subset(1000), te.Subset(300)
	b, _ := backend.Shared()
	m, _ := models.New("mlp-tfc-bn", models.MNIST)
	cfg := noise.Config{Default: noise.Add(0.1), Sites: map[int]noise.Spec{4: noise.Mul(1e10)}}
	tk := &Tracker{Test: te, Levels: tr.Subset(200), CodeSites: []int{4, 5}}
	run := func(observed bool) *train.Result {
		opts := train.Options{Epochs: 2, BatchSize: 100, Seed: 6, Noise: cfg, Progress: io.Discard}
		if observed {
			opts.EvalEveryEpoch, opts.OnEpoch = true, tk.Hook()
		}
		res, err := train.Fit(b, m, tr, te, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	plain, watched := run(false), run(true)
	if len(tk.Epochs) != 2 || len(tk.Epochs[1].Codes) != 2 || len(tk.Epochs[1].Params) != 14 {
		t.Fatalf("tracker: %d epochs (want 2), %d codes (want 2), %d parameter tensors (want 4 layers × 2 + 3 BN × 2 = 14)",
			len(tk.Epochs), len(tk.Epochs[1].Codes), len(tk.Epochs[1].Params))
	}
	for _, c := range tk.Epochs[1].Codes {
		t.Logf("%s: acc %.1f%%, code %.1f%%, sign %.1f%%, η %.3f, level ratio %.3g, sparsity %.3f", c.Name, c.Acc, c.CodeAcc,
			c.SignAcc, c.MeanEta, c.MedianLevelRatio, c.Sparsity)
		if !(c.Acc >= 0 && c.CodeAcc >= 0 && c.SignAcc >= 0 && c.MeanEta > 0 && c.Sparsity > 0 && c.Sparsity < 1) {
			t.Errorf("code stats %+v", c)
		}
	}
	if math.IsNaN(watched.Epochs[0].TestAcc) || !math.IsNaN(plain.Epochs[0].TestAcc) {
		t.Errorf("EvalEveryEpoch: first-epoch test accuracy %v observed, %v unobserved", watched.Epochs[0].TestAcc, plain.Epochs[0].TestAcc)
	}
	for i := range plain.Epochs {
		p, w := plain.Epochs[i], watched.Epochs[i]
		if p.TrainLoss != w.TrainLoss || p.TrainAcc != w.TrainAcc {
			t.Errorf("epoch %d: loss %v acc %v unobserved, %v %v observed", i+1, p.TrainLoss, p.TrainAcc, w.TrainLoss, w.TrainAcc)
		}
	}
	if plain.NoisyAcc != watched.NoisyAcc || plain.TestLoss != watched.TestLoss || plain.CleanAcc != watched.CleanAcc {
		t.Errorf("final noisy %v/%v clean %v unobserved; %v/%v %v observed", plain.NoisyAcc, plain.TestLoss, plain.CleanAcc,
			watched.NoisyAcc, watched.TestLoss, watched.CleanAcc)
	}
	ca, _ := plain.Trainer.Checkpoint()
	cb, _ := watched.Trainer.Checkpoint()
	if len(ca.Vars) == 0 || len(ca.Vars) != len(cb.Vars) {
		t.Fatalf("%d and %d variables", len(ca.Vars), len(cb.Vars))
	}
	for path, v := range ca.Vars {
		if !slices.Equal(v.Data, cb.Vars[path].Data) {
			t.Errorf("variable %s differs between the unobserved and the observed training", path)
		}
	}
}

func TestSparseEpochs(t *testing.T) {
	var got []int
	keep := SparseEpochs(45)
	for e := 1; e <= 45; e++ {
		if keep(e) {
			got = append(got, e)
		}
	}
	want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 45}
	if !slices.Equal(got, want) {
		t.Errorf("SparseEpochs(45) records %v, want %v", got, want)
	}
}
