package walk

import (
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
)

// planOf returns a plan of the model on MNIST, for the findings that read the model's sites.
func planOf(model string) *Plan {
	return &Plan{Name: model, Spec: PlanSpec{Setup: Setup{Model: model, Data: "mnist"}}}
}

// sc returns a site curve of mode with the given midpoint result.
func sc(mode Mode, site int, name string, mid analysis.MidpointResult) SiteCurve {
	return SiteCurve{Mode: mode, Site: site, Name: name, Mid: mid,
		Curve: analysis.Curve{Sigmas: []float64{1e10}, Acc: [][]float64{{float64(10 * (site + 1))}}}}
}

func TestCurveComparisons(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s} }
	above := analysis.MidpointResult{Censored: analysis.Above, Bound: 100}
	// mlp-tfc-bn: sites 1:fc1, 2:bn1, 4:fc2, 5:bn2 (bn1 > fc1, bn2 < fc2).
	cs := []SiteCurve{sc(Inference, 0, "0:input", m(0.5)), sc(Inference, 1, "1:fc1", m(1)),
		sc(Inference, 2, "2:bn1", m(3)), sc(Inference, 4, "4:fc2", m(2)), sc(Inference, 5, "5:bn2", m(1.5)),
		sc(Training, 0, "0:input", above), sc(Training, -1, "global", m(0.2))}

	ratio, most, least := Spread(cs, Inference)
	if !ratio.Exact() || ratio.Lo != 6 || most != "2:bn1" || least != "0:input" {
		t.Errorf("Spread = %v, %s, %s: want 6, 2:bn1, 0:input", ratio, most, least)
	}
	if r, _, _ := Spread(cs, Clean); !math.IsNaN(r.Lo) {
		t.Errorf("Spread of no curves = %v, want NaN", r)
	}
	pairs, err := BatchNormPairs(planOf("mlp-tfc-bn"), cs, Inference)
	if err != nil || len(pairs) != 2 || pairs[0].After.Name != "2:bn1" || pairs[0].Before.Name != "1:fc1" ||
		pairs[1].After.Name != "5:bn2" || pairs[1].Before.Name != "4:fc2" {
		t.Errorf("BatchNormPairs = %v (%v), want bn1 vs fc1 and bn2 vs fc2", pairs, err)
	}
	if _, err := BatchNormPairs(planOf("mlp-tfc-nobn"), cs, Inference); err == nil {
		t.Error("BatchNormPairs on a model without BatchNorm: want an error")
	}
	if got := Sensitivity(cs, Training); len(got) != 2 || !math.IsInf(got[0], 1) || got[1] != 0.2 {
		t.Errorf("Sensitivity(training) = %v, want [+Inf 0.2]", got)
	}
	if got, why := AllocationMidpoints(cs, Training); got[0] != 100 || !strings.Contains(why, "0:input (> 1e+02)") {
		t.Errorf("AllocationMidpoints of a curve censored above 100 = %v, %q; want its bound 100 and the assumption stated", got, why)
	}
	if got, why := AllocationMidpoints(cs, Inference); len(got) != 5 || why != "" {
		t.Errorf("AllocationMidpoints without censoring = %v, %q", got, why)
	}
	if g, ok := Global(cs, Training); !ok || g.Sigma != 0.2 {
		t.Errorf("Global = %v, %v", g, ok)
	}
	if s, err := GlobalSigma(cs, Training); err != nil || s != 0.2 {
		t.Errorf("GlobalSigma = %v, %v", s, err)
	}
	if _, ok := Global(cs, Inference); ok {
		t.Error("Global of a mode without global curve: want false")
	}
	if c, ok := GlobalCurve(cs, Training); !ok || c.Site != -1 || c.Mode != Training || c.Mid.Sigma != 0.2 {
		t.Errorf("GlobalCurve(training) = %+v, %v", c, ok)
	}
	if _, ok := GlobalCurve(cs, Inference); ok {
		t.Error("GlobalCurve of a mode without global curve: want false")
	}
	if s, ok := Smallest(cs, Inference); !ok || s.Sigma != 0.5 {
		t.Errorf("Smallest = %v", s)
	}
	if _, ok := Smallest(cs, Clean); ok {
		t.Errorf("Smallest of no curves: want false")
	}
	// Accuracies at the first σ are 10·(site+1): sites 0..5 give 10, 20, 30, 50, 60.
	if a, n := CountAbove(cs[:5], 25); a != 3 || n != 5 {
		t.Errorf("CountAbove(25) = %d of %d, want 3 of 5", a, n)
	}
	if sh := MidpointShift(cs, Training, Inference); sh.Yes != 1 || sh.Total() != 1 {
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
	cs := []SiteCurve{sc(Inference, 0, "0:input", below(0.01)), sc(Inference, 1, "1:fc1", m(0.5)),
		sc(Inference, 2, "2:bn1", above(1e6)),
		sc(Training, 0, "0:input", m(0.02)), sc(Training, 1, "1:fc1", above(1e6)), sc(Training, 2, "2:bn1", above(1e6))}
	r, most, least := Spread(cs, Inference)
	if r.Lo != 1e8 || !math.IsInf(r.Hi, 1) || most != "2:bn1" || least != "0:input" || r.String() != "> 1e+08" {
		t.Errorf("Spread = %v (%s), %s, %s; want > 1e8 (σ_max/σ_min), bn1, input", r, r, most, least)
	}
	sh := MidpointShift(cs, Training, Inference)
	// input: 0.02 > "< 0.01" (decided); fc1: "> 1e6" > 0.5 (decided); bn1: "> 1e6" vs "> 1e6" (open).
	if sh.Yes != 2 || sh.No != 0 || sh.Undecided != 1 || !strings.Contains(sh.String(), "1 undecided") ||
		!strings.Contains(sh.String(), "2:bn1") {
		t.Errorf("MidpointShift = %+v (%s), want 2 yes, 1 undecided (bn1)", sh, sh)
	}
	cs[4].PerRep, cs[5].PerRep = []analysis.MidpointResult{above(1e6)}, []analysis.MidpointResult{above(1e6)}
	pairs, err := BatchNormPairs(planOf("mlp-tfc-bn"), cs, Training)
	if _, decided := pairs[0].Sign(); err != nil || len(pairs) != 1 || decided || !strings.Contains(pairs[0].String(), "undecided: ") ||
		!strings.Contains(pairs[0].String(), "censored") {
		t.Errorf("BatchNormPairs with both sites > 1e6 = %v, %v; want one pair undecided by censoring", pairs, err)
	}
	if _, err := GlobalSigma([]SiteCurve{sc(Inference, -1, "global", above(100))}, Inference); err == nil ||
		!strings.Contains(err.Error(), "censored") {
		t.Errorf("GlobalSigma of a censored global midpoint: %v, want a refusal", err)
	}
	if s, _ := Smallest(cs, Inference); s.Censored != analysis.Below {
		t.Errorf("Smallest = %v, want the site censored below", s)
	}
	for _, tc := range []struct {
		m               analysis.MidpointResult
		within, decided bool
	}{{m(1.5), true, true}, {m(5), false, true}, {above(10), false, true}, {above(1.5), false, false}, {below(0.4), false, true}, {below(1), false, false}} {
		if w, d := analysis.WithinFactor(1, tc.m, 2); w != tc.within || d != tc.decided {
			t.Errorf("analysis.WithinFactor(1, %v, 2) = %v, %v; want %v, %v", tc.m, w, d, tc.within, tc.decided)
		}
	}
}

