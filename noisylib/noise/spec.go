package noise

import (
	"fmt"
	"math"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
)

// Type is the kind of noise operator placed at a site.
type Type int

const (
	// None leaves the site's value unchanged.
	None Type = iota
	// Additive adds Gaussian noise: y = x + N(MeanAdd, Sigma²).
	Additive
	// Multiplicative multiplies by Gaussian noise: y = x · N(MeanMul, Sigma²).
	Multiplicative
	// Combined applies both, with amplitude A and additive share r: σ_add = A·r, σ_mul = A·(1−r).
	Combined
	// CombinedDirect applies both with SigmaMul and SigmaAdd given directly.
	CombinedDirect
)

var typeNames = []string{"none", "add", "mul", "combined", "combined-direct"}

// String returns the type's short name, as accepted by ParseType.
func (t Type) String() string {
	if t < 0 || int(t) >= len(typeNames) {
		return fmt.Sprintf("Type(%d)", int(t))
	}
	return typeNames[t]
}

// ParseType parses a noise type name: one of "none", "add", "mul", "combined", "combined-direct".
func ParseType(s string) (Type, error) {
	for i, n := range typeNames {
		if strings.EqualFold(s, n) {
			return Type(i), nil
		}
	}
	return None, fmt.Errorf("unknown noise type %q: valid types are %s", s, strings.Join(typeNames, ", "))
}

// MarshalText implements encoding.TextMarshaler, so a Type appears by name in JSON.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Type) UnmarshalText(b []byte) error {
	v, err := ParseType(string(b))
	*t = v
	return err
}

// Spec is the noise operator of one site. Build it with Add, Mul, Combine, CombineDirect or NoNoise, which
// set the means to their defaults (0 for additive, 1 for multiplicative); a zero Spec is None.
type Spec struct {
	// Type selects the operator.
	Type Type `json:"type"`
	// Sigma is the standard deviation of Additive and Multiplicative noise.
	Sigma float64 `json:"sigma,omitempty"`
	// Amplitude (A) and Ratio (r, the additive share in [0,1]) parameterise Combined noise.
	Amplitude float64 `json:"amplitude,omitempty"`
	Ratio     float64 `json:"ratio,omitempty"`
	// SigmaMul and SigmaAdd are the standard deviations of CombinedDirect noise.
	SigmaMul float64 `json:"sigma_mul,omitempty"`
	SigmaAdd float64 `json:"sigma_add,omitempty"`
	// AddFirst selects the order of combined noise: false (default) is y = x·m + a, true is y = (x + a)·m.
	AddFirst bool `json:"add_first,omitempty"`
	// MeanAdd is μ_a, the mean of the additive noise (0 in every published experiment).
	MeanAdd float64 `json:"mean_add,omitempty"`
	// MeanMul is μ_m, the mean of the multiplicative noise (1 in every published experiment).
	MeanMul float64 `json:"mean_mul,omitempty"`
	// EvalOnly disables the noise while training (the reference's enable_in_training = false):
	// clean training, noisy inference.
	EvalOnly bool `json:"eval_only,omitempty"`
	// TrainOnly disables the noise in evaluation (the reference's enable_in_eval = false).
	TrainOnly bool `json:"train_only,omitempty"`
	// NormalizeToInputSize divides the standard deviations by the number of elements per example at the site.
	NormalizeToInputSize bool `json:"normalize_to_input_size,omitempty"`
	// Repetitions is the number of independent noisy executions averaged at the site (0 means 1).
	Repetitions int `json:"repetitions,omitempty"`
	// Unit is the unit Sigma is given in (see Unit): absolute σ (the default, omitted from JSON), relative to
	// the clean signal's RMS or max|x|, or an SNR in dB. Convert with Absolute before Resolve.
	Unit Unit `json:"unit,omitempty"`
	// Static, for weight noise only (Config.Weights), draws the weights' noise once per model and noise seed
	// and reuses it for every batch (a device's fixed deviation); without it every forward pass draws afresh.
	Static bool `json:"static,omitempty"`
}

// UnmarshalJSON decodes a Spec, defaulting mean_mul to 1 (the reference's default) when it is absent. An
// unknown key is an error naming it and the valid ones.
func (s *Spec) UnmarshalJSON(b []byte) error {
	type plain Spec
	p := plain{MeanMul: 1}
	if err := strictjson.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("noise spec: %w", err)
	}
	*s = Spec(p)
	return nil
}

// NoNoise returns a Spec that leaves a site unchanged.
func NoNoise() Spec { return Spec{Type: None, MeanMul: 1} }

// Add returns additive noise x + N(0, sigma²).
func Add(sigma float64) Spec { return Spec{Type: Additive, Sigma: sigma, MeanMul: 1} }

// Mul returns multiplicative noise x · N(1, sigma²).
func Mul(sigma float64) Spec { return Spec{Type: Multiplicative, Sigma: sigma, MeanMul: 1} }

// Combine returns mul-then-add combined noise with amplitude a and additive share ratio:
// σ_add = a·ratio, σ_mul = a·(1−ratio). Use WithAddFirst for the other order.
func Combine(amplitude, ratio float64) Spec {
	return Spec{Type: Combined, Amplitude: amplitude, Ratio: ratio, MeanMul: 1}
}

// CombineDirect returns mul-then-add combined noise with both standard deviations given.
func CombineDirect(sigmaMul, sigmaAdd float64) Spec {
	return Spec{Type: CombinedDirect, SigmaMul: sigmaMul, SigmaAdd: sigmaAdd, MeanMul: 1}
}

