package walk

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func TestBuildLayerWise(t *testing.T) {
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Noise: noise.Additive,
		Sigmas: []float64{0.1, 1, 10}, Reps: 2, BaseSeed: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 2 clean + 2 modes × 11 sites × 3 σ × 2 reps.
	if want := 2 + 2*11*3*2; len(p.Points) != want {
		t.Fatalf("%d points, want %d", len(p.Points), want)
	}
	seen := map[string]bool{}
	for _, pt := range p.Points {
		h, err := Hash(pt)
		if err != nil {
			t.Fatal(err)
		}
		if seen[h] {
			t.Fatalf("duplicate hash for %v", pt)
		}
		seen[h] = true
		if pt.Seed != 10+uint64(pt.Rep) {
			t.Errorf("point %v: seed %d, want base+rep = %d", pt, pt.Seed, 10+pt.Rep)
		}
		if pt.Mode == Clean {
			continue
		}
		specs, err := pt.Noise.Resolve(11)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range specs {
			switch {
			case i != pt.Site && s.Type != noise.None:
				t.Errorf("point %v has noise at site %d", pt, i)
			case i == pt.Site && (s.Type != noise.Additive || s.Sigma != pt.X):
				t.Errorf("point %v: site spec %v", pt, s)
			case i == pt.Site && s.EvalOnly != (pt.Mode == Inference):
				t.Errorf("point %v: eval-only = %v", pt, s.EvalOnly)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	ok := PlanSpec{Setup: Setup{Model: "lenet5-bn", Data: "mnist", Epochs: 1}, Noise: noise.Additive,
		Sigmas: []float64{1}, Reps: 1}
	cases := map[string]func(s *PlanSpec){
		"unknown model":         func(s *PlanSpec) { s.Model = "vgg" },
		"unknown data set":      func(s *PlanSpec) { s.Data = "imagenet" },
		"out of range":          func(s *PlanSpec) { s.Sites = []int{16} },
		"empty σ grid":          func(s *PlanSpec) { s.Sigmas = nil },
		"≥ 0":                   func(s *PlanSpec) { s.Sigmas = []float64{-1} },
		"reps must be ≥ 1":      func(s *PlanSpec) { s.Reps = 0 },
		"epochs must be ≥ 1":    func(s *PlanSpec) { s.Epochs = 0 },
		"unknown plan kind":     func(s *PlanSpec) { s.Kind = "zigzag" },
		"walks add, mul":        func(s *PlanSpec) { s.Noise = noise.None },
		"with combined noise":   func(s *PlanSpec) { s.Noise = noise.Combined },
		"ratio":                 func(s *PlanSpec) { s.Kind, s.Ratios = Mixed, []float64{1.5} },
		"needs a second grid":   func(s *PlanSpec) { s.Kind = Direct },
		"exactly one σ":         func(s *PlanSpec) { s.Kind, s.Sigmas = MultiExec, []float64{1, 2} },
		"unknown multi":         func(s *PlanSpec) { s.Kind, s.Budgets, s.Policies = MultiExec, []int{2}, []string{"random"} },
		"one site midpoint per": func(s *PlanSpec) { s.Kind, s.Budgets, s.Policies = MultiExec, []int{2}, []string{"inverse_lin"} },
	}
	for want, mutate := range cases {
		s := ok
		mutate(&s)
		if _, err := Build(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to mention %q", want, err, want)
		}
	}
	if _, err := Build(ok); err != nil {
		t.Errorf("valid spec: %v", err)
	}
}

func TestPresets(t *testing.T) {
	p, err := Preset("paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []Mode{Inference}})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Spec
	if s.Epochs != 100 || s.Reps != 5 || len(s.Sigmas) != 41 || s.Sigmas[0] != 1e-2 || s.Sigmas[40] != 1e8 {
		t.Errorf("paper MNIST MLP: epochs %d reps %d σ %d points [%g…%g]; want 100, 5, 41 [1e-2…1e8]",
			s.Epochs, s.Reps, len(s.Sigmas), s.Sigmas[0], s.Sigmas[len(s.Sigmas)-1])
	}
	p, err = Preset("paper", PlanSpec{Setup: Setup{Model: "lenet5-bn", Data: "cifar10"}, Noise: noise.Multiplicative})
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Spec; s.Epochs != 300 || len(s.Sigmas) != 21 || s.Sigmas[20] != 2 {
		t.Errorf("paper CIFAR LeNet mul: epochs %d, %d σ up to %g; want 300, 21 up to 2", s.Epochs, len(s.Sigmas), s.Sigmas[len(s.Sigmas)-1])
	}
	q, err := Preset("quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []Mode{Inference}})
	if err != nil {
		t.Fatal(err)
	}
	if s := q.Spec; s.Epochs != 1 || s.Reps != 1 || len(s.Sigmas) != 17 || len(q.Points) != 1+11*17 {
		t.Errorf("quick: epochs %d reps %d σ %d points %d; want 1, 1, 17, %d", s.Epochs, s.Reps, len(s.Sigmas), len(q.Points), 1+11*17)
	}
	if _, err := Preset("huge", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}}); err == nil {
		t.Error("unknown preset accepted")
	}
}

func TestMultiExecBudgets(t *testing.T) {
	mids := []float64{0.1, 1, 10, 100, 1, 1, 1, 1, 1, 1, 0.5}
	p, err := Preset("quick", PlanSpec{Kind: MultiExec, Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"},
		Budgets: []int{1, 3}, Policies: []string{"global", "inverse_lin"}, SiteMidpoints: mids})
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range p.Points {
		if pt.Mode == Clean {
			continue
		}
		specs, err := pt.Noise.Resolve(11)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, s := range specs {
			total += s.Reps()
			if s.Type != noise.Additive || s.Sigma != 0.35 || !s.EvalOnly {
				t.Fatalf("point %v: spec %v, want eval-only additive σ=0.35", pt, s)
			}
		}
		if total != int(pt.X)*11 {
			t.Errorf("point %v: Σ r_i = %d, want budget·sites = %d", pt, total, int(pt.X)*11)
		}
		if pt.Policy == "inverse_lin" && pt.X == 3 && specs[0].Reps() <= specs[3].Reps() {
			t.Errorf("inverse_lin gave the least robust site (s=0.1) %d executions, the most robust (s=100) %d",
				specs[0].Reps(), specs[3].Reps())
		}
	}
	if r, _ := Repetitions("global", 4, nil, 3); r[0] != 4 || r[2] != 4 || math.IsNaN(float64(r[1])) {
		t.Errorf("global policy: %v", r)
	}
}

func TestPointsCarryResultsVersion(t *testing.T) {
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Noise: noise.Additive,
		Sigmas: []float64{1}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range p.Points {
		if pt.Version != ResultsVersion {
			t.Fatalf("point %v has version %d, want %d", pt, pt.Version, ResultsVersion)
		}
	}
	old := p.Points[1]
	h1, _ := Hash(old)
	old.Version--
	if h2, _ := Hash(old); h1 == h2 {
		t.Error("the results version does not change a point's hash")
	}
}

// TestTwoDimensionalPlans: mixed, direct and combined-noise global/MAX plans sweep two values, so Curves refuses
// them (one curve per site would mix their ratios) instead of averaging across ratios.
func TestTwoDimensionalPlans(t *testing.T) {
	base := PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Sigmas: []float64{1, 2}, Reps: 1}
	for _, s := range []PlanSpec{
		{Kind: Mixed, Ratios: []float64{0.1, 0.9}}, {Kind: Direct, Ratios: []float64{0.1, 0.9}},
		{Kind: GlobalAll, Noise: noise.Combined, Ratios: []float64{0.1, 0.9}},
		{Kind: MaxNoise, Noise: noise.Combined, Ratios: []float64{0.1, 0.9}, BothOrders: true},
	} {
		s.Setup, s.Sigmas, s.Reps = base.Setup, base.Sigmas, base.Reps
		p, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Curves(nil, p); !errors.Is(err, ErrTwoDimensional) {
			t.Errorf("%s %s plan: Curves err = %v, want ErrTwoDimensional", s.Kind, s.Noise, err)
		}
	}
	p, err := Build(PlanSpec{Setup: base.Setup, Kind: GlobalAll, Noise: noise.Additive, Sigmas: base.Sigmas, Reps: 1})
	if err != nil || p.TwoDimensional() {
		t.Errorf("a global additive plan: err %v, two-dimensional %v", err, p != nil && p.TwoDimensional())
	}
}

// TestAllExamples: AllExamples in a PlanSpec overrides the quick preset's subset and is stored as a point's 0,
// so its points are those of a plan that asked for 0 (all) without a preset; other negative counts are errors.
func TestAllExamples(t *testing.T) {
	spec := PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Modes: []Mode{Inference},
		Noise: noise.Additive, Sites: []int{1}, Sigmas: []float64{1}, Reps: 1, BaseSeed: 1, Name: "all"}
	all := spec
	all.TrainN, all.TestN = AllExamples, AllExamples
	quick, err := Preset("quick", all)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range quick.Points {
		if pt.TrainN != 0 || pt.TestN != 0 {
			t.Errorf("point %v: train_n %d, test_n %d, want 0 (all)", pt, pt.TrainN, pt.TestN)
		}
		h1, _ := Hash(pt)
		h2, _ := Hash(plain.Points[i])
		if h1 != h2 {
			t.Errorf("point %d: AllExamples hashes as %s, 0 without a preset as %s", i, h1[:8], h2[:8])
		}
	}
	bad := spec
	bad.TestN = -2
	if _, err := Build(bad); err == nil || !strings.Contains(err.Error(), "test_n = -2") {
		t.Errorf("test_n = -2: error %v, want one naming it", err)
	}
}

// TestClampedPlanName: a clamped plan's default name says so, so that the clamping probe and the free walk it is
// compared with are two plans by name too (their summaries and stored plan names were identical); so does a
// noisy-training-only plan's, next to the inference walk of the same setup.
func TestClampedPlanName(t *testing.T) {
	spec := PlanSpec{Setup: Setup{Model: "mlp-tfc-nobn", Data: "mnist", Epochs: 3}, Noise: noise.Additive,
		Modes: []Mode{Training}, Sites: []int{3}, Sigmas: []float64{10}, Reps: 1}
	free, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Clamp = true
	clamped, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	if free.Name != "layerwise-mlp-tfc-nobn-mnist-add-e3-training" || clamped.Name != free.Name+"-clamped" {
		t.Errorf("plan names %q and %q, want the clamped one to be the free one's + -clamped", free.Name, clamped.Name)
	}
	spec.Clamp, spec.Modes = false, []Mode{Inference}
	inf, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Modes = []Mode{Inference, Training}
	both, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	if inf.Name != "layerwise-mlp-tfc-nobn-mnist-add-e3" || both.Name != inf.Name {
		t.Errorf("plan names %q (inference) and %q (both modes), want the walk's name without a mode suffix", inf.Name, both.Name)
	}
}
