package noise

import (
	"fmt"
	"math"
	"strings"
)

// Unit is the unit a Spec's Sigma is given in. The noise operators always run with an absolute σ: a Spec in
// another unit is converted once per site, from the clean signal there (a Signal), by Spec.Absolute or
// Config.Absolute, before it reaches a graph (Config.Resolve refuses a Spec that still has a unit).
//
// With x the clean value at the site (every element of every example, as train.SiteStat measures it),
// RMS(x) = √E[x²] and MaxAbs(x) = max|x|, the conversions of a value v to σ are, for additive noise
// y = x + N(0, σ²) (noise n = y − x, E[n²] = σ²):
//
//	Absolute: σ = v
//	RMS:      σ = v·RMS(x)                         v = σ / RMS(x)
//	Max:      σ = v·MaxAbs(x)                      v = σ / MaxAbs(x)
//	DB:       σ = RMS(x)·10^(−v/20)                v = 10·log10(E[x²] / σ²)   (SNR in dB)
//
// and for multiplicative noise y = x·N(1, σ²) (noise n = x·(m − 1), E[n²] = σ²·E[x²], so σ is already
// relative to the signal's RMS and the SNR does not depend on the signal):
//
//	Absolute, RMS: σ = v
//	DB:            σ = 10^(−v/20)                  v = −20·log10 σ
//	Max:           refused (the noise scales with each value, not with the site's largest one)
//
// The SNR is that of one noisy execution, the definition of train.SiteStat.SNRdB (which also divides the
// noise power by the repetitions of an averaged Spec). RMS- and max-relative σ are how analog hardware quotes
// noise (σ·RMS(x), σ·max|x|; /work/shared/research/method.md §9 item 1); the SNR in dB is how
// communications and quantization work quotes it. Combined noise, and a Spec normalised to its input size,
// take absolute σ only.
type Unit string

// Units of a Spec's Sigma.
const (
	Absolute Unit = ""    // σ itself (the default; written "abs" on the command line)
	RMS      Unit = "rms" // σ / RMS(x), RMS(x) = √E[x²] of the clean signal at the site
	Max      Unit = "max" // σ / max|x| of the clean signal at the site
	DB       Unit = "db"  // the signal-to-noise ratio 10·log10(E[x²]/E[n²]) in dB
)

// ParseUnit parses a unit name: "abs" (or ""), "rms", "max" or "db", in any case.
func ParseUnit(s string) (Unit, error) {
	switch u := Unit(strings.ToLower(s)); u {
	case "abs", Absolute:
		return Absolute, nil
	case RMS, Max, DB:
		return u, nil
	}
	return Absolute, fmt.Errorf("unknown noise unit %q: use abs (σ itself), rms (σ/RMS(x)), max (σ/max|x|) or db (SNR in dB)", s)
}

// Signal summarises the clean value x at one site, as the unit conversions need it: MeanSquare = E[x²] and
// MaxAbs = max|x| over every element of every example (for weight noise: over the layer's weights).
type Signal struct {
	MeanSquare, MaxAbs float64
}

// RMS returns √E[x²].
func (s Signal) RMS() float64 { return math.Sqrt(s.MeanSquare) }

// checkUnit reports whether the Spec's unit is known and can be used with its type (see Unit).
func (s Spec) checkUnit() error {
	switch s.Unit {
	case Absolute:
		return nil
	case RMS, Max, DB:
	default:
		return fmt.Errorf("noise %s: %w", s.Type, fmtUnitErr(s.Unit))
	}
	if s.Type != Additive && s.Type != Multiplicative {
		return fmt.Errorf("noise %s: σ in unit %s needs add or mul noise; give combined noise in absolute σ", s.Type, s.Unit)
	}
	if s.Type == Multiplicative && s.Unit == Max {
		return fmt.Errorf("noise mul: σ relative to max|x| is not defined (multiplicative noise scales with each value): use rms (the same as absolute σ) or db")
	}
	if s.NormalizeToInputSize {
		return fmt.Errorf("noise %s: σ in unit %s cannot also be normalised to the input size: use one or the other", s.Type, s.Unit)
	}
	return nil
}

func fmtUnitErr(u Unit) error {
	_, err := ParseUnit(string(u))
	return err
}

// ToSigma converts v, a noise strength in unit u for noise of type typ (Additive or Multiplicative), to the
// absolute σ at a site whose clean signal is sig (formulas: see Unit). It returns an error for a combination
// Unit refuses and for a signal that cannot anchor a relative unit (E[x²] = 0 or max|x| = 0, e.g. a site that
// is always zero after ReLU).
func ToSigma(typ Type, u Unit, v float64, sig Signal) (float64, error) {
	if err := (Spec{Type: typ, Unit: u}).checkUnit(); err != nil {
		return 0, err
	}
	if u != DB && !(v >= 0) || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("noise %s: a strength in unit %q must be finite (and ≥ 0 unless in dB), got %g", typ, u, v)
	}
	if typ == Multiplicative {
		if u == DB {
			return math.Pow(10, -v/20), nil
		}
		return v, nil
	}
	if err := sig.anchors(u); err != nil {
		return 0, err
	}
	switch u {
	case RMS:
		return v * sig.RMS(), nil
	case Max:
		return v * sig.MaxAbs, nil
	case DB:
		return sig.RMS() * math.Pow(10, -v/20), nil
	}
	return v, nil
}

