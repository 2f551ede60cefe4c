package study

import (
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func TestQuickAndSpec(t *testing.T) {
	base := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 5}, Sites: []int{1}}
	quick := walk.PlanSpec{Setup: walk.Setup{TrainN: 100, Epochs: 2}, Sigmas: []float64{1, 2}}

	t.Setenv(EnvPreset, "quick")
	if got := Quick(1, 2); got != 1 || !IsQuick() {
		t.Errorf("quick preset: Quick(1, 2) = %d, IsQuick %v", got, IsQuick())
	}
	s := Spec(base, quick)
	if s.Model != "mlp-tfc-bn" || s.Epochs != 2 || s.TrainN != 100 || len(s.Sigmas) != 2 || len(s.Sites) != 1 {
		t.Errorf("quick Spec = %+v: want the base with quick's non-zero fields (epochs 2, train 100, 2 σ)", s)
	}
	if base.TrainN != 0 || base.Epochs != 5 {
		t.Error("Spec modified its argument")
	}

	t.Setenv(EnvPreset, "paper")
	if got := Quick("a", "b"); got != "b" || IsQuick() {
		t.Errorf("paper preset: Quick = %q", got)
	}
	if s := Spec(base, quick); s.TrainN != 0 || s.Epochs != 5 || s.Sigmas != nil {
		t.Errorf("paper Spec = %+v: want the base unchanged", s)
	}
}

func TestPlanUsesSeedAndPreset(t *testing.T) {
	t.Setenv(EnvPreset, "quick")
	t.Setenv(EnvSeed, "7")
	p, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-nobn", Data: "mnist"}, Sites: []int{2},
		Modes: []walk.Mode{walk.Inference}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.BaseSeed != 7 || p.Points[0].Seed != 7 || p.Spec.TrainN != 10000 {
		t.Errorf("Plan: seed %d, first point seed %d, train %d: want 7, 7 and the quick preset's 10000",
			p.Spec.BaseSeed, p.Points[0].Seed, p.Spec.TrainN)
	}
	if _, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "nope", Data: "mnist"}}); err == nil {
		t.Error("Plan of an unknown model: want an error")
	}
}

func TestStandardWalks(t *testing.T) {
	t.Setenv(EnvPreset, "quick")
	l := InferenceWalk("lenet5-bn")
	if l.TrainN != 8000 || l.TestN != 400 || len(l.Sigmas) != 9 || l.Sigmas[8] != 100 {
		t.Errorf("quick LeNet walk = %+v", l)
	}
	g := GlobalWalk("lenet5-bn", walk.Inference)
	if g.Kind != walk.GlobalAll || g.Setup != l.Setup || len(g.Modes) != 1 {
		t.Errorf("GlobalWalk = %+v: want kind global with the layer-wise walk's setup", g)
	}
	t.Setenv(EnvPreset, "paper")
	if l := InferenceWalk("lenet5-bn"); l.TrainN != 0 || l.Sigmas != nil {
		t.Errorf("paper LeNet walk = %+v: want preset fields left zero", l)
	}
}

// sc returns a site curve of mode with the given midpoint result.
func sc(mode walk.Mode, site int, name string, mid analysis.MidpointResult) walk.SiteCurve {
	return walk.SiteCurve{Mode: mode, Site: site, Name: name, Mid: mid,
		Curve: analysis.Curve{Sigmas: []float64{1e10}, Acc: [][]float64{{float64(10 * (site + 1))}}}}
}

