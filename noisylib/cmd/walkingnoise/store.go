package main

import (
	"flag"
	"fmt"
	"os"

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

func runExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store")
	plan := fs.String("plan-name", "", "only this plan (default: all)")
	out := fs.String("o", "-", "CSV output file (- for stdout)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := results.OpenExisting(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	if *plan != "" {
		if n, err := st.Count(*plan); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("store %s has no plan %q: `walkingnoise list -store %s` lists its plans", *storePath, *plan, *storePath)
		}
	}
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return st.ExportCSV(w, *plan)
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
	counts := map[string][2]int{}
	var order []string
	for _, r := range recs {
		c, ok := counts[r.Plan]
		if !ok {
			order = append(order, r.Plan)
		}
		c[0]++
		if r.Status == results.StatusCollapsed {
			c[1]++
		}
		counts[r.Plan] = c
	}
	if len(order) == 0 {
		fmt.Printf("store %s holds no points\n", *storePath)
	}
	for _, p := range order {
		fmt.Printf("%-60s %6d points (%d collapsed)\n", p, counts[p][0], counts[p][1])
	}
	return nil
}
