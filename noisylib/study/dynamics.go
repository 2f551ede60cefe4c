package study

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/nanjson"
	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/nbviz"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
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
	// Code measures the two-level (on/off) code of the noise site after every recorded epoch on StatsN test
	// examples (dynamics.MeasureCode: model, code and sign-copy accuracy, η, level ratio, sparsity), into
	// each epoch record's Codes.
	Code bool
	// Reps is the number of repetitions per σ, seeded train.RepetitionSeed(Seed, r) = Seed + r (0: 1).
	Reps int
	// Name is the plan name its runs are stored under in the results store (empty: DefaultName()).
	Name string
}

// DefaultName returns the store's plan name for the spec's runs when Name is empty:
// dynamics-<model>-<data>-site<k>-<noise type>-<epochs>ep, with -clamped for clamped trainings.
func (spec DynamicsSpec) DefaultName() string {
	name := fmt.Sprintf("dynamics-%s-%s-site%d-%s-%dep", spec.Model, spec.Data, spec.Site, spec.Noise, max(spec.Epochs, 1))
	if spec.Clamp {
		name += "-clamped"
	}
	return name
}

// dynamicsConfig is the stored identity of one tracked training (the JSON whose hash keys its record): every
// field that changes the training or what is recorded of it, and the results version of the numerics.
type dynamicsConfig struct {
	Kind     string     `json:"kind"` // always "dynamics": not a walk point
	Version  int        `json:"version"`
	Model    string     `json:"model"`
	Data     string     `json:"data"`
	Site     int        `json:"site"`
	Noise    noise.Spec `json:"noise"`
	Clamp    bool       `json:"clamp"`
	Epochs   int        `json:"epochs"`
	TrainN   int        `json:"train_n"`
	TestN    int        `json:"test_n"`
	LR       float64    `json:"lr"`
	StatsN   int        `json:"stats_n"`
	Seed     uint64     `json:"seed"`
	SignCopy bool       `json:"sign_copy"`
	Code     bool       `json:"code"`
	Recorded string     `json:"recorded"` // the epochs recorded: recordedEpochs
}

// recordedEpochs names the tracker's rule for the epochs it records (dynamics.SparseEpochs); it is part of a
// run's stored identity, so a change of the rule changes the hashes.
const recordedEpochs = "1-10, every 10th, last"

// Dynamics trains one model per σ and repetition of spec (repetition r of every σ with the same seed, so those
// runs differ only by their noise) and records their dynamics. Each run is kept in the shared results store
// (StorePath) under the plan spec.Name as it finishes — its record's metrics are the dynamics.Run as JSON, with
// weight histograms rather than weights — and a run already stored (by an earlier call, or imported shipped
// results) is read back instead of trained again: an interrupted call loses at most the training in progress.
// Fresh and stored runs are returned alike, decoded from the stored JSON. One line per run goes to stdout, and
// a progress bar in a notebook.
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
	if spec.Name == "" {
		spec.Name = spec.DefaultName()
	}
	st, err := results.Open(StorePath())
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var bar *nbviz.Progress
	if nbviz.InNotebook() {
		bar = nbviz.NewProgress("dynamics "+spec.Name, len(spec.Sigmas)*max(spec.Reps, 1))
		defer bar.Finish()
	}
	var (
		trainSet, testSet *data.Dataset
		runs              []dynamics.Run
	)
	for _, sigma := range spec.Sigmas {
		for rep := range max(spec.Reps, 1) {
			seed := train.RepetitionSeed(spec.Seed, rep)
			cfg := spec.config(sigma, seed)
			hash, err := results.HashConfig(cfg)
			if err != nil {
				return nil, err
			}
			rec, ok, err := st.Get(hash)
			if err != nil {
				return nil, err
			}
			if !ok || rec.Status == results.StatusFailed {
				if StoredOnly() {
					return nil, fmt.Errorf("study: the run of %s, %s at site %d (seed %d) is not in store %s, and %s=1 computes nothing",
						spec.Model, cfg.Noise, spec.Site, seed, StorePath(), EnvStoredOnly)
				}
				if trainSet == nil { // load and start only when something is trained
					if trainSet, testSet, err = data.LoadN(spec.Data, data.Dir(), spec.TrainN, spec.TestN); err != nil {
						return nil, err
					}
				}
				start := time.Now()
				run, err := dynamicsRun(spec, sigma, seed, trainSet, testSet)
				if err != nil {
					return nil, err
				}
				if rec, err = dynamicsRecord(spec.Name, hash, cfg, run, time.Since(start)); err != nil {
					return nil, err
				}
				if err := st.Put(rec); err != nil {
					return nil, err
				}
			} else {
				fmt.Printf("stored run of %s, %s at site %d (clamp %v, seed %d): accuracy %.1f%% (plan %s)\n",
					spec.Model, cfg.Noise, spec.Site, spec.Clamp, seed, rec.Accuracy, rec.Plan)
			}
			var run dynamics.Run
			if err := nanjson.Unmarshal(rec.Metrics, &run); err != nil {
				return nil, fmt.Errorf("study: stored dynamics run %s of plan %s: %w", rec.Hash[:12], rec.Plan, err)
			}
			runs = append(runs, run)
			if bar != nil {
				bar.Add(1)
			}
		}
	}
	return runs, nil
}

