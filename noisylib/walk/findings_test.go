package walk

import (
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
)

// sc returns a site curve of mode with the given midpoint result.
// planOf returns a plan of the model on MNIST, for the findings that read the model's sites.
func planOf(model string) *Plan {
	return &Plan{Name: model, Spec: PlanSpec{Setup: Setup{Model: model, Data: "mnist"}}}
}

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
	after, err := AfterBatchNorm(planOf("mlp-tfc-bn"), cs, Inference)
	if err != nil || after.Yes != 1 || after.Total() != 2 || after.Undecided != 0 {
		t.Errorf("AfterBatchNorm = %v (%v), want 1 of 2", after, err)
	}
	if _, err := AfterBatchNorm(planOf("mlp-tfc-nobn"), cs, Inference); err == nil {
		t.Error("AfterBatchNorm on a model without BatchNorm: want an error")
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
	after, err := AfterBatchNorm(planOf("mlp-tfc-bn"), cs, Training)
	if err != nil || after.Undecided != 1 || after.Yes != 0 {
		t.Errorf("AfterBatchNorm with both sites > 1e6 = %+v, %v; want undecided", after, err)
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
	res := []ExecResult{{Policy: "g", Budget: 3}, {Policy: "t", Budget: 1}, {Policy: "g", Budget: 1}}
	if g := ByPolicy(res, "g"); len(g) != 2 || g[0].Budget != 1 || g[1].Budget != 3 {
		t.Errorf("ByPolicy = %+v", g)
	}
}
