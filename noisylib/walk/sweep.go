package walk

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"syscall"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// sweepKey groups inference points that can share stacked passes: the same clean model and the same noise
// structure.
// A point that runs alone (noise in a unit or on weights) gets a key of its own.
func (r *Runner) sweepKey(pt Point) (string, error) {
	key, err := results.HashConfig(pt.cleanKey())
	if err != nil {
		return "", err
	}
	if pt.alone() {
		h, err := Hash(pt)
		return key + "/alone/" + h, err
	}
	specs, err := r.specs(pt)
	if err != nil {
		return "", err
	}
	return key + "/" + noise.StructureKey(specs), nil
}

// specs resolves a point's noise for its model (built from the data registry: no data set is loaded).
func (r *Runner) specs(pt Point) ([]noise.Spec, error) {
	m, err := pt.NewModel()
	if err != nil {
		return nil, err
	}
	return pt.Noise.Resolve(m.NumSites())
}

// NoiseSeed returns the seed of an inference point's evaluation noise stream (train's seed rule, see
// train.StreamNoise). With Common draws it depends on the clean model (setup, seed, version) and the walked site
// only: every σ of a site sees the same standard normal draws, scaled by its σ (common random numbers), which
// makes accuracy-vs-σ curves smoother and lets a stacked sweep draw the noise once for all its points. With
// Independent draws it is derived from the point's hash (without its EvalVersion: how the draws are evaluated
// does not change them), so every point draws afresh (as every run of the reference does: it sets no seed).
// Either way it does not depend on which other points a process runs, so shards and stacks give the same
// results.
func NoiseSeed(pt Point) (uint64, error) {
	var h string
	var err error
	if pt.Draws == Independent {
		pt.EvalVersion = 0
		h, err = Hash(pt)
	} else {
		h, err = results.HashConfig(struct {
			Clean   cleanKey `json:"clean"`
			Site    int      `json:"site"`
			Weights bool     `json:"weights,omitempty"` // weight layer Site (omitted for activation sites)
		}{pt.cleanKey(), pt.Site, len(pt.Noise.Weights) > 0})
	}
	if err != nil {
		return 0, err
	}
	return pointSeed(h), nil
}

// runSweep evaluates the first points of order (all inference points, sorted by their sweepKey in keys) that
// share the first one's clean model and noise structure, as many as fit one stacked pass, passes their records
// to put (in one call) and returns how many points it ran. Each point's noise stream is seeded by NoiseSeed, so the results do not
// depend on how points are grouped.
func (r *Runner) runSweep(pts []Point, hashes, keys []string, order []int, put func(...results.Record) error) (int, error) {
	first := pts[order[0]]
	if first.alone() {
		return 1, r.runAlone(first, hashes[order[0]], put)
	}
	trainSet, testSet, err := r.data(first.Setup)
	if err != nil {
		return 0, err
	}
	t, cleanAcc, err := r.clean(first, trainSet, testSet)
	if err != nil {
		return 0, fmt.Errorf("point %s: %w", first, err)
	}
	// The candidates are all points of this sweep key; the pass takes as many as SweepSize allows.
	group := group(pts, keys, order, len(order))
	sweep := make([]train.SweepPoint, len(group))
	for j, i := range group {
		seed, err := NoiseSeed(pts[i])
		if err != nil {
			return 0, err
		}
		sweep[j] = train.SweepPoint{Noise: pts[i].Noise, Seed: seed}
	}
	k := 1
	if !r.NoStack {
		if k, err = t.SweepSize(sweep, 0, r.SweepMemory); err != nil {
			return 0, fmt.Errorf("points %s … (%d): %w", first, len(group), err)
		}
	}
	group, sweep = group[:k], sweep[:k]
	start := time.Now()
	accs, losses, kls, err := t.EvaluateSweepKL(testSet, sweep, 0)
	if err != nil {
		return 0, fmt.Errorf("points %s … (%d): %w", first, len(group), err)
	}
	per := time.Since(start).Seconds() / float64(len(group))
	recs := make([]results.Record, len(group))
	for j, i := range group {
		m := Metrics{CleanAcc: cleanAcc}
		if kl := kls[j]; !math.IsNaN(kl) && !math.IsInf(kl, 0) {
			m.KL = &kl
		}
		if recs[j], err = r.record(pts[i], hashes[i], accs[j], losses[j], false, per, trainSet.NumClasses, m); err != nil {
			return 0, err
		}
	}
	if err := put(recs...); err != nil {
		return 0, err
	}
	return len(group), nil
}

// record returns the results-store record of a point that ran as part of a stack: its accuracy and loss,
// collapsed at chance when training diverged or the values overflowed, and its share of the stack's time.
func (r *Runner) record(pt Point, hash string, acc, loss float64, diverged bool, seconds float64, classes int, m Metrics) (results.Record, error) {
	cfg, _ := json.Marshal(pt)
	host, _ := os.Hostname()
	rec := results.Record{Hash: hash, Plan: pt.Plan, Config: cfg, Seed: int64(pt.Seed), Status: results.StatusDone,
		Accuracy: acc, Loss: loss, DurationSec: seconds, Host: host, CreatedAt: time.Now()}
	collapse(&rec, diverged, data.Chance(classes))
	var err error
	if rec.Metrics, err = json.Marshal(m); err != nil {
		return rec, fmt.Errorf("point %s: encoding the metrics: %w", pt, err)
	}
	return rec, nil
}

// group returns the first points of order (sorted by keys, each point's sweepKey) that have the first one's
// mode and key, at most k.
func group(pts []Point, keys []string, order []int, k int) []int {
	first := order[0]
	var g []int
	for _, i := range order {
		if len(g) == k || pts[i].Mode != pts[first].Mode || keys[i] != keys[first] {
			break
		}
		g = append(g, i)
	}
	return g
}

// peakRSSMiB returns the process's peak resident set size in MiB (0 where the OS does not report it).
func peakRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB.
}
