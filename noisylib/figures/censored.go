package figures

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// MidpointLogBars draws groups of midpoints per category (e.g. global and smallest layer-wise midpoints per
// model) as log10 σ bars. A censored midpoint is drawn at its bound and hatched ("> σ_max" or "< σ_min"), so
// the figure never shows a bound as a measurement; mids[g][i] is group g's midpoint of category i.
func MidpointLogBars(categories, groups []string, mids [][]analysis.MidpointResult, title string) (*plots.Figure, error) {
	if len(mids) != len(groups) {
		return nil, fmt.Errorf("figures: %d groups but %d midpoint rows", len(groups), len(mids))
	}
	b := plots.BarData{Options: plots.Options{Title: title, YLabel: "log10 midpoint σ"}, Sites: categories}
	for g, name := range groups {
		if len(mids[g]) != len(categories) {
			return nil, fmt.Errorf("figures: group %q has %d midpoints for %d categories", name, len(mids[g]), len(categories))
		}
		bg := plots.BarGroup{Name: name, Values: nan(len(categories)), Censor: make([]plots.Censoring, len(categories))}
		for i, m := range mids[g] {
			v := m.Sigma
			if m.Censored != analysis.None {
				v = m.Bound
			}
			if v > 0 && !math.IsInf(v, 0) {
				bg.Values[i], bg.Censor[i] = math.Log10(v), censor(m.Censored)
			}
		}
		b.Groups = append(b.Groups, bg)
	}
	return plots.Bars(b)
}

// PredictedVsMidpoint draws measured midpoints against predicted values on log axes with the y = x line. A
// censored measurement is drawn at its bound in a separate group labelled as a bound, so the figure says which
// points are only bounds.
func PredictedVsMidpoint(names []string, predicted []float64, measured []analysis.MidpointResult, xlabel, ylabel, title string) (*plots.Figure, error) {
	if len(predicted) != len(names) || len(measured) != len(names) {
		return nil, fmt.Errorf("figures: %d names, %d predictions, %d measurements", len(names), len(predicted), len(measured))
	}
	exact := plots.ScatterGroup{Name: "measured"}
	bound := plots.ScatterGroup{Name: "censored: drawn at its bound"}
	for i, m := range measured {
		g, y := &exact, m.Sigma
		if m.Censored != analysis.None {
			g, y = &bound, m.Bound
		}
		g.X, g.Y, g.Labels = append(g.X, predicted[i]), append(g.Y, y), append(g.Labels, names[i]+" "+m.String())
	}
	var gs []plots.ScatterGroup
	for _, g := range []plots.ScatterGroup{exact, bound} {
		if len(g.X) > 0 {
			gs = append(gs, g)
		}
	}
	return plots.Scatter(plots.ScatterData{Options: plots.Options{Title: title, XLabel: xlabel, YLabel: ylabel},
		Log: true, Groups: gs})
}

// PredictionRows returns a table of predicted values and measured midpoints (for nbviz.Table): the ratio is a
// number when the midpoint was measured and a bound when it is censored.
func PredictionRows(names []string, aName, bName string, predicted []float64, measured []analysis.MidpointResult) (header []string, rows [][]string) {
	header = []string{"", aName, bName, bName + " / " + aName}
	for i, n := range names {
		if i >= len(predicted) || i >= len(measured) {
			break
		}
		lo, hi := measured[i].Interval()
		ratio := analysis.Bounds{Lo: lo / predicted[i], Hi: hi / predicted[i]}
		rows = append(rows, []string{n, fmt.Sprintf("%.3g", predicted[i]), measured[i].String(), ratio.String()})
	}
	return header, rows
}
