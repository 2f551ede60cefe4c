package study

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Spread returns the ratio of the largest to the smallest midpoint (as Value) among the curves of one mode,
// and the names of those two sites. It returns NaN when the mode has fewer than two curves.
func Spread(curves []walk.SiteCurve, mode walk.Mode) (ratio float64, most, least string) {
	hi, lo := math.Inf(-1), math.Inf(1)
	n := 0
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		n++
		v := Value(c.Mid)
		if v > hi {
			hi, most = v, c.Name
		}
		if v < lo {
			lo, least = v, c.Name
		}
	}
	if n < 2 {
		return math.NaN(), "", ""
	}
	return hi / lo, most, least
}

// AfterBatchNorm compares, for every BatchNorm site of the model, its midpoint with that of the site just
// before it (the Dense/Conv output the BatchNorm normalises), in one mode. It returns how many BatchNorm sites
// are more robust than their input site, out of how many pairs were compared.
func AfterBatchNorm(curves []walk.SiteCurve, model string, mode walk.Mode) (higher, total int, err error) {
	m, err := models.New(model, models.MNIST)
	if err != nil {
		return 0, 0, err
	}
	mid := map[int]float64{}
	for _, c := range curves {
		if c.Mode == mode {
			mid[c.Site] = Value(c.Mid)
		}
	}
	for _, s := range m.Sites {
		if s.Kind != models.KindBatchNorm || s.Index == 0 {
			continue
		}
		after, ok1 := mid[s.Index]
		before, ok2 := mid[s.Index-1]
		if ok1 && ok2 {
			total++
			if after > before {
				higher++
			}
		}
	}
	if total == 0 {
		return 0, 0, fmt.Errorf("study: %s has no BatchNorm site with a %s curve and a curve before it", model, mode)
	}
	return higher, total, nil
}

// Sensitivity returns the midpoint of every site of one mode for analysis.PredictGlobalMidpoint and
// walk.PlanSpec.SiteMidpoints: σ_mid, +Inf for a site that never collapsed (censored above), and the grid's
// lower edge for one already collapsed at the first σ.
func Sensitivity(curves []walk.SiteCurve, mode walk.Mode) []float64 {
	var out []float64
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		switch c.Mid.Censored {
		case analysis.Above:
			out = append(out, math.Inf(1))
		case analysis.Below:
			out = append(out, c.Mid.Bound)
		default:
			out = append(out, c.Mid.Sigma)
		}
	}
	return out
}

// Global returns the midpoint (as Value) of the global curve of one mode, and false if there is none.
func Global(curves []walk.SiteCurve, mode walk.Mode) (float64, bool) {
	for _, c := range curves {
		if c.Mode == mode && c.Site == -1 {
			return Value(c.Mid), true
		}
	}
	return math.NaN(), false
}

// Midpoints returns the midpoint of every site of one mode as Value (finite even for censored curves), in
// site order, e.g. for walk.PlanSpec.SiteMidpoints.
func Midpoints(curves []walk.SiteCurve, mode walk.Mode) []float64 {
	var out []float64
	for _, c := range curves {
		if c.Mode == mode {
			out = append(out, Value(c.Mid))
		}
	}
	return out
}

// CountAbove counts the curves whose mean accuracy at their first σ exceeds acc (%), out of how many curves:
// for MAX-noise plans, whose only σ is 1e10, the sites that still train.
func CountAbove(curves []walk.SiteCurve, acc float64) (above, total int) {
	for _, c := range curves {
		if len(c.Curve.Sigmas) == 0 {
			continue
		}
		total++
		if c.Curve.Mean()[0] > acc {
			above++
		}
	}
	return above, total
}

// Smallest returns the smallest of the values (NaN for none): e.g. the least robust site's midpoint.
func Smallest(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	m := values[0]
	for _, v := range values[1:] {
		m = math.Min(m, v)
	}
	return m
}
