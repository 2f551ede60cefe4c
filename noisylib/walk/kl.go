package walk

import (
	"fmt"
	"math"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// KLCurve is the KL sensitivity of one site of an inference walk: the mean KL divergence (nats) from the clean
// model's output distribution to the noisy model's (Metrics.KL) at every σ of the plan's grid, per repetition.
// Unlike accuracy, it keeps growing with σ where accuracy sits at chance, so it separates sites whose accuracy
// curves have both collapsed.
type KLCurve struct {
	// Site is the site index (−1: global noise) and Name its readable name.
	Site int
	Name string
	// Sigmas is the plan's σ grid, increasing; KL[k][r] is repetition r's KL at Sigmas[k] (NaN where the point
	// is missing or has no KL stored, e.g. a point stored before KL was measured).
	Sigmas []float64
	KL     [][]float64
}

// KLCurves reads the KL sensitivity of every site of a layer-wise or global plan's inference points, in site
// order. Sites without any stored KL are left out; a plan without inference mode is an error.
func KLCurves(st *results.Store, p *Plan) ([]KLCurve, error) {
	if !slices.Contains(p.Spec.Modes, Inference) {
		return nil, fmt.Errorf("plan %s has no inference mode (modes %v): KL is measured by inference sweeps", p.Name, p.Spec.Modes)
	}
	obs, _, _, err := read("KLCurves", st, p, LayerWise, GlobalAll)
	if err != nil {
		return nil, err
	}
	_, sigmas, err := p.Spec.interpolation()
	if err != nil {
		return nil, err
	}
	bySite := map[int]*KLCurve{}
	var order []int
	for _, o := range obs {
		if o.Mode != Inference || o.Metrics.KL == nil {
			continue
		}
		k := slices.Index(sigmas, o.X)
		if k < 0 || o.Rep < 0 || o.Rep >= p.Spec.Reps {
			continue
		}
		c := bySite[o.Site]
		if c == nil {
			c = &KLCurve{Site: o.Site, Name: "global", Sigmas: sigmas, KL: make([][]float64, len(sigmas))}
			if o.Site >= 0 {
				c.Name = siteName(p, o.Site)
			}
			for i := range c.KL {
				c.KL[i] = slices.Repeat([]float64{math.NaN()}, p.Spec.Reps)
			}
			bySite[o.Site] = c
			order = append(order, o.Site)
		}
		c.KL[k][o.Rep] = *o.Metrics.KL
	}
	slices.Sort(order)
	out := make([]KLCurve, len(order))
	for i, s := range order {
		out[i] = *bySite[s]
	}
	return out, nil
}

// At returns the KL of every repetition at σ (NaN where missing), and false if σ is not on the curve's grid.
func (c KLCurve) At(sigma float64) ([]float64, bool) {
	k := slices.Index(c.Sigmas, sigma)
	if k < 0 {
		return nil, false
	}
	return c.KL[k], true
}

// Mean returns the mean KL over the repetitions stored at every σ (NaN where none is).
func (c KLCurve) Mean() []float64 {
	out := make([]float64, len(c.KL))
	for k, reps := range c.KL {
		sum, n := 0.0, 0
		for _, v := range reps {
			if !math.IsNaN(v) {
				sum, n = sum+v, n+1
			}
		}
		out[k] = math.NaN()
		if n > 0 {
			out[k] = sum / float64(n)
		}
	}
	return out
}
