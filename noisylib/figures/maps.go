package figures

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// MixedMap draws the accuracy of mixed noise as a 2-D map: one row per (order, additive share r), columns
// the amplitude A (log axis), with each row's midpoint amplitude marked. Rows of both orders are stacked,
// mul→add first, so the two orders can be compared row by row; a white rule separates the orders.
func MixedMap(curves []walk.MixedCurve, mode walk.Mode, title string) (*plots.Figure, error) {
	h := plots.HeatmapData{Options: plots.Options{Title: title, XLabel: "amplitude A  (σ_add = A·r, σ_mul = A·(1−r))",
		YLabel: "order, additive share r"}}
	severalSites := false // then every row names its site
	for _, c := range curves {
		severalSites = severalSites || c.Site != curves[0].Site
	}
	prev := 0
	for i, c := range curves {
		if c.Mode != mode {
			continue
		}
		if h.Sigmas == nil {
			h.Sigmas = c.Amplitudes
		} else if len(c.Amplitudes) != len(h.Sigmas) {
			return nil, fmt.Errorf("figures: mixed curves with different amplitude grids (%d and %d values)",
				len(h.Sigmas), len(c.Amplitudes))
		}
		if n := len(h.Sites); n > 0 && (c.Order() != curves[prev].Order() || c.Site != curves[prev].Site) {
			h.Breaks = append(h.Breaks, n) // another order or site starts: no midpoint line across
		}
		prev = i
		label := fmt.Sprintf("%s r=%g", c.Order(), c.Ratio)
		if severalSites {
			label = c.Name + " " + label
		}
		h.Sites = append(h.Sites, label)
		h.Acc = append(h.Acc, c.Acc)
		h.Midpoints = append(h.Midpoints, plots.Midpoint{Sigma: c.Mid.Sigma, Censor: censor(c.Mid.Censored)})
	}
	if len(h.Sites) == 0 {
		return nil, fmt.Errorf("figures: no %s mixed curves to draw", mode)
	}
	h.LinearX = curves[0].Mid.Grid == analysis.LinearGrid // the plan's spacing, not a guess from the values
	return plots.Heatmap(h)
}

// MultiExec draws the accuracy of multi-execution against the budget B (average executions per site), one
// line per policy, with ± one standard deviation over repetitions as a band.
func MultiExec(results []walk.ExecResult, title string) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "budget B (executions per site on average)",
		YLabel: "accuracy (%)"}, Markers: true}
	idx := map[string]int{}
	for _, r := range results {
		i, ok := idx[r.Policy]
		if !ok {
			i = len(l.Series)
			idx[r.Policy] = i
			l.Series = append(l.Series, plots.Series{Name: r.Policy, Low: []float64{}, High: []float64{}})
		}
		s := &l.Series[i]
		s.X, s.Y = append(s.X, float64(r.Budget)), append(s.Y, r.Mean)
		s.Low, s.High = append(s.Low, r.Mean-r.Std), append(s.High, r.Mean+r.Std)
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no multi-execution results to draw")
	}
	return plots.Lines(l)
}
