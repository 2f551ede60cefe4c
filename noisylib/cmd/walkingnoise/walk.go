package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// planFlags describe a plan on the command line.
type planFlags struct {
	preset, planFile, experiment, kind, model, data, modes, noiseType, sites, sigmas, ratios, name, draws, spacing string
	budgets, policies, siteMids, midsFrom, unit, evalSigmas, schedule                                              string
	scheduleEpochs                                                                                                 int
	alpha, theta                                                                                                   float64
	store                                                                                                          *string
	epochs, trainN, testN, reps                                                                                    int
	seed                                                                                                           uint64
	clamp, bothOrders, addFirst, logGrid, weights, static                                                          bool
}

func (pf *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&pf.preset, "preset", "quick", "plan preset: quick (minutes on a laptop), standard (the paper's protocol reduced to hours on 2 cores) or paper (published grids)")
	fs.StringVar(&pf.planFile, "plan", "", "JSON plan file (a walk.PlanSpec); flags given explicitly override it")
	fs.StringVar(&pf.experiment, "experiment", "", "an experiment of the paper by name (see `walkingnoise experiments`); flags given explicitly override it")
	fs.StringVar(&pf.kind, "kind", "layerwise", "plan kind: layerwise, global, max, mixed, direct, multiexec, mismatch (train at σ_a = -sigmas, evaluate at σ_b = -eval-sigmas, at -sites; -1: every site)")
	fs.StringVar(&pf.model, "model", "mlp-tfc-bn", "model variant")
	fs.StringVar(&pf.data, "data", "mnist", "data set")
	fs.StringVar(&pf.modes, "mode", "inference", "comma-separated modes: inference, training")
	fs.StringVar(&pf.noiseType, "noise", "add", "noise type walked: add or mul")
	fs.StringVar(&pf.sites, "sites", "all", "comma-separated site indices (weight-layer indices with -weights), or all")
	fs.StringVar(&pf.sigmas, "sigmas", "", "comma-separated σ grid, in -unit (default: the preset's, absolute)")
	fs.StringVar(&pf.unit, "unit", "abs", "unit of the σ grid of add/mul noise: abs (σ), rms (σ/RMS(x)), max (σ/max|x|) of the clean signal at each site, or db (SNR 10·log10(E[x²]/E[n²])); converted per site from the clean model")
	fs.BoolVar(&pf.weights, "weights", false, "put the noise on the weights of the Linear/Conv layers (weight layers, see `walkingnoise sites`) instead of on activations")
	fs.BoolVar(&pf.static, "static", false, "with -weights: one weight-noise draw per model and noise seed (a device), not one per batch")
	fs.StringVar(&pf.ratios, "ratios", "", "comma-separated additive shares (mixed) or σ_add values (direct)")
	fs.StringVar(&pf.name, "name", "", "plan name in the store (default: derived)")
	fs.StringVar(&pf.budgets, "budgets", "", "multiexec: comma-separated budgets B (default: the preset's)")
	fs.StringVar(&pf.policies, "policies", "", "multiexec: comma-separated policies: global, inverse_sqrt, inverse_lin, inverse_square (default: the preset's)")
	fs.StringVar(&pf.siteMids, "site-midpoints", "", "multiexec: comma-separated per-site midpoints s_i for the tailored policies")
	fs.StringVar(&pf.midsFrom, "midpoints-from", "", "multiexec: a layer-wise walk in the same store whose inference midpoints are the s_i: its JSON plan file, or its name in the store")
	pf.store = fs.String("store", "out/results.db", "results store (SQLite file)")
	fs.StringVar(&pf.spacing, "spacing", "", "midpoint interpolation along σ: log or linear (default: the grid kind's: linear for direct plans and the paper's multiplicative grids, log otherwise)")
	fs.IntVar(&pf.epochs, "epochs", 0, "training epochs (default: the preset's)")
	fs.IntVar(&pf.trainN, "train-n", 0, "training examples (default: the preset's; -1: all)")
	fs.IntVar(&pf.testN, "test-n", 0, "test examples (default: the preset's; -1: all)")
	fs.IntVar(&pf.reps, "reps", 0, "repetitions (default: the preset's)")
	fs.Uint64Var(&pf.seed, "seed", 1, "base seed; repetition r uses seed+r")
	fs.BoolVar(&pf.clamp, "clamp", false, "clamp weights to [-1,1] during training")
	fs.BoolVar(&pf.bothOrders, "both-orders", false, "mixed/direct: run mul-then-add and add-then-mul")
	fs.BoolVar(&pf.addFirst, "add-first", false, "mixed/direct: add-then-mul order")
	fs.BoolVar(&pf.logGrid, "log-grid", false, "multiplicative noise on the log grid 1…1e10 (MNIST 1…1e16) of the presets")
	fs.StringVar(&pf.draws, "draws", "", "noise draws of inference points: common or independent (default: the preset's)")
	fs.StringVar(&pf.evalSigmas, "eval-sigmas", "", "mismatch: comma-separated evaluation σ grid σ_b (default: the training grid -sigmas)")
	fs.StringVar(&pf.schedule, "schedule", "", "training-noise schedule of the training points: constant (default), ramp (σ_train·min(1, e/K) in epoch e), overshoot (up to 1.5·σ_train at epoch K, back to σ_train at 2K) or per-example (σ_i = α·σ_train + θ·|N(0,1)|)")
	fs.IntVar(&pf.scheduleEpochs, "schedule-epochs", 0, "ramp/overshoot: K, the epochs of the ramp (of each half of the overshoot)")
	fs.Float64Var(&pf.alpha, "alpha", 0, "per-example schedule: α, the share of σ_train every example gets")
	fs.Float64Var(&pf.theta, "theta", 0, "per-example schedule: θ, the scale (in σ units) of the |N(0,1)| spread per example")
}

