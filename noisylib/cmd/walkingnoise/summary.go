package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// printSummary prints what a plan's kind is about: midpoints per site (layerwise, global), accuracy per site
// (max), midpoint amplitude per order and ratio (mixed), the σ_mul × σ_add accuracy map (direct), accuracy
// versus budget per policy (multiexec), the σ_a × σ_b accuracy map per site (mismatch).
func printSummary(st *results.Store, plan *walk.Plan) error {
	if plan.TwoDimensional() && plan.Spec.Kind != walk.Mixed && plan.Spec.Kind != walk.Direct {
		// Combined noise in a global or MAX plan sweeps amplitude × ratio: there is no reader for it yet.
		fmt.Printf("plan %s: combined noise in a %s plan sweeps amplitude × ratio; no summary is printed for it yet: "+
			"its points are in the store (walkingnoise export -plan-name %s)\n", plan.Name, plan.Spec.Kind, plan.Name)
		return nil
	}
	switch plan.Spec.Kind {
	case walk.LayerWise, walk.GlobalAll, "":
		return printMidpoints(st, plan)
	case walk.MaxNoise:
		return printMax(st, plan)
	case walk.Mixed:
		return printMixed(st, plan)
	case walk.Direct:
		return printDirect(st, plan)
	case walk.MultiExec:
		return printMultiExec(st, plan)
	case walk.Mismatch:
		return printMismatch(st, plan)
	}
	return fmt.Errorf("plan %s: no summary for plan kind %q", plan.Name, plan.Spec.Kind)
}

// printMidpoints prints the midpoint of every site curve of a one-dimensional plan.
func printMidpoints(st *results.Store, plan *walk.Plan) error {
	curves, err := complete(st, plan, walk.Curves)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "plan %s (a_max = clean %.2f%%, a_min = chance %.2f%%)\n", plan.Name, curves[0].AMax, curves[0].AMin)
	fmt.Fprintln(w, "mode\tsite\tmidpoint σ\tper-rep\tflagged\t")
	flagged := 0
	for _, c := range curves {
		reps := make([]string, len(c.PerRep))
		for i, r := range c.PerRep {
			reps[i] = r.String()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t\n", c.Mode, c.Name, c.Mid, strings.Join(reps, " "), flagCount(c.Flagged))
		flagged += c.Flagged
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if flagged > 0 {
		fmt.Printf("WARNING: %d point(s) from trainings that did not learn (loss never below chance, or exploded): see the flagged column; their accuracies are as measured\n", flagged)
	}
	return nil
}

// printMax prints the accuracy of every site under MAX noise (σ = 1e10): whether the site still trains.
func printMax(st *results.Store, plan *walk.Plan) error {
	curves, err := complete(st, plan, walk.Curves)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "plan %s: accuracy with σ = %g at one site (clean %.2f%%, chance %.2f%%)\n", plan.Name,
		curves[0].Curve.Sigmas[len(curves[0].Curve.Sigmas)-1], curves[0].AMax, curves[0].AMin)
	fmt.Fprintln(w, "mode\tsite\taccuracy %\tper-rep\tflagged\t")
	for _, c := range curves {
		k := len(c.Curve.Sigmas) - 1
		reps := make([]string, len(c.Curve.Acc[k]))
		for i, a := range c.Curve.Acc[k] {
			reps[i] = fmt.Sprintf("%.2f", a)
		}
		fmt.Fprintf(w, "%s\t%s\t%.2f\t%s\t%s\t\n", c.Mode, c.Name, c.Curve.Mean()[k], strings.Join(reps, " "), flagCount(c.Flagged))
	}
	return w.Flush()
}

// printMixed prints the midpoint amplitude of every mode, order and additive share of a mixed plan.
func printMixed(st *results.Store, plan *walk.Plan) error {
	curves, err := complete(st, plan, walk.MixedCurves)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "plan %s: midpoint amplitude A (σ_add = A·r, σ_mul = A·(1−r))\n", plan.Name)
	fmt.Fprintln(w, "mode\tsite\torder\tratio r\tmidpoint A\t")
	for _, c := range curves {
		fmt.Fprintf(w, "%s\t%s\t%s\t%g\t%s\t\n", c.Mode, c.Name, c.Order(), c.Ratio, c.Mid)
	}
	return w.Flush()
}