// WithAddFirst returns a copy with the order of combined noise set to y = (x + a)·m.
func (s Spec) WithAddFirst() Spec { s.AddFirst = true; return s }

// InferenceOnly returns a copy that is off during training and on in evaluation.
func (s Spec) InferenceOnly() Spec { s.EvalOnly = true; return s }

// WithRepetitions returns a copy that averages r independent noisy executions.
func (s Spec) WithRepetitions(r int) Spec { s.Repetitions = r; return s }

// Normalized returns a copy whose σ is divided by the number of elements per example at its site.
func (s Spec) Normalized() Spec { s.NormalizeToInputSize = true; return s }

// Sigmas returns the effective standard deviations (σ_add, σ_mul) of the operator, before any
// normalisation to the input size.
func (s Spec) Sigmas() (sigmaAdd, sigmaMul float64) {
	switch s.Type {
	case Additive:
		return s.Sigma, 0
	case Multiplicative:
		return 0, s.Sigma
	case Combined:
		return s.Amplitude * s.Ratio, s.Amplitude * (1 - s.Ratio)
	case CombinedDirect:
		return s.SigmaAdd, s.SigmaMul
	}
	return 0, 0
}

// Reps returns the number of averaged executions (at least 1).
func (s Spec) Reps() int { return max(1, s.Repetitions) }

// ActiveIn reports whether the operator changes values in training (training=true) or evaluation mode.
func (s Spec) ActiveIn(training bool) bool {
	if s.Type == None {
		return false
	}
	if training {
		return !s.EvalOnly
	}
	return !s.TrainOnly
}

// Validate checks the Spec's values: a known type, finite non-negative σ (any finite value for an SNR in dB),
// a unit its type accepts (see Unit), ratio in [0,1], repetitions ≥ 0.
func (s Spec) Validate() error {
	if s.Type < None || s.Type > CombinedDirect {
		return fmt.Errorf("unknown noise type %d: valid types are %s", int(s.Type), strings.Join(typeNames, ", "))
	}
	if err := s.checkUnit(); err != nil {
		return err
	}
	check := func(name string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 && !(name == "sigma" && s.Unit == DB) {
			return fmt.Errorf("noise %s: %s must be finite and ≥ 0, got %g", s.Type, name, v)
		}
		return nil
	}
	var err error
	switch s.Type {
	case Additive, Multiplicative:
		err = check("sigma", s.Sigma)
	case Combined:
		if err = check("amplitude", s.Amplitude); err == nil && !(s.Ratio >= 0 && s.Ratio <= 1) {
			err = fmt.Errorf("noise combined: ratio (additive share) must be in [0,1], got %g", s.Ratio)
		}
	case CombinedDirect:
		if err = check("sigma_mul", s.SigmaMul); err == nil {
			err = check("sigma_add", s.SigmaAdd)
		}
	}
	if err != nil {
		return err
	}
	if math.IsNaN(s.MeanAdd) || math.IsInf(s.MeanAdd, 0) || math.IsNaN(s.MeanMul) || math.IsInf(s.MeanMul, 0) {
		return fmt.Errorf("noise %s: means must be finite, got mean_add=%g mean_mul=%g", s.Type, s.MeanAdd, s.MeanMul)
	}
	if s.MeanMul == 0 && (s.Type == Multiplicative || s.Type == Combined || s.Type == CombinedDirect) {
		return fmt.Errorf("noise %s: mean_mul is 0, which would erase the signal: build Specs with noise.Mul, "+
			"noise.Combine or noise.CombineDirect, or set MeanMul to 1", s.Type)
	}
	if s.Repetitions < 0 {
		return fmt.Errorf("noise %s: repetitions must be ≥ 1 (or 0 for the default 1), got %d", s.Type, s.Repetitions)
	}
	if s.EvalOnly && s.TrainOnly {
		return fmt.Errorf("noise %s: eval_only and train_only together would never apply the noise", s.Type)
	}
	return nil
}

// String describes the Spec briefly, e.g. "add σ=0.5" or "combined A=1 r=0.9 (mul-then-add)".
func (s Spec) String() string {
	var b strings.Builder
	switch s.Type {
	case None:
		return "none"
	case Additive, Multiplicative:
		switch s.Unit {
		case Absolute:
			fmt.Fprintf(&b, "%s σ=%g", s.Type, s.Sigma)
		case DB:
			fmt.Fprintf(&b, "%s SNR=%gdB", s.Type, s.Sigma)
		default:
			fmt.Fprintf(&b, "%s σ=%g·%s", s.Type, s.Sigma, strings.ToUpper(string(s.Unit)))
		}
	case Combined:
		fmt.Fprintf(&b, "combined A=%g r=%g", s.Amplitude, s.Ratio)
	case CombinedDirect:
		fmt.Fprintf(&b, "combined σmul=%g σadd=%g", s.SigmaMul, s.SigmaAdd)
	}
	if s.Type == Combined || s.Type == CombinedDirect {
		if s.AddFirst {
			b.WriteString(" (add-then-mul)")
		} else {
			b.WriteString(" (mul-then-add)")
		}
	}
	if s.EvalOnly {
		b.WriteString(" eval-only")
	}
	if s.TrainOnly {
		b.WriteString(" train-only")
	}
	if s.NormalizeToInputSize {
		b.WriteString(" normalized")
	}
	if s.Static {
		b.WriteString(" static")
	}
	if s.Reps() > 1 {
		fmt.Fprintf(&b, " ×%d", s.Reps())
	}
	return b.String()
}
