package walk

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/models"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Presets are the named plan sizes: "quick" runs in minutes on a 2-core laptop (few epochs, data
// subsets, one repetition, coarse grids); "standard" is the paper's protocol on the full data, reduced only
// where it must be to run in hours on one 2-core machine (3 repetitions, 2 σ per decade, fewer epochs for
// noisy training: see standard and Plan.Reductions); "paper" uses the published epochs, grids and
// repetitions (method.md §4–§5), meant for a cluster.
var Presets = []string{"quick", "standard", "paper"}

// Preset fills the zero fields of spec with the named preset's values and builds the plan.
func Preset(name string, spec PlanSpec) (*Plan, error) {
	if spec.Kind == "" {
		spec.Kind = LayerWise
	}
	if spec.Noise == noise.None && spec.Kind != Mixed && spec.Kind != Direct {
		spec.Noise = noise.Additive
	}
	Protocol(&spec.Setup)
	if spec.Unit != noise.Absolute && len(spec.Sigmas) == 0 && !cleanOnly(spec.Modes) {
		return nil, fmt.Errorf("plan: the presets' σ grids are absolute: give the grid in unit %s (sigmas)", spec.Unit)
	}
	if spec.Kind == Mismatch && len(spec.Modes) == 0 {
		spec.Modes = []Mode{Training} // before the preset: its epochs are those of noisy training
	}
	switch name {
	case "quick":
		quick(&spec)
	case "standard":
		if err := standard(&spec); err != nil {
			return nil, err
		}
	case "paper":
		if err := paper(&spec); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown preset %q: use %s", name, strings.Join(Presets, ", "))
	}
	if spec.Kind == Mismatch && len(spec.EvalSigmas) == 0 {
		spec.EvalSigmas = spec.Sigmas // every training σ is evaluated at every other: the diagonal is the walk's
	}
	return Build(spec)
}

func quick(s *PlanSpec) {
	if s.Kind == MultiExec {
		if len(s.Budgets) == 0 {
			s.Budgets = []int{1, 2, 3, 5}
		}
		if len(s.Policies) == 0 {
			s.Policies = []string{"global", "inverse_lin"}
		}
		if s.Reps == 0 {
			s.Reps = 3
		}
	}
	if s.Epochs == 0 {
		s.Epochs = 1
	}
	if s.TrainN == 0 {
		s.TrainN = 10000
	}
	if s.TestN == 0 {
		s.TestN = 2000
	}
	if s.Reps == 0 {
		s.Reps = 1
	}
	combined := s.Kind == Mixed || s.Noise == noise.Combined
	if len(s.Sigmas) == 0 && !cleanOnly(s.Modes) {
		switch {
		case s.Kind == MultiExec:
			s.Sigmas = []float64{0.35}
		case s.Kind == MaxNoise:
			s.Sigmas = []float64{MaxSigma}
		case combined:
			s.Sigmas = analysis.Logspace(1e-2, 1e2, 5)
		case s.Kind == Direct:
			s.Sigmas = analysis.Linspace(0, 2, 5)
		case s.Kind == GlobalAll:
			s.Sigmas = analysis.Logspace(1e-2, 1e2, 9)
		case s.Kind == Mismatch: // σ_a × σ_b: 25 points per site and repetition
			s.Sigmas = analysis.Logspace(1e-2, 1e2, 5)
		case s.Noise == noise.Multiplicative && s.LogGrid:
			s.Sigmas = analysis.Logspace(1, 1e10, 11)
		default:
			s.Sigmas = analysis.Logspace(1e-2, 1e6, 17) // 2 points per decade, add or mul
		}
	}
	if len(s.Ratios) == 0 {
		switch {
		case combined:
			s.Ratios = []float64{0.01, 0.5, 0.99}
		case s.Kind == Direct:
			s.Ratios = analysis.Linspace(0, 2, 5)
		}
	}
}

// paperEpochs are the training epochs of method.md §4 by model family and data set.
var paperEpochs = map[string]map[string]int{
	"mlp-tfc": {"mnist": 100, "fashion-mnist": 250, "cifar10": 200, "svhn": 300, "gsc2": 150},
	"lenet5":  {"mnist": 50, "fashion-mnist": 200, "cifar10": 300, "svhn": 200},
	"cnn-s":   {"gsc2": 150},
}

// Protocol fills the batch size and learning rate of the data set's training protocol (method.md §4) where
// they are zero: GSC2 trains with batch 512 and Adam 5e-4 in every preset (its class-weighted loss comes with
// the data, data.Dataset.ClassWeights); for the other data sets they stay zero, i.e. the trainer's defaults, the
// reference's 128 and 1e-3.
func Protocol(s *Setup) {
	if s.Data != "gsc2" {
		return // zero: the trainer's defaults (train.Options), which keeps the points' hashes as they were
	}
	if s.BatchSize == 0 {
		s.BatchSize = 512
	}
	if s.LR == 0 {
		s.LR = 5e-4
	}
}

