package walk

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// AdaptiveComparison sets the midpoint an adaptive search found at one site beside the full grid's.
type AdaptiveComparison struct {
	// Site is the site index and Name its readable name, e.g. "4:fc2".
	Site int
	Name string
	// Adaptive is the search's midpoint (AdaptiveCurve.Mid), Grid the full grid's (SiteCurve.Mid of Curves).
	Adaptive, Grid analysis.MidpointResult
	// Steps is the distance |log10(Adaptive.Sigma / Grid.Sigma)| in steps of the plan's log grid; 0 when both
	// are censored alike, NaN when only one of them is censored or they are censored differently.
	Steps float64
	// Trained and GridTrained count the noisy trainings of this site in the search and on the full grid
	// (σ × repetitions).
	Trained, GridTrained int
	// Agree is true when both midpoints are censored alike, or neither is and they lie within one grid step.
	Agree bool
}

// CompareAdaptive compares the midpoints of an adaptive search of plan p (curves, from Runner.Adaptive) with
// those of p's full grid read from st, site by site: the equivalence the search claims (on a curve that falls
// monotonically, the full grid's midpoint exactly; in any case within one grid step). Every point of p must be
// stored: run the plan (Runner.Run, which reuses the search's points) first.
//
// Errors: those of Curves; a site of curves that has no complete full-grid curve in st; a plan whose grid is
// not log-spaced with at least two σ > 0.
func CompareAdaptive(st *results.Store, p *Plan, curves []AdaptiveCurve) ([]AdaptiveComparison, error) {
	grid, sigmas, err := p.Spec.interpolation()
	if err != nil {
		return nil, err
	}
	if grid != analysis.LogGrid || len(sigmas) < 2 {
		return nil, fmt.Errorf("compare adaptive search: plan %s needs a log-spaced grid of at least two σ > 0", p.Name)
	}
	step := math.Log10(sigmas[len(sigmas)-1]/sigmas[0]) / float64(len(sigmas)-1)
	full, err := Curves(st, p)
	if err != nil {
		return nil, err
	}
	bySite := curvesBySite(full, Training)
	out := make([]AdaptiveComparison, 0, len(curves))
	for _, a := range curves {
		f, ok := bySite[a.Site]
		if !ok {
			return nil, fmt.Errorf("compare adaptive search: site %s of plan %s has no complete full-grid curve in %s: run the plan on its full grid first",
				a.Name, p.Name, st.Path())
		}
		c := AdaptiveComparison{Site: a.Site, Name: a.Name, Adaptive: a.Mid, Grid: f.Mid, Trained: a.Trained,
			GridTrained: len(f.Curve.Sigmas) * p.Spec.Reps, Steps: math.NaN()}
		switch {
		case a.Mid.Censored != f.Mid.Censored:
		case a.Mid.Censored != analysis.None:
			c.Steps, c.Agree = 0, true
		default:
			c.Steps = math.Abs(math.Log10(a.Mid.Sigma/f.Mid.Sigma)) / step
			c.Agree = c.Steps <= 1+1e-9
		}
		out = append(out, c)
	}
	return out, nil
}
