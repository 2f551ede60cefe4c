package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func runMerge(args []string) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	array := fs.String("array", "", "merge the shard stores of this SLURM job-array spec (e.g. 1,4,7) next to DEST; each must exist")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srcs := fs.Args()[min(1, fs.NArg()):]
	if *array != "" {
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: walkingnoise merge -array SPEC DEST.db (the shard stores are found next to DEST)")
		}
		var err error
		if srcs, err = arraySources(*array, fs.Arg(0)); err != nil {
			return err
		}
		if srcs == nil {
			fmt.Printf("array %s has one task, which wrote %s itself: nothing to merge\n", *array, fs.Arg(0))
			return nil
		}
	} else if fs.NArg() < 2 {
		return fmt.Errorf("usage: walkingnoise merge DEST.db SHARD.db [SHARD.db ...], or merge -array SPEC DEST.db")
	}
	added, err := results.Merge(fs.Arg(0), srcs...)
	if err != nil {
		return err
	}
	fmt.Printf("merged %d shard file(s) into %s: %d new points\n", len(srcs), fs.Arg(0), added)
	return nil
}

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store")
	var plans stringList
	fs.Var(&plans, "plan-name", "only this plan (repeat for several; default: all)")
	out := fs.String("o", "-", "CSV output file of the points (- for stdout)")
	dir := fs.String("out", "", "write the points as DIR/"+results.PointsFile+" and their plans' specs as DIR/"+results.PlansFile+
		" (the folder `walkingnoise import` reads, which reads alone), instead of -o")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := results.OpenExisting(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, plan := range plans {
		if n, err := st.Count(plan); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("store %s has no plan %q: `walkingnoise list -store %s` lists its plans", *storePath, plan, *storePath)
		}
	}
	if *dir != "" {
		if *out != "-" {
			return fmt.Errorf("give -o FILE or -out DIR, not both")
		}
		if err := st.ExportDir(*dir, plans...); err != nil {
			return err
		}
		n, err := st.Count("")
		if err == nil && len(plans) == 0 {
			fmt.Fprintf(os.Stderr, "exported %d points of %s, and their plans' specs, to %s\n", n, *storePath,
				filepath.Join(*dir, "{"+results.PointsFile+","+results.PlansFile+"}"))
		}
		return err
	}
	if *out == "-" {
		return st.ExportCSV(os.Stdout, plans...)
	}
	// Written to a temporary file and renamed, so a failed export never leaves a partial file behind.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".export-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := st.ExportCSV(tmp, plans...); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	n, err := st.Count("")
	if err == nil && len(plans) == 0 {
		fmt.Fprintf(os.Stderr, "exported %d points of %s to %s (points only: -out DIR also writes the plans' specs)\n", n, *storePath, *out)
	}
	return err
}

func runImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store to import into (created when missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: walkingnoise import [-store S] DIR|FILE.csv (DIR: the folder `walkingnoise export -out DIR` wrote: DIR/%s and DIR/%s; FILE.csv: points only)", results.PointsFile, results.PlansFile)
	}
	path := fs.Arg(0)
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	st, err := results.Open(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	var points, plans int
	if info.IsDir() {
		if points, plans, err = st.ImportDir(path); err != nil {
			return err
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if points, err = st.ImportCSV(f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	n, err := st.Count("")
	if err != nil {
		return err
	}
	fmt.Printf("imported %s into %s: %d new points, %d in the store; %d new plan specs\n", path, *storePath, points, n, plans)
	return nil
}

func runList(args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := results.OpenExisting(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	recs, err := st.List("")
	if err != nil {
		return err
	}
	type planStats struct {
		points, collapsed int
		seconds           float64   // sum of the points' durations
		first, last       time.Time // when the first and last point finished
		dynamics          bool      // its points are study.Dynamics's tracked trainings, not walk points
	}
	stats := map[string]*planStats{}
	var order []string
	for _, r := range recs {
		s, ok := stats[r.Plan]
		if !ok {
			var cfg struct {
				Kind string `json:"kind"`
			}
			_ = json.Unmarshal(r.Config, &cfg)
			s = &planStats{first: r.CreatedAt, last: r.CreatedAt, dynamics: cfg.Kind == "dynamics"}
			stats[r.Plan] = s
			order = append(order, r.Plan)
		}
		s.points++
		if r.Status == results.StatusCollapsed {
			s.collapsed++
		}
		if !math.IsNaN(r.DurationSec) && !math.IsInf(r.DurationSec, 0) {
			s.seconds += r.DurationSec
		}
		if r.CreatedAt.Before(s.first) {
			s.first = r.CreatedAt
		}
		if r.CreatedAt.After(s.last) {
			s.last = r.CreatedAt
		}
	}
	if len(order) == 0 {
		fmt.Printf("store %s holds no points\n", *storePath)
	}
	specs, err := st.Plans("")
	if err != nil {
		return err
	}
	byName := map[string][]results.PlanRecord{}
	for _, p := range specs {
		byName[p.Name] = append(byName[p.Name], p)
	}
	// Compute: the sum of the points' run times (two trainings at a time overlap, so it can exceed the wall
	// time); finished: when the first and the last point were stored (UTC); spec: the kind of the plan's stored
	// spec (what `midpoints -plan-name` reads).
	for _, p := range order {
		s := stats[p]
		spec := specText(byName[p])
		if s.dynamics {
			spec = "tracked trainings (study.Dynamics)"
		}
		fmt.Printf("%-60s %6d points (%d collapsed), compute %s, finished %s … %s, %s\n", p, s.points, s.collapsed,
			time.Duration(s.seconds*float64(time.Second)).Round(time.Second), s.first.Format(time.DateTime),
			s.last.Format(time.DateTime), spec)
	}
	for _, p := range specs { // plans recorded before any of their points was stored
		if stats[p.Name] == nil && p.SpecHash == byName[p.Name][0].SpecHash {
			fmt.Printf("%-60s %6d points, %s\n", p.Name, 0, specText(byName[p.Name]))
		}
	}
	return nil
}

// specText describes a plan's stored specs (the one run last first) for list.
func specText(recs []results.PlanRecord) string {
	if len(recs) == 0 {
		return "no stored spec (run the plan again to record it)"
	}
	var spec struct {
		Kind string `json:"kind"`
	}
	_ = json.Unmarshal(recs[0].Spec, &spec)
	text := "spec: " + spec.Kind
	if recs[0].Version != walk.ResultsVersion {
		text += fmt.Sprintf(" (results version %d)", recs[0].Version)
	}
	if len(recs) > 1 {
		text += fmt.Sprintf(", %d specs (-plan-name reads the one run last)", len(recs))
	}
	return text
}

// planRecords returns the records of the named plans in st (all records when plans is empty); a plan without
// points is an error naming the command that lists the store's plans.
func planRecords(st *results.Store, storePath string, plans []string) ([]results.Record, error) {
	if len(plans) == 0 {
		return st.List("")
	}
	var recs []results.Record
	for _, p := range plans {
		rs, err := st.List(p)
		if err != nil {
			return nil, err
		}
		if len(rs) == 0 {
			return nil, fmt.Errorf("store %s has no points of plan %q: `walkingnoise list -store %s` lists its plans", storePath, p, storePath)
		}
		recs = append(recs, rs...)
	}
	return recs, nil
}
