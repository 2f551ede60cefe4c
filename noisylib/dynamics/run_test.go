package dynamics

import (
	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

func TestRunAndSNRGain(t *testing.T) {
	mk := func(sigma, ms float64) Run {
		r := Run{Sigma: sigma, Spec: noise.Add(sigma), Epochs: []EpochRecord{{Epoch: 1,
			Layers: []LayerStats{{Op: "fc1"}}, Sites: []train.SiteStat{{MeanSquare: ms, Elements: 1}}}}}
		if sigma == 0 {
			r.Spec = noise.NoNoise()
		}
		return r
	}
	// Reference power 1, trained power 100, noise σ = 10: SNR 0 dB vs −20 dB, a gain of 20 dB.
	sig, gain, err := SNRGain([]Run{mk(0, 1), mk(10, 100)}, 0)
	if err != nil || len(gain) != 1 || sig[0] != 10 || math.Abs(gain[0]-20) > 1e-9 {
		t.Errorf("SNRGain = %v, %v (%v), want [10] [20]", sig, gain, err)
	}
	if _, _, err := SNRGain([]Run{mk(10, 100)}, 0); err == nil {
		t.Error("SNRGain without the noise-free run: want an error")
	}
	if _, _, err := SNRGain([]Run{mk(0, 1), mk(10, 100)}, 4); err == nil {
		t.Error("SNRGain at a site without statistics: want an error")
	}
	r := mk(10, 4)
	if r.SiteRMS(0) != 2 || !math.IsNaN(r.SiteRMS(1)) {
		t.Errorf("SiteRMS = %v, %v; want 2, NaN", r.SiteRMS(0), r.SiteRMS(1))
	}
	if _, ok := r.Layer("fc1"); !ok {
		t.Error("Layer(fc1) not found")
	}
	if _, ok := r.Layer("fc9"); ok {
		t.Error("Layer(fc9) found")
	}
}

// TestPerSeed: every comparison with the noise-free run pairs runs of the same seed (with Reps > 1 the
// last σ = 0 run used to serve every seed).
func TestPerSeed(t *testing.T) {
	mk := func(sigma float64, seed uint64, ms, rms, atBound float64) Run {
		r := Run{Sigma: sigma, Seed: seed, Spec: noise.Add(sigma), Epochs: []EpochRecord{{Epoch: 1,
			Layers: []LayerStats{{Op: "fc2", WStats: analysis.WStats{RMS: rms}, AtBound: atBound}},
			Sites:  []train.SiteStat{{MeanSquare: ms, Elements: 1}}}}}
		if sigma == 0 {
			r.Spec = noise.NoNoise()
		}
		return r
	}
	// Seed 1: reference power 1, trained 100 at σ=10 → +20 dB; seed 2: reference 10, trained 100 → +10 dB.
	// fc2 RMS: seed 1 0.1 → 1 (log10 ratio 1), seed 2 0.2 → 0.2 (0).
	runs := []Run{mk(0, 1, 1, 0.1, 0), mk(0, 2, 10, 0.2, 0), mk(10, 1, 100, 1, 0.3), mk(10, 2, 100, 0.2, 0.1)}
	if g, err := SNRGainAt(runs, 0, 10); err != nil || len(g) != 2 || math.Abs(g[0]-20) > 1e-9 || math.Abs(g[1]-10) > 1e-9 {
		t.Errorf("SNRGainAt = %v, %v; want [20 10] dB (each seed against its own noise-free run)", g, err)
	}
	if _, g, _ := SNRGain(runs, 0); len(g) != 2 || math.Abs(g[1]-10) > 1e-9 {
		t.Errorf("SNRGain = %v, want the second seed paired with its own reference (10 dB)", g)
	}
	if g, err := GrowthAt(runs, "fc2", 10); err != nil || math.Abs(g[0]-1) > 1e-12 || g[1] != 0 {
		t.Errorf("GrowthAt = %v, %v; want [1 0]", g, err)
	}
	if b, err := AtBoundAt(runs, "fc2", 10); err != nil || b[0] != 0.3 || b[1] != 0.1 {
		t.Errorf("AtBoundAt = %v, %v", b, err)
	}
	runs[2].Acc, runs[3].Acc = 90, 80
	if a, err := AccAt(runs, 10); err != nil || a[0] != 90 || a[1] != 80 {
		t.Errorf("AccAt = %v, %v", a, err)
	}
	if s := Seeds(runs); len(s) != 2 || s[0] != 1 || s[1] != 2 {
		t.Errorf("Seeds = %v", s)
	}
	if o := OfSeed(runs, 2); len(o) != 2 || o[0].Sigma != 0 || o[1].Sigma != 10 {
		t.Errorf("OfSeed(2) = %v", o)
	}
	if _, err := SNRGainAt(runs[1:], 0, 10); err == nil {
		t.Error("a seed without its noise-free run: want an error")
	}
	if _, err := GrowthAt(runs, "fc2", 3); err == nil {
		t.Error("a σ without runs: want an error")
	}
	if _, err := GrowthAt(runs, "fc9", 10); err == nil {
		t.Error("a missing layer: want an error")
	}
}
