package catalogue

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// plan builds an experiment's plan; multi-execution experiments get placeholder inputs (Sketch).
func plan(t *testing.T, e Experiment, preset string) *walk.Plan {
	t.Helper()
	p, err := e.Sketch(preset)
	if err != nil {
		t.Fatalf("%s (%s): %v", e.Name, preset, err)
	}
	return p
}

// TestEveryExperimentBuilds: every entry builds a plan with both presets, names are unique and well formed,
// and the paper plan is at least as large as the quick one.
func TestEveryExperimentBuilds(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.Name] || strings.Count(e.Name, "/") != 2 || e.About == "" {
			t.Errorf("experiment %q: duplicate, malformed or undescribed", e.Name)
		}
		seen[e.Name] = true
		q, p := plan(t, e, "quick"), plan(t, e, "paper")
		if len(p.Points) < len(q.Points) || len(q.Points) == 0 {
			t.Errorf("%s: %d paper points, %d quick points", e.Name, len(p.Points), len(q.Points))
		}
		if p.Name != e.Name+"@paper" {
			t.Errorf("%s: plan name %q", e.Name, p.Name)
		}
		if Estimate(p) <= 0 {
			t.Errorf("%s: estimate %v", e.Name, Estimate(p))
		}
	}
	if _, err := Lookup("mnist/mlp-tfc-bn/layerwise-mul-logg"); err == nil || !strings.Contains(err.Error(), "mnist/mlp-tfc-bn/layerwise-mul-log") {
		t.Errorf("unknown name: %v, want the experiments of mnist/mlp-tfc-bn listed", err)
	}
	e, _ := Lookup("mnist/lenet5-bn/multiexec")
	if _, err := e.Plan("paper"); err == nil || !strings.Contains(err.Error(), "mnist/lenet5-bn/layerwise-add") {
		t.Errorf("multiexec without midpoints: %v, want an error naming the experiment to run first", err)
	}
}

// TestPaperGridsAndRepetitions checks the paper preset of the catalogue against method.md's tables: §5.2 (grids:
// points, first and last value, ratios, orders, modes), §5.3 (repetitions), §4 (epochs, GSC2 batch and
// learning rate), §6.6 (multi-execution budgets and policies).
func TestPaperGridsAndRepetitions(t *testing.T) {
	type want struct {
		sigmas      int
		first, last float64
		ratios      int
		reps        int
		epochs      int
		points      int // all points, clean baselines included
	}
	cases := map[string]want{
		// Layer-wise (11 sites for MLP-TFC-BN and CNN-S-BN, 8 without BN, 16 LeNet-5-BN, 12 without): 2 modes.
		"mnist/mlp-tfc-bn/layerwise-add":        {41, 1e-2, 1e8, 0, 5, 100, 5 + 2*11*41*5},
		"cifar10/lenet5-bn/layerwise-add":       {49, 1e-2, 1e10, 0, 5, 300, 5 + 2*16*49*5},
		"gsc2/cnn-s-bn/layerwise-add":           {49, 1e-2, 1e10, 0, 3, 150, 3 + 2*11*49*3},
		"svhn/mlp-tfc-nobn/layerwise-add":       {49, 1e-2, 1e10, 0, 3, 300, 3 + 2*8*49*3},
		"cifar10/mlp-tfc-nobn/layerwise-mul":    {21, 0, 2, 0, 3, 200, 3 + 2*8*21*3},
		"mnist/lenet5-nobn/layerwise-mul":       {61, 0, 6, 0, 5, 50, 5 + 2*12*61*5},
		"svhn/lenet5-bn/layerwise-mul-log":      {41, 1, 1e10, 0, 3, 200, 3 + 2*16*41*3},
		"mnist/mlp-tfc-bn/layerwise-mul-log":    {65, 1, 1e16, 0, 5, 100, 5 + 2*11*65*5},
		"gsc2/mlp-tfc-bn/layerwise-combined":    {25, 1e-2, 1e10, 5, 3, 150, 3 + 2*11*25*5*3},
		"fashion-mnist/lenet5-bn/layerwise-add": {49, 1e-2, 1e10, 0, 3, 200, 3 + 2*16*49*3},
		// Global: one "site" (all), 2 modes.
		"fashion-mnist/lenet5-bn/global-add":       {17, 1e-2, 1e2, 0, 5, 200, 5 + 2*17*5},
		"cifar10/lenet5-bn-nonoise/global-add":     {17, 1e-2, 1e2, 0, 10, 300, 10 + 2*17*10},
		"cifar10/mlp-tfc-bn/global-add-clamped":    {17, 1e-2, 1e2, 0, 5, 200, 5 + 2*17*5},
		"gsc2/cnn-s-nobn/global-mul":               {31, 0, 3, 0, 3, 150, 3 + 2*31*3},
		"cifar10/mlp-tfc-bn/global-mul":            {31, 0, 3, 0, 5, 200, 5 + 2*31*5},
		"mnist/mlp-tfc-bn/global-mul":              {21, 0, 2, 0, 10, 100, 10 + 2*21*10},
		"svhn/lenet5-bn/global-mul":                {21, 0, 2, 0, 5, 200, 5 + 2*21*5},
		"mnist/mlp-tfc-bn-nonoise/global-combined": {17, 1e-2, 1e2, 5, 10, 100, 10 + 2*17*5*10},
		// MAX: noisy training only, BN models, 6 repetitions; combined in both orders.
		"mnist/lenet5-bn/max-combined": {1, 1e10, 1e10, 20, 6, 50, 6 + 16*2*20*6},
		"gsc2/cnn-s-bn/max-mul":        {1, 1e10, 1e10, 0, 6, 150, 6 + 11*6},
		"cifar10/mlp-tfc-bn/max-add":   {1, 1e10, 1e10, 0, 6, 200, 6 + 11*6},
		// Site-5 study: noisy training, both orders, 5 repetitions.
		"cifar10/lenet5-bn/site5-combined": {35, 1e-4, 1e13, 35, 5, 300, 5 + 35*35*2*5},
		"cifar10/lenet5-bn/site5-direct":   {25, 0.1, 2.5, 25, 5, 300, 5 + 25*25*2*5},
		// Clean baselines (no-noise runs).
		"mnist/lenet5-bn/clean":          {0, 0, 0, 0, 10, 50, 10},
		"svhn/mlp-tfc-nobn/clean":        {0, 0, 0, 0, 6, 300, 6},
		"gsc2/cnn-s-bn-nonoise/clean":    {0, 0, 0, 0, 10, 150, 10},
		"fashion-mnist/mlp-tfc-bn/clean": {0, 0, 0, 0, 6, 250, 6},
		// Multi-execution: clean models + 4 policies × 7 budgets per repetition.
		"mnist/lenet5-nobn/multiexec":  {1, 0.35, 0.35, 0, 400, 50, 400 + 4*7*400},
		"cifar10/mlp-tfc-bn/multiexec": {1, 0.35, 0.35, 0, 100, 200, 100 + 4*7*100},
	}
	for name, w := range cases {
		e, err := Lookup(name)
		if err != nil {
			t.Error(err)
			continue
		}
		p := plan(t, e, "paper")
		s := p.Spec
		got := want{sigmas: len(s.Sigmas), ratios: len(s.Ratios), reps: s.Reps, epochs: s.Epochs, points: len(p.Points)}
		if len(s.Sigmas) > 0 {
			got.first, got.last = s.Sigmas[0], s.Sigmas[len(s.Sigmas)-1]
		}
		if got != w {
			t.Errorf("%s: got %+v\n\twant %+v", name, got, w)
		}
		if s.Data == "gsc2" && (s.BatchSize != 512 || s.LR != 5e-4) {
			t.Errorf("%s: batch %d, lr %g; want GSC2's 512 and 5e-4", name, s.BatchSize, s.LR)
		}
		if s.Draws != walk.Independent {
			t.Errorf("%s: noise draws %q, want independent in the paper preset", name, s.Draws)
		}
	}
	for _, absent := range []string{"fashion-mnist/lenet5-bn/layerwise-combined", "svhn/mlp-tfc-bn/global-combined",
		"svhn/lenet5-bn/max-add", "mnist/lenet5-nobn/max-mul", "mnist/lenet5-bn-nonoise/layerwise-add",
		"gsc2/lenet5-bn/clean", "mnist/cnn-s-bn/clean", "fashion-mnist/mlp-tfc-bn/multiexec"} {
		if _, err := Lookup(absent); err == nil {
			t.Errorf("%s is in the catalogue; the reference has no such experiment", absent)
		}
	}
	e, _ := Lookup("cifar10/mlp-tfc-bn/multiexec")
	s := plan(t, e, "paper").Spec
	if strings.Join(s.Policies, ",") != "global,inverse_sqrt,inverse_lin,inverse_square" || len(s.Budgets) != 7 || s.Budgets[6] != 20 {
		t.Errorf("multiexec: policies %v budgets %v", s.Policies, s.Budgets)
	}
}

