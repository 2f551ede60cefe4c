package train

import (
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

// The seed rule. Every random number of a run derives from one 64-bit run seed s, each consumer from its own
// stream, so two runs with the same seed give bit-identical weights, batches, noise, losses and accuracies:
//
//   - Initial weights: the store parameter layers.ParamInitSeed = s; each variable's values derive from s and
//     its path, not from creation order.
//   - Data order (shuffling and augmentation): rand.NewPCG(s, StreamShuffle), one stream for all epochs.
//   - Noise in training: the store's RNG state from s ⊕ StreamNoise (NewTrainer, NewStackTrainer), advanced
//     by every training step and never by an evaluation (Evaluate draws from a copy).
//   - Noise of an evaluation point: a point seed p, and the RNG state from p ⊕ StreamNoise (ReseedNoise(p),
//     SweepPoint{Seed: p}); EvaluateSweep and Evaluate after ReseedNoise draw the same values. The walk
//     derives p from the point (walk.NoiseSeed): with common draws, the leading 64 bits of the SHA-256 of the
//     canonical JSON of {clean model (setup, seed, version), site}, the same for every σ of a site; with
//     independent draws, the leading 64 bits of the point's hash. study.SigmaSweep uses the same p, so a
//     notebook's σ sweep of a clean model equals the walk's inference points.
//   - Validation accuracy of a walk point: p = (leading 64 bits of the point's hash) ⊕ StreamValidation.
//   - Static weight noise (noise.Spec.Static): the static RNG state from n ⊕ StreamStaticWeights, n the
//     current noise seed (s, or p after ReseedNoise(p)); fixed for every batch and step until the next reseed.
//   - Per-example σ of a training (Schedule of kind PerExample): rand.NewPCG(s, StreamExampleSigma), one
//     |N(0, 1)| per example of every training batch, in order (schedule.go). No other schedule draws anything.
//
// A repetition r of a plan with base seed b runs with s = b + r.
const (
	StreamNoise      = 0x6e6f697365 // "noise"
	StreamShuffle    = 0x73687566   // "shuf"
	StreamValidation = 0x76616c     // "val"
	// StreamStaticWeights seeds static weight noise (the rule above).
	StreamStaticWeights = 0x737461746963 // "static"
	// StreamExampleSigma is the per-example σ stream of a training (schedule.go).
	StreamExampleSigma = 0x65786d706c // "exmpl"
)

// RepetitionSeed returns the run seed of repetition rep of a study with base seed base: base + rep (the rule
// above), for plans (walk) and tracked trainings (study.Dynamics) alike.
func RepetitionSeed(base uint64, rep int) uint64 { return base + uint64(rep) }

// noiseStateSeed returns the seed of the GoMLX RNG state of noise stream s (the rule above).
func noiseStateSeed(s uint64) int64 { return int64(s ^ StreamNoise) }

// shuffleRNG returns the data-order stream of run seed s (the rule above).
func shuffleRNG(s uint64) *rand.Rand { return rand.New(rand.NewPCG(s, StreamShuffle)) }

// seedStore sets a store's initial-weight seed and noise stream from run seed s (the rule above).
func seedStore(store *model.Store, s uint64) error {
	store.SetParam("/"+layers.ParamInitSeed, s)
	return store.SetRNGStateFromSeed(noiseStateSeed(s))
}

// noiseState returns the flat RNG state of noise stream s, as seedStore or ReseedNoise would set it.
func noiseState(s uint64) ([]uint64, error) {
	st, err := graph.RNGStateFromSeed(noiseStateSeed(s))
	if err != nil {
		return nil, err
	}
	return tensors.MustCopyFlatData[uint64](st), nil
}
