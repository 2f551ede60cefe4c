package walk

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// Kind names the family of a plan.
type Kind string

// Plan kinds.
const (
	LayerWise Kind = "layerwise" // one site at a time × σ grid
	GlobalAll Kind = "global"    // the same noise at every site × σ grid
	MaxNoise  Kind = "max"       // σ = 1e10 at one site at a time, noisy training (BN models)
	Mixed     Kind = "mixed"     // combined noise: amplitude × additive share, at one site
	Direct    Kind = "direct"    // combined-direct noise: σ_mul × σ_add, at one site
	MultiExec Kind = "multiexec" // global additive noise with repeated executions under a compute budget
	Mismatch  Kind = "mismatch"  // train at σ_a, evaluate at σ_b: a σ_a × σ_b grid at one site or globally
)

// MaxSigma is the σ of the MAX-noise plans.
const MaxSigma = 1e10

// PlanSpec describes a plan; zero fields take the values of the preset (see Preset).
type PlanSpec struct {
	// Name of the plan in the results store (default: derived from kind, model, data and noise).
	Name string `json:"name"`
	// Kind of plan (default LayerWise).
	Kind Kind `json:"kind"`
	Setup
	// Modes to run (default both Inference and Training).
	Modes []Mode `json:"modes"`
	// Noise is the noise type walked (default add): add or mul, or combined (amplitude × additive share, e.g.
	// for global and MAX plans). Mixed plans always use combined and Direct plans combined-direct noise.
	Noise noise.Type `json:"noise"`
	// LogGrid selects the multiplicative log grid 1 … 1e10 (MNIST 1 … 1e16, 4 points per decade) instead of the
	// linear one in the presets (the reference's gauss_mul_log_space).
	LogGrid bool `json:"log_grid,omitempty"`
	// Draws says whether inference points of one clean model and site share their noise draws (Common, the
	// default of Build and of the quick preset) or draw independently (Independent, the paper preset's default);
	// see Draws.
	Draws Draws `json:"draws,omitempty"`
	// AddFirst selects the add-then-mul order for Mixed/Direct plans; BothOrders runs both.
	AddFirst   bool `json:"add_first,omitempty"`
	BothOrders bool `json:"both_orders,omitempty"`
	// Sites walked (default: every site). Mixed and Direct plans use exactly one site per point too.
	Sites []int `json:"sites,omitempty"`
	// Sigmas is the σ grid (amplitudes for Mixed, σ_mul for Direct), in Unit.
	Sigmas []float64 `json:"sigmas"`
	// Unit is the unit of the σ grid of add and mul noise (noise.Unit): absolute σ (default), "rms" or "max"
	// (relative to the clean signal at the site), or "db" (SNR in dB; any finite value, linear spacing by
	// default). Each point runs with the absolute σ converted once per site from the clean model of its
	// setup and seed (see Runner and noise.Config.Absolute). Accuracy rises with an SNR grid: the midpoint
	// readers, which look for a downward crossing, read rms and max grids but not db ones.
	Unit noise.Unit `json:"unit,omitempty"`
	// Weights puts the noise on the weights of the model's Linear/Conv layers instead of on activations:
	// Sites then index weight layers (models.Model.WeightLayers), and a global plan perturbs every weight
	// layer. Layer-wise, global, mixed and direct plans can walk weights.
	Weights bool `json:"weights,omitempty"`
	// Static draws weight noise once per model and noise seed (one device) instead of once per batch
	// (noise.Spec.Static); it needs Weights.
	Static bool `json:"static,omitempty"`
	// Ratios is the additive-share grid of Mixed plans, or the σ_add grid of Direct plans.
	Ratios []float64 `json:"ratios,omitempty"`
	// Spacing is how the midpoint is interpolated along Sigmas: "log" (linear in log10 σ) or "linear". It is
	// decided by the grid's kind, never guessed from its values: empty means "linear" for Direct plans and db grids and
	// "log" otherwise; the paper preset sets "linear" for its linear multiplicative grids. On a log grid
	// σ = 0 is the clean baseline, not a grid point: it is run but never enters the interpolation.
	Spacing string `json:"spacing,omitempty"`
	// Reps is the number of repetitions (seeds BaseSeed, BaseSeed+1, ...).
	Reps     int    `json:"reps"`
	BaseSeed uint64 `json:"base_seed"`
	// Budgets are the multi-execution budgets B: every site gets B executions on average (Σ r_i = B·sites).
	Budgets []int `json:"budgets,omitempty"`
	// Policies are the multi-execution allocations: "global" (r_i = B) and "inverse_sqrt", "inverse_lin",
	// "inverse_square" (r_i ∝ s_i^−p for p = ½, 1, 2 with s_i = SiteMidpoints[i]).
	Policies []string `json:"policies,omitempty"`
	// SiteMidpoints are the per-site robustness levels s_i (e.g. layer-wise additive midpoints).
	SiteMidpoints []float64 `json:"site_midpoints,omitempty"`
	// Schedule is the training-noise schedule of the plan's training points (nil or constant: σ_train at
	// every step, as before schedules; see train.Schedule). Build stores a constant schedule as nil, so the
	// points' hashes do not depend on how "constant" was asked for.
	Schedule *train.Schedule `json:"schedule,omitempty"`
	// EvalSigmas is the evaluation σ grid (σ_b) of a mismatch plan, whose Sigmas are the training σ (σ_a).
	EvalSigmas []float64 `json:"eval_sigmas,omitempty"`
}

