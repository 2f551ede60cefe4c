package walk

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// Backfill is the outcome of BackfillKL.
type Backfill struct {
	// Candidates counts the records that lacked KL and can have it: finished inference points of this library's
	// results version that run in stacked sweeps.
	Candidates int
	// Filled counts the records whose KL was stored.
	Filled int
	// Differ holds the candidates whose recomputed status, accuracy or loss is not bit-identical to the stored
	// one: nothing is stored for them.
	Differ []Verification
}

// BackfillKL gives stored inference points the KL sensitivity (Metrics.KL) that the code which computed them did
// not measure yet. It recomputes the candidates among recs (finished inference points without KL, of this
// library's ResultsVersion, that run in stacked sweeps: not weight or unit noise) in stacked sweeps as Run does,
// on clean models from the runner's cache (or trained again from their seeds when it lacks them), and stores
// a candidate's KL only when its recomputed status, accuracy and loss are bit-identical to the stored ones: then
// the recomputation drew the same noise, and its KL is the one the original pass would have measured. The rest
// of the record (accuracy, loss, duration, creation time, host) is kept; other metrics are kept too. Records of
// other kinds, and candidates that differ, are left as they are; the latter are returned.
//
// Errors: a record that cannot be decoded or recomputed, or a store error; records stored before the error stay.
func (r *Runner) BackfillKL(recs []results.Record) (Backfill, error) {
	var out Backfill
	var pts []Point
	var stored []results.Record
	var metrics []Metrics // the stored metrics of each candidate, decoded
	var hashes, keys []string
	for _, rec := range recs {
		if rec.Status == results.StatusFailed {
			continue
		}
		pt, err := StoredPoint(rec)
		if err != nil || pt.Mode != Inference || pt.alone() {
			continue
		}
		var m Metrics
		if err := strictjson.Unmarshal(rec.Metrics, &m); err != nil {
			return out, fmt.Errorf("point %s: metrics: %w", short(rec.Hash), err)
		}
		if m.KL != nil {
			continue
		}
		key, err := r.sweepKey(pt)
		if err != nil {
			return out, err
		}
		pts, stored, hashes, keys = append(pts, pt), append(stored, rec), append(hashes, rec.Hash), append(keys, key)
		metrics = append(metrics, m)
	}
	out.Candidates = len(pts)
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	byHash := make(map[string]int, len(pts))
	for i, h := range hashes {
		byHash[h] = i
	}
	put := func(again ...results.Record) error {
		var fill []results.Record
		for _, a := range again {
			i := byHash[a.Hash]
			v := Verification{Point: pts[i], Stored: stored[i], Recomputed: a}
			v.Identical = identical(v.Stored, v.Recomputed)
			if !v.Identical {
				out.Differ = append(out.Differ, v)
				continue
			}
			var mAgain Metrics
			if err := strictjson.Unmarshal(a.Metrics, &mAgain); err != nil {
				return err
			}
			if mAgain.KL == nil { // not finite: nothing to store
				continue
			}
			m := metrics[i]
			m.KL = mAgain.KL
			rec := stored[i]
			var err error
			if rec.Metrics, err = json.Marshal(m); err != nil {
				return fmt.Errorf("point %s: encoding the metrics: %w", short(rec.Hash), err)
			}
			fill = append(fill, rec)
		}
		if err := r.Store.PutAll(fill); err != nil {
			return err
		}
		out.Filled += len(fill)
		return nil
	}
	for at := 0; at < len(order); {
		n, err := r.runSweep(pts, hashes, keys, order[at:], put)
		if err != nil {
			return out, err
		}
		at += n
	}
	return out, nil
}
