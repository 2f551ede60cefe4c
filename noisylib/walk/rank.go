package walk

import (
	"cmp"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
)

// RankedSite is one site of a sensitivity ranking (Rank).
type RankedSite struct {
	SiteCurve
	// Rank is the site's place: 1 for the most sensitive site (the smallest midpoint).
	Rank int
	// Next compares the site with the next less sensitive one (CurveGap(next, this): log10 of how many times
	// more noise the next site tolerates, paired by repetition, with its 95% interval); the zero LogGap with
	// Reason "last site" for the least sensitive site.
	Next LogGap
}

// Rank orders the per-site curves of one mode (global curves, Site −1, left out) from the most sensitive site
// to the least, by midpoint: a site censored below (collapsed already at σ_min) ranks before an uncensored site
// at that σ, one censored above (never collapsed up to σ_max) after it; ties keep site order. Each site is
// compared with the next one by the paired gap of their per-repetition midpoints, so a reader sees which
// places the repetitions decide. The midpoints are those of the mean curves (SiteCurve.Mid); CI holds the
// per-repetition mean and interval.
func Rank(curves []SiteCurve, mode Mode) []RankedSite {
	var out []RankedSite
	for _, c := range curves {
		if c.Mode == mode && c.Site >= 0 {
			out = append(out, RankedSite{SiteCurve: c})
		}
	}
	order := func(m analysis.MidpointResult) (float64, int) {
		switch m.Censored {
		case analysis.Below:
			return m.Bound, -1
		case analysis.Above:
			return m.Bound, 1
		}
		return m.Sigma, 0
	}
	slices.SortStableFunc(out, func(a, b RankedSite) int {
		va, ca := order(a.Mid)
		vb, cb := order(b.Mid)
		return cmp.Or(cmp.Compare(va, vb), cmp.Compare(ca, cb))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i+1 < len(out) {
			out[i].Next = CurveGap(out[i+1].SiteCurve, out[i].SiteCurve)
		} else {
			out[i].Next = LogGap{Reason: "last site"}
		}
	}
	return out
}