// ParsePlanSpec decodes a JSON plan file strictly: a key that is not a PlanSpec field (e.g. "sigma" for
// "sigmas") is an error naming it and the valid keys, and so is text after the plan.
func ParsePlanSpec(b []byte) (PlanSpec, error) {
	var spec PlanSpec
	if err := strictjson.Unmarshal(b, &spec); err != nil {
		return PlanSpec{}, err
	}
	return spec, nil
}

// Plan is a list of points to run.
type Plan struct {
	// Name identifies the plan's points in the results store.
	Name string
	// Spec is the specification the plan was built from.
	Spec PlanSpec
	// Points holds the clean baselines first, then the noisy points.
	Points []Point
}

// Build expands a PlanSpec into its points, validating it against the model.
func Build(spec PlanSpec) (*Plan, error) {
	if spec.Kind == "" {
		spec.Kind = LayerWise
	}
	m, err := spec.NewModel()
	if err != nil {
		return nil, err
	}
	if err := checkFields(spec); err != nil {
		return nil, err
	}
	if spec.Epochs <= 0 {
		return nil, fmt.Errorf("plan: epochs must be ≥ 1, got %d", spec.Epochs)
	}
	for i, n := range []*int{&spec.TrainN, &spec.TestN} {
		switch {
		case *n == AllExamples:
			*n = 0 // a point's form of "every example"
		case *n < 0:
			return nil, fmt.Errorf("plan: %s = %d: give a number of examples, or walk.AllExamples (%d) for all",
				[]string{"train_n", "test_n"}[i], *n, AllExamples)
		}
	}
	if spec.Reps <= 0 {
		return nil, fmt.Errorf("plan: reps must be ≥ 1, got %d", spec.Reps)
	}
	if len(spec.Modes) == 0 && spec.Kind == Mismatch {
		spec.Modes = []Mode{Training}
	}
	if len(spec.Modes) == 0 {
		spec.Modes = []Mode{Inference, Training}
	}
	if len(spec.Sigmas) == 0 && !cleanOnly(spec.Modes) {
		return nil, fmt.Errorf("plan: empty σ grid")
	}
	if err := spec.Draws.validate(); err != nil {
		return nil, err
	}
	for _, s := range append(slices.Clone(spec.Sigmas), spec.EvalSigmas...) {
		if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 && spec.Unit != noise.DB {
			return nil, fmt.Errorf("plan: σ values must be finite and ≥ 0 (any finite SNR in unit db), got %g", s)
		}
	}
	for _, r := range spec.Ratios {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("plan: ratios must be finite, got %g", r)
		}
	}
	// A grid is a set: sorted, each value once however it was written (1, 1.0, 1e0 and -0, 0 are one point).
	spec.Sigmas, spec.Ratios, spec.EvalSigmas = NormalizeGrid(spec.Sigmas), NormalizeGrid(spec.Ratios), NormalizeGrid(spec.EvalSigmas)
	spec.Sites, spec.Budgets = uniqueSorted(spec.Sites), uniqueSorted(spec.Budgets)
	spec.Modes, spec.Policies = uniqueInOrder(spec.Modes), uniqueInOrder(spec.Policies)
	for _, m := range spec.Modes {
		if _, err := ParseMode(string(m)); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
	}
	if g, err := spec.Grid(); err != nil {
		return nil, err
	} else if g == analysis.LogGrid && spec.Kind != MultiExec && len(spec.Sigmas) > 0 && spec.Sigmas[len(spec.Sigmas)-1] == 0 {
		return nil, fmt.Errorf("plan: the σ grid holds only σ = 0, the clean baseline: add σ > 0 values")
	}
	numSites, what := m.NumSites(), "sites"
	if spec.Weights {
		numSites, what = len(m.WeightLayers()), "weight layers"
	}
	sites := spec.Sites
	if len(sites) == 0 {
		for i := range numSites {
			sites = append(sites, i)
		}
	}
	if spec.Kind == Mismatch {
		if err := checkMismatch(spec); err != nil {
			return nil, err
		}
	}
	for _, s := range sites {
		if (s < 0 || s >= numSites) && !(s == -1 && spec.Kind == Mismatch) {
			return nil, fmt.Errorf("plan: site %d out of range: %s has %s 0..%d", s, m.Name, what, numSites-1)
		}
	}
	if err := checkSchedule(&spec); err != nil {
		return nil, err
	}
	if spec.Kind == GlobalAll || spec.Kind == MultiExec {
		sites = []int{-1}
	}
	if err := checkSize(spec, len(sites)); err != nil {
		return nil, err
	}
	if spec.Name == "" {
		spec.Name = fmt.Sprintf("%s-%s-%s-%s-e%d", spec.Kind, spec.Model, spec.Data, spec.Noise, spec.Epochs)
		if len(spec.Modes) == 1 && spec.Modes[0] == Training && spec.Kind != Mismatch {
			spec.Name += "-training" // a noisy-training-only plan is another plan than the inference walk of that setup
		}
		if spec.Clamp {
			spec.Name += "-clamped" // the clamping probe's plan is another plan than the free one it is compared with
		}
		spec.Name += nameSuffix(spec) // weight noise and units: other plans than the activation walk in σ
		if spec.Schedule != nil {
			spec.Name += "-" + scheduleName(*spec.Schedule) // a schedule's trainings are other trainings
		}
	}
	if spec.Kind == MultiExec {
		return buildMultiExec(spec, m.NumSites())
	}
	makers, err := noiseMakers(spec)
	if err != nil {
		return nil, err
	}
	p := &Plan{Name: spec.Name, Spec: spec}
	for rep := range spec.Reps {
		p.Points = append(p.Points, Point{Setup: spec.Setup, Plan: spec.Name, Mode: Clean, Rep: rep,
			Seed: spec.repSeed(rep), Site: -1, Version: ResultsVersion})
	}
	for _, mode := range spec.Modes {
		if mode == Clean {
			continue
		}
		for _, site := range sites {
			for _, mk := range makers {
				s := mk.spec
				if mode == Inference {
					s = s.InferenceOnly()
				}
				cfg := pointNoise(spec, m, site, s)
				if err := checkNoise(cfg, m); err != nil {
					return nil, fmt.Errorf("plan: %w", err)
				}
				for rep := range spec.Reps {
					pt := Point{Setup: spec.Setup, Plan: spec.Name, Mode: mode, Rep: rep,
						Seed: spec.repSeed(rep), Noise: cfg, Site: site, X: mk.x, Y: mk.y, Version: ResultsVersion,
						EvalVersion: evalVersion(mode)}
					if mode == Inference && spec.Draws == Independent {
						pt.Draws = Independent
					}
					if mode == Training {
						pt.Schedule = spec.Schedule
					}
					if spec.Kind != Mismatch {
						p.Points = append(p.Points, pt)
						continue
					}
					for _, ev := range mismatchEvals(spec, site) {
						pt.Eval, pt.Y = &ev.cfg, ev.sigma
						p.Points = append(p.Points, pt)
					}
				}
			}
		}
	}
	return p, nil
}

