package train

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestFitStackEqualsSeparateRuns trains K noise levels as one stack and each alone with the same seed, and
// checks that every copy's training losses, noisy and clean accuracies match its separate run: the stack
// starts from the same weights, sees the same batches and the same noise draws, so only floating-point
// rounding of the batched products may differ.
func TestFitStackEqualsSeparateRuns(t *testing.T) {
	trainSet, testSet := mnist(t)
	trainSet, testSet = trainSet.Subset(2560), testSet.Subset(1000)
	cases := []struct {
		model  string
		noises []noise.Config
	}{
		{"mlp-tfc-bn", []noise.Config{noise.At(4, noise.Add(0.3)), noise.At(4, noise.Add(3)), noise.At(4, noise.Add(30))}},
		{"mlp-tfc-nobn", []noise.Config{noise.At(0, noise.Mul(0.5).WithRepetitions(2)), noise.At(0, noise.Mul(2).WithRepetitions(2))}},
	}
	for _, c := range cases {
		opts := Options{Epochs: 2, Seed: 11, Progress: io.Discard}
		stacked, err := FitStack(testBackend(t), newModel(t, c.model), trainSet, testSet, opts, c.noises)
		if err != nil {
			t.Fatal(err)
		}
		for j, cfg := range c.noises {
			o := opts
			o.Noise = cfg
			alone, err := Fit(testBackend(t), newModel(t, c.model), trainSet, testSet, o)
			if err != nil {
				t.Fatal(err)
			}
			got := stacked[j]
			for e := range alone.Epochs {
				a, s := alone.Epochs[e].TrainLoss, got.Epochs[e].TrainLoss
				if math.Abs(a-s) > 1e-4*math.Max(1, math.Abs(a)) {
					t.Errorf("%s %v epoch %d: stacked train loss %.6f, alone %.6f", c.model, cfg, e+1, s, a)
				}
			}
			if math.Abs(got.NoisyAcc-alone.NoisyAcc) > 0.3 || math.Abs(got.CleanAcc-alone.CleanAcc) > 0.3 {
				t.Errorf("%s %v: stacked noisy/clean acc %.2f/%.2f%%, alone %.2f/%.2f%%", c.model, cfg,
					got.NoisyAcc, got.CleanAcc, alone.NoisyAcc, alone.CleanAcc)
			}
			t.Logf("%s %v: stacked %.2f%% (clean %.2f%%), alone %.2f%% (clean %.2f%%)", c.model, cfg,
				got.NoisyAcc, got.CleanAcc, alone.NoisyAcc, alone.CleanAcc)
		}
		if first, last := stacked[0].NoisyAcc, stacked[len(stacked)-1].NoisyAcc; first <= last {
			t.Errorf("%s: more noise should cost accuracy: %.2f%% at the lowest σ, %.2f%% at the highest", c.model, first, last)
		}
	}
}

// TestStackTrainerErrors checks the errors for models and noise that cannot be stacked.
func TestStackTrainerErrors(t *testing.T) {
	if _, err := NewStackTrainer(testBackend(t), newModel(t, "lenet5-bn"), 1, 2); err == nil || !strings.Contains(err.Error(), "cannot be stacked") {
		t.Errorf("LeNet-5: got %v, want a cannot-be-stacked error", err)
	}
	s, err := NewStackTrainer(testBackend(t), newModel(t, "mlp-tfc-bn"), 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetNoise([]noise.Config{noise.At(1, noise.Add(1)), noise.At(2, noise.Add(1))}); err == nil || !strings.Contains(err.Error(), "noise structure") {
		t.Errorf("mixed sites: got %v, want a noise-structure error", err)
	}
	if err := s.SetNoise([]noise.Config{noise.At(1, noise.Add(1))}); err == nil {
		t.Error("one configuration for a stack of 2: no error")
	}
}

// TestFitStackDivergedCopy checks that a copy whose training overflows (σ = 1e38 at the input) is reported
// as diverged without spoiling the other copies of its stack, which train as they would alone.
func TestFitStackDivergedCopy(t *testing.T) {
	trainSet, testSet := mnist(t)
	trainSet, testSet = trainSet.Subset(2560), testSet.Subset(500)
	opts := Options{Seed: 3, Progress: io.Discard}
	res, err := FitStack(testBackend(t), newModel(t, "mlp-tfc-nobn"), trainSet, testSet, opts,
		[]noise.Config{noise.At(0, noise.Add(0.1)), noise.At(0, noise.Add(1e38))})
	if err != nil {
		t.Fatal(err)
	}
	opts.Noise = noise.At(0, noise.Add(0.1))
	alone, err := Fit(testBackend(t), newModel(t, "mlp-tfc-nobn"), trainSet, testSet, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Diverged || math.Abs(res[0].NoisyAcc-alone.NoisyAcc) > 0.4+1e-9 {
		t.Errorf("σ = 0.1 copy next to a diverged one: diverged %v, accuracy %.1f%%; alone %.1f%%", res[0].Diverged,
			res[0].NoisyAcc, alone.NoisyAcc)
	}
	if !res[1].Diverged {
		t.Errorf("σ = 1e38 copy: not reported as diverged (train loss %v)", res[1].Epochs[0].TrainLoss)
	}
}

// TestFitStackRefusesPerRunOptions: the options FitStack does not read (Noise, OnEpoch, EvalEveryEpoch) are
// errors naming them, never silently ignored.
func TestFitStackRefusesPerRunOptions(t *testing.T) {
	ds := datatest.Stripes(64)
	for name, o := range map[string]Options{
		"Noise":          {Noise: noise.At(1, noise.Add(0.1))},
		"OnEpoch":        {OnEpoch: func(*Trainer, EpochStats) error { return nil }},
		"EvalEveryEpoch": {EvalEveryEpoch: true},
	} {
		o.Progress = io.Discard
		_, err := FitStack(testBackend(t), newModel(t, "mlp-tfc-nobn"), ds, ds, o, []noise.Config{{}})
		if err == nil || !strings.Contains(err.Error(), "Options."+name) {
			t.Errorf("FitStack with %s set: error %v, want one naming Options.%s", name, err, name)
		}
	}
}
