package walk

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
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