func TestCurveComparisons(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s} }
	above := analysis.MidpointResult{Censored: analysis.Above, Bound: 100}
	// mlp-tfc-bn: sites 1:fc1, 2:bn1, 4:fc2, 5:bn2 (bn1 > fc1, bn2 < fc2).
	cs := []walk.SiteCurve{sc(walk.Inference, 0, "0:input", m(0.5)), sc(walk.Inference, 1, "1:fc1", m(1)),
		sc(walk.Inference, 2, "2:bn1", m(3)), sc(walk.Inference, 4, "4:fc2", m(2)), sc(walk.Inference, 5, "5:bn2", m(1.5)),
		sc(walk.Training, 0, "0:input", above), sc(walk.Training, -1, "global", m(0.2))}

	ratio, most, least := Spread(cs, walk.Inference)
	if !ratio.Exact() || ratio.Lo != 6 || most != "2:bn1" || least != "0:input" {
		t.Errorf("Spread = %v, %s, %s: want 6, 2:bn1, 0:input", ratio, most, least)
	}
	if r, _, _ := Spread(cs, walk.Clean); !math.IsNaN(r.Lo) {
		t.Errorf("Spread of no curves = %v, want NaN", r)
	}
	after, err := AfterBatchNorm(cs, "mlp-tfc-bn", walk.Inference)
	if err != nil || after.Yes != 1 || after.Total() != 2 || after.Undecided != 0 {
		t.Errorf("AfterBatchNorm = %v (%v), want 1 of 2", after, err)
	}
	if _, err := AfterBatchNorm(cs, "mlp-tfc-nobn", walk.Inference); err == nil {
		t.Error("AfterBatchNorm on a model without BatchNorm: want an error")
	}
	if got := Sensitivity(cs, walk.Training); len(got) != 2 || !math.IsInf(got[0], 1) || got[1] != 0.2 {
		t.Errorf("Sensitivity(training) = %v, want [+Inf 0.2]", got)
	}
	if got, why := AllocationMidpoints(cs, walk.Training); got[0] != 100 || !strings.Contains(why, "0:input (> 1e+02)") {
		t.Errorf("AllocationMidpoints of a curve censored above 100 = %v, %q; want its bound 100 and the assumption stated", got, why)
	}
	if got, why := AllocationMidpoints(cs, walk.Inference); len(got) != 5 || why != "" {
		t.Errorf("AllocationMidpoints without censoring = %v, %q", got, why)
	}
	if g, ok := Global(cs, walk.Training); !ok || g.Sigma != 0.2 {
		t.Errorf("Global = %v, %v", g, ok)
	}
	if s, err := GlobalSigma(cs, walk.Training); err != nil || s != 0.2 {
		t.Errorf("GlobalSigma = %v, %v", s, err)
	}
	if _, ok := Global(cs, walk.Inference); ok {
		t.Error("Global of a mode without global curve: want false")
	}
	if s, ok := Smallest(cs, walk.Inference); !ok || s.Sigma != 0.5 {
		t.Errorf("Smallest = %v", s)
	}
	if _, ok := Smallest(cs, walk.Clean); ok {
		t.Errorf("Smallest of no curves: want false")
	}
	// Accuracies at the first σ are 10·(site+1): sites 0..5 give 10, 20, 30, 50, 60.
	if a, n := CountAbove(cs[:5], 25); a != 3 || n != 5 {
		t.Errorf("CountAbove(25) = %d of %d, want 3 of 5", a, n)
	}
	if sh := MidpointShift(cs, walk.Training, walk.Inference); sh.Yes != 1 || sh.Total() != 1 {
		t.Errorf("MidpointShift = %v, want 1 of 1", sh)
	}
}

