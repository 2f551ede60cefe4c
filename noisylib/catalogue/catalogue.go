// Package catalogue lists every experiment of the paper (method.md §5.2, §5.3, §6.6, read from the reference's
// experiment configs) under a stable name, data set / model / experiment, e.g.
// "mnist/mlp-tfc-bn/layerwise-mul-log", and builds each one's plan for a preset (see the package example):
// Lookup finds an experiment, Experiment.Plan builds its plan, Estimate guesses its CPU time.
//
// The grids, repetitions and epochs come from the preset (walk.Preset): the catalogue says which experiments
// exist, the preset how large each is. Multi-execution experiments depend on two others (their σ and the
// per-site robustness s_i are measured midpoints, see Experiment.Resolve).
package catalogue

import (
	"fmt"
	"slices"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Experiment is one experiment of the paper.
type Experiment struct {
	// Name is the stable name: data set / model / experiment.
	Name string
	// Spec is the plan specification; zero fields take the preset's values.
	Spec walk.PlanSpec
	// About says what the experiment is, with the reference's config family.
	About string
	// PaperSigmas and PaperRatios are the grids of an experiment whose grids are its own (the site-5 study),
	// used by the paper preset; other presets keep their own small grids.
	PaperSigmas, PaperRatios []float64
	// SigmaFrom and SiteMidpointsFrom name, for multi-execution experiments, the experiments whose measured
	// inference midpoints give the σ of the global noise (the global additive midpoint) and the per-site
	// robustness s_i of the tailored allocations (the layer-wise additive midpoints).
	SigmaFrom, SiteMidpointsFrom string
}

// BaseSeed is the base seed of every experiment (repetition r uses BaseSeed + r), the command line's default.
const BaseSeed = 1

// Data sets and model families of the paper (method.md §2.4).
var (
	dataSets = []string{"mnist", "fashion-mnist", "cifar10", "svhn", "gsc2"}
	// combinedData are the data sets with combined-noise sweeps (layer-wise and global).
	combinedData = []string{"mnist", "cifar10", "gsc2"}
	// maxData are the data sets of the MAX-noise runs; multiExecData those of the multi-execution study.
	maxData       = []string{"mnist", "cifar10", "gsc2"}
	multiExecData = []string{"mnist", "cifar10"}
)

// families returns the model families used with a data set: the MLP and LeNet-5, or CNN-S for GSC2.
func families(data string) []string {
	if data == "gsc2" {
		return []string{"mlp-tfc", "cnn-s"}
	}
	return []string{"mlp-tfc", "lenet5"}
}

var all = build()

// All returns every experiment, in a fixed order (by data set, model, then experiment).
func All() []Experiment { return slices.Clone(all) }

// Names returns the names of All.
func Names() []string {
	out := make([]string, len(all))
	for i, e := range all {
		out[i] = e.Name
	}
	return out
}

// Lookup returns the named experiment; an unknown name is an error listing near matches.
func Lookup(name string) (Experiment, error) {
	for _, e := range all {
		if e.Name == name {
			return e, nil
		}
	}
	var near []string
	prefix := name[:strings.LastIndex(name, "/")+1]
	for _, e := range all {
		if prefix != "" && strings.HasPrefix(e.Name, prefix) {
			near = append(near, e.Name)
		}
	}
	hint := "run `walkingnoise experiments` for the list"
	if len(near) > 0 {
		hint = "experiments of " + strings.TrimSuffix(prefix, "/") + ": " + strings.Join(near, ", ")
	}
	return Experiment{}, fmt.Errorf("unknown experiment %q: %s", name, hint)
}

// PlanSpec returns the experiment's plan specification for the named preset, before the preset fills its zero
// fields: its name in the results store is the experiment's name and the preset (e.g.
// "mnist/mlp-tfc-bn/clean@paper"), and with the paper and standard presets an experiment with grids of its own
// gets them (the site-5 study's, already 2 amplitudes per decade).
func (e Experiment) PlanSpec(preset string) walk.PlanSpec {
	spec := e.Spec
	if spec.Name == "" {
		spec.Name = e.Name + "@" + preset
	}
	if (preset == "paper" || preset == "standard") && len(spec.Sigmas) == 0 {
		spec.Sigmas, spec.Ratios = e.PaperSigmas, e.PaperRatios
	}
	return spec
}

// Plan builds the experiment's plan with the named preset ("quick", "standard" or "paper"). A multi-execution experiment
// needs its site midpoints (Resolve) unless they are set in Spec.
func (e Experiment) Plan(preset string) (*walk.Plan, error) {
	if e.Spec.Kind == walk.MultiExec && len(e.Spec.SiteMidpoints) == 0 {
		return nil, fmt.Errorf("experiment %s: the tailored allocations need the per-site midpoints of %s: "+
			"run that experiment first (walkingnoise walk -experiment %s), then this one", e.Name, e.SiteMidpointsFrom,
			e.SiteMidpointsFrom)
	}
	p, err := walk.Preset(preset, e.PlanSpec(preset))
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", e.Name, err)
	}
	return p, nil
}

