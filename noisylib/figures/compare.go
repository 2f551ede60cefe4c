package figures

import (
	"fmt"
	"math"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Labeled is a set of walk curves with a label, e.g. the curves of one model variant.
type Labeled struct {
	// Label names the set, e.g. "mlp-tfc-bn".
	Label string
	// Curves are the curves of the set.
	Curves []walk.SiteCurve
}

// CurvesByLabel draws accuracy versus σ for every curve of every set (log σ axis), named "label, mode,
// site" (the site is left out for global curves), with the data set's chance level as a reference line.
func CurvesByLabel(sets []Labeled, title string) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "σ", YLabel: "accuracy (%)"}, LogX: true,
		Markers: true}
	for _, s := range sets {
		for _, c := range s.Curves {
			if !slices.Contains(l.HLines, c.AMin) {
				l.HLines = append(l.HLines, c.AMin)
			}
			name := fmt.Sprintf("%s, %s", s.Label, c.Mode)
			if c.Site >= 0 {
				name += ", " + c.Name
			}
			l.Series = append(l.Series, plots.Series{Name: name, X: c.Curve.Sigmas, Y: c.Curve.Mean()})
		}
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no curves to draw")
	}
	return plots.Lines(l)
}

// SiteAccuracy draws, per site, the mean accuracy at the first σ of every set's curves of one mode (e.g.
// the MAX-noise plans, whose only σ is 1e10) as grouped bars, one group per set.
func SiteAccuracy(sets []Labeled, mode walk.Mode, title string) (*plots.Figure, error) {
	var sites []string
	idx := map[string]int{}
	for _, s := range sets {
		for _, c := range ofMode(s.Curves, mode) {
			if _, ok := idx[c.Name]; !ok {
				idx[c.Name] = len(sites)
				sites = append(sites, c.Name)
			}
		}
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("figures: no %s curves to draw", mode)
	}
	b := plots.BarData{Options: plots.Options{Title: title, XLabel: "noise site", YLabel: "accuracy (%)"}, Sites: sites}
	for _, s := range sets {
		g := plots.BarGroup{Name: s.Label, Values: nan(len(sites))}
		for _, c := range ofMode(s.Curves, mode) {
			g.Values[idx[c.Name]] = c.Curve.Mean()[0]
		}
		b.Groups = append(b.Groups, g)
	}
	return plots.Bars(b)
}

// LogBars draws log10 of positive values as grouped bars: values[g][i] is group g at category i; NaN leaves
// a gap. It suits midpoints compared across models, e.g. global vs smallest layer-wise midpoint.
func LogBars(categories, groups []string, values [][]float64, ylabel, title string) (*plots.Figure, error) {
	if len(values) != len(groups) {
		return nil, fmt.Errorf("figures: %d groups but %d value rows", len(groups), len(values))
	}
	b := plots.BarData{Options: plots.Options{Title: title, YLabel: ylabel}, Sites: categories}
	for g, name := range groups {
		if len(values[g]) != len(categories) {
			return nil, fmt.Errorf("figures: group %q has %d values for %d categories", name, len(values[g]), len(categories))
		}
		bg := plots.BarGroup{Name: name, Values: nan(len(categories))}
		for i, v := range values[g] {
			if v > 0 && !math.IsInf(v, 0) {
				bg.Values[i] = math.Log10(v)
			} else if !math.IsNaN(v) {
				return nil, fmt.Errorf("figures: group %q, %s: value %v must be > 0 and finite", name, categories[i], v)
			}
		}
		b.Groups = append(b.Groups, bg)
	}
	return plots.Bars(b)
}

// PredictedVsMeasured draws measured against predicted values on log axes with the y = x line, one labelled
// point per name.
func PredictedVsMeasured(names []string, predicted, measured []float64, xlabel, ylabel, title string) (*plots.Figure, error) {
	return plots.Scatter(plots.ScatterData{Options: plots.Options{Title: title, XLabel: xlabel, YLabel: ylabel},
		Log: true, Groups: []plots.ScatterGroup{{X: predicted, Y: measured, Labels: names}}})
}
