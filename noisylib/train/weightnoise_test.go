package train

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func weightSpec(s noise.Spec, static bool) noise.Config {
	s.Static = static
	return noise.Config{Weights: map[int]noise.Spec{1: s}}
}

// TestWeightNoiseEvaluation evaluates a trained MLP and LeNet-5 with noise on their second Linear or Conv
// layer's weights (weight layer 1), by repeated evaluation:
//   - static: a re-run gives the identical accuracy and loss, and so does another batching of the same
//     examples (one perturbed W for every batch: the loss sums agree to rounding); another noise seed gives
//     another W; the same seed again gives the first result;
//   - dynamic: another batching draws other perturbations (the loss differs by > 1e-4 relative, 10× the
//     static bound), and a re-run with the same seed is identical;
//   - both differ from the clean model, and EvaluateClean ignores the weight noise.
func TestWeightNoiseEvaluation(t *testing.T) {
	for _, name := range []string{"mlp-tfc-nobn", "lenet5-nobn"} {
		t.Run(name, func(t *testing.T) { testWeightNoiseEvaluation(t, name) })
	}
}

func testWeightNoiseEvaluation(t *testing.T, name string) {
	trainSet, testSet := datatest.Stripes(640), datatest.Stripes(300)
	b, _ := backend.Shared()
	res, err := Fit(b, newModel(t, name), trainSet, testSet, Options{Epochs: 3, Seed: 3, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Trainer
	// The weights' signal: E[w²] and max|w| of each Linear/Conv layer; the noise is σ = RMS(w) of layer 1.
	sigs, err := tr.WeightSignals()
	if err != nil || len(sigs) != len(tr.Model.WeightLayers()) || !(sigs[1].MaxAbs > 0) || !(sigs[1].MeanSquare <= sigs[1].MaxAbs*sigs[1].MaxAbs) {
		t.Fatalf("WeightSignals = %v, %v", sigs, err)
	}
	sigma := sigs[1].RMS()
	_, cleanLoss, err := tr.Evaluate(testSet, 100)
	if err != nil {
		t.Fatal(err)
	}
	eval := func(batch int) (float64, float64) {
		t.Helper()
		acc, loss, err := tr.Evaluate(testSet, batch)
		if err != nil {
			t.Fatal(err)
		}
		return acc, loss
	}
	for _, static := range []bool{true, false} {
		if err := tr.SetNoise(weightSpec(noise.Add(sigma), static)); err != nil {
			t.Fatal(err)
		}
		if err := tr.ReseedNoise(21); err != nil {
			t.Fatal(err)
		}
		acc1, loss1 := eval(100)
		acc2, loss2 := eval(100)
		if acc1 != acc2 || loss1 != loss2 {
			t.Errorf("static=%v: a re-run gives %v/%v, first %v/%v", static, acc2, loss2, acc1, loss1)
		}
		if math.Abs(loss1-cleanLoss) < 1e-3*cleanLoss {
			t.Errorf("static=%v: noisy loss %v ≈ clean loss %v: the weights were not perturbed", static, loss1, cleanLoss)
		}
		_, loss50 := eval(50) // 6 batches instead of 3
		rel := math.Abs(loss50-loss1) / loss1
		if static && rel > 1e-5 {
			t.Errorf("static: batches of 50 give loss %v, batches of 100 %v: the perturbed weights changed between batches", loss50, loss1)
		}
		t.Logf("static=%v: accuracy %.2f%%, loss %.5f (batches of 100), %.5f (batches of 50); clean loss %.5f", static, acc1, loss1, loss50, cleanLoss)
		if !static && rel < 1e-4 { // 10× the static bound, itself 10× float32 rounding of the sums
			t.Errorf("dynamic: batches of 50 give loss %v, batches of 100 %v: the same draws in every batch?", loss50, loss1)
		}
		if err := tr.ReseedNoise(22); err != nil {
			t.Fatal(err)
		}
		if _, loss := eval(100); loss == loss1 {
			t.Errorf("static=%v: noise seeds 21 and 22 give the same loss %v", static, loss)
		}
		if err := tr.ReseedNoise(21); err != nil {
			t.Fatal(err)
		}
		if acc, loss := eval(100); acc != acc1 || loss != loss1 {
			t.Errorf("static=%v: seed 21 again gives %v/%v, first %v/%v", static, acc, loss, acc1, loss1)
		}
		if _, err := tr.EvaluateClean(testSet, 100); err != nil {
			t.Fatal(err)
		}
		if acc, loss := eval(100); acc != acc1 || loss != loss1 {
			t.Errorf("static=%v: after EvaluateClean %v/%v, before %v/%v", static, acc, loss, acc1, loss1)
		}
	}
}

// TestWeightNoiseTraining: training with dynamic and with static weight noise is deterministic (the same seed
// gives bit-identical losses), learns (the gradient reaches the perturbed weights: accuracy far above chance
// after two epochs), and differs from clean training.
func TestWeightNoiseTraining(t *testing.T) {
	trainSet, testSet := datatest.Stripes(640), datatest.Stripes(200)
	b, _ := backend.Shared()
	fit := func(cfg noise.Config) *Result {
		res, err := Fit(b, newModel(t, "mlp-tfc-bn"), trainSet, testSet, Options{Epochs: 2, Seed: 5, Progress: io.Discard, Noise: cfg})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	clean := fit(noise.Config{})
	for _, static := range []bool{false, true} {
		cfg := weightSpec(noise.Mul(0.2), static)
		a, a2 := fit(cfg), fit(cfg)
		for i := range a.Epochs {
			if a.Epochs[i].TrainLoss != a2.Epochs[i].TrainLoss {
				t.Errorf("static=%v: epoch %d loss %v vs %v with the same seed", static, i+1, a.Epochs[i].TrainLoss, a2.Epochs[i].TrainLoss)
			}
		}
		if a.NoisyAcc != a2.NoisyAcc || a.NoisyAcc < 50 {
			t.Errorf("static=%v: noisy accuracy %v and %v, want equal and ≥ 50 %% (chance 10 %%)", static, a.NoisyAcc, a2.NoisyAcc)
		}
		if a.Epochs[0].TrainLoss == clean.Epochs[0].TrainLoss {
			t.Errorf("static=%v: the weight noise did not change training", static)
		}
	}
}

func TestWeightNoiseRefused(t *testing.T) {
	b, _ := backend.Shared()
	tr, err := NewTrainer(b, newModel(t, "mlp-tfc-nobn"), 1)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.SetNoise(noise.Config{Weights: map[int]noise.Spec{9: noise.Add(1)}})
	if err == nil || !strings.Contains(err.Error(), "weight layers 0..3") {
		t.Errorf("out-of-range weight layer: %v", err)
	}
	_, _, err = tr.EvaluateSweep(datatest.Stripes(20), []SweepPoint{{Noise: weightSpec(noise.Add(1), false)}}, 0)
	if err == nil || !strings.Contains(err.Error(), "stacked graphs") {
		t.Errorf("weight noise in a sweep: %v", err)
	}
}