// Sketch builds the experiment's plan for counting its points and estimating its time: a multi-execution
// experiment gets placeholder inputs (σ = 0.35 and s_i = 1 at every site), which change what its points
// compute but not how many there are. Run plans from Plan (after Resolve), never from Sketch.
func (e Experiment) Sketch(preset string) (*walk.Plan, error) {
	if e.Spec.Kind == walk.MultiExec && len(e.Spec.SiteMidpoints) == 0 {
		m, err := e.Spec.NewModel()
		if err != nil {
			return nil, err
		}
		e.Spec.SiteMidpoints = make([]float64, m.NumSites())
		for i := range e.Spec.SiteMidpoints {
			e.Spec.SiteMidpoints[i] = 1
		}
		if len(e.Spec.Sigmas) == 0 {
			e.Spec.Sigmas = []float64{0.35}
		}
	}
	return e.Plan(preset)
}

// build enumerates the experiments of method.md §5.2 (grids), §5.3 (repetitions) and §6.6 (multi-execution).
func build() []Experiment {
	var out []Experiment
	add := func(data, model, name, about string, spec walk.PlanSpec) {
		spec.Model, spec.Data, spec.BaseSeed = model, data, BaseSeed
		out = append(out, Experiment{Name: data + "/" + model + "/" + name, Spec: spec, About: about})
	}
	paperGrids := func(sigmas, ratios []float64) {
		out[len(out)-1].PaperSigmas, out[len(out)-1].PaperRatios = sigmas, ratios
	}
	for _, data := range dataSets {
		for _, fam := range families(data) {
			for _, v := range []string{"nobn", "bn", "bn-nonoise"} {
				model := fam + "-" + v
				add(data, model, "clean", "clean baselines (no-noise runs): the a_max of every midpoint",
					walk.PlanSpec{Modes: []walk.Mode{walk.Clean}})
				// Layer-wise walks use the no-BN and BN-with-noise variants (method.md §2.4, §8.17).
				if v != "bn-nonoise" {
					layerWise(add, data, model)
				}
				global(add, data, model)
			}
			if slices.Contains(maxData, data) {
				maxNoise(add, data, fam+"-bn")
			}
		}
	}
	deepDive(add, paperGrids)
	for _, data := range multiExecData {
		for _, model := range []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"} {
			base := data + "/" + model + "/"
			out = append(out, Experiment{Name: base + "multiexec",
				Spec: walk.PlanSpec{Kind: walk.MultiExec, Setup: walk.Setup{Model: model, Data: data}, BaseSeed: BaseSeed},
				About: "multi-execution: global additive noise at inference, every site executed r_i times and " +
					"averaged, global vs tailored allocations under budgets Σ r_i = B·sites (multi_run_layers)",
				SigmaFrom: base + "global-add", SiteMidpointsFrom: base + "layerwise-add"})
		}
	}
	return out
}

type adder func(data, model, name, about string, spec walk.PlanSpec)