func TestMixedHelpers(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s} }
	cs := []MixedCurve{{Ratio: 0.1, Mid: m(2)}, {Ratio: 0.1, AddFirst: true, Mid: m(2.08)},
		{Ratio: 0.5, Mid: m(2)}, {Ratio: 0.5, AddFirst: true, Mid: m(1)}, {Ratio: 0.9, Mid: m(1)}}
	if v, ok := MixedMidpoint(cs, "", true, 0.5); !ok || v.Sigma != 1 {
		t.Errorf("MixedMidpoint = %v, %v", v, ok)
	}
	if _, ok := MixedMidpoint(cs, "", true, 0.9); ok {
		t.Error("MixedMidpoint of a missing curve: want false")
	}
	if cs[1].Order() != "add→mul" || cs[0].Order() != "mul→add" {
		t.Error("Order names")
	}
	res := []ExecResult{{Policy: "g", Budget: 3}, {Policy: "t", Budget: 1}, {Policy: "g", Budget: 1}}
	if g := ByPolicy(res, "g"); len(g) != 2 || g[0].Budget != 1 || g[1].Budget != 3 {
		t.Errorf("ByPolicy = %+v", g)
	}
}

// reps returns per-repetition midpoints at the given σ.
func reps(sigmas ...float64) []analysis.MidpointResult {
	out := make([]analysis.MidpointResult, len(sigmas))
	for i, s := range sigmas {
		out[i] = analysis.MidpointResult{Sigma: s}
	}
	return out
}

