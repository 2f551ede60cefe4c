package study

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// SigmaSweep evaluates a trained model on test with inference-only noise of type typ (add or mul) at one
// site for every σ and returns the accuracies (%), in the order of sigmas. setup describes how the model was
// trained (its Model must be the trainer's); with the trainer's seed it names the walk's clean model, and the
// noise draws are those of the walk's inference points at that site (walk.NoiseSeed, common draws; see
// train.StreamNoise for the seed rule). So for a clean-trained model, SigmaSweep gives exactly the accuracies
// an inference walk of the same setup, seed, site and σ stores. The trainer's own noise is not changed.
func SigmaSweep(t *train.Trainer, test *data.Dataset, setup walk.Setup, site int, typ noise.Type, sigmas []float64) ([]float64, error) {
	if setup.Model != t.Model.Name {
		return nil, fmt.Errorf("study: setup names model %q but the trainer holds %q: pass the setup the model was trained with", setup.Model, t.Model.Name)
	}
	if site < 0 || site >= t.Model.NumSites() {
		return nil, fmt.Errorf("study: site %d out of range: %s has sites 0..%d", site, t.Model.Name, t.Model.NumSites()-1)
	}
	if len(sigmas) == 0 {
		return nil, fmt.Errorf("study: empty σ grid")
	}
	pt := walk.Point{Setup: setup, Mode: walk.Inference, Seed: t.Seed, Site: site, Version: walk.ResultsVersion,
		EvalVersion: walk.EvaluationVersion}
	seed, err := walk.NoiseSeed(pt)
	if err != nil {
		return nil, err
	}
	points := make([]train.SweepPoint, len(sigmas))
	for k, s := range sigmas {
		var spec noise.Spec
		switch typ {
		case noise.Additive:
			spec = noise.Add(s)
		case noise.Multiplicative:
			spec = noise.Mul(s)
		default:
			return nil, fmt.Errorf("study: SigmaSweep walks add or mul noise, got %s", typ)
		}
		points[k] = train.SweepPoint{Noise: noise.At(site, spec.InferenceOnly()), Seed: seed}
	}
	size, err := t.SweepSize(points, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("study: σ sweep at site %d: %w", site, err)
	}
	var acc []float64
	for ; len(points) > 0; points = points[min(size, len(points)):] {
		a, _, err := t.EvaluateSweep(test, points[:min(size, len(points))], 0)
		if err != nil {
			return nil, fmt.Errorf("study: σ sweep at site %d: %w", site, err)
		}
		acc = append(acc, a...)
	}
	return acc, nil
}
