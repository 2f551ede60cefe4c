package train

import (
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestBatchNormRejectsBatchOfOne: training a model with BatchNorm after a Dense layer on batches of one
// example is an error naming the fix, in Fit, FitStack and Step (issue 14, fault 7: batch 1 trained silently
// to chance). A last partial batch of one example is rejected too; models without BatchNorm accept batch 1.
func TestBatchNormRejectsBatchOfOne(t *testing.T) {
	tr, te := mnist(t)
	tr, te = tr.Subset(129), te.Subset(50)
	b, _ := backend.Shared()
	opts := Options{Epochs: 1, Seed: 1, Progress: io.Discard}
	for _, tc := range []struct {
		model string
		n, bs int
		want  string
	}{
		{"mlp-tfc-bn", 129, 1, "batch size 1"},
		{"lenet5-bn", 129, 1, "batch size 1"}, // conv BatchNorms have H·W values, but bn3 follows a Dense layer
		{"mlp-tfc-bn-nonoise", 129, 128, "last batch of one example"},
	} {
		o := opts
		o.BatchSize = tc.bs
		_, err := Fit(b, newModel(t, tc.model), tr.Subset(tc.n), te, o)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "BatchNorm") {
			t.Errorf("Fit %s on %d examples in batches of %d: %v, want an error with %q", tc.model, tc.n, tc.bs, err, tc.want)
		}
		if strings.HasPrefix(tc.model, "lenet5") {
			continue // convolutional models are not stacked
		}
		_, err = FitStack(b, newModel(t, tc.model), tr.Subset(tc.n), te, o, []noise.Config{{}, {}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FitStack %s on %d examples in batches of %d: %v, want an error with %q", tc.model, tc.n, tc.bs, err, tc.want)
		}
	}
	tn, err := NewTrainer(b, newModel(t, "mlp-tfc-bn"), 1)
	if err != nil {
		t.Fatal(err)
	}
	x, y := tr.Example(0)
	if _, _, err := tn.Step(tensors.FromFlatDataAndDimensions(x, 1, 28, 28, 1), tensors.FromFlatDataAndDimensions([]int32{y}, 1)); err == nil {
		t.Errorf("Step on a batch of one with BatchNorm succeeded")
	}
	for _, name := range []string{"mlp-tfc-nobn", "lenet5-nobn"} {
		if err := newModel(t, name).CheckTrainBatches(129, 1); err != nil {
			t.Errorf("%s: %v, want batch 1 accepted without BatchNorm", name, err)
		}
	}
	if err := newModel(t, "mlp-tfc-bn").CheckTrainBatches(130, 128); err != nil {
		t.Errorf("130 examples in batches of 128: %v, want accepted (last batch of 2)", err)
	}
}

// TestObserversDoNotChangeTraining: evaluating every epoch, and an OnEpoch hook that evaluates, evaluates
// clean, measures site statistics and runs an evaluation sweep, leave a noisy training's losses, accuracies
// and final weights bit-identical to the same training unobserved (issue 14, fault 11: EvalEveryEpoch
// changed a 3-epoch training from 65.6 % to 61.9 %).
func TestObserversDoNotChangeTraining(t *testing.T) {
	tr, te := mnist(t)
	tr, te = tr.Subset(1000), te.Subset(300)
	b, _ := backend.Shared()
	cfg := noise.Config{Default: noise.Add(0.5), Sites: map[int]noise.Spec{3: noise.Mul(0.5)}}
	run := func(observe bool) *Result {
		opts := Options{Epochs: 3, BatchSize: 100, Seed: 5, Noise: cfg, Progress: io.Discard}
		if observe {
			opts.EvalEveryEpoch = true
			opts.OnEpoch = func(tn *Trainer, _ EpochStats) error {
				if _, _, err := tn.Evaluate(te, 64); err != nil {
					return err
				}
				if _, err := tn.EvaluateClean(te, 0); err != nil {
					return err
				}
				if _, err := tn.SiteStats(te, 0); err != nil {
					return err
				}
				_, _, err := tn.EvaluateSweep(te, []SweepPoint{{Noise: noise.At(2, noise.Add(1)), Seed: 3}}, 0)
				return err
			}
		}
		res, err := Fit(b, newModel(t, "mlp-tfc-bn"), tr, te, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	plain, watched := run(false), run(true)
	for i := range plain.Epochs {
		p, w := plain.Epochs[i], watched.Epochs[i]
		if p.TrainLoss != w.TrainLoss || p.TrainAcc != w.TrainAcc {
			t.Errorf("epoch %d: loss %v acc %v unobserved, %v %v observed", i+1, p.TrainLoss, p.TrainAcc, w.TrainLoss, w.TrainAcc)
		}
	}
	if plain.NoisyAcc != watched.NoisyAcc || plain.TestLoss != watched.TestLoss || plain.CleanAcc != watched.CleanAcc {
		t.Errorf("final noisy %v/%v clean %v: unobserved; %v/%v %v observed", plain.NoisyAcc, plain.TestLoss, plain.CleanAcc,
			watched.NoisyAcc, watched.TestLoss, watched.CleanAcc)
	}
	ca, err := plain.Trainer.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	cb, err := watched.Trainer.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if len(ca.Vars) == 0 || len(ca.Vars) != len(cb.Vars) {
		t.Fatalf("%d and %d variables", len(ca.Vars), len(cb.Vars))
	}
	for path, v := range ca.Vars {
		if !slices.Equal(v.Data, cb.Vars[path].Data) {
			t.Errorf("variable %s differs between the unobserved and the observed training", path)
		}
	}
	// Two evaluations in a row draw the same noise: an evaluation leaves the stream as it found it.
	a1, _, err := plain.Trainer.Evaluate(te, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a1 != plain.NoisyAcc {
		t.Errorf("evaluating again after Fit gave %v, Fit's own evaluation %v", a1, plain.NoisyAcc)
	}
}

// TestEvaluationSeesCurrentModel: an evaluation graph compiled before further training, a Restore or a
// ReseedNoise evaluates the current weights and noise stream, not the ones it was compiled with (the pure-Go
// backend embeds variables in evaluation graphs as constants). Found with fault 11: after EvalEveryEpoch the
// final accuracy was that of the epoch-1 weights (MLP-TFC (BN): 24.7 % instead of 71 %).
func TestEvaluationSeesCurrentModel(t *testing.T) {
	tr, te := mnist(t)
	tr, te = tr.Subset(1000), te.Subset(300)
	b, _ := backend.Shared()
	cfg := noise.At(3, noise.Mul(0.5))
	res, err := Fit(b, newModel(t, "mlp-tfc-bn"), tr, te, Options{Epochs: 3, BatchSize: 100, Seed: 5, Noise: cfg,
		Progress: io.Discard, EvalEveryEpoch: true})
	if err != nil {
		t.Fatal(err)
	}
	ck, err := res.Trainer.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := NewTrainer(b, newModel(t, "mlp-tfc-bn"), 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.Restore(ck); err != nil {
		t.Fatal(err)
	}
	clean, err := fresh.EvaluateClean(te, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.CleanAcc != clean {
		t.Errorf("clean accuracy after EvalEveryEpoch %v, a fresh trainer with the same weights %v", res.CleanAcc, clean)
	}
	if last := res.Epochs[len(res.Epochs)-1].TestAcc; last != res.NoisyAcc {
		t.Errorf("last epoch's test accuracy %v, final evaluation %v (same weights and noise stream)", last, res.NoisyAcc)
	}
	// Reseeding changes the draws of an already compiled evaluation, and the same seed repeats them.
	if err := fresh.SetNoise(noise.Global(noise.Add(2))); err != nil {
		t.Fatal(err)
	}
	var accs []float64
	for _, seed := range []uint64{1, 2, 1} {
		if err := fresh.ReseedNoise(seed); err != nil {
			t.Fatal(err)
		}
		_, loss, err := fresh.Evaluate(te, 0)
		if err != nil {
			t.Fatal(err)
		}
		accs = append(accs, loss)
	}
	if accs[0] == accs[1] || accs[0] != accs[2] {
		t.Errorf("losses with noise seeds 1, 2, 1: %v; want the seeds to differ and seed 1 to repeat", accs)
	}
}

// TestLossWarning: a training whose loss explodes or never falls below ln C is flagged, with its accuracy
// unchanged; a training that learns is not (issue 14, fault 12: multiplicative σ = 1e10 at fc2 of
// mlp-tfc-nobn had a loss of ~1e7 falling to ~1e2 at chance and was reported as a normal run).
func TestLossWarning(t *testing.T) {
	ln10 := 2.302585092994046
	for _, tc := range []struct {
		losses []float64
		want   string
	}{
		{[]float64{1e7, 1e4, 1e2}, "exploded"},
		{[]float64{2.31, 2.305, ln10}, "never learned"},
		{[]float64{2.2, 0.5, 0.3}, ""},
		{[]float64{0.4, 300}, "exploded"},
		{[]float64{1.9}, ""},
	} {
		var eps []EpochStats
		for _, l := range tc.losses {
			eps = append(eps, EpochStats{TrainLoss: l})
		}
		got := LossWarning(eps, 10)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("LossWarning(%v) = %q, want %q", tc.losses, got, tc.want)
		}
	}
	tr, te := mnist(t)
	tr, te = tr.Subset(1000), te.Subset(300)
	b, _ := backend.Shared()
	res, err := Fit(b, newModel(t, "mlp-tfc-nobn"), tr, te, Options{Epochs: 2, Seed: 1, Progress: io.Discard,
		Noise: noise.At(3, noise.Mul(1e10))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diverged || res.Warning == "" || !strings.Contains(res.Summary(), "WARNING") {
		t.Errorf("mul σ=1e10 at fc2: diverged %v, warning %q, losses %v; want a warning", res.Diverged, res.Warning, res.Epochs)
	}
	if res.NoisyAcc <= 0 || res.NoisyAcc > 100 {
		t.Errorf("flagged run's accuracy %v, want the measured one", res.NoisyAcc)
	}
	ok, err := Fit(b, newModel(t, "mlp-tfc-nobn"), tr, te, Options{Epochs: 2, Seed: 1, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if ok.Warning != "" {
		t.Errorf("clean training flagged: %q (losses %v)", ok.Warning, ok.Epochs)
	}
	stacked, err := FitStack(b, newModel(t, "mlp-tfc-nobn"), tr, te, Options{Epochs: 2, Seed: 1, Progress: io.Discard},
		[]noise.Config{noise.At(3, noise.Mul(1e10)), noise.At(3, noise.Mul(0.1))})
	if err != nil {
		t.Fatal(err)
	}
	if stacked[0].Warning == "" || stacked[1].Warning != "" {
		t.Errorf("stacked: warnings %q and %q, want the first only", stacked[0].Warning, stacked[1].Warning)
	}
}

// TestInvalidOptionsAreErrors: negative epochs, batch sizes and learning rates are errors, not defaults.
func TestInvalidOptionsAreErrors(t *testing.T) {
	tr, te := mnist(t)
	tr, te = tr.Subset(200), te.Subset(100)
	b, _ := backend.Shared()
	for _, o := range []Options{{Epochs: -1}, {BatchSize: -5}, {EvalBatchSize: -1}, {LR: -1e-3}, {LR: math.NaN()}, {LR: math.Inf(1)}} {
		o.Progress = io.Discard
		if _, err := Fit(b, newModel(t, "mlp-tfc-nobn"), tr, te, o); err == nil {
			t.Errorf("Fit with %+v succeeded", o)
		}
		if _, err := FitStack(b, newModel(t, "mlp-tfc-nobn"), tr, te, o, []noise.Config{{}}); err == nil {
			t.Errorf("FitStack with %+v succeeded", o)
		}
	}
}