func TestBatchNormPairsDecideByRepetitions(t *testing.T) {
	withReps := func(site int, name string, r []analysis.MidpointResult) SiteCurve {
		c := sc(Inference, site, name, r[0])
		c.PerRep = r
		return c
	}
	// bn1 is 10× fc1 in every repetition (log gap 1, 1.1, 0.9: decided above); bn2 vs fc2 alternates
	// (log gaps 0.3, −0.3, 0.1: the CI includes 0).
	cs := []SiteCurve{withReps(1, "1:fc1", reps(1, 1, 1)), withReps(2, "2:bn1", reps(10, math.Pow(10, 1.1), math.Pow(10, 0.9))),
		withReps(4, "4:fc2", reps(1, 1, 1)), withReps(5, "5:bn2", reps(math.Pow(10, 0.3), math.Pow(10, -0.3), math.Pow(10, 0.1)))}
	pairs, err := BatchNormPairs(planOf("mlp-tfc-bn"), cs, Inference)
	if err != nil || len(pairs) != 2 {
		t.Fatalf("BatchNormPairs = %v, %v", pairs, err)
	}
	if s, ok := pairs[0].Sign(); !ok || s != 1 || math.Abs(pairs[0].Diff.Mean-1) > 1e-12 ||
		!strings.HasSuffix(pairs[0].String(), "after > before") {
		t.Errorf("bn1 vs fc1 = %v, want decided after > before with mean log gap 1", pairs[0])
	}
	if _, ok := pairs[1].Sign(); ok || !strings.HasSuffix(pairs[1].String(), "the CI includes 0") {
		t.Errorf("bn2 vs fc2 = %v, want undecided (CI includes 0)", pairs[1])
	}
	one := []SiteCurve{withReps(1, "1:fc1", reps(1)), withReps(2, "2:bn1", reps(10))}
	if p, _ := BatchNormPairs(planOf("mlp-tfc-bn"), one, Inference); len(p) != 1 || !strings.HasSuffix(p[0].String(), "one repetition, no CI") {
		t.Errorf("one repetition: %v, want undecided without CI", p)
	}
}

