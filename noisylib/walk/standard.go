package walk

import (
	"fmt"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// StandardReps is the standard preset's number of repetitions of every plan kind (the paper's: 3–10, and 100 or
// 400 for multi-execution, method.md §5.3): enough for a confidence interval over seeds.
const StandardReps = 3

// standardTrainingShare divides the paper's epochs of plans that train with noise (Training mode, MAX plans) in
// the standard preset, by model family: MLP-TFC trains for a fifth (MNIST: 20 of 100 epochs), the convolutional
// models for a tenth (LeNet-5 on MNIST: 5 of 50). Measured on the project machine (2 cores, shared with other
// jobs, 2026-11-30): one MNIST training epoch with noise at one site costs ≈ 1.2 CPU-seconds for MLP-TFC (BN)
// and ≈ 17 for LeNet-5 (BN). At the paper's epochs the noisy-training walk of MLP-TFC (BN) alone (11 sites × 3
// repetitions by adaptive search, ≈ 230 trainings) would take ≈ 4 hours of the machine, more than the whole
// standard run's budget of about 3 hours (issue 13 §1); at 20 epochs it takes ≈ 45 minutes.
var standardTrainingShare = map[string]int{"mlp-tfc": 5, "lenet5": 10, "cnn-s": 10}

// StandardEpochs returns the standard preset's training epochs of a model on a data set: the paper's (method.md §4)
// for clean models and inference-only walks, and a share of them (standardTrainingShare, at least 1) when the plan
// trains with noise. Plan.Reductions states the reduction.
func StandardEpochs(model, dataSet string, noisyTraining bool) (int, error) {
	v, err := models.ParseName(model)
	if err != nil {
		return 0, err
	}
	e, ok := paperEpochs[v.Family][dataSet]
	if !ok {
		return 0, fmt.Errorf("no published epochs for %s on %s; set epochs", model, dataSet)
	}
	if noisyTraining {
		e = max(1, e/standardTrainingShare[v.Family])
	}
	return e, nil
}

// trainsWithNoise reports whether a plan trains models with noise: MAX plans always, multi-execution plans never
// (clean models, noise at inference only: method.md §6.6), others in Training mode (an empty mode list means
// inference and training).
func trainsWithNoise(s *PlanSpec) bool {
	if s.Kind == MultiExec {
		return false
	}
	return s.Kind == MaxNoise || len(s.Modes) == 0 || slices.Contains(s.Modes, Training)
}

// standard fills the standard preset (issue 13 §1): the paper's protocol on the full data with the reference's
// learning rate, batch size and schedule, reduced only where the paper's size does not fit a 2-core machine in
// hours: StandardReps repetitions, every other point of the paper's grids (2 points per decade of its 4-per-decade
// log grids, steps of 0.2 on its linear grids of step 0.1; grids already at 2 per decade are kept), and, for plans
// that train with noise, a share of the paper's epochs (StandardEpochs). Noise draws are independent per inference
// point, as in the paper preset. Fields set in s are kept. Noisy-training walks that only need midpoints should
// use the adaptive search (Runner.Adaptive), which trains 5–10 of a 21-σ grid per site and repetition.
func standard(s *PlanSpec) error {
	if s.Epochs == 0 {
		e, err := StandardEpochs(s.Model, s.Data, trainsWithNoise(s))
		if err != nil {
			return fmt.Errorf("preset standard: %w", err)
		}
		s.Epochs = e
	}
	if s.Reps == 0 {
		s.Reps = StandardReps
	}
	ownSigmas, ownRatios := len(s.Sigmas) > 0, len(s.Ratios) > 0
	if err := paper(s); err != nil {
		return fmt.Errorf("preset standard: %w", err)
	}
	combined := s.Kind == Mixed || s.Noise == noise.Combined
	// The paper's grids at 4 points per decade (or steps of 0.1) are thinned; its combined-noise amplitudes
	// (2 per decade already), the single σ of MAX and multi-execution plans and its 5 ratios are kept.
	if !ownSigmas && !(combined && s.Kind != GlobalAll) && s.Kind != MaxNoise && s.Kind != MultiExec {
		s.Sigmas = EveryOther(s.Sigmas)
	}
	if !ownRatios && (s.Kind == Direct || s.Kind == MaxNoise && combined) {
		s.Ratios = EveryOther(s.Ratios)
	}
	return nil
}

// EveryOther returns the values at even indices, plus the last value when it is at an odd index, so that both
// ends of a grid are kept: a 4-per-decade log grid becomes 2 per decade, a linear grid of step 0.1 one of step
// 0.2 (the kept values are the original float64 values, bit for bit).
func EveryOther(values []float64) []float64 {
	var out []float64
	for i := 0; i < len(values); i += 2 {
		out = append(out, values[i])
	}
	if n := len(values); n > 0 && n%2 == 0 {
		out = append(out, values[n-1])
	}
	return out
}

// Reductions lists, in words, how the plan departs from the paper's protocol for the same experiment: the plan
// the paper preset builds for its kind, model, data set, noise, modes, sites, clamping and orders (method.md §4,
// §5.2, §5.3, §6.6). Each entry names the plan's value and the paper's, e.g. "epochs 20 (paper 100: noisy
// training)"; the list is empty when the plan follows the paper in epochs, data, batch size, learning rate,
// repetitions, grids, budgets, policies and noise draws. Notebooks and the shipped results' manifest print it, so
// that every reduced run says so. Grids given explicitly (and the catalogue's own grids of the site-5 study) are
// compared with the paper preset's default grid of the kind.
func (p *Plan) Reductions() ([]string, error) {
	s := p.Spec
	ref := PlanSpec{Kind: s.Kind, Setup: Setup{Model: s.Model, Data: s.Data, Clamp: s.Clamp}, Modes: s.Modes,
		Noise: s.Noise, LogGrid: s.LogGrid, AddFirst: s.AddFirst, BothOrders: s.BothOrders, Spacing: s.Spacing}
	Protocol(&ref.Setup)
	if err := paper(&ref); err != nil {
		return nil, err
	}
	var out []string
	if s.Epochs != ref.Epochs {
		why := ""
		if trainsWithNoise(&s) {
			why = ": noisy training"
		}
		out = append(out, fmt.Sprintf("epochs %d (paper %d%s)", s.Epochs, ref.Epochs, why))
	}
	if s.TrainN > 0 {
		out = append(out, fmt.Sprintf("the first %d training examples (paper: all)", s.TrainN))
	}
	if s.TestN > 0 {
		out = append(out, fmt.Sprintf("the first %d test examples (paper: all)", s.TestN))
	}
	orDefault := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return v
	}
	if b, rb := orDefault(float64(s.BatchSize), 128), orDefault(float64(ref.BatchSize), 128); b != rb {
		out = append(out, fmt.Sprintf("batch size %g (paper %g)", b, rb))
	}
	if lr, rlr := orDefault(s.LR, 1e-3), orDefault(ref.LR, 1e-3); lr != rlr {
		out = append(out, fmt.Sprintf("learning rate %g (paper %g)", lr, rlr))
	}
	if s.Reps != ref.Reps {
		out = append(out, fmt.Sprintf("repetitions %d (paper %d)", s.Reps, ref.Reps))
	}
	grid := func(what string, got, want []float64) {
		if slices.Equal(got, want) {
			return
		}
		desc := func(g []float64) string {
			if len(g) == 0 {
				return "none"
			}
			return fmt.Sprintf("%d, %g … %g", len(g), g[0], g[len(g)-1])
		}
		out = append(out, fmt.Sprintf("%s grid %s (paper %s)", what, desc(got), desc(want)))
	}
	if s.Kind != MultiExec { // its σ is a measured midpoint, not a grid (the reference's is not in its configs)
		grid("σ", s.Sigmas, NormalizeGrid(ref.Sigmas))
	}
	grid("ratio", s.Ratios, NormalizeGrid(ref.Ratios))
	if len(s.Sites) > 0 {
		out = append(out, fmt.Sprintf("sites %v only (paper: every site)", s.Sites))
	}
	if s.Kind == MultiExec {
		if !slices.Equal(s.Budgets, ref.Budgets) {
			out = append(out, fmt.Sprintf("budgets %v (paper %v)", s.Budgets, ref.Budgets))
		}
		if !slices.Equal(s.Policies, ref.Policies) {
			out = append(out, fmt.Sprintf("policies %v (paper %v)", s.Policies, ref.Policies))
		}
	}
	if draws := orCommon(s.Draws); draws != orCommon(ref.Draws) && slices.Contains(s.Modes, Inference) {
		out = append(out, fmt.Sprintf("%s noise draws per inference point (paper: %s, as its unseeded runs)", draws, ref.Draws))
	}
	return out, nil
}

// orCommon returns d, or Common (Build's default) when d is empty.
func orCommon(d Draws) Draws {
	if d == "" {
		return Common
	}
	return d
}
