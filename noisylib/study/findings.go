package study

import (
	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Value returns a midpoint as a comparable number: σ_mid, or the grid edge times (divided by) 10 for a
// result censored above (below).
func Value(m analysis.MidpointResult) float64 {
	switch m.Censored {
	case analysis.Above:
		return m.Bound * 10
	case analysis.Below:
		return m.Bound / 10
	}
	return m.Sigma
}

// MidpointShift compares the midpoints of two modes at every site present in both and returns how many
// sites have a higher midpoint in mode a than in mode b, out of how many compared.
func MidpointShift(curves []walk.SiteCurve, a, b walk.Mode) (higher, total int) {
	mids := map[walk.Mode]map[int]float64{a: {}, b: {}}
	for _, c := range curves {
		if m, ok := mids[c.Mode]; ok {
			m[c.Site] = Value(c.Mid)
		}
	}
	for site, va := range mids[a] {
		if vb, ok := mids[b][site]; ok {
			total++
			if va > vb {
				higher++
			}
		}
	}
	return higher, total
}
