package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Training-noise schedules, after variance-aware noisy training (Wang, Borras, Klein, Fröning, arXiv
// 2503.16183; method.md §9): the noise a model is trained with need not be the σ_train of its noise
// configuration at every step. The paper's text was not available here, so the exact formulas below are this
// package's own choices, stated in full:
//
//   - Constant: every step trains at σ_train (the default; what Fit always did).
//   - Ramp over K epochs: epoch e (0-based) trains at σ_train·min(1, e/K), a linear rise from 0 (epoch 0 is
//     noise-free) that reaches σ_train at epoch K and stays there.
//   - Overshoot over K epochs: a linear rise from 0 to OvershootPeak·σ_train at epoch K, a linear fall back to
//     σ_train at epoch 2K, then σ_train: factor 1.5·e/K for e ≤ K, 1.5 − 0.5·(e − K)/K for K < e < 2K, 1 after.
//   - Per-example σ: every example i of every training batch gets its own σ_i = α·σ_train + θ·|z_i|, with
//     z_i ~ N(0, 1) drawn on the host per example and per step (batch), one z_i shared by all noisy sites of the
//     example; evaluation uses σ_train.
//
// Ramp and overshoot are stepped per epoch, like the cosine learning rate (CosineLR), and scale every standard
// deviation of every noisy site (σ of additive and multiplicative noise, the amplitude A of combined noise,
// σ_mul and σ_add of combined-direct noise). Per-example σ applies to additive and multiplicative sites, whose
// noise has one σ_train. The values z_i come from the run's example-σ stream rand.NewPCG(s, StreamExampleSigma)
// (s the run seed) by rand.Rand.NormFloat64, in batch order; θ·|z_i| is computed in float64 and fed to the
// training graph as float32, where σ_i = float32(α·σ_train) + float32(θ·|z_i|). So E σ_i = α·σ_train + θ·√(2/π)
// and Var σ_i = θ²·(1 − 2/π) (|z| is half-normal).
//
// Only training changes: the model is evaluated with σ_train (or Options.EvalNoise), and the training's noise
// stream (StreamNoise) draws the same standard normal values as under the constant schedule.

// ScheduleKind names a training-noise schedule.
type ScheduleKind string

// Schedule kinds (see the formulas above).
const (
	Constant   ScheduleKind = "constant"    // σ_train at every step (the zero Schedule)
	Ramp       ScheduleKind = "ramp"        // σ_train·min(1, e/K)
	Overshoot  ScheduleKind = "overshoot"   // rise to OvershootPeak·σ_train at epoch K, back to σ_train at 2K
	PerExample ScheduleKind = "per-example" // σ_i = α·σ_train + θ·|z_i| per example and step
)

// OvershootPeak is the peak of the overshoot schedule, as a multiple of σ_train.
const OvershootPeak = 1.5

// Schedule is a training-noise schedule. The zero value is the constant schedule.
type Schedule struct {
	// Kind selects the schedule ("" is Constant).
	Kind ScheduleKind `json:"kind"`
	// Epochs is K, the length in epochs of the ramp, or of each half of the overshoot.
	Epochs int `json:"epochs,omitempty"`
	// Alpha (α, dimensionless) and Theta (θ, in σ's units) set the per-example σ_i = α·σ_train + θ·|z_i|.
	Alpha float64 `json:"alpha,omitempty"`
	Theta float64 `json:"theta,omitempty"`
}

// IsConstant reports whether s is the constant schedule (its zero value or Kind Constant).
func (s Schedule) IsConstant() bool { return s.Kind == "" || s.Kind == Constant }

// ParseScheduleKind parses "constant", "ramp", "overshoot" or "per-example".
func ParseScheduleKind(v string) (ScheduleKind, error) {
	switch k := ScheduleKind(v); k {
	case Constant, Ramp, Overshoot, PerExample:
		return k, nil
	}
	return "", fmt.Errorf("unknown noise schedule %q: use constant, ramp, overshoot or per-example", v)
}

// Validate checks the schedule against a training of epochs epochs: K ≥ 1 for ramp and overshoot, with at
// least the last epoch at σ_train (epochs > K for a ramp, epochs > 2K for an overshoot); finite α, θ ≥ 0, not
// both 0, for per-example σ; and no field the kind does not read.
func (s Schedule) Validate(epochs int) error {
	epochs = max(1, epochs)
	kind := s.Kind
	if kind == "" {
		kind = Constant
	}
	stray := func(what, readers string) error {
		return fmt.Errorf("noise schedule %s does not read %s: leave it zero, or choose the %s schedule", kind, what, readers)
	}
	const epochsReaders, alphaReaders = "ramp or overshoot", "per-example"
	switch s.Kind {
	case "", Constant:
		if s.Epochs != 0 {
			return stray("epochs", epochsReaders)
		}
		if s.Alpha != 0 || s.Theta != 0 {
			return stray("alpha/theta", alphaReaders)
		}
	case Ramp, Overshoot:
		if s.Alpha != 0 || s.Theta != 0 {
			return stray("alpha/theta", alphaReaders)
		}
		need := s.Epochs + 1
		if s.Kind == Overshoot {
			need = 2*s.Epochs + 1
		}
		if s.Epochs < 1 {
			return fmt.Errorf("noise schedule %s: epochs K = %d, want K ≥ 1", s.Kind, s.Epochs)
		}
		if epochs < need {
			return fmt.Errorf("noise schedule %s over K = %d epochs needs a training of at least %d epochs (it has %d), "+
				"so that its last epoch trains at σ_train: train longer or shorten K", s.Kind, s.Epochs, need, epochs)
		}
	case PerExample:
		if s.Epochs != 0 {
			return stray("epochs", epochsReaders)
		}
		for _, v := range []float64{s.Alpha, s.Theta} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("noise schedule per-example: alpha = %g, theta = %g: want finite values ≥ 0", s.Alpha, s.Theta)
			}
		}
		if s.Alpha == 0 && s.Theta == 0 {
			return fmt.Errorf("noise schedule per-example with alpha = theta = 0 trains without noise: set alpha (e.g. 1) and/or theta")
		}
	default:
		_, err := ParseScheduleKind(string(s.Kind))
		return err
	}
	return nil
}