// paper fills the reference's protocol (method.md §4, §5.2, §5.3, §6.6): epochs, repetitions and grids by plan
// kind, noise, model family and data set; independent noise draws per inference point.
func paper(s *PlanSpec) error {
	v, err := models.ParseName(s.Model)
	if err != nil {
		return fmt.Errorf("preset paper: %w", err)
	}
	fam := v.Family
	if s.Epochs == 0 {
		e, ok := paperEpochs[fam][s.Data]
		if !ok {
			return fmt.Errorf("preset paper: no published epochs for %s on %s; set epochs", s.Model, s.Data)
		}
		s.Epochs = e
	}
	if s.Draws == "" {
		s.Draws = Independent
	}
	mnist := s.Data == "mnist"
	if s.Kind == MultiExec {
		if len(s.Budgets) == 0 {
			s.Budgets = []int{1, 2, 3, 5, 7, 10, 20}
		}
		if len(s.Policies) == 0 {
			s.Policies = append([]string{"global"}, MultiExecPolicies...)
		}
		if len(s.Sigmas) == 0 {
			s.Sigmas = []float64{0.35}
		}
	}
	if s.Reps == 0 {
		s.Reps = PaperReps(s.Kind, s.Model, s.Data, cleanOnly(s.Modes))
	}
	combined := s.Kind == Mixed || s.Noise == noise.Combined
	if s.Spacing == "" && s.Noise == noise.Multiplicative && !s.LogGrid && (s.Kind == LayerWise || s.Kind == GlobalAll) {
		s.Spacing = "linear" // the paper's linear multiplicative grids, given or not (method.md §5.2); LogGrid stays log
	}
	if len(s.Sigmas) == 0 && !cleanOnly(s.Modes) {
		switch {
		case s.Kind == MaxNoise:
			s.Sigmas = []float64{MaxSigma}
		case s.Kind == Direct:
			s.Sigmas = analysis.Linspace(0.1, 2.5, 25)
		case s.Kind == GlobalAll && s.Noise == noise.Multiplicative:
			s.Sigmas = analysis.MulLinearGrid(globalMulMax(fam, s.Data))
		case s.Kind == GlobalAll: // additive σ, or combined amplitudes: 17 points 1e-2 … 1e2
			s.Sigmas = analysis.GlobalAdditiveGrid()
		case combined:
			s.Sigmas = analysis.CombinedAmplitudes()
		case s.Noise == noise.Multiplicative && s.LogGrid && mnist:
			s.Sigmas = analysis.MulLogGrid(16)
		case s.Noise == noise.Multiplicative && s.LogGrid:
			s.Sigmas = analysis.MulLogGrid(10)
		case s.Noise == noise.Multiplicative && mnist:
			s.Sigmas = analysis.MulLinearGrid(6)
		case s.Noise == noise.Multiplicative:
			s.Sigmas = analysis.MulLinearGrid(2)
		case mnist:
			s.Sigmas = analysis.AdditiveGrid(8)
		default:
			s.Sigmas = analysis.AdditiveGrid(10)
		}
	}
	if len(s.Ratios) == 0 {
		switch {
		case s.Kind == MaxNoise && combined:
			s.Ratios = analysis.MaxRatios()
		case combined:
			s.Ratios = analysis.CombinedRatios()
		case s.Kind == Direct:
			s.Ratios = analysis.Linspace(0.1, 2.5, 25)
		}
	}
	return nil
}

// MultiExecPolicies are the reference's tailored multi-execution allocations that can be decoded (method.md
// §6.6): r_i ∝ s_i^−p for p = ½, 1, 2. Its eight rank-, bin- and log-based policies (log10, sqrt,
// inverse_log10, layer_sort, layer_sort_inverse, layer_sort_{,inverse_}bins_of_{two,three}) cannot: their
// normalisation is not recoverable from the configs' allocation tables.
var MultiExecPolicies = []string{"inverse_sqrt", "inverse_lin", "inverse_square"}

// PaperReps returns the reference's number of repetitions (method.md §5.3, §6.6) of a plan kind for a model and
// data set; clean is true for a plan of clean baselines only (the reference's no-noise runs).
func PaperReps(kind Kind, model, data string, clean bool) int {
	lenet := strings.HasPrefix(model, "lenet5")
	switch {
	case clean:
		return map[string]int{"mnist": 10, "fashion-mnist": 6, "cifar10": 10, "svhn": 6, "gsc2": 10}[data]
	case kind == MaxNoise:
		return 6
	case kind == MultiExec && lenet && data == "mnist":
		return 400
	case kind == MultiExec:
		return 100
	case kind == GlobalAll:
		switch data {
		case "mnist":
			return 10
		case "cifar10":
			if lenet {
				return 10
			}
			return 5
		case "gsc2":
			return 3
		}
		return 5
	case data == "mnist" || data == "cifar10" && lenet: // layer-wise, mixed and direct
		return 5
	}
	return 3
}

// globalMulMax is the end of the global multiplicative grid 0 … max: 3 for the MLP on CIFAR-10, FMNIST, SVHN
// and GSC2 and for CNN-S, 2 for LeNet-5 and the MNIST MLP (method.md §5.2).
func globalMulMax(fam, data string) float64 {
	if fam == "cnn-s" || fam == "mlp-tfc" && data != "mnist" {
		return 3
	}
	return 2
}
