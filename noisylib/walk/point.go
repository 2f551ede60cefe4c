package walk

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// Mode says how a point is trained.
type Mode string

const (
	// Inference evaluates a clean-trained model with the noise on (the reference's enable_in_training = 0).
	Inference Mode = "inference"
	// Training trains the model from scratch with the noise and evaluates it with the same noise.
	Training Mode = "training"
	// Clean trains without noise and evaluates without noise: the a_max baseline of the midpoint.
	Clean Mode = "clean"
)

// ParseMode parses "inference", "training" or "clean".
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case Inference, Training, Clean:
		return Mode(s), nil
	}
	return "", fmt.Errorf("unknown mode %q: use inference, training or clean", s)
}

// ResultsVersion is part of every point's identity: it changes when the numerics of training or noise change
// (e.g. a new noise generator), so that stores and cached clean models from older code are not reused.
//
// Version 4: inference points draw their noise from a stream seeded per clean model and site (see NoiseSeed)
// instead of per point.
//
// Version 5: float32 noise takes ln U₁ of its Box–Muller radius from a vectorised logarithm (now
// noise.negLogFloat32) instead of the backend's Log: the same random bits give values that differ by < 1e-6
// relative.
//
// Version 6: MaxPool2x2's gradient goes to the first maximum of a window with ties, as PyTorch's does (GoMLX
// gave it to every tied element): LeNet-5 trainings change (up to 0.8 points of accuracy in quick walks);
// MLP-TFC results are unchanged.
const ResultsVersion = 6

// EvaluationVersion is part of the identity of inference points, next to ResultsVersion: it changes when the
// numerics of evaluating a trained model under noise change but training's do not. Such a change then recomputes
// the inference points (minutes, on the cached clean models: their key does not hold it) and keeps every training
// point. A change to training's numerics changes ResultsVersion, which every point holds.
//
// Version 1: stacked sweeps apply the Dense layer right after a noisy site to the clean value and to the noise
// apart, x·W + b + σ·(z·W) instead of (x + σ·z)·W + b (train.Trainer.EvaluateSweep): values differ from version
// 0's in the last bits.
const EvaluationVersion = 1

// Training setup shared by every point of a plan.
type Setup struct {
	// Model is the variant, e.g. "mlp-tfc-bn".
	Model string `json:"model"`
	// Data is the data set, e.g. "mnist".
	Data string `json:"data"`
	// Epochs of training.
	Epochs int `json:"epochs"`
	// TrainN and TestN keep only the first N training / test examples. In a point (and in Build's input) 0
	// means every example; in a PlanSpec given to Preset, 0 takes the preset's subset and AllExamples asks for
	// every example (Build stores it as 0, so hashes do not depend on how "all" was asked for).
	TrainN int `json:"train_n,omitempty"`
	TestN  int `json:"test_n,omitempty"`
	// BatchSize and LR of training (0: 128 and 1e-3).
	BatchSize int     `json:"batch_size,omitempty"`
	LR        float64 `json:"lr,omitempty"`
	// Clamp clamps weights to [−1, 1] during training (the weight-growth probe).
	Clamp bool `json:"clamp,omitempty"`
}

// AllExamples, as a Setup's TrainN or TestN in a PlanSpec, uses every example of the split, whatever the
// preset's subset; Build resolves it to 0, a point's "all".
const AllExamples = -1

