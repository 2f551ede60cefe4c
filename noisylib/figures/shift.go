package figures

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/study"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// MidpointShift draws, per site, log10(σ_mid in mode a / σ_mid in mode b): bars above zero mark sites where
// mode a is more robust. Censored midpoints enter as study.Value and their bars are hatched.
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
		g.Values = append(g.Values, math.Log10(study.Value(c.Mid)/study.Value(o.Mid)))
		cens := plots.Uncensored
		if censor(c.Mid.Censored) == plots.CensoredAbove || censor(o.Mid.Censored) == plots.CensoredBelow {
			cens = plots.CensoredAbove
		}
		g.Censor = append(g.Censor, cens)
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("figures: no site has both %s and %s curves", a, b)
	}
	return plots.Bars(plots.BarData{Options: plots.Options{Title: title, XLabel: "noise site",
		YLabel: fmt.Sprintf("log10 σ_mid(%s) / σ_mid(%s)", a, b)}, Sites: sites, Groups: []plots.BarGroup{g}})
}
