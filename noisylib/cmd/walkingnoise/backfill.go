package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func runBackfill(args []string) error {
	fs := flag.NewFlagSet("backfill", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store whose inference points get the KL sensitivity they lack")
	var plans stringList
	fs.Var(&plans, "plan-name", "only the points of this plan (repeat for several; default: all)")
	cache := fs.String("cache", "out/cache", "clean-model cache (a clean model it lacks is trained again from its seed)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := results.OpenExisting(*storePath) // an existing store (never created here) …
	if err != nil {
		return err
	}
	st.Close()
	if st, err = results.Open(*storePath); err != nil { // … opened for writing
		return err
	}
	defer st.Close()
	recs, err := planRecords(st, *storePath, plans)
	if err != nil {
		return err
	}
	b, err := backend.New()
	if err != nil {
		return err
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: *cache, Progress: os.Stderr}
	start := time.Now()
	got, err := r.BackfillKL(recs)
	if err != nil {
		return err
	}
	for _, v := range got.Differ {
		fmt.Printf("%s  %s  %s: accuracy %v stored, %v recomputed, loss %v vs %v, %s vs %s: DIFFERS, no KL stored\n",
			v.Stored.Hash[:12], v.Point.Plan, v.Point, v.Stored.Accuracy, v.Recomputed.Accuracy, v.Stored.Loss,
			v.Recomputed.Loss, v.Stored.Status, v.Recomputed.Status)
	}
	fmt.Printf("backfill: %d of %d points of %s lacked KL; %d recomputed bit-identically and got it, %d differ (backend %s, %.0f s)\n",
		got.Candidates, len(recs), *storePath, got.Filled, len(got.Differ), b.Name(), time.Since(start).Seconds())
	if len(got.Differ) > 0 {
		return fmt.Errorf("%d of %d recomputed points differ from the store: their KL was not stored", len(got.Differ), got.Candidates)
	}
	return nil
}