// Point is one run of a sweep. Its JSON form, hashed, is its identity in the results store.
type Point struct {
	Setup
	// Plan is the name of the plan the point belongs to.
	Plan string `json:"plan"`
	// Mode says whether the noise is present in training.
	Mode Mode `json:"mode"`
	// Rep is the repetition index; Seed = plan base seed + Rep.
	Rep  int    `json:"rep"`
	Seed uint64 `json:"seed"`
	// Noise is the full noise configuration of the run.
	Noise noise.Config `json:"noise"`
	// Site is the site the noise walks through (-1: every site, i.e. global noise).
	Site int `json:"site"`
	// X is the swept value (σ, or the amplitude of combined noise) and Y a second swept value (the ratio of
	// combined noise, σ_add of combined-direct noise, or the evaluation σ_b of a mismatch point, whose X is the
	// training σ_a; 0 otherwise). They label the point for analysis.
	X float64 `json:"x"`
	Y float64 `json:"y,omitempty"`
	// Policy names the repetition allocation of a multi-execution point ("global", "inverse_lin", ...).
	Policy string `json:"policy,omitempty"`
	// Draws is Independent for an inference point that draws its own noise, empty for common draws (Common);
	// see Draws.
	Draws Draws `json:"draws,omitempty"`
	// Schedule is the training-noise schedule of a training point (train.Schedule; nil: constant, as every
	// point was trained before schedules existed).
	Schedule *train.Schedule `json:"schedule,omitempty"`
	// Eval, on a point of a mismatch plan, is the noise the model trained with Noise is evaluated with (σ_b;
	// nil: evaluated with Noise, as every other point).
	Eval *noise.Config `json:"eval,omitempty"`
	// Version is ResultsVersion when the point was planned.
	Version int `json:"version"`
	// EvalVersion is EvaluationVersion, on an inference point, when it was planned (0, omitted, on other points
	// and on inference points planned before EvaluationVersion existed).
	EvalVersion int `json:"eval_version,omitempty"`
}

// evalVersion returns the EvalVersion of a point of mode m.
func evalVersion(m Mode) int {
	if m == Inference {
		return EvaluationVersion
	}
	return 0
}

// Draws says how the noise of inference points is drawn.
//
// With Common draws (common random numbers, the default and the quick preset's), every point of one clean model
// and site uses the same standard-normal draws, scaled by its own σ: the curve over σ is smooth, a stacked
// sweep draws the noise once for all its σ, and differences between two σ of one curve are paired (their
// noise-draw error largely cancels). Points at different σ are then not independent, so a per-repetition
// curve is one draw of the whole curve rather than independent draws per point; the spread over repetitions
// (different clean models and different draws) remains a valid confidence interval of a midpoint.
//
// With Independent draws, every point draws its own noise (its stream is seeded from the point's hash), as
// separate runs of the reference do: the reference sets no seed, so every run draws afresh. Each point then
// estimates its accuracy independently, like the reference's, at the cost of noisier curves; it is the paper
// preset's default. Training points are not affected: a training's noise stream follows its seed, shared by
// the σ of one repetition like its initial weights and batches.
type Draws string

// Noise-draw policies of inference points. In a PlanSpec the empty value means the preset's default (Build:
// Common).
const (
	Common      Draws = "common"      // one noise stream per clean model and site, shared by every σ
	Independent Draws = "independent" // one noise stream per point
)

// ParseDraws parses "common" or "independent".
func ParseDraws(s string) (Draws, error) {
	d := Draws(s)
	if err := d.validate(); err != nil || d == "" {
		return "", fmt.Errorf("unknown noise draws %q: use common or independent", s)
	}
	return d, nil
}

func (d Draws) validate() error {
	if d != "" && d != Common && d != Independent {
		return fmt.Errorf("plan: unknown noise draws %q: use common or independent", string(d))
	}
	return nil
}

// cleanKey identifies the clean model an inference point is evaluated on.
type cleanKey struct {
	Setup
	Seed    uint64 `json:"seed"`
	Version int    `json:"version"`
}

func (p Point) cleanKey() cleanKey { return cleanKey{Setup: p.Setup, Seed: p.Seed, Version: p.Version} }

// String describes the point briefly.
func (p Point) String() string {
	s := fmt.Sprintf("%s %s rep %d: %s", p.Model, p.Mode, p.Rep, p.Noise)
	if p.Schedule != nil {
		s += ", schedule " + p.Schedule.String()
	}
	if p.Eval != nil {
		s += ", evaluated with " + p.Eval.String()
	}
	return s
}

// trained returns the point whose training a mismatch point evaluates: the same point without its evaluation
// noise and σ_b. Mismatch points with the same trained point share one training.
func (p Point) trained() Point {
	p.Eval, p.Y = nil, 0
	return p
}