// scheduleOf returns the schedule the -schedule, -schedule-epochs, -alpha and -theta flags describe, over the
// plan's own s (s when none of them is set); Build validates it against the plan (a flag the schedule does not
// read is an error there).
func (pf *planFlags) scheduleOf(set map[string]bool, s *train.Schedule) (*train.Schedule, error) {
	if !set["schedule"] && !set["schedule-epochs"] && !set["alpha"] && !set["theta"] {
		return s, nil
	}
	out := train.Schedule{}
	if s != nil {
		out = *s
	}
	if set["schedule"] {
		k, err := train.ParseScheduleKind(pf.schedule)
		if err != nil {
			return nil, fmt.Errorf("-schedule: %w", err)
		}
		out.Kind = k
	}
	if set["schedule-epochs"] {
		out.Epochs = pf.scheduleEpochs
	}
	if set["alpha"] {
		out.Alpha = pf.alpha
	}
	if set["theta"] {
		out.Theta = pf.theta
	}
	return &out, nil
}

func parseFloats(s string) ([]float64, error) {
	if s == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q in list %q", f, s)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseInts parses a comma-separated list of integers (what names one of them in errors).
func parseInts(s, what string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad %s %q in list %q: use comma-separated integers", what, f, s)
		}
		out = append(out, v)
	}
	return out, nil
}

