package walk

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/models"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Presets are the named plan sizes: "quick" runs in minutes on a 2-core laptop (few epochs, data
// subsets, one repetition, coarse grids); "paper" uses the published epochs, grids and repetitions
// (method.md §4–§5), meant for a cluster.
var Presets = []string{"quick", "paper"}

// Preset fills the zero fields of spec with the named preset's values and builds the plan.
func Preset(name string, spec PlanSpec) (*Plan, error) {
	if spec.Kind == "" {
		spec.Kind = LayerWise
	}
	if spec.Noise == noise.None && spec.Kind != Mixed && spec.Kind != Direct {
		spec.Noise = noise.Additive
	}
	switch name {
	case "quick":
		quick(&spec)
	case "paper":
		if err := paper(&spec); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown preset %q: use %s", name, strings.Join(Presets, " or "))
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
	if len(s.Sigmas) == 0 {
		switch {
		case s.Kind == MultiExec:
			s.Sigmas = []float64{0.35}
		case s.Kind == MaxNoise:
			s.Sigmas = []float64{MaxSigma}
		case s.Kind == Mixed:
			s.Sigmas = analysis.Logspace(1e-2, 1e2, 5)
		case s.Kind == Direct:
			s.Sigmas = analysis.Linspace(0, 2, 5)
		case s.Kind == GlobalAll:
			s.Sigmas = analysis.Logspace(1e-2, 1e2, 9)
		default:
			s.Sigmas = analysis.Logspace(1e-2, 1e6, 17) // 2 points per decade, add or mul
		}
	}
	if len(s.Ratios) == 0 {
		switch s.Kind {
		case Mixed:
			s.Ratios = []float64{0.01, 0.5, 0.99}
		case Direct:
			s.Ratios = analysis.Linspace(0, 2, 5)
		}
	}
}

// paperEpochs are the training epochs of method.md §4 by model family and data set.
var paperEpochs = map[string]map[string]int{
	"mlp-tfc": {"mnist": 100, "fashion-mnist": 250, "cifar10": 200, "svhn": 300},
	"lenet5":  {"mnist": 50, "fashion-mnist": 200, "cifar10": 300, "svhn": 200},
}

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
	mnist := s.Data == "mnist"
	if s.Kind == MultiExec {
		if len(s.Budgets) == 0 {
			s.Budgets = []int{1, 2, 3, 5, 7, 10, 20}
		}
		if len(s.Policies) == 0 {
			s.Policies = []string{"global", "inverse_sqrt", "inverse_lin", "inverse_square"}
		}
		if s.Reps == 0 {
			s.Reps = 100
		}
		if len(s.Sigmas) == 0 {
			s.Sigmas = []float64{0.35}
		}
	}
	if s.Reps == 0 {
		s.Reps = 5
		if s.Kind == MaxNoise {
			s.Reps = 6
		} else if !mnist && !(s.Data == "cifar10" && fam == "lenet5") {
			s.Reps = 3
		}
	}
	if s.Spacing == "" && s.Noise == noise.Multiplicative && (s.Kind == LayerWise || s.Kind == GlobalAll) {
		s.Spacing = "linear" // the paper's multiplicative grids are linear, given or not (method.md §5.2)
	}
	if len(s.Sigmas) == 0 {
		switch {
		case s.Kind == MaxNoise:
			s.Sigmas = []float64{MaxSigma}
		case s.Kind == Mixed:
			s.Sigmas = analysis.CombinedAmplitudes()
		case s.Kind == Direct:
			s.Sigmas = analysis.Linspace(0.1, 2.5, 25)
		case s.Kind == GlobalAll && s.Noise == noise.Multiplicative:
			s.Sigmas = analysis.MulLinearGrid(2)
		case s.Kind == GlobalAll:
			s.Sigmas = analysis.GlobalAdditiveGrid()
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
		switch s.Kind {
		case Mixed:
			s.Ratios = analysis.CombinedRatios()
		case Direct:
			s.Ratios = analysis.Linspace(0.1, 2.5, 25)
		}
	}
	return nil
}
