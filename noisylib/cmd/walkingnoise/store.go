package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
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

// pointsFile is the file `export -out DIR` writes and `import DIR` reads.
const pointsFile = "points.csv"

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store")
	var plans stringList
	fs.Var(&plans, "plan-name", "only this plan (repeat for several; default: all)")
	out := fs.String("o", "-", "CSV output file (- for stdout)")
	dir := fs.String("out", "", "write the CSV as DIR/"+pointsFile+" (the folder `walkingnoise import` reads), instead of -o")
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
	path := *out
	if *dir != "" {
		if path != "-" {
			return fmt.Errorf("give -o FILE or -out DIR, not both")
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return err
		}
		path = filepath.Join(*dir, pointsFile)
	}
	if path == "-" {
		return st.ExportCSV(os.Stdout, plans...)
	}
	// Written to a temporary file and renamed, so a failed export never leaves a partial file behind.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.csv")
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	n, err := st.Count("")
	if err == nil && len(plans) == 0 {
		fmt.Fprintf(os.Stderr, "exported %d points of %s to %s\n", n, *storePath, path)
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
		return fmt.Errorf("usage: walkingnoise import [-store S] DIR|FILE.csv (DIR: the folder `walkingnoise export -out DIR` wrote, read as DIR/%s)", pointsFile)
	}
	path := fs.Arg(0)
	if info, err := os.Stat(path); err != nil {
		return err
	} else if info.IsDir() {
		path = filepath.Join(path, pointsFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := results.Open(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	added, err := st.ImportCSV(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	n, err := st.Count("")
	if err != nil {
		return err
	}
	fmt.Printf("imported %s into %s: %d new points, %d in the store\n", path, *storePath, added, n)
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
	}
	stats := map[string]*planStats{}
	var order []string
	for _, r := range recs {
		s, ok := stats[r.Plan]
		if !ok {
			s = &planStats{first: r.CreatedAt, last: r.CreatedAt}
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
	// Compute: the sum of the points' run times (two trainings at a time overlap, so it can exceed the wall
	// time); finished: when the first and the last point were stored (UTC).
	for _, p := range order {
		s := stats[p]
		fmt.Printf("%-60s %6d points (%d collapsed), compute %s, finished %s … %s\n", p, s.points, s.collapsed,
			time.Duration(s.seconds*float64(time.Second)).Round(time.Second), s.first.Format(time.DateTime), s.last.Format(time.DateTime))
	}
	return nil
}
