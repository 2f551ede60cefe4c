package walk

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func TestRank(t *testing.T) {
	m := func(s float64) analysis.MidpointResult { return analysis.MidpointResult{Sigma: s} }
	withReps := func(c SiteCurve, reps ...float64) SiteCurve {
		for _, r := range reps {
			c.PerRep = append(c.PerRep, analysis.MidpointResult{Sigma: r})
		}
		return c
	}
	below := analysis.MidpointResult{Sigma: math.NaN(), Censored: analysis.Below, Bound: 0.01}
	above := analysis.MidpointResult{Sigma: math.NaN(), Censored: analysis.Above, Bound: 100}
	cs := []SiteCurve{
		withReps(sc(Inference, 0, "0:input", above)),
		withReps(sc(Inference, 1, "1:fc1", m(1)), 1, 1.1, 0.9),
		withReps(sc(Inference, 2, "2:bn1", m(10)), 10, 11, 9),
		withReps(sc(Inference, 3, "3:relu1", m(1)), 1.2, 1, 0.8),
		withReps(sc(Inference, 4, "4:fc2", m(0.01))),
		withReps(sc(Inference, 5, "5:bn2", below)),
		sc(Inference, -1, "global", m(0.001)),
		sc(Training, 0, "0:input", m(5)),
	}
	got := Rank(cs, Inference)
	want := []string{"5:bn2", "4:fc2", "1:fc1", "3:relu1", "2:bn1", "0:input"} // below < 0.01 < 1 = 1 (site order) < 10 < above
	if len(got) != len(want) {
		t.Fatalf("Rank returned %d sites, want %d (global and other modes left out)", len(got), len(want))
	}
	for i, r := range got {
		if r.Name != want[i] || r.Rank != i+1 {
			t.Errorf("place %d: %s (rank %d), want %s", i+1, r.Name, r.Rank, want[i])
		}
	}
	// relu1 → bn1: log10 of 10/1.2, 11/1, 9/0.8 = 0.921, 1.041, 1.051: mean 1.004, decided (bn1 tolerates more).
	if s, ok := got[3].Next.Sign(); !ok || s != 1 || math.Abs(got[3].Next.Diff.Mean-1.00445) > 1e-4 {
		t.Errorf("relu1 → bn1 gap %+v, want decided +1 with mean ≈ 1.0045", got[3].Next)
	}
	// fc1 → relu1: per-repetition log ratios 0.079, −0.041, −0.051: undecided.
	if _, ok := got[2].Next.Sign(); ok {
		t.Errorf("fc1 → relu1 gap %+v decided, want undecided", got[2].Next)
	}
	if got[5].Next.Reason != "last site" {
		t.Errorf("last site's Next = %+v", got[5].Next)
	}
}

// TestCurveMidpointInDB: a curve in SNR dB rises with the SNR; its midpoint is where it crosses a_mid, and its
// censoring reads in dB.
func TestCurveMidpointInDB(t *testing.T) {
	curve := func(acc ...float64) analysis.Curve {
		c := analysis.Curve{Sigmas: []float64{-10, 0, 10, 20}}
		for _, a := range acc {
			c.Acc = append(c.Acc, []float64{a, a + 1})
		}
		return c
	}
	// a_mid = 50; means 10.5, 20.5, 80.5, 90.5: crossing between 0 dB and 10 dB at 0 + (50 − 20.5)/60 · 10.
	mid, ci, err := curveMidpoint(curve(10, 20, 80, 90), 90, 10, analysis.LinearGrid, noise.DB)
	if err != nil || mid.Censored != analysis.None || math.Abs(mid.Sigma-29.5/6) > 1e-9 || mid.Index != 1 {
		t.Errorf("midpoint %+v (%v), want %.4f dB in [0, 10) (index 1)", mid, err, 29.5/6)
	}
	if ci.N != 2 || !(ci.Lo <= mid.Sigma && mid.Sigma <= ci.Hi) {
		t.Errorf("CI %v should bracket the midpoint %v", ci, mid.Sigma)
	}
	if got := mid.String(); got != "4.92e+00" {
		t.Errorf("String = %s", got)
	}
	robust, _, _ := curveMidpoint(curve(90, 90, 90, 90), 90, 10, analysis.LinearGrid, noise.DB)
	if robust.Censored != analysis.Below || robust.Bound != -10 {
		t.Errorf("a curve that never falls: %+v, want < −10 dB", robust)
	}
	fragile, ci2, _ := curveMidpoint(curve(10, 10, 10, 10), 90, 10, analysis.LinearGrid, noise.DB)
	if fragile.Censored != analysis.Above || fragile.Bound != 20 || ci2.Above != 2 {
		t.Errorf("a curve already low at the highest SNR: %+v (CI above %d), want > 20 dB", fragile, ci2.Above)
	}
	// Rank: in dB the highest midpoint is the most sensitive.
	cs := []SiteCurve{{Mode: Inference, Site: 0, Name: "a", Unit: noise.DB, Mid: robust},
		{Mode: Inference, Site: 1, Name: "b", Unit: noise.DB, Mid: mid},
		{Mode: Inference, Site: 2, Name: "c", Unit: noise.DB, Mid: fragile}}
	r := Rank(cs, Inference)
	if r[0].Name != "c" || r[1].Name != "b" || r[2].Name != "a" || r[0].Next.Reason == "" {
		t.Errorf("dB ranking %s %s %s (next %+v), want c b a with no log gap", r[0].Name, r[1].Name, r[2].Name, r[0].Next)
	}
}