// midpointsFrom returns the per-site inference midpoints of the layer-wise walk that `walkingnoise walk
// -plan file -preset preset` runs, or of the plan stored under the name file when no such file exists, read from
// the store; censored midpoints are taken at their bound, and that
// assumption is printed.
func midpointsFrom(file, preset, storePath string) ([]float64, error) {
	st, err := results.OpenExisting(storePath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	fs := flag.NewFlagSet("midpoints-from", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	if err := fs.Parse([]string{"-plan", file, "-preset", preset, "-store", storePath}); err != nil {
		return nil, err
	}
	name := ""
	if _, err := os.Stat(file); err != nil {
		name = file // not a file: a plan stored under that name
	}
	plan, err := pf.plan(fs, st, name)
	if err != nil && name != "" {
		return nil, fmt.Errorf("-midpoints-from %s: no such plan file, nor a stored plan: %w", file, err)
	}
	if err != nil {
		return nil, fmt.Errorf("-midpoints-from %s: %w", file, err)
	}
	if plan.Spec.Kind != walk.LayerWise {
		return nil, fmt.Errorf("-midpoints-from %s: a %s plan; the site midpoints come from a layerwise walk", file, plan.Spec.Kind)
	}
	if plan.Spec.Unit != noise.Absolute || plan.Spec.Weights {
		return nil, fmt.Errorf("-midpoints-from %s: plan %s walks %s; the allocation needs absolute-σ midpoints of activation sites", file, plan.Name, walkedWhat(plan.Spec))
	}
	curves, err := walk.Curves(st, plan)
	if err != nil {
		return nil, err
	}
	mids, assumption := walk.AllocationMidpoints(curves, walk.Inference)
	m, err := plan.Spec.NewModel()
	if err != nil {
		return nil, err
	}
	if len(mids) != m.NumSites() {
		return nil, fmt.Errorf("-midpoints-from %s: plan %s has %d of %d site midpoints (inference) in store %s: run that walk first",
			file, plan.Name, len(mids), m.NumSites(), storePath)
	}
	if assumption != "" {
		fmt.Fprintln(os.Stderr, "ASSUMPTION:", assumption)
	}
	return mids, nil
}

func (pf *planFlags) build(fs *flag.FlagSet) (*walk.Plan, error) {
	var spec walk.PlanSpec
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if pf.planFile != "" {
		b, err := os.ReadFile(pf.planFile)
		if err != nil {
			return nil, err
		}
		if spec, err = walk.ParsePlanSpec(b); err != nil {
			return nil, fmt.Errorf("plan file %s: %w", pf.planFile, err)
		}
	}
	// An experiment is a complete spec: only flags given explicitly change it (a plan file also takes the
	// flags' defaults for the fields it leaves empty).
	exp := pf.experiment != ""
	if exp {
		if pf.planFile != "" {
			return nil, fmt.Errorf("give -experiment or -plan, not both")
		}
		var err error
		if spec, err = pf.experimentSpec(fs); err != nil {
			return nil, err
		}
	}
	str := func(flagName, v string, dst *string) {
		if set[flagName] || !exp && *dst == "" {
			*dst = v
		}
	}
	kind := string(spec.Kind)
	str("kind", pf.kind, &kind)
	spec.Kind = walk.Kind(kind)
	str("model", pf.model, &spec.Model)
	str("data", pf.data, &spec.Data)
	str("name", pf.name, &spec.Name)
	str("spacing", pf.spacing, &spec.Spacing)
	if set["noise"] || !exp && spec.Noise == noise.None {
		t, err := noise.ParseType(pf.noiseType)
		if err != nil {
			return nil, err
		}
		spec.Noise = t
	}
	if set["mode"] || !exp && len(spec.Modes) == 0 && spec.Kind != walk.Mismatch { // mismatch: training, the preset's
		spec.Modes = nil
		for _, m := range strings.Split(pf.modes, ",") {
			mode, err := walk.ParseMode(strings.TrimSpace(m))
			if err != nil {
				return nil, err
			}
			spec.Modes = append(spec.Modes, mode)
		}
	}
	if pf.sites != "all" {
		spec.Sites = nil
		for _, s := range strings.Split(pf.sites, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, fmt.Errorf("bad site index %q: use comma-separated integers or all", s)
			}
			spec.Sites = append(spec.Sites, v)
		}
	}
	var err error
	if set["sigmas"] {
		if spec.Sigmas, err = parseFloats(pf.sigmas); err != nil {
			return nil, err
		}
		if len(spec.Sigmas) == 0 {
			return nil, fmt.Errorf("empty σ grid")
		}
	}
	if set["eval-sigmas"] {
		if spec.EvalSigmas, err = parseFloats(pf.evalSigmas); err != nil {
			return nil, err
		}
		if len(spec.EvalSigmas) == 0 {
			return nil, fmt.Errorf("-eval-sigmas: empty σ grid")
		}
	}
	if spec.Schedule, err = pf.scheduleOf(set, spec.Schedule); err != nil {
		return nil, err
	}
	if set["ratios"] {
		if spec.Ratios, err = parseFloats(pf.ratios); err != nil {
			return nil, err
		}
	}
	if set["budgets"] {
		if spec.Budgets, err = parseInts(pf.budgets, "budget"); err != nil {
			return nil, err
		}
	}
	if set["policies"] {
		spec.Policies = nil
		for _, p := range strings.Split(pf.policies, ",") {
			spec.Policies = append(spec.Policies, strings.TrimSpace(p))
		}
	}
	if set["site-midpoints"] && set["midpoints-from"] {
		return nil, fmt.Errorf("give -site-midpoints or -midpoints-from, not both")
	}
	if set["site-midpoints"] {
		if spec.SiteMidpoints, err = parseFloats(pf.siteMids); err != nil {
			return nil, err
		}
	}
	if set["midpoints-from"] {
		if spec.SiteMidpoints, err = midpointsFrom(pf.midsFrom, pf.preset, *pf.store); err != nil {
			return nil, err
		}
	}
	for name, v := range map[string]int{"train-n": pf.trainN, "test-n": pf.testN} {
		if set[name] && v < walk.AllExamples {
			return nil, fmt.Errorf("-%s %d: give a number of examples, 0 for the preset's or %d for all", name, v, walk.AllExamples)
		}
	}
	ints := map[string]*int{"epochs": &spec.Epochs, "train-n": &spec.TrainN, "test-n": &spec.TestN, "reps": &spec.Reps}
	vals := map[string]int{"epochs": pf.epochs, "train-n": pf.trainN, "test-n": pf.testN, "reps": pf.reps}
	for n, p := range ints {
		if set[n] {
			*p = vals[n]
		}
	}
	if set["seed"] || pf.planFile == "" && !exp {
		spec.BaseSeed = pf.seed
	}
	spec.Clamp = spec.Clamp || pf.clamp
	spec.BothOrders = spec.BothOrders || pf.bothOrders
	spec.AddFirst = spec.AddFirst || pf.addFirst
	spec.LogGrid = spec.LogGrid || pf.logGrid
	spec.Weights = spec.Weights || pf.weights
	spec.Static = spec.Static || pf.static
	if set["unit"] {
		if spec.Unit, err = noise.ParseUnit(pf.unit); err != nil {
			return nil, fmt.Errorf("-unit: %w", err)
		}
	}
	if pf.draws != "" {
		if spec.Draws, err = walk.ParseDraws(pf.draws); err != nil {
			return nil, err
		}
	}
	plan, err := walk.Preset(pf.preset, spec)
	if err != nil {
		return nil, err
	}
	return plan, nil
}

func runWalk(args []string) error {
	fs := flag.NewFlagSet("walk", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	shardFlag := fs.String("shard", "", "run one shard i/n of the plan (0-based); default inside a SLURM job array: from SLURM_ARRAY_TASK_ID and $WALKINGNOISE_ARRAY (the --array spec) or SLURM_ARRAY_TASK_COUNT/MIN/STEP")
	cache := fs.String("cache", "out/cache", "folder for cached clean models")
	quiet := fs.Bool("quiet", false, "do not print the midpoint table")
	workers := fs.Int("workers", 0, "trainings run at the same time (default 2, or 1 on one core)")
	noStack := fs.Bool("no-stack", false, "evaluate every inference point alone instead of all σ of a site in one pass (same results, slower)")
	stackTraining := fs.Bool("stack-training", false, "train the σ of a site as one stack (same results; slower than one at a time on the current backend)")
	adaptive := fs.Bool("adaptive", false, "noisy-training midpoints by adaptive search: train only the σ that bracket each site's midpoint (layer-wise, -mode training)")
	fanout := fs.Int("fanout", walk.DefaultFanout, "with -adaptive: σ trained per site and round inside the bracket (1: bisection, the fewest trainings)")
	versusGrid := fs.Bool("versus-grid", false, "with -adaptive: then train the rest of the full grid (reusing the search's points) and compare the midpoints site by site")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *workers < 0 {
		return fmt.Errorf("-workers %d: want a number of trainings ≥ 1, or 0 for the default", *workers)
	}
	plan, err := pf.build(fs)
	if err != nil {
		return err
	}
	if *versusGrid && !*adaptive {
		return fmt.Errorf("-versus-grid compares an adaptive search with the full grid: add -adaptive")
	}
	if *adaptive && (plan.Spec.Kind != walk.LayerWise || !slices.Equal(plan.Spec.Modes, []walk.Mode{walk.Training})) {
		return fmt.Errorf("-adaptive searches noisy-training midpoints of a layer-wise plan: use -kind layerwise -mode training (got -kind %s -mode %v)", plan.Spec.Kind, plan.Spec.Modes)
	}
	shard, err := pickShard(*shardFlag)
	if err != nil {
		return err
	}
	b, err := backend.Shared()
	if err != nil {
		return err
	}
	tb, err := backend.SharedTraining()
	if err != nil {
		return err
	}
	path := *pf.store
	if shard.Count > 1 {
		path = shard.StorePath(path)
	}
	st, err := results.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(os.Stderr, "store %s, backend %s, shard %d/%d\n", path, b.Name(), shard.Index, max(1, shard.Count))
	r := &walk.Runner{Store: st, Backend: b, TrainBackend: tb, CacheDir: *cache, Shard: shard, Workers: *workers, NoStack: *noStack,
		StackTraining: *stackTraining}
	if *adaptive {
		curves, err := r.Adaptive(plan, *fanout)
		if err != nil {
			return err
		}
		if !*quiet {
			printAdaptive(plan, curves)
		}
		if !*versusGrid {
			return nil
		}
		if _, err := r.Run(plan); err != nil {
			return err
		}
		cmp, err := walk.CompareAdaptive(st, plan, curves)
		if err != nil {
			return err
		}
		printComparison(plan, cmp)
		return nil
	}
	if _, err := r.Run(plan); err != nil {
		return err
	}
	if *quiet || shard.Count > 1 {
		return nil
	}
	return printSummary(st, plan)
}

func pickShard(flagValue string) (results.Shard, error) {
	if flagValue != "" {
		return results.ParseShard(flagValue)
	}
	s, ok, err := results.ShardFromEnv()
	if err != nil || !ok {
		return results.Shard{Index: 0, Count: 1}, err
	}
	return s, nil
}

// printAdaptive prints the midpoints an adaptive search found, with the σ it trained per site.
func printAdaptive(plan *walk.Plan, curves []walk.AdaptiveCurve) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	total := 0
	for _, c := range curves {
		total += c.Trained
	}
	grid := len(plan.Spec.Sigmas) * plan.Spec.Reps
	fmt.Fprintf(w, "plan %s, adaptive search: %d noisy trainings instead of %d (%d σ × %d reps × %d sites)\n",
		plan.Name, total, grid*len(curves), len(plan.Spec.Sigmas), plan.Spec.Reps, len(curves))
	fmt.Fprintln(w, "site\tmidpoint σ\tmean [95% CI] over reps\ttrained\trounds\t")
	for _, c := range curves {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d of %d\t%d\t\n", c.Name, c.Mid, c.CI, c.Trained, grid, c.Rounds)
	}
	w.Flush()
}

// printComparison prints an adaptive search's midpoints beside the full grid's, with a summary line that
// scripts/bench.sh reports.
func printComparison(plan *walk.Plan, cmp []walk.AdaptiveComparison) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "site\tadaptive midpoint σ\tfull-grid midpoint σ\tgrid steps apart\ttrained (adaptive / grid)\tagree\t")
	agree, trained, grid := 0, 0, 0
	for _, c := range cmp {
		steps := "-"
		if !math.IsNaN(c.Steps) {
			steps = fmt.Sprintf("%.2f", c.Steps)
		}
		verdict := "yes"
		if c.Agree {
			agree++
		} else {
			verdict = "NO"
		}
		trained += c.Trained
		grid += c.GridTrained
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d / %d\t%s\t\n", c.Name, c.Adaptive, c.Grid, steps, c.Trained, c.GridTrained, verdict)
	}
	w.Flush()
	fmt.Printf("adaptive vs full grid, plan %s: %d of %d sites within one grid step; %d of %d noisy trainings\n",
		plan.Name, agree, len(cmp), trained, grid)
}