// checkFields refuses fields the plan's kind does not read, so that a value the user gave is never silently
// ignored (e.g. ratios on a layer-wise plan, sites on a global one).
func checkFields(spec PlanSpec) error {
	// Mixed and direct plans, and global or MAX plans of combined noise (amplitude × ratio), read ratios and orders.
	pairwise := spec.Kind == Mixed || spec.Kind == Direct || spec.Noise == noise.Combined
	var stray []string
	if !pairwise && len(spec.Ratios) > 0 {
		stray = append(stray, "ratios (mixed, direct and combined-noise plans)")
	}
	if !pairwise && (spec.AddFirst || spec.BothOrders) {
		stray = append(stray, "add_first/both_orders (mixed, direct and combined-noise plans)")
	}
	if spec.Kind != Mismatch && len(spec.EvalSigmas) > 0 {
		stray = append(stray, "eval_sigmas (mismatch plans)")
	}
	if spec.Kind != MultiExec && (len(spec.Budgets) > 0 || len(spec.Policies) > 0 || len(spec.SiteMidpoints) > 0) {
		stray = append(stray, "budgets/policies/site_midpoints (multiexec plans)")
	}
	if (spec.Kind == GlobalAll || spec.Kind == MultiExec) && len(spec.Sites) > 0 {
		stray = append(stray, "sites (global noise is at every site)")
	}
	stray = append(stray, strayWeightFields(spec)...)
	if len(stray) > 0 {
		return fmt.Errorf("plan kind %s does not read %s: remove them or choose the kind that reads them", spec.Kind, strings.Join(stray, ", "))
	}
	return nil
}

