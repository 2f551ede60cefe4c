package figures

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestKL: one line per site, named with its accuracy midpoint; values ≤ 0 left out; nothing to draw is an error.
func TestKL(t *testing.T) {
	kl := []walk.KLCurve{
		{Site: 0, Name: "0:input", Sigmas: []float64{0.1, 1, 10}, KL: [][]float64{{0, 0}, {0.2, 0.3}, {2, math.NaN()}}},
		{Site: 4, Name: "4:fc2", Sigmas: []float64{0.1, 1, 10}, KL: [][]float64{{0.01, 0.01}, {0.1, 0.1}, {1, 1}}},
	}
	curves := []walk.SiteCurve{{Mode: walk.Inference, Site: 4, Name: "4:fc2", Mid: analysis.MidpointResult{Sigma: 1.37}}}
	fig, err := KL(kl, curves, "KL sensitivity")
	wellFormed(t, "KL", fig, err, "0:input", "4:fc2 (midpoint 1.37e+00)", "nats")
	if _, err := KL([]walk.KLCurve{{Name: "x", Sigmas: []float64{1}, KL: [][]float64{{0}}}}, nil, "x"); err == nil {
		t.Error("no positive KL: want an error")
	}
}