func firstAMax(c []walk.SiteCurve) float64 {
	if len(c) == 0 {
		return 0
	}
	return c[0].AMax
}

func runMidpoints(args []string) error {
	fs := flag.NewFlagSet("midpoints", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	planName := fs.String("plan-name", "", "read the plan stored under this name (`walkingnoise list` shows them) instead of describing it with the plan flags")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *planName != "" {
		var others []string
		fs.Visit(func(f *flag.Flag) {
			if f.Name != "plan-name" && f.Name != "store" {
				others = append(others, "-"+f.Name)
			}
		})
		if len(others) > 0 {
			return fmt.Errorf("-plan-name reads the plan as stored: drop %s", strings.Join(others, " "))
		}
	}
	st, err := results.OpenExisting(*pf.store)
	if err != nil {
		return err
	}
	defer st.Close()
	plan, err := pf.plan(fs, st, *planName)
	if err != nil {
		return err
	}
	return printSummary(st, plan)
}

// plan returns the plan stored under name in st (walk.LoadPlan) when name is given, else the plan the flags
// describe (build).
func (pf *planFlags) plan(fs *flag.FlagSet, st *results.Store, name string) (*walk.Plan, error) {
	if name == "" {
		return pf.build(fs)
	}
	plans, err := walk.LoadPlans(st, name)
	if err != nil {
		return nil, err
	}
	if len(plans) > 1 {
		fmt.Fprintf(os.Stderr, "plan %s was run with %d different specs; reading the one run last\n", name, len(plans))
	}
	return plans[0], nil
}