// MaxPoints is the largest plan Build expands (10 million points): a larger one is a typo (e.g. -reps
// 1000000000), and expanding it would exhaust the memory before the first point runs.
const MaxPoints = 10_000_000

// checkSize refuses a plan of more than MaxPoints points before expanding it.
func checkSize(spec PlanSpec, sites int) error {
	per := float64(len(spec.Sigmas))
	switch spec.Kind {
	case Mixed, Direct:
		per *= float64(max(1, len(spec.Ratios)))
		if spec.BothOrders {
			per *= 2
		}
	case MultiExec:
		per = float64(len(spec.Budgets) * len(spec.Policies))
	case Mismatch:
		per *= float64(len(spec.EvalSigmas))
	}
	n := float64(spec.Reps) * (1 + float64(len(spec.Modes))*float64(sites)*per)
	if n > MaxPoints {
		return fmt.Errorf("plan: %.3g points (%d repetitions × %d modes × %d sites × %.0f noise settings) exceed the limit of %d: check reps and the grids",
			n, spec.Reps, len(spec.Modes), sites, per, MaxPoints)
	}
	return nil
}

// Grid returns the spacing the plan's midpoints are interpolated with (see PlanSpec.Spacing).
func (s PlanSpec) Grid() (analysis.Grid, error) {
	switch s.Spacing {
	case "log":
		return analysis.LogGrid, nil
	case "linear":
		return analysis.LinearGrid, nil
	case "":
		if s.Kind == Direct || s.Unit == noise.DB {
			return analysis.LinearGrid, nil
		}
		return analysis.LogGrid, nil
	}
	return 0, fmt.Errorf("plan: unknown spacing %q: use log or linear", s.Spacing)
}