func TestOrderGaps(t *testing.T) {
	// r=0.5: add→mul at half the amplitude of mul→add in all three repetitions (log gap −0.301, decided below);
	// r=0.1: equal; r=0.9 has no add→mul curve and is left out.
	cs := []MixedCurve{{Name: "4:fc2", Ratio: 0.1, PerRep: reps(2, 3, 4)}, {Name: "4:fc2", Ratio: 0.1, AddFirst: true, PerRep: reps(2, 3, 4)},
		{Name: "4:fc2", Ratio: 0.5, PerRep: reps(2, 4, 6)}, {Name: "4:fc2", Ratio: 0.5, AddFirst: true, PerRep: reps(1, 2, 3)},
		{Name: "4:fc2", Ratio: 0.9, PerRep: reps(1, 1, 1)}}
	g := OrderGaps(cs, 0.95)
	if len(g) != 2 || g[0].Ratio != 0.1 || g[1].Ratio != 0.5 {
		t.Fatalf("OrderGaps = %v, want r=0.1 and r=0.5", g)
	}
	if _, ok := g[0].Sign(); ok || g[0].Diff.Mean != 0 {
		t.Errorf("equal orders: %v, want undecided with gap 0", g[0])
	}
	if s, ok := g[1].Sign(); !ok || s != -1 || math.Abs(g[1].Diff.Mean+math.Log10(2)) > 1e-12 || !strings.HasSuffix(g[1].String(), "add→mul lower") {
		t.Errorf("halved amplitude: %v, want decided below with gap −log10 2", g[1])
	}
	// Within mul→add, r=0.5 vs r=0.1: log gaps 0, 0.125, 0.176 (CI includes 0 at 95%).
	if sg, ok := ShareGap(cs, "", false, 0.5, 0.1); !ok || math.Abs(sg.Diff.Mean-(math.Log10(4.0/3)+math.Log10(1.5))/3) > 1e-12 {
		t.Errorf("ShareGap = %v, %v", sg, ok)
	}
	if _, ok := ShareGap(cs, "", true, 0.9, 0.1); ok {
		t.Error("ShareGap with a missing curve: want false")
	}
}

func TestTailoredGain(t *testing.T) {
	// Per repetition: tailored − global = 2, 4, 3 points: mean 3, sd 1, half-width t_{0.975,2}/√3 = 2.4841.
	res := []ExecResult{{Policy: "global", Budget: 2, Reps: []int{0, 1, 2}, Acc: []float64{50, 60, 70}},
		{Policy: "inverse_lin", Budget: 2, Reps: []int{0, 1, 2}, Acc: []float64{52, 64, 73}},
		{Policy: "global", Budget: 3, Reps: []int{0, 1}, Acc: []float64{50, 60}},
		{Policy: "inverse_lin", Budget: 3, Reps: []int{0, 2}, Acc: []float64{50, 60}}}
	iv, err := TailoredGain(res, "inverse_lin", 2, 0.95)
	if err != nil || math.Abs(iv.Mean-3) > 1e-12 || math.Abs(iv.Hi-3-2.4841) > 1e-3 {
		t.Errorf("TailoredGain = %v, %v; want 3 ± 2.484", iv, err)
	}
	if _, err := TailoredGain(res, "inverse_lin", 3, 0.95); err == nil || !strings.Contains(err.Error(), "different repetitions") {
		t.Errorf("mismatched repetitions: %v, want an error", err)
	}
	if _, err := TailoredGain(res, "inverse_lin", 5, 0.95); err == nil {
		t.Error("missing budget: want an error")
	}
}

func TestCurveAndAccuracyGaps(t *testing.T) {
	// Free vs clamped at σ = 10, 100 over 3 repetitions: differences 1, 2, 3 points at σ=10 (mean 2, sd 1) and
	// 0, 0, 0 at σ=100; midpoints 100 vs 10 in every repetition (log gap exactly 1).
	free := SiteCurve{Name: "3:fc2", Curve: analysis.Curve{Sigmas: []float64{10, 100}, Acc: [][]float64{{91, 92, 93}, {50, 50, 50}}},
		PerRep: reps(100, 100, 100)}
	clamped := SiteCurve{Name: "3:fc2", Curve: analysis.Curve{Sigmas: []float64{10, 100}, Acc: [][]float64{{90, 90, 90}, {50, 50, 50}}},
		PerRep: reps(10, 10, 10)}
	g, err := AccuracyGaps(free, clamped, 0.95)
	if err != nil || len(g) != 2 || g[0].Mean != 2 || math.Abs(g[0].Hi-2-2.4841) > 1e-3 || g[1].Mean != 0 {
		t.Errorf("AccuracyGaps = %v, %v; want 2 ± 2.484 and 0", g, err)
	}
	if s, ok := CurveGap(free, clamped).Sign(); !ok || s != 1 {
		t.Errorf("CurveGap = %v, want decided above", CurveGap(free, clamped))
	}
	other := clamped
	other.Curve.Sigmas = []float64{10, 300}
	if _, err := AccuracyGaps(free, other, 0.95); err == nil {
		t.Error("different grids: want an error")
	}
}
