package figures

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// KL draws the KL sensitivity of every site (walk.KLCurves: mean over repetitions of the KL divergence, nats,
// from the clean model's outputs to the noisy model's) versus σ on log–log axes, each site's legend entry
// giving its accuracy midpoint from curves (the inference curves of the same plan; nil: none shown). Values
// ≤ 0 (KL of a noise too small to register in float32) are left out.
func KL(kl []walk.KLCurve, curves []walk.SiteCurve, title string) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "σ", YLabel: "KL(clean ‖ noisy), nats"}, LogX: true,
		LogY: true, Markers: true}
	for _, c := range kl {
		s := plots.Series{Name: c.Name}
		for _, m := range curves {
			if m.Mode == walk.Inference && m.Site == c.Site {
				s.Name += " (midpoint " + m.Mid.String() + ")"
			}
		}
		for k, v := range c.Mean() {
			if v > 0 {
				s.X, s.Y = append(s.X, c.Sigmas[k]), append(s.Y, v)
			}
		}
		if len(s.X) > 0 {
			l.Series = append(l.Series, s)
		}
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no KL values to draw")
	}
	return plots.Lines(l)
}