// NormalizeGrid returns the values sorted in increasing order with duplicates removed: equal numbers are one
// grid point however they were written (1, 1.0 and 1e0; −0 and 0, which becomes 0). nil stays nil.
func NormalizeGrid(values []float64) []float64 {
	if values == nil {
		return nil
	}
	out := append([]float64{}, values...)
	for i, v := range out {
		if v == 0 {
			out[i] = 0 // −0 → 0
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func uniqueSorted(v []int) []int {
	if v == nil {
		return nil
	}
	out := append([]int{}, v...)
	slices.Sort(out)
	return slices.Compact(out)
}

func uniqueInOrder[T comparable](v []T) []T {
	if v == nil {
		return nil
	}
	var out []T
	for _, x := range v {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

type maker struct {
	spec noise.Spec
	x, y float64
}

// noiseMakers lists the noise Specs of one site's sweep: σ for add and mul noise, amplitude × ratio
// (combined) or σ_mul × σ_add (combined-direct) in the given orders otherwise.
func noiseMakers(spec PlanSpec) ([]maker, error) {
	var out []maker
	orders := []bool{spec.AddFirst}
	if spec.BothOrders {
		orders = []bool{false, true}
	}
	typ := spec.Noise
	switch spec.Kind {
	case Mixed:
		typ = noise.Combined
	case Direct:
		typ = noise.CombinedDirect
	case LayerWise, GlobalAll, MaxNoise, Mismatch:
	default:
		return nil, fmt.Errorf("unknown plan kind %q: use layerwise, global, max, mixed, direct, multiexec or mismatch", spec.Kind)
	}
	switch typ {
	case noise.Additive, noise.Multiplicative:
		for _, s := range spec.Sigmas {
			ns := noise.Add(s)
			if typ == noise.Multiplicative {
				ns = noise.Mul(s)
			}
			out = append(out, maker{spec: ns, x: s})
		}
	case noise.Combined, noise.CombinedDirect:
		if len(spec.Ratios) == 0 {
			return nil, fmt.Errorf("plan kind %s with %s noise needs a second grid (ratios or σ_add)", spec.Kind, typ)
		}
		for _, addFirst := range orders {
			for _, a := range spec.Sigmas {
				for _, r := range spec.Ratios {
					ns := noise.Combine(a, r)
					if typ == noise.CombinedDirect {
						ns = noise.CombineDirect(a, r)
					}
					ns.AddFirst = addFirst
					if err := ns.Validate(); err != nil {
						return nil, fmt.Errorf("plan: %w", err)
					}
					out = append(out, maker{spec: ns, x: a, y: r})
				}
			}
		}
	default:
		return nil, fmt.Errorf("plan kind %s walks add, mul, combined or combined-direct noise, got %s", spec.Kind, typ)
	}
	return out, nil
}

// cleanOnly reports whether modes is not empty (empty means the default, inference and training) and holds no
// noisy mode: a plan of clean baselines only.
func cleanOnly(modes []Mode) bool {
	if len(modes) == 0 {
		return false
	}
	for _, m := range modes {
		if m != Clean {
			return false
		}
	}
	return true
}

// Chance returns the chance accuracy (%) of the plan's data set, 100/classes: the a_min of its midpoints.
func (p *Plan) Chance() (float64, error) {
	in, err := DataInput(p.Spec.Data)
	if err != nil {
		return 0, err
	}
	return data.Chance(in.NumClasses), nil
}

// NewModel returns the setup's model built for its data set's input (DataInput, from the data registry,
// without loading the data): its sites' names and count.
func (s Setup) NewModel() (*models.Model, error) {
	in, err := DataInput(s.Data)
	if err != nil {
		return nil, err
	}
	return models.New(s.Model, in)
}

// DataInput returns the model input of a registered data set (data.Lookup).
func DataInput(name string) (models.InputSpec, error) {
	src, err := data.Lookup(name)
	if err != nil {
		return models.InputSpec{}, err
	}
	return models.InputSpec{H: src.InputShape[0], W: src.InputShape[1], C: src.InputShape[2], NumClasses: src.NumClasses}, nil
}

// repSeed returns the run seed of repetition rep (train.RepetitionSeed of BaseSeed).
func (s PlanSpec) repSeed(rep int) uint64 { return train.RepetitionSeed(s.BaseSeed, rep) }