// TestCensoredFindings: findings over censored midpoints use their bounds and count what they cannot decide
// instead of inventing 10·σ_max or σ_min/10 (issue 14, fault 9).
func TestCensoredFindings(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s, Bound: math.NaN()} }
	above := func(b float64) analysis.MidpointResult {
		return analysis.MidpointResult{Sigma: math.NaN(), Censored: analysis.Above, Bound: b}
	}
	below := func(b float64) analysis.MidpointResult {
		return analysis.MidpointResult{Sigma: math.NaN(), Censored: analysis.Below, Bound: b}
	}
	// Inference: input "< 0.01", fc1 0.5, bn1 "> 1e6". Training: input 0.02, fc1 "> 1e6", bn1 "> 1e6".
	cs := []walk.SiteCurve{sc(walk.Inference, 0, "0:input", below(0.01)), sc(walk.Inference, 1, "1:fc1", m(0.5)),
		sc(walk.Inference, 2, "2:bn1", above(1e6)),
		sc(walk.Training, 0, "0:input", m(0.02)), sc(walk.Training, 1, "1:fc1", above(1e6)), sc(walk.Training, 2, "2:bn1", above(1e6))}
	r, most, least := Spread(cs, walk.Inference)
	if r.Lo != 1e8 || !math.IsInf(r.Hi, 1) || most != "2:bn1" || least != "0:input" || r.String() != "> 1e+08" {
		t.Errorf("Spread = %v (%s), %s, %s; want > 1e8 (σ_max/σ_min), bn1, input", r, r, most, least)
	}
	sh := MidpointShift(cs, walk.Training, walk.Inference)
	// input: 0.02 > "< 0.01" (decided); fc1: "> 1e6" > 0.5 (decided); bn1: "> 1e6" vs "> 1e6" (open).
	if sh.Yes != 2 || sh.No != 0 || sh.Undecided != 1 || !strings.Contains(sh.String(), "1 undecided") ||
		!strings.Contains(sh.String(), "2:bn1") {
		t.Errorf("MidpointShift = %+v (%s), want 2 yes, 1 undecided (bn1)", sh, sh)
	}
	after, err := AfterBatchNorm(cs, "mlp-tfc-bn", walk.Training)
	if err != nil || after.Undecided != 1 || after.Yes != 0 {
		t.Errorf("AfterBatchNorm with both sites > 1e6 = %+v, %v; want undecided", after, err)
	}
	if _, err := GlobalSigma([]walk.SiteCurve{sc(walk.Inference, -1, "global", above(100))}, walk.Inference); err == nil ||
		!strings.Contains(err.Error(), "censored") {
		t.Errorf("GlobalSigma of a censored global midpoint: %v, want a refusal", err)
	}
	if s, _ := Smallest(cs, walk.Inference); s.Censored != analysis.Below {
		t.Errorf("Smallest = %v, want the site censored below", s)
	}
	for _, tc := range []struct {
		m               analysis.MidpointResult
		within, decided bool
	}{{m(1.5), true, true}, {m(5), false, true}, {above(10), false, true}, {above(1.5), false, false}, {below(0.4), false, true}, {below(1), false, false}} {
		if w, d := WithinFactor(1, tc.m, 2); w != tc.within || d != tc.decided {
			t.Errorf("WithinFactor(1, %v, 2) = %v, %v; want %v, %v", tc.m, w, d, tc.within, tc.decided)
		}
	}
	oc := OrderCompare([]MixedCurve{{Ratio: 0.1, Mid: above(1e3)}, {Ratio: 0.1, AddFirst: true, Mid: above(1e3)},
		{Ratio: 0.5, Mid: above(1e3)}, {Ratio: 0.5, AddFirst: true, Mid: m(10)}}, 0.05)
	if oc.Yes != 1 || oc.Undecided != 1 {
		t.Errorf("OrderCompare with censored curves = %+v, want 1 yes, 1 undecided", oc)
	}
}

func TestMixedHelpers(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s} }
	cs := []MixedCurve{{Ratio: 0.1, Mid: m(2)}, {Ratio: 0.1, AddFirst: true, Mid: m(2.08)},
		{Ratio: 0.5, Mid: m(2)}, {Ratio: 0.5, AddFirst: true, Mid: m(1)}, {Ratio: 0.9, Mid: m(1)}}
	if o := OrderCompare(cs, 0.05); o.Yes != 2 || o.Total() != 2 {
		t.Errorf("OrderCompare(5%%) = %v, want 2 of 2", o)
	}
	if o := OrderCompare(cs, 0); o.Yes != 1 || o.Total() != 2 {
		t.Errorf("OrderCompare(0) = %v, want 1 of 2", o)
	}
	if v, ok := MixedMidpoint(cs, "", true, 0.5); !ok || v.Sigma != 1 {
		t.Errorf("MixedMidpoint = %v, %v", v, ok)
	}
	if _, ok := MixedMidpoint(cs, "", true, 0.9); ok {
		t.Error("MixedMidpoint of a missing curve: want false")
	}
	if cs[1].Order() != "add→mul" || cs[0].Order() != "mul→add" {
		t.Error("Order names")
	}
	if _, err := MixedCurves(&walk.Plan{Spec: walk.PlanSpec{Kind: walk.LayerWise}}); err == nil {
		t.Error("MixedCurves of a layer-wise plan: want an error")
	}
	if _, err := MultiExecResults(&walk.Plan{Spec: walk.PlanSpec{Kind: walk.Mixed}}); err == nil {
		t.Error("MultiExecResults of a mixed plan: want an error")
	}
	res := []ExecResult{{Policy: "g", Budget: 3}, {Policy: "t", Budget: 1}, {Policy: "g", Budget: 1}}
	if g := ByPolicy(res, "g"); len(g) != 2 || g[0].Budget != 1 || g[1].Budget != 3 {
		t.Errorf("ByPolicy = %+v", g)
	}
}

