package dynamics

import (
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