// Factor returns the multiple of σ_train that epoch e (0-based) trains at: 1 for the constant and per-example
// schedules, min(1, e/K) for a ramp, and for an overshoot OvershootPeak·e/K up to epoch K, then
// OvershootPeak − (OvershootPeak − 1)·(e − K)/K down to 1 at epoch 2K, then 1.
func (s Schedule) Factor(e int) float64 {
	k := float64(s.Epochs)
	x := float64(e)
	switch s.Kind {
	case Ramp:
		return math.Min(1, x/k)
	case Overshoot:
		switch {
		case x <= k:
			return OvershootPeak * x / k
		case x < 2*k:
			return OvershootPeak - (OvershootPeak-1)*(x-k)/k
		}
	}
	return 1
}

// String names the schedule briefly, e.g. "ramp K=3", "per-example α=1 θ=0.1", "constant".
func (s Schedule) String() string {
	switch s.Kind {
	case Ramp, Overshoot:
		return fmt.Sprintf("%s K=%d", s.Kind, s.Epochs)
	case PerExample:
		return fmt.Sprintf("%s α=%s θ=%s", s.Kind, fmtG(s.Alpha), fmtG(s.Theta))
	}
	return string(Constant)
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// scaleSpec returns s with every standard deviation (σ, A, σ_mul, σ_add) multiplied by f.
func scaleSpec(s noise.Spec, f float64) noise.Spec {
	s.Sigma *= f
	s.Amplitude *= f
	s.SigmaMul *= f
	s.SigmaAdd *= f
	return s
}

// scheduledParams returns the noise parameters epoch e trains with under schedule s: the specs' σ scaled by
// s.Factor(e), or by α for per-example σ (θ·|z_i| is added in the graph, see exampleSigmas).
func scheduledParams(specs []noise.Spec, s Schedule, e int) []noise.Spec {
	f := s.Factor(e)
	if s.Kind == PerExample {
		f = s.Alpha
	}
	out := make([]noise.Spec, len(specs))
	for i, sp := range specs {
		out[i] = scaleSpec(sp, f)
	}
	return out
}

// checkPerExample reports a noisy training site whose noise has no single σ_train (combined noise), which a
// per-example σ cannot scale.
func checkPerExample(specs []noise.Spec) error {
	for i, sp := range specs {
		if sp.ActiveIn(true) && sp.Type != noise.Additive && sp.Type != noise.Multiplicative {
			return fmt.Errorf("site %d: per-example σ needs additive or multiplicative noise (one σ_train), got %s", i, sp)
		}
	}
	return nil
}

// exampleSigmas draws θ·|z_i| for the examples of the training batches of one run (see the formulas above).
type exampleSigmas struct {
	theta float64
	rng   *rand.Rand
}

// newExampleSigmas returns the per-example draws of run seed seed: the stream rand.NewPCG(seed,
// StreamExampleSigma).
func newExampleSigmas(theta float64, seed uint64) *exampleSigmas {
	return &exampleSigmas{theta: theta, rng: rand.New(rand.NewPCG(seed, StreamExampleSigma))}
}

// next returns θ·|z_i| for the n examples of the next batch, as float32.
func (x *exampleSigmas) next(n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(x.theta * math.Abs(x.rng.NormFloat64()))
	}
	return out
}

// schedule returns Fit's per-epoch hook under schedule s, begin(e, lr), which sets the learning rate and the
// noise parameters epoch e trains with, and end, which restores the σ_train parameters for evaluation (it may be
// called any number of times). With per-example σ it starts the trainer's per-example draws, which Fit stops
// when it returns. The constant schedule only sets the learning rate: its trainings are those Fit always ran.
func (t *Trainer) schedule(s Schedule) (begin func(e int, lr float64) error, end func(), err error) {
	if s.IsConstant() {
		return func(_ int, lr float64) error { return t.SetLearningRate(lr) }, func() {}, nil
	}
	specs := t.specs
	if s.Kind == PerExample {
		if err := checkPerExample(specs); err != nil {
			return nil, nil, fmt.Errorf("model %s: %w", t.Model.Name, err)
		}
		t.examples = newExampleSigmas(s.Theta, t.Seed)
	}
	begin = func(e int, lr float64) error {
		t.params = noise.ParamsTensor(scheduledParams(specs, s, e))
		return t.SetLearningRate(lr)
	}
	end = func() { t.params = noise.ParamsTensor(specs) }
	return begin, end, nil
}