// anchors reports whether the signal can anchor unit u of additive noise: E[x²] > 0 for rms and db, max|x| > 0
// for max (a site that is always zero, e.g. after ReLU, cannot).
func (s Signal) anchors(u Unit) error {
	switch {
	case (u == RMS || u == DB) && !(s.MeanSquare > 0):
		return fmt.Errorf("noise add: the clean signal has E[x²] = %g, so σ in unit %s is undefined: use absolute σ at this site", s.MeanSquare, u)
	case u == Max && !(s.MaxAbs > 0):
		return fmt.Errorf("noise add: the clean signal has max|x| = %g, so σ in unit max is undefined: use absolute σ at this site", s.MaxAbs)
	}
	return nil
}

// FromSigma converts an absolute σ of noise of type typ to unit u at a site whose clean signal is sig: the
// inverse of ToSigma (formulas: see Unit). σ = 0 is +Inf dB.
func FromSigma(typ Type, u Unit, sigma float64, sig Signal) (float64, error) {
	if err := (Spec{Type: typ, Unit: u}).checkUnit(); err != nil {
		return 0, err
	}
	if !(sigma >= 0) || math.IsInf(sigma, 0) {
		return 0, fmt.Errorf("noise %s: σ must be finite and ≥ 0, got %g", typ, sigma)
	}
	if typ == Multiplicative {
		if u == DB {
			return -20 * math.Log10(sigma), nil
		}
		return sigma, nil
	}
	if err := sig.anchors(u); err != nil {
		return 0, err
	}
	switch u {
	case RMS:
		return sigma / sig.RMS(), nil
	case Max:
		return sigma / sig.MaxAbs, nil
	case DB:
		return 10 * math.Log10(sig.MeanSquare/(sigma*sigma)), nil
	}
	return sigma, nil
}

// Absolute returns the Spec with its Sigma converted from its Unit to absolute σ at a site whose clean signal
// is sig (see ToSigma); a Spec already in absolute σ is returned unchanged.
func (s Spec) Absolute(sig Signal) (Spec, error) {
	if s.Unit == Absolute {
		return s, nil
	}
	sigma, err := ToSigma(s.Type, s.Unit, s.Sigma, sig)
	if err != nil {
		return s, err
	}
	s.Sigma, s.Unit = sigma, Absolute
	return s, nil
}

// HasUnits reports whether any Spec of the Config (default, site or weight override) is given in a unit other
// than absolute σ, i.e. needs Absolute before Resolve.
func (c Config) HasUnits() bool {
	if c.Default.Unit != Absolute {
		return true
	}
	for _, s := range c.Sites {
		if s.Unit != Absolute {
			return true
		}
	}
	for _, s := range c.Weights {
		if s.Unit != Absolute {
			return true
		}
	}
	return false
}

// Absolute returns the Config with every Spec in absolute σ: the Spec of activation site i converted with
// sites[i], that of weight layer l with weights[l] (see Spec.Absolute). A default Spec with a unit becomes
// per-site overrides, each converted with its site's signal (global noise in a relative unit is relative at
// every site), unless it needs no signal (multiplicative noise), so sites must then hold every site. A slice
// may be nil when no Spec of its kind has a unit.
func (c Config) Absolute(sites, weights []Signal) (Config, error) {
	out, srcSites := c, c.Sites
	if d := c.Default; d.Unit != Absolute {
		if _, err := d.Absolute(Signal{MeanSquare: 1, MaxAbs: 1}); err != nil {
			return c, fmt.Errorf("noise config, default: %w", err)
		}
		if d.Type == Multiplicative {
			out.Default, _ = d.Absolute(Signal{})
		} else {
			if len(sites) == 0 {
				return c, fmt.Errorf("noise config, default: %s noise in unit %s needs the clean signal of every site", d.Type, d.Unit)
			}
			over := make(map[int]Spec, len(sites))
			for i := range sites {
				over[i] = d
			}
			for k, s := range c.Sites {
				over[k] = s
			}
			out.Default, srcSites = NoNoise(), over
		}
	}
	conv := func(m map[int]Spec, sig []Signal, what string) (map[int]Spec, error) {
		if m == nil {
			return nil, nil
		}
		res := make(map[int]Spec, len(m))
		for k, s := range m {
			if s.Unit != Absolute {
				if k < 0 || k >= len(sig) {
					return nil, fmt.Errorf("noise config, %s %d: no clean signal statistics for it (have %d)", what, k, len(sig))
				}
				var err error
				if s, err = s.Absolute(sig[k]); err != nil {
					return nil, fmt.Errorf("noise config, %s %d: %w", what, k, err)
				}
			}
			res[k] = s
		}
		return res, nil
	}
	var err error
	if out.Sites, err = conv(srcSites, sites, "site"); err != nil {
		return c, err
	}
	if out.Weights, err = conv(c.Weights, weights, "weight layer"); err != nil {
		return c, err
	}
	return out, nil
}
