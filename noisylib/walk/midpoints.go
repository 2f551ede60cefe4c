package walk

import (
	"errors"
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// Observation is a stored point with its result.
type Observation struct {
	Point
	// Accuracy in % (chance for collapsed points).
	Accuracy float64
	// Status of the record (done or collapsed).
	Status string
	// Metrics stored with the point.
	Metrics Metrics
}

// Observations returns the plan's points that are in the store, in plan order; missing points are skipped.
func Observations(st *results.Store, p *Plan) ([]Observation, error) {
	hashes := make([]string, len(p.Points))
	for i, pt := range p.Points {
		var err error
		if hashes[i], err = Hash(pt); err != nil {
			return nil, err
		}
	}
	var out []Observation
	for i, pt := range p.Points {
		rec, ok, err := st.Get(hashes[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		o := Observation{Point: pt, Accuracy: rec.Accuracy, Status: rec.Status}
		if len(rec.Metrics) > 0 {
			if err := strictjson.Unmarshal(rec.Metrics, &o.Metrics); err != nil {
				return nil, fmt.Errorf("plan %s, point %s: stored metrics: %w", p.Name, hashes[i][:12], err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// ErrTwoDimensional reports a plan whose points sweep two values (amplitude × ratio, or σ_mul × σ_add): one
// curve per site would mix them; study.MixedCurves gives one curve per ratio and order.
var ErrTwoDimensional = errors.New("the plan sweeps two values (amplitude × ratio or σ_mul × σ_add), so it has no single curve per site: use walk.MixedCurves or walk.DirectMaps")

// TwoDimensional reports whether the plan's points sweep two values: mixed and direct plans, and global or MAX
// plans of combined noise.
func (p *Plan) TwoDimensional() bool {
	return p.Spec.Kind == Mixed || p.Spec.Kind == Direct || p.Spec.Noise == noise.Combined || p.Spec.Noise == noise.CombinedDirect
}

// SiteCurve is the accuracy-vs-σ curve of one site in one mode, with its midpoint noise level.
type SiteCurve struct {
	Mode Mode
	// Site is the site index (-1 for global noise) and Name its readable name, e.g. "3:relu1".
	Site int
	Name string
	// Curve holds the accuracies per σ and repetition.
	Curve analysis.Curve
	// AMax is the clean accuracy (mean over the plan's clean repetitions), AMin chance.
	AMax, AMin float64
	// Unit is the unit of the curve's σ values and midpoints (the plan's: noise.Absolute unless it walked in
	// relative units or SNR dB; for dB a higher midpoint is a more sensitive site, see Rank).
	Unit noise.Unit
	// Mid is the midpoint of the mean curve; PerRep the midpoints of the repetitions and CI their mean with a
	// 95% confidence interval (censored repetitions counted, not averaged).
	Mid    analysis.MidpointResult
	PerRep []analysis.MidpointResult
	CI     analysis.MidpointSummary
	// Flagged counts the curve's points whose training did not learn (Metrics.Warning): their accuracies are
	// as measured, but the run is suspect.
	Flagged int
}

// Curves groups the stored points of a one-dimensional plan (layerwise, global, max) by mode and site and
// computes each curve's midpoint noise level: a_max = the plan's clean accuracy, a_min = chance. Curves with
// a missing point are skipped. A two-dimensional plan (mixed, direct, or combined noise in a global or MAX plan:
// amplitude × ratio) is an error wrapping ErrTwoDimensional; plans of other kinds are an error too (see
// MixedCurves, DirectMaps, ExecResults).
func Curves(st *results.Store, p *Plan) ([]SiteCurve, error) {
	if p.TwoDimensional() {
		return nil, fmt.Errorf("plan %s: %w", p.Name, ErrTwoDimensional)
	}
	obs, aMax, aMin, err := read("Curves", st, p, LayerWise, GlobalAll, MaxNoise)
	if err != nil {
		return nil, err
	}
	m, err := p.Spec.NewModel()
	if err != nil {
		return nil, err
	}
	type key struct {
		mode Mode
		site int
	}
	acc := map[key]map[float64]map[int]float64{}
	flags := map[key]int{}
	for _, o := range obs {
		if o.Mode == Clean {
			continue
		}
		k := key{o.Mode, o.Site}
		if acc[k] == nil {
			acc[k] = map[float64]map[int]float64{}
		}
		if acc[k][o.X] == nil {
			acc[k][o.X] = map[int]float64{}
		}
		acc[k][o.X][o.Rep] = o.Accuracy
		if o.Metrics.Warning != "" {
			flags[k]++
		}
	}
	grid, sigmas, err := p.Spec.interpolation()
	if err != nil {
		return nil, err
	}
	var out []SiteCurve
	for _, mode := range p.Spec.Modes {
		sites := p.Spec.Sites
		if p.Spec.Kind == GlobalAll {
			sites = []int{-1}
		} else if len(sites) == 0 {
			for i := range m.NumSites() {
				sites = append(sites, i)
			}
		}
		for _, site := range sites {
			byX := acc[key{mode, site}]
			c := analysis.Curve{}
			complete := true
			for _, x := range sigmas {
				reps := make([]float64, 0, p.Spec.Reps)
				for r := range p.Spec.Reps {
					a, ok := byX[x][r]
					if !ok {
						complete = false
					}
					reps = append(reps, a)
				}
				c.Sigmas = append(c.Sigmas, x)
				c.Acc = append(c.Acc, reps)
			}
			if !complete || len(c.Sigmas) == 0 {
				continue
			}
			sc := SiteCurve{Mode: mode, Site: site, Name: "global", Curve: c, AMax: aMax, AMin: aMin, Unit: p.Spec.Unit,
				Flagged: flags[key{mode, site}]}
			if site >= 0 {
				sc.Name = siteName(p, site)
			}
			if sc.Mid, sc.CI, err = curveMidpoint(c, aMax, aMin, grid, p.Spec.Unit); err != nil {
				return nil, fmt.Errorf("site %s (%s): %w", sc.Name, mode, err)
			}
			sc.PerRep = sc.CI.PerRep
			out = append(out, sc)
		}
	}
	return out, nil
}
