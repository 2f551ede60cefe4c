package walk

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// Verification is the outcome of recomputing one stored point from its stored configuration.
type Verification struct {
	// Point is the stored configuration, decoded.
	Point Point
	// Stored is the record in the store, Recomputed the record computed again.
	Stored, Recomputed results.Record
	// Agrees is true when the statuses are equal and the accuracies agree within the tolerance (see Verify).
	Agrees bool
	// Identical is true when status, accuracy and loss are bit-identical (NaN equals NaN).
	Identical bool
}

// AccDiff returns the recomputed accuracy minus the stored one, in percentage points.
func (v Verification) AccDiff() float64 { return v.Recomputed.Accuracy - v.Stored.Accuracy }

// StoredPoint decodes the configuration of a stored record as a point of this library. It fails when the
// configuration has a field this library does not know, when it does not re-encode to the record's hash (a
// point of another code version), or when it was computed with another ResultsVersion or, for an inference
// point, another EvaluationVersion (its numerics differ).
func StoredPoint(rec results.Record) (Point, error) {
	var pt Point
	if err := strictjson.Unmarshal(rec.Config, &pt); err != nil {
		return pt, fmt.Errorf("point %s: its stored configuration is not a point of this library: %w", short(rec.Hash), err)
	}
	if err := zeroMeans(rec.Config, &pt); err != nil {
		return pt, fmt.Errorf("point %s: %w", short(rec.Hash), err)
	}
	if h, err := Hash(pt); err != nil || h != rec.Hash {
		return pt, fmt.Errorf("point %s: its stored configuration does not re-encode to its hash (%v): it was written by other code", short(rec.Hash), err)
	}
	if pt.Version != ResultsVersion {
		return pt, fmt.Errorf("point %s: computed with results version %d, this library computes version %d: it cannot be recomputed",
			short(rec.Hash), pt.Version, ResultsVersion)
	}
	if want := evalVersion(pt.Mode); pt.EvalVersion != want {
		return pt, fmt.Errorf("point %s: evaluated with evaluation version %d, this library evaluates version %d: it cannot be recomputed",
			short(rec.Hash), pt.EvalVersion, want)
	}
	return pt, nil
}

// zeroMeans undoes one default of noise.Spec's JSON decoding for a point's noise: a spec stored without
// "mean_mul" (the zero Spec a Config holds for "no noise", e.g. its Default in a one-site walk) decodes with
// MeanMul 1; it is set back to 0, so that the point re-encodes to its stored configuration and hash, from which
// the noise streams of independent draws are seeded.
func zeroMeans(config []byte, pt *Point) error {
	type rawConfig struct {
		Default map[string]json.RawMessage         `json:"default"`
		Sites   map[int]map[string]json.RawMessage `json:"sites"`
	}
	var raw struct {
		Noise rawConfig  `json:"noise"`
		Eval  *rawConfig `json:"eval"`
	}
	if err := json.Unmarshal(config, &raw); err != nil {
		return err
	}
	fix := func(raw rawConfig, cfg *noise.Config) {
		if _, ok := raw.Default["mean_mul"]; !ok {
			cfg.Default.MeanMul = 0
		}
		for site, spec := range raw.Sites {
			if _, ok := spec["mean_mul"]; !ok {
				s := cfg.Sites[site]
				s.MeanMul = 0
				cfg.Sites[site] = s
			}
		}
	}
	fix(raw.Noise, &pt.Noise)
	if raw.Eval != nil && pt.Eval != nil { // a mismatch point's evaluation noise
		fix(*raw.Eval, pt.Eval)
	}
	return nil
}

func short(hash string) string { return hash[:min(12, len(hash))] }

