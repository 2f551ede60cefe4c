package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// noiseFlags are the flags that describe one noise Spec.
type noiseFlags struct {
	typ                string
	sigma, amp, ratio  float64
	sigmaMul, sigmaAdd float64
	addFirst, evalOnly bool
	normalize          bool
	reps               int
	site               int
}

func (nf *noiseFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&nf.typ, "noise", "none", "noise type: none, add, mul, combined, combined-direct")
	fs.Float64Var(&nf.sigma, "sigma", 0, "σ of add/mul noise")
	fs.Float64Var(&nf.amp, "amplitude", 0, "amplitude A of combined noise")
	fs.Float64Var(&nf.ratio, "ratio", 0, "additive share r ∈ [0,1] of combined noise")
	fs.Float64Var(&nf.sigmaMul, "sigma-mul", 0, "σ_mul of combined-direct noise")
	fs.Float64Var(&nf.sigmaAdd, "sigma-add", 0, "σ_add of combined-direct noise")
	fs.BoolVar(&nf.addFirst, "add-first", false, "combined noise order (x+a)·m instead of x·m+a")
	fs.BoolVar(&nf.evalOnly, "eval-only", false, "noise only in evaluation (clean training)")
	fs.BoolVar(&nf.normalize, "normalize", false, "divide σ by the elements per example at the site")
	fs.IntVar(&nf.reps, "reps", 1, "repetitions averaged at the site")
	fs.IntVar(&nf.site, "site", -1, "site index for the noise (-1: every site)")
}

// noiseParams lists the flags each noise type reads; a noise flag the type does not read is an error, not
// silently ignored (e.g. -sigma with -noise none, or -sigma with combined noise).
var noiseParams = map[noise.Type][]string{
	noise.None:           {},
	noise.Additive:       {"sigma"},
	noise.Multiplicative: {"sigma"},
	noise.Combined:       {"amplitude", "ratio", "add-first"},
	noise.CombinedDirect: {"sigma-mul", "sigma-add", "add-first"},
}

func (nf *noiseFlags) config(fs *flag.FlagSet) (noise.Config, error) {
	t, err := noise.ParseType(nf.typ)
	if err != nil {
		return noise.Config{}, err
	}
	var stray []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sigma", "amplitude", "ratio", "sigma-mul", "sigma-add", "add-first":
			if !slices.Contains(noiseParams[t], f.Name) {
				stray = append(stray, "-"+f.Name)
			}
		case "eval-only", "normalize", "reps", "site":
			if t == noise.None {
				stray = append(stray, "-"+f.Name)
			}
		}
	})
	if len(stray) > 0 {
		return noise.Config{}, fmt.Errorf("%s do(es) not apply to -noise %s, which reads %v: choose the noise type with -noise",
			strings.Join(stray, ", "), t, noiseParams[t])
	}
	s := noise.Spec{Type: t, Sigma: nf.sigma, Amplitude: nf.amp, Ratio: nf.ratio, SigmaMul: nf.sigmaMul,
		SigmaAdd: nf.sigmaAdd, AddFirst: nf.addFirst, MeanMul: 1, EvalOnly: nf.evalOnly,
		NormalizeToInputSize: nf.normalize, Repetitions: nf.reps}
	if err := s.Validate(); err != nil {
		return noise.Config{}, err
	}
	if nf.site < 0 {
		return noise.Global(s), nil
	}
	return noise.At(nf.site, s), nil
}

func runTrain(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	modelName := fs.String("model", "mlp-tfc-bn", "model variant")
	dataName := fs.String("data", "mnist", "data set: mnist, fashion-mnist, cifar10, svhn, gsc2")
	epochs := fs.Int("epochs", 1, "training epochs")
	batch := fs.Int("batch", 0, "batch size (default: the data set's protocol, 128; GSC2 512)")
	lr := fs.Float64("lr", 0, "Adam learning rate, cosine-annealed per epoch (default: the data set's protocol, 1e-3; GSC2 5e-4)")
	seed := fs.Uint64("seed", 42, "run seed (weights, noise, shuffling)")
	clamp := fs.Bool("clamp", false, "clamp Linear/Conv weights to [-1,1] after each step")
	trainN := fs.Int("train-n", 0, "use only the first N training examples (0: all)")
	testN := fs.Int("test-n", 0, "use only the first N test examples (0: all)")
	save := fs.String("save", "", "write a checkpoint of the trained model to this file")
	var nf noiseFlags
	nf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := nf.config(fs)
	if err != nil {
		return err
	}
	switch {
	case *epochs < 1:
		return fmt.Errorf("-epochs %d: want at least 1", *epochs)
	case *batch < 0:
		return fmt.Errorf("-batch %d: want at least 1, or 0 for the data set's protocol", *batch)
	case !(*lr >= 0) || math.IsInf(*lr, 0):
		return fmt.Errorf("-lr %g: want a finite learning rate > 0, or 0 for the data set's protocol", *lr)
	}
	if _, err := backend.Shared(); err != nil { // a bad $GOMLX_BACKEND fails before the data load
		return err
	}
	setup := walk.Setup{Data: *dataName, BatchSize: *batch, LR: *lr}
	walk.Protocol(&setup)
	trainSet, testSet, err := data.LoadN(*dataName, data.Dir(), *trainN, *testN)
	if err != nil {
		return err
	}
	m, err := models.New(*modelName, train.InputOf(trainSet))
	if err != nil {
		return err
	}
	b, err := backend.ForSolo(m.MACs())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "training %s on %s (%d train / %d test), %d epoch(s), seed %d, backend %s, noise: %s\n",
		m.Name, trainSet.Name, trainSet.Len(), testSet.Len(), *epochs, *seed, b.Name(), cfg)
	printEpoch := func(_ *train.Trainer, e train.EpochStats) error {
		fmt.Printf("epoch %d: lr %.2e, train loss %.4f, train acc %.2f%%, %.1fs (%.0f img/s)\n",
			e.Epoch, e.LR, e.TrainLoss, e.TrainAcc, e.Seconds, float64(trainSet.Len())/e.Seconds)
		return nil
	}
	res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: *epochs, BatchSize: setup.BatchSize, LR: setup.LR,
		Seed: *seed, Clamp: *clamp, Noise: cfg, OnEpoch: printEpoch})
	if err != nil {
		return err
	}
	if *save != "" {
		ck, err := res.Trainer.Checkpoint()
		if err != nil {
			return err
		}
		if err := ck.Save(*save); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "checkpoint written to %s\n", *save)
	}
	return nil
}