// TestRunCounts compares run counts derived in method.md §5.5 from the reference's configs with the catalogue:
// LeNet-5-BN layer-wise on CIFAR-10 45,600 runs, on MNIST 53,280; the CIFAR-10 site-5 study 18,500
// trainings (combined + direct); MAX noise 4,032 trainings for LeNet-5-BN and 2,772 for MLP-TFC per data set.
func TestRunCounts(t *testing.T) {
	noisy := func(names ...string) int {
		n := 0
		for _, name := range names {
			e, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, pt := range plan(t, e, "paper").Points {
				if pt.Mode != walk.Clean {
					n++
				}
			}
		}
		return n
	}
	layerwise := func(prefix string, combined bool) []string {
		out := []string{prefix + "layerwise-add", prefix + "layerwise-add-clamped", prefix + "layerwise-mul", prefix + "layerwise-mul-log"}
		if combined {
			out = append(out, prefix+"layerwise-combined")
		}
		return out
	}
	for _, c := range []struct {
		what  string
		names []string
		want  int
	}{
		{"CIFAR-10 LeNet-5-BN layer-wise", layerwise("cifar10/lenet5-bn/", true), 45600},
		{"MNIST LeNet-5-BN layer-wise", layerwise("mnist/lenet5-bn/", true), 53280},
		{"CIFAR-10 site-5 study", []string{"cifar10/lenet5-bn/site5-combined", "cifar10/lenet5-bn/site5-direct"}, 18500},
		{"MAX LeNet-5-BN", []string{"mnist/lenet5-bn/max-add", "mnist/lenet5-bn/max-mul", "mnist/lenet5-bn/max-combined"}, 4032},
		{"MAX MLP-TFC", []string{"gsc2/mlp-tfc-bn/max-add", "gsc2/mlp-tfc-bn/max-mul", "gsc2/mlp-tfc-bn/max-combined"}, 2772},
	} {
		if got := noisy(c.names...); got != c.want {
			t.Errorf("%s: %d noisy runs, method.md §5.5 counts %d", c.what, got, c.want)
		}
	}
}