func TestDynamicsRunAndSNRGain(t *testing.T) {
	mk := func(sigma, ms float64) DynamicsRun {
		r := DynamicsRun{Sigma: sigma, Spec: noise.Add(sigma), Epochs: []dynamics.EpochRecord{{Epoch: 1,
			Layers: []dynamics.LayerStats{{Op: "fc1"}}, Sites: []train.SiteStat{{MeanSquare: ms, Elements: 1}}}}}
		if sigma == 0 {
			r.Spec = noise.NoNoise()
		}
		return r
	}
	// Reference power 1, trained power 100, noise σ = 10: SNR 0 dB vs −20 dB, a gain of 20 dB.
	sig, gain, err := SNRGain([]DynamicsRun{mk(0, 1), mk(10, 100)}, 0)
	if err != nil || len(gain) != 1 || sig[0] != 10 || math.Abs(gain[0]-20) > 1e-9 {
		t.Errorf("SNRGain = %v, %v (%v), want [10] [20]", sig, gain, err)
	}
	if _, _, err := SNRGain([]DynamicsRun{mk(10, 100)}, 0); err == nil {
		t.Error("SNRGain without the noise-free run: want an error")
	}
	if _, _, err := SNRGain([]DynamicsRun{mk(0, 1), mk(10, 100)}, 4); err == nil {
		t.Error("SNRGain at a site without statistics: want an error")
	}
	r := mk(10, 4)
	if r.SiteRMS(0) != 2 || !math.IsNaN(r.SiteRMS(1)) {
		t.Errorf("SiteRMS = %v, %v; want 2, NaN", r.SiteRMS(0), r.SiteRMS(1))
	}
	if _, ok := r.Layer("fc1"); !ok {
		t.Error("Layer(fc1) not found")
	}
	if _, ok := r.Layer("fc9"); ok {
		t.Error("Layer(fc9) found")
	}
	if _, err := Dynamics(DynamicsSpec{Model: "mlp-tfc-bn", Data: "mnist", Noise: noise.Combined, Sigmas: []float64{1}}); err == nil {
		t.Error("Dynamics with combined noise: want an error")
	}
	if _, err := Dynamics(DynamicsSpec{Model: "mlp-tfc-bn", Data: "mnist", Noise: noise.Additive}); err == nil {
		t.Error("Dynamics without σ: want an error")
	}
}

func TestSiteRowsDataAndSweepErrors(t *testing.T) {
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	h, rows := SiteRows(m)
	if len(h) != 4 || len(rows) != 11 || rows[0][0] != "0:input" || rows[0][3] != "784" || rows[2][1] != "batchnorm" {
		t.Errorf("SiteRows = %v, first rows %v", h, rows[:3])
	}
	if _, _, err := Data("mnist", -1, 0); err == nil {
		t.Error("Data with a negative count: want an error")
	}
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(b, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	setup := walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}
	if _, err := SigmaSweep(tr, nil, setup, 11, noise.Additive, []float64{1}); err == nil {
		t.Error("SigmaSweep at site 11 of an 11-site model: want an error")
	}
	if _, err := SigmaSweep(tr, nil, setup, 1, noise.Additive, nil); err == nil {
		t.Error("SigmaSweep without σ: want an error")
	}
	if _, err := SigmaSweep(tr, nil, walk.Setup{Model: "lenet5-bn"}, 1, noise.Additive, []float64{1}); err == nil ||
		!strings.Contains(err.Error(), "lenet5-bn") {
		t.Errorf("SigmaSweep with another model's setup: error %v, want one naming it", err)
	}
}

// TestInvalidSeedIsAnError: an invalid $WALKINGNOISE_SEED is an error naming the variable, not silently seed 1.
func TestInvalidSeedIsAnError(t *testing.T) {
	for _, v := range []string{"abc", "-1", "1.5", "0x10"} {
		t.Setenv(EnvSeed, v)
		if _, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}}); err == nil ||
			!strings.Contains(err.Error(), EnvSeed) {
			t.Errorf("%s=%q: Plan error %v, want one naming the variable", EnvSeed, v, err)
		}
	}
	t.Setenv(EnvSeed, " 7 ")
	if p, err := Plan(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}}); err != nil || p.Spec.BaseSeed != 7 {
		t.Errorf("%s=' 7 ': %v, %v", EnvSeed, p, err)
	}
}
