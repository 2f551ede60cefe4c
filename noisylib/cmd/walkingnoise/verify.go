package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func runVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store whose points are checked (read only)")
	n := fs.Int("n", 3, "number of points recomputed, chosen at random among the finished ones")
	seed := fs.Uint64("seed", 0, "seed of the random choice (0: from the clock; the seed used is printed)")
	var plans stringList
	fs.Var(&plans, "plan-name", "choose only among the points of this plan (repeat for several; default: all)")
	tol := fs.Float64("tol", 0, "accuracy tolerance in percentage points; 0: status, accuracy and loss must be bit-identical (same backend and CPU as the store's)")
	within := fs.Float64("within", 0, "for a store computed on another CPU: a point agrees when its recomputed accuracy lies in this level's prediction interval (e.g. 0.99) of one more repetition, from its stored repetitions; only points with ≥ 3 stored repetitions are chosen (0: off)")
	maxSeconds := fs.Float64("max-seconds", 0, "choose only points whose recomputation took at most this long when they were stored, clean model included (0: any)")
	cache := fs.String("cache", "", "folder for the clean models trained again (default: a temporary folder, removed afterwards: clean models are recomputed, never read from a cache)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("-n %d: want at least one point", *n)
	}
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano())
	}
	st, err := results.OpenExisting(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	recs, err := planRecords(st, *storePath, plans)
	if err != nil {
		return err
	}
	if *within != 0 && (*tol != 0 || !(*within > 0 && *within < 1)) {
		return fmt.Errorf("-within %g: want a level in (0, 1), and not together with -tol", *within)
	}
	var intervals map[string]analysis.Interval // by hash, with -within
	if *within > 0 {
		// A point's repetitions belong to its plan (the plan is part of the repetition key), so recs holds them.
		ivs, err := walk.RepetitionIntervals(recs, *within)
		if err != nil {
			return err
		}
		intervals = map[string]analysis.Interval{}
		var judged []results.Record
		for i, rec := range recs {
			if ivs[i].N >= 3 {
				intervals[rec.Hash] = ivs[i]
				judged = append(judged, rec)
			}
		}
		recs = judged
	}
	chosen, err := walk.Sample(st, recs, *n, *seed, *maxSeconds)
	if err != nil {
		return err
	}
	if len(chosen) == 0 && *within > 0 {
		return fmt.Errorf("no finished walk point of %s with at least 3 stored repetitions fits -max-seconds %g: -within has nothing to judge", *storePath, *maxSeconds)
	}
	if len(chosen) == 0 {
		return fmt.Errorf("no finished walk point of this library's version in %s fits -max-seconds %g (tracked trainings of study.Dynamics are not recomputed by verify)", *storePath, *maxSeconds)
	}
	dir := *cache
	if dir == "" {
		if dir, err = os.MkdirTemp("", "walkingnoise-verify"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	b, err := backend.Shared()
	if err != nil {
		return err
	}
	tb, err := backend.SharedTraining()
	if err != nil {
		return err
	}
	rule := tolText(*tol)
	if *within > 0 {
		rule = fmt.Sprintf("bit-identical or within the %g%% prediction interval of a repetition", 100**within)
	}
	fmt.Printf("verify: %d of %d points of %s (seed %d, %s), backend %s\n", len(chosen), len(recs), *storePath,
		*seed, rule, b.Name())
	r := &walk.Runner{Store: st, Backend: b, TrainBackend: tb, CacheDir: dir, Progress: os.Stderr}
	start := time.Now()
	bad := 0
	report := func(v walk.Verification) {
		verdict := "bit-identical"
		switch {
		case !v.Agrees:
			verdict, bad = "DIFFERS", bad+1
		case !v.Identical && *within > 0:
			iv := intervals[v.Stored.Hash]
			verdict = fmt.Sprintf("agrees: within %.4g … %.4g, the %g%% prediction interval from %d repetitions", iv.Lo, iv.Hi, 100**within, iv.N)
		case !v.Identical:
			verdict = "agrees within tolerance"
		}
		fmt.Printf("%s  %s  %s: accuracy %v stored, %v recomputed (Δ %+.4g points), loss %v vs %v, %s vs %s: %s\n",
			v.Stored.Hash[:12], v.Point.Plan, v.Point, v.Stored.Accuracy, v.Recomputed.Accuracy, v.AccDiff(),
			v.Stored.Loss, v.Recomputed.Loss, v.Stored.Status, v.Recomputed.Status, verdict)
	}
	if *within > 0 {
		ivs := make([]analysis.Interval, len(chosen))
		for i, rec := range chosen {
			ivs[i] = intervals[rec.Hash]
		}
		_, err = r.VerifyWithin(chosen, ivs, report)
	} else {
		_, err = r.Verify(chosen, *tol, report)
	}
	if err != nil {
		return err
	}
	fmt.Printf("verify: %d of %d points agree (%s) in %.0f s\n", len(chosen)-bad, len(chosen), rule, time.Since(start).Seconds())
	if bad > 0 {
		return fmt.Errorf("%d of %d recomputed points differ from the store (seed %d)", bad, len(chosen), *seed)
	}
	return nil
}

func tolText(tol float64) string {
	if tol == 0 {
		return "bit-identical"
	}
	return fmt.Sprintf("±%g accuracy points", tol)
}