// Recompute computes a stored point again from its stored configuration and returns the new record (not
// stored). A clean or training point is trained again from its seed; an inference point is evaluated alone
// (a stacked sweep of one) on its clean model, which the runner takes from its cache (Runner.CacheDir) or trains
// from its seed when the cache lacks it: give the runner an empty cache folder to recompute the clean model too.
func (r *Runner) Recompute(rec results.Record) (results.Record, error) {
	pt, err := StoredPoint(rec)
	if err != nil {
		return results.Record{}, err
	}
	if pt.Eval != nil {
		var out results.Record
		err := r.runMismatch([]Point{pt}, []string{rec.Hash}, []int{0}, func(x ...results.Record) error {
			out = x[0]
			return nil
		}, false)
		return out, err
	}
	if pt.Mode != Inference {
		return r.runPoint(pt, rec.Hash, false)
	}
	key, err := r.sweepKey(pt)
	if err != nil {
		return results.Record{}, err
	}
	var out results.Record
	_, err = r.runSweep([]Point{pt}, []string{rec.Hash}, []string{key}, []int{0}, func(x ...results.Record) error {
		out = x[0] // a sweep of one point
		return nil
	})
	return out, err
}

// Verify recomputes each record (Recompute) and compares it with the stored one. With tolerance 0 a point
// agrees only when status, accuracy and loss are bit-identical: the arithmetic of a point is deterministic for a
// given backend, binary and CPU (every random draw comes from streams seeded by the point's configuration, and
// the reductions run in a fixed order), so any difference on the machine that computed the store is an error.
// With tolerance > 0 a point agrees when the statuses are equal and the accuracies differ by at most tolerance
// percentage points: for a store computed on another CPU (another vector width rounds sums differently, and a
// long training amplifies rounding). progress, when not nil, is called after each point.
func (r *Runner) Verify(recs []results.Record, tolerance float64, progress func(Verification)) ([]Verification, error) {
	if !(tolerance >= 0) {
		return nil, fmt.Errorf("verify: tolerance %g, want ≥ 0 percentage points", tolerance)
	}
	return r.verify(recs, func(v Verification, _ int) bool {
		return tolerance > 0 && v.Stored.Status == v.Recomputed.Status && math.Abs(v.AccDiff()) <= tolerance
	}, progress)
}

// VerifyWithin recomputes each record like Verify, for a store computed on another CPU, where bit-identity is
// not expected: a point agrees when it is bit-identical or when its recomputed accuracy lies within within[i],
// the prediction interval of a new repetition of recs[i] (RepetitionIntervals). The justification: a CPU with
// another vector width rounds sums differently, and training amplifies that into another model of the same
// seed's distribution at most; the spread of the stored repetitions (other seeds) bounds that variation.
func (r *Runner) VerifyWithin(recs []results.Record, within []analysis.Interval, progress func(Verification)) ([]Verification, error) {
	if len(within) != len(recs) {
		return nil, fmt.Errorf("verify: %d intervals for %d records", len(within), len(recs))
	}
	return r.verify(recs, func(v Verification, i int) bool {
		acc := v.Recomputed.Accuracy
		return v.Stored.Status == v.Recomputed.Status && within[i].Lo <= acc && acc <= within[i].Hi
	}, progress)
}

// verify recomputes each record and judges it: bit-identical, or agrees(v, its index).
func (r *Runner) verify(recs []results.Record, agrees func(Verification, int) bool, progress func(Verification)) ([]Verification, error) {
	var out []Verification
	for i, rec := range recs {
		again, err := r.Recompute(rec)
		if err != nil {
			return out, err
		}
		pt, _ := StoredPoint(rec)
		v := Verification{Point: pt, Stored: rec, Recomputed: again}
		v.Identical = identical(rec, again)
		v.Agrees = v.Identical || agrees(v, i)
		out = append(out, v)
		if progress != nil {
			progress(v)
		}
	}
	return out, nil
}

