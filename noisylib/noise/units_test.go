package noise_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// TestUnitsHandComputed checks ToSigma and FromSigma against values computed by hand for a signal with
// E[x²] = 4 (RMS 2) and max|x| = 5.
func TestUnitsHandComputed(t *testing.T) {
	sig := noise.Signal{MeanSquare: 4, MaxAbs: 5}
	cases := []struct {
		typ      noise.Type
		unit     noise.Unit
		v, sigma float64
	}{
		{noise.Additive, noise.Absolute, 0.7, 0.7},
		{noise.Additive, noise.RMS, 0.5, 1},   // 0.5·2
		{noise.Additive, noise.Max, 0.1, 0.5}, // 0.1·5
		{noise.Additive, noise.DB, 20, 0.2},   // 2·10^(−1)
		{noise.Additive, noise.DB, 0, 2},      // noise power = signal power
		{noise.Additive, noise.DB, -20, 20},   // 2·10
		{noise.Multiplicative, noise.RMS, 0.3, 0.3},
		{noise.Multiplicative, noise.DB, 20, 0.1}, // 10^(−1)
		{noise.Multiplicative, noise.DB, 6, math.Pow(10, -0.3)},
	}
	for _, c := range cases {
		got, err := noise.ToSigma(c.typ, c.unit, c.v, sig)
		if err != nil || math.Abs(got-c.sigma) > 1e-12*max(1, c.sigma) {
			t.Errorf("ToSigma(%s, %q, %g) = %v, %v; want %v", c.typ, c.unit, c.v, got, err, c.sigma)
		}
		back, err := noise.FromSigma(c.typ, c.unit, c.sigma, sig)
		if err != nil || math.Abs(back-c.v) > 1e-12*max(1, math.Abs(c.v)) {
			t.Errorf("FromSigma(%s, %q, %g) = %v, %v; want %v", c.typ, c.unit, c.sigma, back, err, c.v)
		}
	}
	if db, _ := noise.FromSigma(noise.Additive, noise.DB, 0, sig); !math.IsInf(db, 1) {
		t.Errorf("σ = 0 is %v dB, want +Inf", db)
	}
}

// TestUnitsRoundTrip converts random values to σ and back (and σ to each unit and back) for every type and
// unit that is defined, over random signals.
func TestUnitsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		sig := noise.Signal{MeanSquare: math.Exp(rng.NormFloat64() * 3)}
		sig.MaxAbs = sig.RMS() * (1 + 10*rng.Float64())
		for _, typ := range []noise.Type{noise.Additive, noise.Multiplicative} {
			for _, u := range []noise.Unit{noise.Absolute, noise.RMS, noise.Max, noise.DB} {
				if typ == noise.Multiplicative && u == noise.Max {
					continue
				}
				v := math.Exp(rng.NormFloat64() * 2)
				if u == noise.DB {
					v = 60 * (rng.Float64() - 0.3)
				}
				s, err := noise.ToSigma(typ, u, v, sig)
				if err != nil {
					t.Fatal(err)
				}
				back, err := noise.FromSigma(typ, u, s, sig)
				if err != nil || math.Abs(back-v) > 1e-9*max(1, math.Abs(v)) {
					t.Fatalf("%s %q: %g → σ %g → %g (%v)", typ, u, v, s, back, err)
				}
				s0 := math.Exp(rng.NormFloat64() * 2)
				v2, _ := noise.FromSigma(typ, u, s0, sig)
				s2, err := noise.ToSigma(typ, u, v2, sig)
				if err != nil || math.Abs(s2-s0) > 1e-9*s0 {
					t.Fatalf("%s %q: σ %g → %g → σ %g (%v)", typ, u, s0, v2, s2, err)
				}
			}
		}
	}
}

// TestUnitsAgainstSiteStatSNR: a Spec converted from an SNR in dB has exactly that SNR by train.SiteStat.SNRdB,
// the independent definition the site statistics report, for additive and multiplicative noise.
func TestUnitsAgainstSiteStatSNR(t *testing.T) {
	for _, ms := range []float64{1e-4, 0.37, 4, 900} {
		st := train.SiteStat{MeanSquare: ms, MaxAbs: 3 * math.Sqrt(ms)}
		for _, db := range []float64{-12, 0, 3.5, 20, 47} {
			for _, spec := range []noise.Spec{noise.Add(db), noise.Mul(db)} {
				spec.Unit = noise.DB
				abs, err := spec.Absolute(st.Signal())
				if err != nil {
					t.Fatal(err)
				}
				if got := st.SNRdB(abs); math.Abs(got-db) > 1e-9 {
					t.Errorf("E[x²]=%g, %s: SNRdB of the converted spec %s = %v, want %v", ms, spec, abs, got, db)
				}
				// And the other way: the SNR of an absolute σ, in unit dB, is SNRdB's value.
				v, err := noise.FromSigma(spec.Type, noise.DB, abs.Sigma, st.Signal())
				if err != nil || math.Abs(v-st.SNRdB(abs)) > 1e-9 {
					t.Errorf("FromSigma dB = %v (%v), SNRdB = %v", v, err, st.SNRdB(abs))
				}
			}
		}
	}
}

