package walk

import (
	"cmp"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
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
// per-repetition mean and interval. Curves in SNR dB (SiteCurve.Unit noise.DB) rank the other way — the highest
// midpoint SNR is the most sensitive site — and their Next gap is not computed (a log10 ratio of dB values has no
// meaning; Reason says so).
func Rank(curves []SiteCurve, mode Mode) []RankedSite {
	var out []RankedSite
	for _, c := range curves {
		if c.Mode == mode && c.Site >= 0 {
			out = append(out, RankedSite{SiteCurve: c})
		}
	}
	order := func(c SiteCurve) (float64, int) {
		v, k := c.Mid.Sigma, 0
		switch c.Mid.Censored {
		case analysis.Below:
			v, k = c.Mid.Bound, -1
		case analysis.Above:
			v, k = c.Mid.Bound, 1
		}
		if c.Unit == noise.DB { // a higher SNR at the midpoint is a more sensitive site
			return -v, -k
		}
		return v, k
	}
	slices.SortStableFunc(out, func(a, b RankedSite) int {
		va, ca := order(a.SiteCurve)
		vb, cb := order(b.SiteCurve)
		return cmp.Or(cmp.Compare(va, vb), cmp.Compare(ca, cb))
	})
	for i := range out {
		out[i].Rank = i + 1
		switch {
		case out[i].Unit == noise.DB:
			out[i].Next = LogGap{Reason: "midpoints in SNR dB: compare them by their difference in dB"}
		case i+1 < len(out):
			out[i].Next = CurveGap(out[i+1].SiteCurve, out[i].SiteCurve)
		default:
			out[i].Next = LogGap{Reason: "last site"}
		}
	}
	return out
}
