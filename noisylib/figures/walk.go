// Package figures turns walk results into the project's standard figures (static SVG via noisylib/plots):
//
//	nbviz.Show(figures.Heatmap(curves, walk.Inference, "MLP-TFC (BN), inference-only"))
//	nbviz.Show(figures.MidpointBars(curves, "midpoint noise level per site"))
package figures

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// censor converts an analysis censoring to the plots one.
func censor(c analysis.Censoring) plots.Censoring {
	switch c {
	case analysis.Above:
		return plots.CensoredAbove
	case analysis.Below:
		return plots.CensoredBelow
	}
	return plots.Uncensored
}

// ofMode returns the curves of one mode.
func ofMode(curves []walk.SiteCurve, mode walk.Mode) []walk.SiteCurve {
	var out []walk.SiteCurve
	for _, c := range curves {
		if c.Mode == mode {
			out = append(out, c)
		}
	}
	return out
}

// Heatmap draws accuracy over (site × σ) for one mode, with each site's midpoint marked.
func Heatmap(curves []walk.SiteCurve, mode walk.Mode, title string) (*plots.Figure, error) {
	cs := ofMode(curves, mode)
	if len(cs) == 0 {
		return nil, fmt.Errorf("figures: no %s curves to draw", mode)
	}
	h := plots.HeatmapData{Options: plots.Options{Title: title, XLabel: "σ", YLabel: "noise site"},
		Sigmas: cs[0].Curve.Sigmas, LinearX: cs[0].Mid.Grid == analysis.LinearGrid}
	for _, c := range cs {
		h.Sites = append(h.Sites, c.Name)
		h.Acc = append(h.Acc, c.Curve.Mean())
		h.Midpoints = append(h.Midpoints, plots.Midpoint{Sigma: c.Mid.Sigma, Censor: censor(c.Mid.Censored)})
	}
	return plots.Heatmap(h)
}

// MidpointBars draws log10 of each site's midpoint noise level, one bar group per mode, with 95%
// confidence intervals when there are several repetitions and censored midpoints hatched.
func MidpointBars(curves []walk.SiteCurve, title string) (*plots.Figure, error) {
	var modes []walk.Mode
	seen := map[walk.Mode]bool{}
	var sites []string
	siteIdx := map[string]int{}
	for _, c := range curves {
		if !seen[c.Mode] {
			seen[c.Mode] = true
			modes = append(modes, c.Mode)
		}
		if _, ok := siteIdx[c.Name]; !ok {
			siteIdx[c.Name] = len(sites)
			sites = append(sites, c.Name)
		}
	}
	b := plots.BarData{Options: plots.Options{Title: title, XLabel: "noise site", YLabel: "log10 midpoint σ"}, Sites: sites}
	for _, mode := range modes {
		g := plots.BarGroup{Name: string(mode), Values: nan(len(sites)), Low: nan(len(sites)), High: nan(len(sites)),
			Censor: make([]plots.Censoring, len(sites))}
		for _, c := range ofMode(curves, mode) {
			i := siteIdx[c.Name]
			g.Censor[i] = censor(c.Mid.Censored)
			if c.Mid.Censored != analysis.None {
				g.Values[i] = math.Log10(c.Mid.Bound)
				continue
			}
			g.Values[i] = math.Log10(c.Mid.Sigma)
			if c.CI.N > 1 && !math.IsNaN(c.CI.Lo) && c.CI.Lo > 0 {
				g.Low[i], g.High[i] = math.Log10(c.CI.Lo), math.Log10(c.CI.Hi)
				if g.Low[i] > g.Values[i] || g.High[i] < g.Values[i] {
					g.Low[i], g.High[i] = math.NaN(), math.NaN() // the CI is of the per-rep mean, not the mean curve
				}
			}
		}
		b.Groups = append(b.Groups, g)
	}
	return plots.Bars(b)
}

// AccuracyCurves draws accuracy versus σ for every site of one mode (log σ axis on log grids).
func AccuracyCurves(curves []walk.SiteCurve, mode walk.Mode, title string) (*plots.Figure, error) {
	cs := ofMode(curves, mode)
	if len(cs) == 0 {
		return nil, fmt.Errorf("figures: no %s curves to draw", mode)
	}
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "σ", YLabel: "accuracy (%)"},
		LogX: cs[0].Mid.Grid == analysis.LogGrid}
	for _, c := range cs {
		l.Series = append(l.Series, plots.Series{Name: c.Name, X: c.Curve.Sigmas, Y: c.Curve.Mean()})
	}
	return plots.Lines(l)
}

func nan(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}
