package walk

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

func accuracies(t *testing.T, st *results.Store, p *Plan) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, pt := range p.Points {
		h, err := Hash(pt)
		if err != nil {
			t.Fatal(err)
		}
		rec, ok, err := st.Get(h)
		if err != nil || !ok {
			t.Fatalf("point %s not in the store (%v)", pt, err)
		}
		out[pt.String()] = rec.Accuracy
	}
	return out
}

// TestUnitWalkRunsAbsolutePoints: an inference walk in σ relative to the site's RMS gives exactly the accuracy
// of the absolute-σ walk at σ = v·RMS(x_site), RMS measured by SiteStats on the clean model of the same setup
// and seed over the training set (the documented conversion); a walk in dB gives that of σ = RMS·10^(−v/20).
func TestUnitWalkRunsAbsolutePoints(t *testing.T) {
	datatest.RegisterStripes()
	r, st := newRunner(t)
	setup := Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 1, TrainN: 500, TestN: 300, LR: 1e-2}
	const site = 3
	rel := []float64{0.3, 1, 3}
	run := func(spec PlanSpec) *Plan {
		t.Helper()
		spec.Setup, spec.Noise, spec.Sites, spec.Reps, spec.BaseSeed, spec.Modes = setup, noise.Additive, []int{site}, 1, 4, []Mode{Inference}
		p, err := Build(spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Run(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pRel := run(PlanSpec{Unit: noise.RMS, Sigmas: rel})
	pDB := run(PlanSpec{Unit: noise.DB, Sigmas: []float64{-6, 0, 10}})
	if !strings.HasSuffix(pRel.Name, "-rms") || !strings.HasSuffix(pDB.Name, "-db") {
		t.Errorf("plan names %q, %q: want the unit as a suffix", pRel.Name, pDB.Name)
	}
	// The clean model's statistics, as the runner measures them.
	trainSet, testSet, err := r.data(setup)
	if err != nil {
		t.Fatal(err)
	}
	ct, _, err := r.clean(pRel.Points[0], trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := ct.SiteStats(trainSet, 0)
	if err != nil {
		t.Fatal(err)
	}
	rms := stats[site].Signal().RMS()
	var abs []float64
	for _, v := range rel {
		abs = append(abs, v*rms)
	}
	for _, db := range []float64{-6, 0, 10} {
		s, err := noise.ToSigma(noise.Additive, noise.DB, db, stats[site].Signal())
		if err != nil {
			t.Fatal(err)
		}
		abs = append(abs, s)
	}
	pAbs := run(PlanSpec{Sigmas: abs})
	accAbs := map[float64]float64{}
	for _, pt := range pAbs.Points {
		h, _ := Hash(pt)
		rec, _, _ := st.Get(h)
		accAbs[pt.X] = rec.Accuracy
	}
	i := 0
	for _, p := range []*Plan{pRel, pDB} {
		for _, pt := range p.Points[1:] {
			h, _ := Hash(pt)
			rec, ok, err := st.Get(h)
			if !ok || err != nil {
				t.Fatalf("%s: not stored (%v)", pt, err)
			}
			sigma, err := pt.Noise.Sites[site].Absolute(stats[site].Signal())
			if err != nil {
				t.Fatal(err)
			}
			got, ok := accAbs[sigma.Sigma]
			if !ok {
				t.Fatalf("%s: converted σ %v is not on the absolute grid %v", pt, sigma.Sigma, abs)
			}
			if rec.Accuracy != got {
				t.Errorf("%s: accuracy %v, absolute σ %v gives %v", pt, rec.Accuracy, sigma.Sigma, got)
			}
			i++
		}
	}
	if i != 6 {
		t.Errorf("compared %d points, want 6", i)
	}
	// The unit points store the unit and the grid value; the absolute ones no unit (JSON unchanged).
	if pt := pRel.Points[1]; pt.X != rel[0] || pt.Noise.Sites[site].Unit != noise.RMS || pAbs.Points[1].Noise.Sites[site].Unit != noise.Absolute {
		t.Errorf("points: %+v / %+v", pt, pAbs.Points[1])
	}
}

// TestWeightWalk runs layer-wise walks of static and dynamic additive noise on the weights of every Linear
// layer (inference and noisy training) and a static walk in unit rms of the weights; a second run in a fresh
// store (the clean model restored from the cache) reproduces every record exactly. Noise far above the
// weights' RMS brings inference to chance.
func TestWeightWalk(t *testing.T) {
	datatest.RegisterStripes()
	setup := Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 1, TrainN: 400, TestN: 200, LR: 1e-2}
	specs := []PlanSpec{
		{Setup: setup, Noise: noise.Additive, Weights: true, Static: true, Sigmas: []float64{0.01, 10}, Reps: 1, BaseSeed: 2},
		{Setup: setup, Noise: noise.Additive, Weights: true, Sigmas: []float64{0.01, 10}, Reps: 1, BaseSeed: 2, Sites: []int{1}},
		{Setup: setup, Kind: Mixed, Weights: true, Sigmas: []float64{0.01, 1}, Ratios: []float64{0.5}, BothOrders: true,
			Reps: 1, BaseSeed: 2, Sites: []int{1}, Modes: []Mode{Inference}},
		{Setup: setup, Noise: noise.Additive, Weights: true, Static: true, Unit: noise.RMS, Sigmas: []float64{0.5}, Reps: 1, BaseSeed: 2, Sites: []int{0},
			Modes: []Mode{Inference}},
	}
	r, st := newRunner(t)
	r2, st2 := newRunner(t)
	r2.CacheDir = r.CacheDir
	for _, spec := range specs {
		p, err := Build(spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, rr := range []*Runner{r, r2} {
			if _, err := rr.Run(p); err != nil {
				t.Fatal(err)
			}
		}
		a, b := accuracies(t, st, p), accuracies(t, st2, p)
		for k, v := range a {
			if b[k] != v {
				t.Errorf("%s: %v, re-run %v", k, v, b[k])
			}
		}
		if !strings.Contains(p.Name, "-weights") {
			t.Errorf("plan name %q lacks -weights", p.Name)
		}
		if spec.Kind == Mixed { // the readers find the order and the weight layer's name
			curves, err := MixedCurves(st, p)
			if err != nil || len(curves) != 2 || curves[0].AddFirst == curves[1].AddFirst || curves[0].Name != "w1:fc2" {
				t.Errorf("MixedCurves of a weight plan: %+v, %v; want both orders at w1:fc2", curves, err)
			}
		}
		for _, pt := range p.Points {
			t.Logf("%s (X %g): %.2f%%", pt, pt.X, a[pt.String()])
			if pt.Mode == Inference && pt.X == 10 && a[pt.String()] > 30 {
				t.Errorf("%s: %.1f%% with σ = 10 on weights of RMS ≈ 0.05; want near chance (10%%)", pt, a[pt.String()])
			}
		}
	}
}

func TestWeightAndUnitPlanErrors(t *testing.T) {
	base := PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Noise: noise.Additive, Sigmas: []float64{1}, Reps: 1}
	cases := map[string]struct {
		edit func(*PlanSpec)
		want string
	}{
		"static without weights": {func(s *PlanSpec) { s.Static = true }, "static (weight noise"},
		"unit on mixed":          {func(s *PlanSpec) { s.Kind, s.Unit, s.Ratios = Mixed, noise.RMS, []float64{0.5} }, "unit (add and mul"},
		"unknown unit":           {func(s *PlanSpec) { s.Unit = "dbm" }, `unit "dbm"`},
		"abs spelled out":        {func(s *PlanSpec) { s.Unit = "abs" }, `unit "abs"`},
		"mul in max":             {func(s *PlanSpec) { s.Noise, s.Unit = noise.Multiplicative, noise.Max }, "not defined"},
		"weight layer range":     {func(s *PlanSpec) { s.Weights, s.Sites = true, []int{4} }, "weight layers 0..3"},
		"weights on max plans":   {func(s *PlanSpec) { s.Kind, s.Weights = MaxNoise, true }, "weights (layer-wise"},
		"negative rms":           {func(s *PlanSpec) { s.Unit, s.Sigmas = noise.RMS, []float64{-1} }, "≥ 0"},
		"unit on mismatch": {func(s *PlanSpec) {
			s.Kind, s.Modes, s.Unit, s.EvalSigmas = Mismatch, []Mode{Training}, noise.RMS, []float64{1}
		}, "mismatch walk's σ_a and σ_b are absolute"},
		"weights on mismatch": {func(s *PlanSpec) {
			s.Kind, s.Modes, s.Weights, s.EvalSigmas = Mismatch, []Mode{Training}, true, []float64{1}
		}, "weights (layer-wise"},
	}
	for name, c := range cases {
		s := base
		c.edit(&s)
		if _, err := Build(s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
	// An SNR grid may be negative, is linear by default, and the presets give no grid in a unit.
	s := base
	s.Unit, s.Sigmas = noise.DB, []float64{-10, 0, 10}
	p, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := p.Spec.Grid(); g != analysis.LinearGrid {
		t.Errorf("dB grid spacing %v, want linear", g)
	}
	s.Sigmas = nil
	if _, err := Preset("quick", s); err == nil || !strings.Contains(err.Error(), "give the grid in unit db") {
		t.Errorf("preset without a dB grid: %v", err)
	}
	// Global weight noise perturbs every weight layer.
	s = base
	s.Kind, s.Weights = GlobalAll, true
	s.Modes = []Mode{Inference}
	if p, err = Build(s); err != nil {
		t.Fatal(err)
	}
	if w := p.Points[1].Noise.Weights; len(w) != 4 || p.Points[1].Site != -1 || !w[3].EvalOnly {
		t.Errorf("global weight point: %+v", p.Points[1])
	}
}