// RepetitionIntervals returns, for each of recs, the prediction interval at level (analysis.PredictionInterval)
// of one more repetition's accuracy (%), from the stored accuracies of the finished records among recs that share
// its configuration but for the repetition and its seed (itself included): pass a point together with its
// repetitions, e.g. every record of its plan. The interval's N counts them; with fewer than two its bounds are
// NaN (such a point cannot be judged so; `walkingnoise verify -within` chooses only points with at least three).
// Records that are not walk points of this library's version get NaN bounds and N 0.
func RepetitionIntervals(recs []results.Record, level float64) ([]analysis.Interval, error) {
	keys := make([]string, len(recs))
	accs := map[string][]float64{}
	for i, rec := range recs {
		key, ok := repetitionKey(rec)
		if !ok {
			continue
		}
		keys[i] = key
		if rec.Status != results.StatusFailed {
			accs[key] = append(accs[key], rec.Accuracy)
		}
	}
	out := make([]analysis.Interval, len(recs))
	for i, rec := range recs {
		iv, err := analysis.PredictionInterval(accs[keys[i]], level)
		if err != nil {
			return nil, fmt.Errorf("point %s: %w", short(rec.Hash), err)
		}
		out[i] = iv
	}
	return out, nil
}

// repetitionKey returns the key shared by a stored point's repetitions: the hash of its configuration with the
// repetition and seed cleared; false for records that are not walk points of this version.
func repetitionKey(rec results.Record) (string, bool) {
	pt, err := StoredPoint(rec)
	if err != nil {
		return "", false
	}
	pt.Rep, pt.Seed = 0, 0
	h, err := Hash(pt)
	return h, err == nil
}

// identical reports whether two records of one point have the same status, and bit-identical accuracy and
// loss (NaN equals NaN).
func identical(a, b results.Record) bool {
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return a.Status == b.Status && same(a.Accuracy, b.Accuracy) && same(a.Loss, b.Loss)
}

// Sample returns n records chosen at random (without replacement, by a PCG stream of seed) among the finished
// ones (done or collapsed) whose recomputation is estimated to take at most maxSeconds (0: no limit), in the
// order chosen. The estimate comes from the stored durations: a training point's own; for a clean or inference
// point, the longest stored duration of a clean point of the same clean model (setup, seed, version: in any plan
// of st, since plans share clean models through the cache, and only the first trained it), plus the inference
// point's own. Records of other code versions, and records that are not walk points (the tracked trainings
// study.Dynamics stores, of kind "dynamics"), are left out (StoredPoint).
func Sample(st *results.Store, recs []results.Record, n int, seed uint64, maxSeconds float64) ([]results.Record, error) {
	var cleanSecs map[string]float64
	if maxSeconds > 0 {
		all, err := st.List("")
		if err != nil {
			return nil, err
		}
		cleanSecs = map[string]float64{}
		for _, rec := range all {
			pt, err := StoredPoint(rec)
			if err != nil || pt.Mode != Clean || rec.Status == results.StatusFailed {
				continue
			}
			key, err := results.HashConfig(pt.cleanKey())
			if err != nil {
				return nil, err
			}
			cleanSecs[key] = max(cleanSecs[key], rec.DurationSec)
		}
	}
	var pool []results.Record
	for _, rec := range recs {
		if rec.Status == results.StatusFailed {
			continue
		}
		pt, err := StoredPoint(rec)
		if err != nil {
			continue
		}
		if maxSeconds > 0 {
			cost := rec.DurationSec
			if pt.Mode != Training {
				key, err := results.HashConfig(pt.cleanKey())
				if err != nil {
					return nil, err
				}
				c, ok := cleanSecs[key]
				if !ok {
					c = math.NaN()
				}
				if pt.Mode == Clean {
					cost = c
				} else {
					cost += c
				}
			}
			if !(cost <= maxSeconds) {
				continue
			}
		}
		pool = append(pool, rec)
	}
	rng := rand.New(rand.NewPCG(seed, 0x76657269)) // "veri"
	perm := rng.Perm(len(pool))
	out := make([]results.Record, 0, min(n, len(pool)))
	for _, i := range perm[:min(n, len(pool))] {
		out = append(out, pool[i])
	}
	return slices.Clip(out), nil
}