// config returns the stored identity of the run of spec with training σ sigma and run seed seed.
func (spec DynamicsSpec) config(sigma float64, seed uint64) dynamicsConfig {
	return dynamicsConfig{Kind: "dynamics", Version: walk.ResultsVersion, Model: spec.Model, Data: spec.Data,
		Site: spec.Site, Noise: trainingNoise(spec.Noise, sigma), Clamp: spec.Clamp, Epochs: spec.Epochs,
		TrainN: spec.TrainN, TestN: spec.TestN, LR: spec.LR, StatsN: spec.StatsN, Seed: seed,
		SignCopy: spec.SignCopy, Code: spec.Code, Recorded: recordedEpochs}
}

// trainingNoise returns the noise of a run with training σ sigma: none for σ = 0.
func trainingNoise(t noise.Type, sigma float64) noise.Spec {
	switch {
	case sigma == 0:
		return noise.NoNoise()
	case t == noise.Multiplicative:
		return noise.Mul(sigma)
	default:
		return noise.Add(sigma)
	}
}

// dynamicsRecord returns the store's record of a finished run: its accuracy under its noise, and the run as
// JSON (non-finite values as strings) in the metrics.
func dynamicsRecord(plan, hash string, cfg dynamicsConfig, run dynamics.Run, took time.Duration) (results.Record, error) {
	config, err := results.CanonicalJSON(cfg)
	if err != nil {
		return results.Record{}, err
	}
	metrics, err := nanjson.Marshal(run)
	if err != nil {
		return results.Record{}, fmt.Errorf("study: encoding the dynamics run σ=%g seed %d: %w", run.Sigma, run.Seed, err)
	}
	host, _ := os.Hostname()
	status := results.StatusDone
	if run.Diverged {
		status = results.StatusCollapsed
	}
	return results.Record{Hash: hash, Plan: plan, Config: config, Seed: int64(cfg.Seed), Status: status,
		Accuracy: run.Acc, Loss: math.NaN(), DurationSec: took.Seconds(), Metrics: metrics, Host: host}, nil
}

// dynamicsRun trains and records one run of a DynamicsSpec with the given σ and seed.
func dynamicsRun(spec DynamicsSpec, sigma float64, seed uint64, trainSet, testSet *data.Dataset) (dynamics.Run, error) {
	m, err := models.New(spec.Model, train.InputOf(trainSet))
	if err != nil {
		return dynamics.Run{}, err
	}
	b, err := backend.ForSolo(m.MACs()) // one training at a time
	if err != nil {
		return dynamics.Run{}, err
	}
	if spec.Site < 0 || spec.Site >= m.NumSites() {
		return dynamics.Run{}, fmt.Errorf("study: site %d out of range: %s has sites 0..%d", spec.Site, m.Name, m.NumSites()-1)
	}
	ns := trainingNoise(spec.Noise, sigma)
	tk := &dynamics.Tracker{Test: testSet.Subset(min(spec.StatsN, testSet.Len())), Record: dynamics.SparseEpochs(spec.Epochs)}
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
		h, err := dynamics.NewWeightHistogram(op, ws[i])
		if err != nil {
			return dynamics.Run{}, err
		}
		run.Histograms = append(run.Histograms, h)
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
