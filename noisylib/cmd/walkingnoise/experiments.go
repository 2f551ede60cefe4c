package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/catalogue"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// runExperiments lists the paper's experiments with their sizes and estimated CPU times.
func runExperiments(args []string) error {
	fs := flag.NewFlagSet("experiments", flag.ContinueOnError)
	preset := fs.String("preset", "paper", "preset whose sizes are listed: paper, standard or quick")
	match := fs.String("match", "", "list only experiments whose name contains this text")
	verbose := fs.Bool("v", false, "also say what each experiment is")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (use -match to filter)", fs.Args())
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "experiment\tpoints\ttrainings\test. CPU h\t\n")
	var points, trainings, n int
	var total time.Duration
	for _, e := range catalogue.All() {
		if !strings.Contains(e.Name, *match) {
			continue
		}
		p, err := e.Sketch(*preset)
		if err != nil {
			return err
		}
		tr := 0
		for _, pt := range p.Points {
			if pt.Mode != walk.Inference {
				tr++
			}
		}
		est := catalogue.Estimate(p)
		fmt.Fprintf(w, "%s\t%d\t%d\t%.1f\t", e.Name, len(p.Points), tr, est.Hours())
		if *verbose {
			fmt.Fprintf(w, " %s", e.About)
		}
		fmt.Fprintln(w)
		points, trainings, total, n = points+len(p.Points), trainings+tr, total+est, n+1
	}
	fmt.Fprintf(w, "%d experiments\t%d\t%d\t%.0f\t\n", n, points, trainings, total.Hours())
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Println("Estimated CPU hours on the project machine (2 cores), from measured throughputs scaled by multiply-" +
		"accumulates: an order of magnitude. Run one with `walkingnoise walk -experiment NAME [-shard i/n]`.")
	return nil
}

// experimentSpec returns the named experiment's plan specification for the preset; a multi-execution experiment
// takes its σ and site midpoints from the results of the experiments it depends on, in the -store file.
func (pf *planFlags) experimentSpec(fs *flag.FlagSet) (walk.PlanSpec, error) {
	e, err := catalogue.Lookup(pf.experiment)
	if err != nil {
		return walk.PlanSpec{}, err
	}
	if e.Spec.Kind == walk.MultiExec {
		f := fs.Lookup("store")
		if f == nil {
			return walk.PlanSpec{}, fmt.Errorf("experiment %s needs a results store with its dependencies", e.Name)
		}
		st, err := results.Open(f.Value.String())
		if err != nil {
			return walk.PlanSpec{}, err
		}
		defer st.Close()
		if e, err = e.Resolve(st, pf.preset); err != nil {
			return walk.PlanSpec{}, err
		}
	}
	return e.PlanSpec(pf.preset), nil
}
