package walk

import (
	"fmt"
	"slices"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// Walks in σ units other than absolute σ (PlanSpec.Unit) and walks of weight noise (PlanSpec.Weights).
//
// A point keeps its noise as planned: σ in the plan's unit, on activation sites or weight layers, so its hash
// names what was asked for. When it runs, the Runner converts the unit to absolute σ once per site, from
// the clean model of the point's setup and seed (the model its inference points are evaluated on, trained or
// restored from the checkpoint cache like them): activation sites from train.Trainer.SiteStats over the
// training set (eval mode, no noise: E[x²] and max|x| of every element), weight layers from the clean
// weights (train.Trainer.WeightSignals). The statistics are computed once per clean model and process and
// kept in memory; they are deterministic, so every process converts alike. A training point converts with
// the same clean model's statistics: its σ is fixed before training, not re-measured on the noisy model.
// Such points run one at a time (no stacked sweeps or stacked training).

// pointNoise returns the noise Config of one point: Spec s at activation site or weight layer `site`, or
// everywhere for site −1, with the plan's unit and static switch.
func pointNoise(spec PlanSpec, m *models.Model, site int, s noise.Spec) noise.Config {
	if spec.Unit != noise.Absolute && (s.Type == noise.Additive || s.Type == noise.Multiplicative) {
		s.Unit = spec.Unit
	}
	if !spec.Weights {
		if site >= 0 {
			return noise.At(site, s)
		}
		return noise.Global(s)
	}
	s.Static = spec.Static
	w := map[int]noise.Spec{}
	if site >= 0 {
		w[site] = s
	} else {
		for l := range len(m.WeightLayers()) {
			w[l] = s
		}
	}
	return noise.Config{Weights: w}
}

// checkNoise validates a point's noise against its model as far as it can without the clean model.
func checkNoise(cfg noise.Config, m *models.Model) error {
	plain := cfg
	if cfg.HasUnits() { // any positive signal converts; Absolute's own checks come when the point runs
		var err error
		one := noise.Signal{MeanSquare: 1, MaxAbs: 1}
		if plain, err = cfg.Absolute(slices.Repeat([]noise.Signal{one}, m.NumSites()),
			slices.Repeat([]noise.Signal{one}, len(m.WeightLayers()))); err != nil {
			return err
		}
	}
	if _, err := plain.Resolve(m.NumSites()); err != nil {
		return err
	}
	_, err := plain.ResolveWeights(len(m.WeightLayers()))
	return err
}

// strayWeightFields lists the unit and weight-noise fields a plan does not read (see checkFields).
func strayWeightFields(spec PlanSpec) []string {
	var stray []string
	if _, err := noise.ParseUnit(string(spec.Unit)); err != nil || spec.Unit == "abs" {
		stray = append(stray, fmt.Sprintf("unit %q (abs is written as no unit; use rms, max or db)", spec.Unit))
	}
	pairwise := spec.Kind == Mixed || spec.Kind == Direct || spec.Noise == noise.Combined
	if spec.Unit != noise.Absolute && (pairwise || spec.Kind == MultiExec || spec.Kind == MaxNoise) {
		stray = append(stray, "unit (add and mul noise of layer-wise and global plans)")
	}
	if spec.Kind == Mismatch && spec.Unit != noise.Absolute {
		stray = append(stray, "unit (a mismatch walk's σ_a and σ_b are absolute)")
	}
	if spec.Weights && (spec.Kind == MultiExec || spec.Kind == MaxNoise || spec.Kind == Mismatch) {
		stray = append(stray, "weights (layer-wise, global, mixed and direct plans)")
	}
	if spec.Static && !spec.Weights {
		stray = append(stray, "static (weight noise: set weights too)")
	}
	return stray
}

// nameSuffix distinguishes the default name of a weight-noise or unit plan from the activation walk in
// absolute σ of the same setup: "-weights", "-static", "-rms" ("" for the latter, so its name is unchanged).
func nameSuffix(spec PlanSpec) string {
	s := ""
	if spec.Weights {
		s += "-weights"
		if spec.Static {
			s += "-static"
		}
	}
	if spec.Unit != noise.Absolute {
		s += "-" + string(spec.Unit)
	}
	return s
}

// alone reports whether a point runs alone, outside stacked sweeps and stacks: its noise is in a unit or on
// weights.
func (p Point) alone() bool { return p.Noise.HasUnits() || len(p.Noise.Weights) > 0 }

// walkedSpec returns the noise Spec of the point's walked site or weight layer (Site ≥ 0).
func (p Point) walkedSpec() noise.Spec {
	if len(p.Noise.Weights) > 0 {
		return p.Noise.Weights[p.Site]
	}
	return p.Noise.Sites[p.Site]
}

// signals holds the clean signal at every activation site and weight layer of one clean model.
type signals struct{ sites, weights []noise.Signal }

// absoluteNoise returns the point's noise in absolute σ (the point's own Config when it has no unit),
// converted from the statistics of its clean model (see the top of this file). It trains or loads that
// model on first use, so call it from the Runner's main loop before a training task needs it.
func (r *Runner) absoluteNoise(pt Point) (noise.Config, error) {
	if !pt.Noise.HasUnits() {
		return pt.Noise, nil
	}
	key, err := results.HashConfig(pt.cleanKey())
	if err != nil {
		return noise.Config{}, err
	}
	r.mu.Lock()
	sig, ok := r.signals[key]
	r.mu.Unlock()
	if !ok {
		trainSet, testSet, err := r.data(pt.Setup)
		if err != nil {
			return noise.Config{}, err
		}
		if sig, err = r.measure(pt, trainSet, testSet); err != nil {
			return noise.Config{}, err
		}
		r.mu.Lock()
		if r.signals == nil {
			r.signals = map[string]signals{}
		}
		r.signals[key] = sig
		r.mu.Unlock()
	}
	cfg, err := pt.Noise.Absolute(sig.sites, sig.weights)
	if err != nil {
		return noise.Config{}, fmt.Errorf("converting the noise to absolute σ: %w", err)
	}
	return cfg, nil
}

// measure computes the clean signal statistics of the point's clean model.
func (r *Runner) measure(pt Point, trainSet, testSet *data.Dataset) (signals, error) {
	t, _, err := r.clean(pt, trainSet, testSet)
	if err != nil {
		return signals{}, err
	}
	stats, err := t.SiteStats(trainSet, 0)
	if err != nil {
		return signals{}, err
	}
	w, err := t.WeightSignals()
	if err != nil {
		return signals{}, err
	}
	return signals{sites: train.Signals(stats), weights: w}, nil
}

// runAlone evaluates one inference point that runs alone (see alone) on its clean model: its noise in
// absolute σ, its noise stream seeded by NoiseSeed (as in a sweep), and the clean model's noise reset
// afterwards.
func (r *Runner) runAlone(pt Point, hash string, put func(...results.Record) error) error {
	trainSet, testSet, err := r.data(pt.Setup)
	if err != nil {
		return err
	}
	t, cleanAcc, err := r.clean(pt, trainSet, testSet)
	if err != nil {
		return fmt.Errorf("point %s: %w", pt, err)
	}
	cfg, err := r.absoluteNoise(pt)
	if err != nil {
		return fmt.Errorf("point %s: %w", pt, err)
	}
	seed, err := NoiseSeed(pt)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := t.SetNoise(cfg); err != nil {
		return fmt.Errorf("point %s: %w", pt, err)
	}
	defer func() { _ = t.SetNoise(noise.Config{}) }()
	if err := t.ReseedNoise(seed); err != nil {
		return err
	}
	acc, loss, err := t.Evaluate(testSet, 0)
	if err != nil {
		return fmt.Errorf("point %s: %w", pt, err)
	}
	rec, err := r.record(pt, hash, acc, loss, false, time.Since(start).Seconds(), trainSet.NumClasses, Metrics{CleanAcc: cleanAcc})
	if err != nil {
		return err
	}
	return put(rec)
}

// curveMidpoint returns the midpoint of a curve over the plan's grid and its per-repetition CI. A grid in σ
// (absolute or relative) is searched as is: accuracy falls as σ grows. A grid in SNR dB runs the other way
// (accuracy rises with the SNR), so it is searched in −dB, where the noise grows, on a linear grid, and the
// result mapped back to dB: the midpoint is the SNR at which accuracy is halfway between a_max and a_min, and
// its censoring reads in dB — "< dB_min" when the accuracy never fell to a_mid (the site tolerates even the
// lowest SNR walked), "> dB_max" when it was already below at the highest SNR. For dB, a higher midpoint is a
// more sensitive site.
func curveMidpoint(c analysis.Curve, aMax, aMin float64, grid analysis.Grid, unit noise.Unit) (analysis.MidpointResult, analysis.MidpointSummary, error) {
	if unit != noise.DB {
		mid, err := analysis.Midpoint(c, aMax, aMin, grid)
		if err != nil {
			return mid, analysis.MidpointSummary{}, err
		}
		ci, err := analysis.MidpointCI(c, aMax, aMin, grid, 0.95)
		return mid, ci, err
	}
	n := len(c.Sigmas)
	rev := analysis.Curve{Sigmas: make([]float64, n), Acc: make([][]float64, n)}
	for k := range n {
		rev.Sigmas[k], rev.Acc[k] = -c.Sigmas[n-1-k], c.Acc[n-1-k]
	}
	mid, err := analysis.Midpoint(rev, aMax, aMin, analysis.LinearGrid)
	if err != nil {
		return mid, analysis.MidpointSummary{}, err
	}
	ci, err := analysis.MidpointCI(rev, aMax, aMin, analysis.LinearGrid, 0.95)
	if err != nil {
		return mid, ci, err
	}
	mid = fromNegatedDB(mid)
	ci.Mean, ci.Lo, ci.Hi = -ci.Mean, -ci.Hi, -ci.Lo
	ci.Above, ci.Below = ci.Below, ci.Above
	for i := range ci.PerRep {
		ci.PerRep[i] = fromNegatedDB(ci.PerRep[i])
	}
	return mid, ci, nil
}

// fromNegatedDB maps a midpoint found on the −dB axis back to dB (see curveMidpoint).
func fromNegatedDB(m analysis.MidpointResult) analysis.MidpointResult {
	n := len(m.Mean)
	m.Sigma, m.Bound = -m.Sigma, -m.Bound
	switch m.Censored {
	case analysis.Above:
		m.Censored = analysis.Below
	case analysis.Below:
		m.Censored = analysis.Above
	}
	if m.Index >= 0 { // the crossing lay in [rev[k], rev[k+1]): in dB order, [n−2−k, n−1−k)
		m.Index = n - 2 - m.Index
	}
	slices.Reverse(m.Mean)
	return m
}