func TestUnitsRefused(t *testing.T) {
	sig := noise.Signal{MeanSquare: 1, MaxAbs: 1}
	mustFail := func(name string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, want)
		}
	}
	_, err := noise.ToSigma(noise.Multiplicative, noise.Max, 0.1, sig)
	mustFail("mul max", err, "not defined")
	_, err = noise.ToSigma(noise.Combined, noise.RMS, 0.1, sig)
	mustFail("combined rms", err, "add or mul")
	_, err = noise.ToSigma(noise.Additive, noise.RMS, 0.1, noise.Signal{})
	mustFail("zero signal rms", err, "E[x²] = 0")
	_, err = noise.ToSigma(noise.Additive, noise.Max, 0.1, noise.Signal{MeanSquare: 1})
	mustFail("zero signal max", err, "max|x| = 0")
	_, err = noise.ToSigma(noise.Additive, noise.RMS, -1, sig)
	mustFail("negative rms", err, "≥ 0")
	_, err = noise.ToSigma(noise.Additive, noise.DB, math.Inf(1), sig)
	mustFail("infinite dB", err, "finite")
	_, err = noise.ParseUnit("dBm")
	mustFail("parse", err, "abs (σ itself), rms")
	s := noise.Add(0.1).Normalized()
	s.Unit = noise.RMS
	mustFail("normalized rms", s.Validate(), "normalised")

	rel := noise.Add(0.1)
	rel.Unit = noise.RMS
	_, err = noise.At(1, rel).Resolve(3)
	mustFail("Resolve of a relative σ", err, "Config.Absolute")
	_, err = noise.Global(rel).Absolute(nil, nil)
	mustFail("relative additive default without signals", err, "clean signal of every site")
	// Global noise in a relative unit is relative at every site: per-site overrides (site 1 keeps its own).
	g, err := noise.Global(rel).With(1, noise.Add(7)).Absolute([]noise.Signal{{MeanSquare: 4}, {}, {MeanSquare: 16}}, nil)
	if specs, rerr := g.Resolve(3); err != nil || rerr != nil || specs[0].Sigma != 0.1*2 || specs[1].Sigma != 7 || specs[2].Sigma != 0.1*4 {
		t.Errorf("global rms 0.1 over RMS 2, _, 4 with site 1 at σ 7: %v (%v, %v)", g, err, rerr)
	}
	_, err = noise.At(4, rel).Absolute([]noise.Signal{sig}, nil)
	mustFail("site without statistics", err, "no clean signal statistics")
	st := noise.Add(0.1)
	st.Static = true
	_, err = noise.At(0, st).Resolve(2)
	mustFail("static activation noise", err, "weight noise only")

	// A relative multiplicative default needs no signal; a relative site override is converted.
	mul := noise.Mul(20)
	mul.Unit = noise.DB
	cfg, err := noise.Global(mul).With(1, rel).Absolute([]noise.Signal{{}, {MeanSquare: 9, MaxAbs: 4}}, nil)
	if err != nil || cfg.Default.Sigma != 0.1 || math.Abs(cfg.Sites[1].Sigma-0.3) > 1e-15 || cfg.HasUnits() {
		t.Errorf("Absolute = %+v, %v; want default σ 0.1 and site 1 σ 0.3, no units left", cfg, err)
	}
	if _, err := cfg.Resolve(2); err != nil {
		t.Errorf("Resolve after Absolute: %v", err)
	}
}

// TestUnitsJSON: a Spec in absolute σ marshals exactly as before units and weight noise existed (no "unit",
// no "static" key: stored points keep their hashes), and a Spec with a unit round-trips.
func TestUnitsJSON(t *testing.T) {
	b, err := json.Marshal(noise.At(3, noise.Add(0.5)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"default":{"type":"none"},"sites":{"3":{"type":"add","sigma":0.5,"mean_mul":1}}}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	s := noise.Add(-3)
	s.Unit, s.Static = noise.DB, true
	cfg := noise.Config{Weights: map[int]noise.Spec{2: s}}
	b, _ = json.Marshal(cfg)
	var back noise.Config
	if err := json.Unmarshal(b, &back); err != nil || back.Weights[2] != s {
		t.Errorf("round trip of %s: %+v, %v", b, back, err)
	}
	if got := cfg.String(); got != "weights 2: add SNR=-3dB static" {
		t.Errorf("String = %q", got)
	}
}
