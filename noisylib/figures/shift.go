package figures

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// MidpointShift draws, per site, log10(σ_mid in mode a / σ_mid in mode b): bars above zero mark sites where
// mode a is more robust. Where a midpoint is censored the ratio is only a bound (analysis.Ratio): the bar
// stops at that bound and is hatched as "at least" or "at most"; a ratio no bound decides has no bar.
func MidpointShift(curves []walk.SiteCurve, a, b walk.Mode, title string) (*plots.Figure, error) {
	ca, cb := ofMode(curves, a), ofMode(curves, b)
	byB := map[int]walk.SiteCurve{}
	for _, c := range cb {
		byB[c.Site] = c
	}
	g := plots.BarGroup{Name: fmt.Sprintf("%s vs %s", a, b)}
	var sites []string
	for _, c := range ca {
		o, ok := byB[c.Site]
		if !ok {
			continue
		}
		sites = append(sites, c.Name)
		r := analysis.Ratio(c.Mid, o.Mid)
		v, cens := math.NaN(), plots.Uncensored
		switch {
		case r.Exact():
			v = math.Log10(r.Lo)
		case r.Lo > 0 && math.IsInf(r.Hi, 1):
			v, cens = math.Log10(r.Lo), plots.CensoredAbove
		case r.Lo <= 0 && !math.IsInf(r.Hi, 1) && r.Hi > 0:
			v, cens = math.Log10(r.Hi), plots.CensoredBelow
		}
		g.Values = append(g.Values, v)
		g.Censor = append(g.Censor, cens)
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("figures: no site has both %s and %s curves", a, b)
	}
	return plots.Bars(plots.BarData{Options: plots.Options{Title: title, XLabel: "noise site",
		YLabel: fmt.Sprintf("log10 σ_mid(%s) / σ_mid(%s)", a, b)}, Sites: sites, Groups: []plots.BarGroup{g}})
}
