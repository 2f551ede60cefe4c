package main

import (
	"cmp"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// runReport prints a sensitivity report of a layer-wise plan in the store: its sites ranked by midpoint with
// their repetition CIs and whether the repetitions separate each site from the next, the top-K sites, and
// optionally the repetition map of a multi-execution policy and the midpoints file a multiexec walk reads.
func runReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	storePath := fs.String("store", "out/results.db", "results store holding the plan (read only)")
	planName := fs.String("plan-name", "", "the layer-wise plan to report on, by its name in the store (`walkingnoise list` shows them); required")
	modeName := fs.String("mode", "inference", "whose midpoints are ranked: inference or training")
	top := fs.Int("top", 3, "how many of the most sensitive sites to name as the top sites (0: none)")
	policy := fs.String("policy", "inverse_lin", "multi-execution policy of the repetition map (-budget): global, inverse_sqrt, inverse_lin or inverse_square")
	budget := fs.Int("budget", 0, "multi-execution budget B (mean executions per site): print -policy's repetition per site for it (0: no map)")
	klSigma := fs.Float64("kl-sigma", 0, "also rank the sites by their KL sensitivity at this σ of the plan's grid (inference points' mean KL divergence from the clean outputs, nats; 0: not shown)")
	out := fs.String("midpoints-out", "", "write the sites' midpoints, in site order, to this file as the comma-separated list `walk -kind multiexec -site-midpoints \"$(cat FILE)\"` reads")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *planName == "" {
		return fmt.Errorf("-plan-name is required: the name of a layer-wise plan in %s (`walkingnoise list -store %s`)", *storePath, *storePath)
	}
	mode, err := walk.ParseMode(*modeName)
	if err != nil || mode == walk.Clean {
		return fmt.Errorf("-mode %q: use inference or training", *modeName)
	}
	if *top < 0 || *budget < 0 {
		return fmt.Errorf("-top %d, -budget %d: want ≥ 0", *top, *budget)
	}
	st, err := results.OpenExisting(*storePath)
	if err != nil {
		return err
	}
	defer st.Close()
	plans, err := walk.LoadPlans(st, *planName)
	if err != nil {
		return err
	}
	plan := plans[0]
	if plan.Spec.Kind != walk.LayerWise {
		return fmt.Errorf("plan %s is a %s plan: a sensitivity report ranks the sites of a layerwise walk", plan.Name, plan.Spec.Kind)
	}
	if (*budget > 0 || *out != "") && (plan.Spec.Unit != noise.Absolute || plan.Spec.Weights) {
		return fmt.Errorf("-budget and -midpoints-out allocate executions to activation sites by absolute-σ midpoints: plan %s walks %s; use a plan in absolute σ on activation sites",
			plan.Name, walkedWhat(plan.Spec))
	}
	curves, err := complete(st, plan, walk.Curves)
	if err != nil {
		return err
	}
	ranked := walk.Rank(curves, mode)
	if len(ranked) == 0 {
		return fmt.Errorf("plan %s has no complete %s curve in %s (its modes: %v)", plan.Name, mode, st.Path(), plan.Spec.Modes)
	}
	m, err := plan.Spec.NewModel()
	if err != nil {
		return err
	}
	klAt, klRank, err := klColumn(st, plan, mode, *klSigma)
	if err != nil {
		return err
	}
	fmt.Printf("plan %s, %s noise, %s: %d of %d sites ranked from the most sensitive (smallest midpoint σ; a_max = clean %.2f%%, a_min = chance %.2f%%)\n",
		plan.Name, plan.Spec.Noise, mode, len(ranked), m.NumSites(), ranked[0].AMax, ranked[0].AMin)
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	klHead := ""
	if *klSigma > 0 {
		klHead = fmt.Sprintf("KL at σ=%g (nats)\tKL rank\t", *klSigma)
	}
	fmt.Fprintln(w, "rank\tsite\tmidpoint σ\trepetitions: mean (95% CI)\tnext site tolerates (paired, 95% CI)\t"+klHead)
	for _, r := range ranked {
		klCells := ""
		if *klSigma > 0 {
			klCells = "–\t–\t"
			if v, ok := klAt[r.Site]; ok {
				klCells = fmt.Sprintf("%.4g\t%d\t", v, klRank[r.Site])
			}
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Rank, r.Name, r.Mid, r.CI, nextText(r), klCells)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if k := min(*top, len(ranked)); k > 0 {
		names := make([]string, k)
		for i := range names {
			names[i] = ranked[i].Name
		}
		fmt.Printf("top %d most sensitive sites: %s\n", k, strings.Join(names, ", "))
	}
	mids, assumption := walk.AllocationMidpoints(curves, mode)
	if assumption != "" && (*budget > 0 || *out != "") {
		fmt.Println("ASSUMPTION:", assumption)
	}
	if *budget > 0 {
		if err := printRepetitionMap(*policy, *budget, mids, ranked, m.NumSites()); err != nil {
			return err
		}
	}
	if *out != "" {
		if len(mids) != m.NumSites() {
			return fmt.Errorf("-midpoints-out: plan %s has %d of %d site midpoints (%s): a multiexec plan needs one per site", plan.Name, len(mids), m.NumSites(), mode)
		}
		vals := make([]string, len(mids))
		for i, v := range mids {
			vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if err := os.WriteFile(*out, []byte(strings.Join(vals, ",")+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote the %d site midpoints to %s (walkingnoise walk -kind multiexec -site-midpoints \"$(cat %s)\" …)\n", len(mids), *out, *out)
	}
	return nil
}

// klColumn returns each site's mean KL sensitivity at σ (walk.KLCurves) and its rank (1: the largest KL, the
// most sensitive), or nothing when σ is 0.
func klColumn(st *results.Store, plan *walk.Plan, mode walk.Mode, sigma float64) (map[int]float64, map[int]int, error) {
	if sigma == 0 {
		return nil, nil, nil
	}
	if sigma < 0 || mode != walk.Inference {
		return nil, nil, fmt.Errorf("-kl-sigma %g: KL is measured by inference sweeps at a σ > 0 of the grid: use -mode inference", sigma)
	}
	curves, err := walk.KLCurves(st, plan)
	if err != nil {
		return nil, nil, err
	}
	at := map[int]float64{}
	var sites []int
	for _, c := range curves {
		reps, ok := c.At(sigma)
		if !ok {
			return nil, nil, fmt.Errorf("-kl-sigma %g is not on plan %s's σ grid %v", sigma, plan.Name, c.Sigmas)
		}
		if m := c.Mean()[slices.Index(c.Sigmas, sigma)]; !math.IsNaN(m) && len(reps) > 0 {
			at[c.Site] = m
			sites = append(sites, c.Site)
		}
	}
	if len(at) == 0 {
		fmt.Printf("plan %s: no KL stored at σ = %g (points stored before KL was measured, or run alone): the KL column stays empty\n", plan.Name, sigma)
	}
	slices.SortStableFunc(sites, func(a, b int) int { return cmp.Compare(at[b], at[a]) })
	rank := map[int]int{}
	for i, s := range sites {
		rank[s] = i + 1
	}
	return at, rank, nil
}

// walkedWhat names what a plan walks, for errors: its unit and whether it walks weight layers.
func walkedWhat(spec walk.PlanSpec) string {
	what := "activation sites"
	if spec.Weights {
		what = "weight layers"
	}
	unit := "absolute σ"
	if spec.Unit != noise.Absolute {
		unit = "σ in unit " + string(spec.Unit)
	}
	return what + " in " + unit
}

// nextText describes how a ranked site compares with the next one: the factor of noise the next site
// tolerates, with its interval and the verdict of the repetitions.
func nextText(r walk.RankedSite) string {
	if r.Next.Reason == "last site" {
		return "–"
	}
	if r.Next.Reason != "" || math.IsNaN(r.Next.Diff.Mean) {
		return r.Next.Verdict("", "")
	}
	d := r.Next.Diff
	text := fmt.Sprintf("×%.3g", math.Pow(10, d.Mean))
	if d.N >= 2 && !math.IsNaN(d.Lo) {
		text += fmt.Sprintf(" (×%.3g … ×%.3g)", math.Pow(10, d.Lo), math.Pow(10, d.Hi))
	}
	return text + ": " + r.Next.Verdict("separated", "separated (reversed)")
}

// printRepetitionMap prints the executions per site of a multi-execution policy at budget B (walk.Repetitions),
// in rank order.
func printRepetitionMap(policy string, budget int, mids []float64, ranked []walk.RankedSite, numSites int) error {
	reps, err := walk.Repetitions(policy, budget, mids, numSites)
	if err != nil {
		return fmt.Errorf("-policy %s -budget %d: %w", policy, budget, err)
	}
	fmt.Printf("repetition map, policy %s, budget B = %d (%d executions over %d sites), most sensitive first:\n", policy, budget, budget*numSites, numSites)
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "site\texecutions\t")
	for _, r := range ranked {
		fmt.Fprintf(w, "%s\t%d\t\n", r.Name, reps[r.Site])
	}
	return w.Flush()
}