// printDirect prints the σ_mul × σ_add accuracy map of every mode and order of a direct plan.
func printDirect(st *results.Store, plan *walk.Plan) error {
	maps, err := complete(st, plan, walk.DirectMaps)
	if err != nil {
		return err
	}
	for _, d := range maps {
		fmt.Printf("plan %s, %s, site %s, %s: accuracy (%%) by σ_mul (rows) × σ_add (columns) (clean %.2f%%, chance %.2f%%)\n",
			plan.Name, d.Mode, d.Name, d.Order(), d.AMax, d.AMin)
		if err := printMap("σ_mul \\ σ_add", d.SigmaMul, d.SigmaAdd, d.Acc); err != nil {
			return err
		}
	}
	return nil
}

// printMismatch prints the σ_a × σ_b accuracy map of every site of a mismatch plan.
func printMismatch(st *results.Store, plan *walk.Plan) error {
	maps, err := complete(st, plan, walk.MismatchMaps)
	if err != nil {
		return err
	}
	for _, m := range maps {
		fmt.Printf("plan %s, site %s: accuracy (%%) trained at σ_a (rows), evaluated at σ_b (columns), mean of %d repetition(s) (clean %.2f%%, chance %.2f%%)\n",
			plan.Name, m.Name, len(m.Reps), m.AMax, m.AMin)
		if err := printMap("σ_a \\ σ_b", m.TrainSigmas, m.EvalSigmas, m.Acc); err != nil {
			return err
		}
	}
	return nil
}

// printMap prints an accuracy map acc[i][j] (%) with rows labelled by rows[i] and columns by cols[j] ("-" where
// a value is missing) under a corner label.
func printMap(corner string, rows, cols []float64, acc [][]float64) error {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, corner+"\t")
	for _, c := range cols {
		fmt.Fprintf(w, "%g\t", c)
	}
	fmt.Fprintln(w)
	for i, r := range rows {
		fmt.Fprintf(w, "%g\t", r)
		for _, a := range acc[i] {
			if math.IsNaN(a) {
				fmt.Fprint(w, "-\t")
			} else {
				fmt.Fprintf(w, "%.1f\t", a)
			}
		}
		fmt.Fprintln(w)
	}
	return w.Flush()
}

// printMultiExec prints the accuracy of every policy at every budget of a multi-execution plan.
func printMultiExec(st *results.Store, plan *walk.Plan) error {
	res, err := complete(st, plan, walk.ExecResults)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "plan %s: global additive σ = %g, accuracy vs budget B (executions per site on average)\n", plan.Name, plan.Spec.Sigmas[0])
	fmt.Fprintln(w, "policy\tbudget B\taccuracy %\tstd %\trepetitions\t")
	for _, r := range res {
		fmt.Fprintf(w, "%s\t%d\t%.2f\t%.2f\t%d\t\n", r.Policy, r.Budget, r.Mean, r.Std, r.N)
	}
	return w.Flush()
}

// flagCount prints a number of flagged points, or "-" for none.
func flagCount(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// complete reads a plan with one of walk's readers and refuses an empty result with noCurves' explanation, so
// that no summary prints a header without rows.
func complete[T any](st *results.Store, plan *walk.Plan, reader func(*results.Store, *walk.Plan) ([]T, error)) ([]T, error) {
	v, err := reader(st, plan)
	if err == nil && len(v) == 0 {
		err = noCurves(st, plan)
	}
	return v, err
}

// noCurves explains why a plan has no complete curve to summarise.
func noCurves(st *results.Store, plan *walk.Plan) error {
	obs, err := walk.Observations(st, plan)
	if err != nil {
		return err
	}
	return fmt.Errorf("plan %s: no complete curve to summarise: %d of its %d points are in store %s; run `walkingnoise walk` with the same flags to compute the rest",
		plan.Name, len(obs), len(plan.Points), st.Path())
}
