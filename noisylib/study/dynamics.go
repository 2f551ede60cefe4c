package study

import (
	"fmt"
	"io"
	"math"

	"github.com/gomlx/compute"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// DynamicsSpec describes a set of noisy trainings whose learning dynamics are recorded: one training per
// training σ, with noise of one type at one site, each tracked epoch by epoch (weights and site signals).
type DynamicsSpec struct {
	// Model and Data name the model variant and data set, e.g. "mlp-tfc-nobn" and "mnist".
	Model, Data string
	// Site is the noise site of every training.
	Site int
	// Noise is the noise type, noise.Additive or noise.Multiplicative.
	Noise noise.Type
	// Sigmas are the training σ; 0 trains without noise (the reference run).
	Sigmas []float64
	// Clamp clamps Linear/Conv weights to [−1, 1] during training (the weight-growth probe).
	Clamp bool
	// Epochs, TrainN and TestN set the training length and data subsets (0: 1 epoch, all examples).
	Epochs, TrainN, TestN int
	// LR is Adam's initial learning rate (0: the protocol's 1e-3). Short quick-preset trainings may raise it so
	// that the weights can move as far as in a long training.
	LR float64
	// StatsN is the number of test examples the per-epoch site statistics are measured on (0: 1000).
	StatsN int
	// Seed is the run seed of every training (SeedFromEnv: the environment's, Seed()).
	Seed uint64
	// SignCopy also measures the accuracy of the sign(w)·mean|w| copy of every trained model.
	SignCopy bool
	// Code measures the two-level (on/off) code of the noise site after every epoch on StatsN test
	// examples (dynamics.MeasureCode: model, code and sign-copy accuracy, η, level ratio, sparsity), into
	// each epoch record's Codes.
	Code bool
	// Reps is the number of repetitions per σ, seeded train.RepetitionSeed(Seed, r) = Seed + r (0: 1).
	Reps int
}

// Dynamics trains one model per σ of spec (same seed, so the runs differ only by their noise) and records
// their dynamics. Progress lines go to stdout, one per training.
func Dynamics(spec DynamicsSpec) ([]dynamics.Run, error) {
	if spec.Noise != noise.Additive && spec.Noise != noise.Multiplicative {
		return nil, fmt.Errorf("study: dynamics trains with add or mul noise, got %s", spec.Noise)
	}
	if len(spec.Sigmas) == 0 {
		return nil, fmt.Errorf("study: dynamics needs at least one training σ")
	}
	var err error
	if spec.Seed, err = resolveSeed(spec.Seed); err != nil {
		return nil, err
	}
	if spec.StatsN == 0 {
		spec.StatsN = 1000
	}
	trainSet, testSet, err := data.LoadN(spec.Data, data.Dir(), spec.TrainN, spec.TestN)
	if err != nil {
		return nil, err
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	var runs []dynamics.Run
	for _, sigma := range spec.Sigmas {
		for rep := range max(spec.Reps, 1) {
			run, err := dynamicsRun(b, spec, sigma, train.RepetitionSeed(spec.Seed, rep), trainSet, testSet)
			if err != nil {
				return nil, err
			}
			runs = append(runs, run)
		}
	}
	return runs, nil
}

// dynamicsRun trains and records one run of a DynamicsSpec with the given σ and seed.
func dynamicsRun(b compute.Backend, spec DynamicsSpec, sigma float64, seed uint64, trainSet, testSet *data.Dataset) (dynamics.Run, error) {
	m, err := models.New(spec.Model, train.InputOf(trainSet))
	if err != nil {
		return dynamics.Run{}, err
	}
	if spec.Site < 0 || spec.Site >= m.NumSites() {
		return dynamics.Run{}, fmt.Errorf("study: site %d out of range: %s has sites 0..%d", spec.Site, m.Name, m.NumSites()-1)
	}
	ns := noise.NoNoise()
	if sigma > 0 {
		ns = noise.Add(sigma)
		if spec.Noise == noise.Multiplicative {
			ns = noise.Mul(sigma)
		}
	}
	tk := &dynamics.Tracker{Test: testSet.Subset(min(spec.StatsN, testSet.Len()))}
	if spec.Code {
		tk.CodeSites = []int{spec.Site}
	}
	res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: spec.Epochs, LR: spec.LR, Clamp: spec.Clamp,
		Seed: seed, Noise: noise.At(spec.Site, ns), Progress: io.Discard, OnEpoch: tk.Hook()})
	if err != nil {
		return dynamics.Run{}, fmt.Errorf("study: training %s with σ = %g at site %d (seed %d): %w", spec.Model, sigma, spec.Site, seed, err)
	}
	run := dynamics.Run{Sigma: sigma, Seed: seed, Spec: ns, Clamp: spec.Clamp, Acc: res.NoisyAcc, CleanAcc: res.CleanAcc,
		SignCopyAcc: math.NaN(), Diverged: res.Diverged, Epochs: tk.Epochs}
	ck, err := res.Trainer.Checkpoint()
	if err != nil {
		return dynamics.Run{}, err
	}
	ops, ws := ck.Weights(m, layers.WeightsName)
	for i, op := range ops {
		run.Weights = append(run.Weights, dynamics.LayerWeights{Op: op, Values: ws[i]})
	}
	if spec.SignCopy {
		if run.SignCopyAcc, err = dynamics.SignCopyAccuracy(res.Trainer, testSet); err != nil {
			return dynamics.Run{}, err
		}
	}
	fmt.Printf("trained %s, %s at site %d (clamp %v, seed %d): accuracy %.1f%% (clean %.1f%%)\n",
		m.Name, ns, spec.Site, spec.Clamp, seed, run.Acc, run.CleanAcc)
	return run, nil
}