func layerWise(add adder, data, model string) {
	add(data, model, "layerwise-add", "additive noise at one site at a time (gauss_add), inference-only and noisy training",
		walk.PlanSpec{Noise: noise.Additive})
	add(data, model, "layerwise-add-clamped", "as layerwise-add with weights clamped to [−1, 1] (gauss_add_clamped)",
		walk.PlanSpec{Noise: noise.Additive, Setup: walk.Setup{Clamp: true}})
	add(data, model, "layerwise-mul", "multiplicative noise, linear grid (gauss_mul)",
		walk.PlanSpec{Noise: noise.Multiplicative})
	add(data, model, "layerwise-mul-log", "multiplicative noise, log grid (gauss_mul_log_space)",
		walk.PlanSpec{Noise: noise.Multiplicative, LogGrid: true})
	if slices.Contains(combinedData, data) {
		add(data, model, "layerwise-combined", "combined noise, amplitude × additive share, mul-then-add (gauss_combined)",
			walk.PlanSpec{Kind: walk.Mixed})
	}
}

func global(add adder, data, model string) {
	add(data, model, "global-add", "additive noise at every site at once (global gauss_add)",
		walk.PlanSpec{Kind: walk.GlobalAll, Noise: noise.Additive})
	add(data, model, "global-add-clamped", "as global-add with weights clamped to [−1, 1] (gauss_add_clamped)",
		walk.PlanSpec{Kind: walk.GlobalAll, Noise: noise.Additive, Setup: walk.Setup{Clamp: true}})
	add(data, model, "global-mul", "multiplicative noise at every site (global gauss_mul)",
		walk.PlanSpec{Kind: walk.GlobalAll, Noise: noise.Multiplicative})
	if slices.Contains(combinedData, data) {
		add(data, model, "global-combined", "combined noise at every site, amplitude × additive share (global gauss_combined)",
			walk.PlanSpec{Kind: walk.GlobalAll, Noise: noise.Combined})
	}
}

func maxNoise(add adder, data, model string) {
	training := []walk.Mode{walk.Training}
	add(data, model, "max-add", "additive σ = 1e10 at one site at a time, noisy training (MAX_noise)",
		walk.PlanSpec{Kind: walk.MaxNoise, Noise: noise.Additive, Modes: training})
	add(data, model, "max-mul", "multiplicative σ = 1e10 at one site at a time, noisy training (MAX_noise)",
		walk.PlanSpec{Kind: walk.MaxNoise, Noise: noise.Multiplicative, Modes: training})
	add(data, model, "max-combined", "combined noise A = 1e10 × 20 additive shares, both orders, noisy training (MAX_noise)",
		walk.PlanSpec{Kind: walk.MaxNoise, Noise: noise.Combined, BothOrders: true, Modes: training})
}

// deepDive adds the LeNet-5-BN site-5 combined-noise study on CIFAR-10 (method.md §5.2).
func deepDive(add adder, paperGrids func(sigmas, ratios []float64)) {
	training := []walk.Mode{walk.Training}
	about := "LeNet-5-BN site 5 (conv2 output) on CIFAR-10, noisy training: "
	add("cifar10", "lenet5-bn", "site5-combined", about+"35 amplitudes 1e-4…1e13 × 35 additive shares, both orders",
		walk.PlanSpec{Kind: walk.Mixed, Sites: []int{5}, BothOrders: true, Modes: training})
	paperGrids(analysis.DeepDiveAmplitudes(), analysis.DeepDiveRatios())
	add("cifar10", "lenet5-bn", "site5-combined-clamped", about+"as site5-combined with weights clamped to [−1, 1]",
		walk.PlanSpec{Kind: walk.Mixed, Sites: []int{5}, BothOrders: true, Modes: training, Setup: walk.Setup{Clamp: true}})
	paperGrids(analysis.DeepDiveAmplitudes(), analysis.DeepDiveRatios())
	add("cifar10", "lenet5-bn", "site5-direct", about+"σ_mul × σ_add ∈ {0.1, …, 2.5}², both orders (GaussCombined_direct)",
		walk.PlanSpec{Kind: walk.Direct, Sites: []int{5}, BothOrders: true, Modes: training})
}
