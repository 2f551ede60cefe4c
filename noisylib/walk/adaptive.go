package walk

import (
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
)

// DefaultFanout is the default number of σ an adaptive search trains per site and round inside a bracket: 1, a
// bisection, which needs the fewest trainings for the same midpoints (on MLP-TFC's 41-σ grid 23–32 % fewer than
// fanout 3; see the README's benchmark). A larger fanout takes fewer rounds, which pays only when a round's
// trainings leave cores idle (fewer sites than cores).
const DefaultFanout = 1

// AdaptiveCurve is the outcome of an adaptive midpoint search at one site: the σ of the plan's grid that were
// trained, and the midpoint they give.
type AdaptiveCurve struct {
	// Site is the site index and Name its readable name, e.g. "4:fc2".
	Site int
	Name string
	// Curve holds the trained σ (a subset of the plan's grid, increasing) and their accuracies per repetition.
	Curve analysis.Curve
	// AMax is the clean accuracy (mean over the plan's clean repetitions), AMin chance.
	AMax, AMin float64
	// Mid is the midpoint of the mean curve (the same definition as [Curves]); CI the per-repetition
	// midpoints' mean with a 95% confidence interval.
	Mid analysis.MidpointResult
	CI  analysis.MidpointSummary
	// Trained counts the noisy-training points of this site (σ × repetitions); the full grid has
	// len(plan σ) × repetitions.
	Trained int
	// Rounds is how many rounds of trainings the search took for this site.
	Rounds int
}

// Adaptive finds the noisy-training midpoint of every site of a layer-wise plan without training every σ of
// its grid, and stores every point it trains under the plan's own identity, so that a later full-grid Run of
// the same plan reuses them.
//
// The search works on the indices of the plan's σ grid. Round 0 trains the clean baselines and, per site,
// fanout+2 σ spread evenly over the grid, both ends included, except the smallest σ: like the clean model, it
// is taken to lie above a_mid until a trained σ next to it lies below. After each round it takes, per site, the
// mean accuracy over repetitions of the σ trained so far and finds the first downward crossing of
// a_mid = (a_max + a_min)/2 among them, exactly as [analysis.Midpoint] does on a full curve: no crossing ends
// the site (censored above); a crossing between grid neighbours ends it too, and so does one below the first
// trained σ once that is the smallest (censored below); otherwise the next round trains fanout σ spread evenly
// strictly inside the bracket, the untrained smallest σ counting as its lower end (and trained itself once the
// bracket has no inside). Trainings run on Runner.Workers goroutines (as one stack per site and round with
// Runner.StackTraining). The result's midpoint is interpolated between the bracketing neighbours, so on a curve
// that falls monotonically it is the full grid's midpoint exactly; a curve that rises again inside an untrained
// gap (the smallest σ's included) can make them differ (TestAdaptiveMatchesFullGrid measures it).
//
// With the default fanout of 1 (bisection) and a monotone curve, a site needs 2 trainings per repetition when
// its midpoint is censored above and at most 5 otherwise on a 17-σ grid (6 on a 21-σ grid, 7 on a 41- or 49-σ
// grid), one more when the curve is below a_mid already at the grid's second σ; with fanout 3 it needs 4, and at
// most 7 (8 on 21 σ, 9 on 41 or 49).
//
// Errors: a sharded runner (each round depends on the last); a plan that is not layer-wise, has no Training
// mode, or whose grid is not log-spaced with at least two σ > 0; any error of Run.
func (r *Runner) Adaptive(p *Plan, fanout int) ([]AdaptiveCurve, error) {
	if fanout <= 0 {
		fanout = DefaultFanout
	}
	if p.Spec.Kind != LayerWise {
		return nil, fmt.Errorf("adaptive search: plan %s is %s, needs a layer-wise plan", p.Name, p.Spec.Kind)
	}
	if r.Shard.Count > 1 {
		return nil, fmt.Errorf("adaptive search: runs in one process (it decides each round from the last); run shards on full grids")
	}
	if !slices.Contains(p.Spec.Modes, Training) {
		return nil, fmt.Errorf("adaptive search: plan %s has no training mode (modes %v)", p.Name, p.Spec.Modes)
	}
	// The plan's σ grid (sorted and without repeats, see Build) and its spacing, which must be log; σ = 0, the
	// clean baseline, is not part of a log grid's search.
	grid, sigmas, err := p.Spec.interpolation()
	if err != nil {
		return nil, err
	}
	if grid != analysis.LogGrid || len(sigmas) < 2 {
		return nil, fmt.Errorf("adaptive search: plan %s needs a log-spaced grid of at least two σ > 0 (spacing %s, σ %v)", p.Name, grid, sigmas)
	}
	m, err := p.Spec.NewModel()
	if err != nil {
		return nil, err
	}
	out := r.Progress
	if out == nil {
		out = os.Stderr
	}
	// The plan's points by role: clean baselines, and training points by site and σ index.
	var clean []Point
	bySite := map[int]map[int][]Point{}
	for _, pt := range p.Points {
		switch pt.Mode {
		case Clean:
			clean = append(clean, pt)
		case Training:
			k, ok := slices.BinarySearch(sigmas, pt.X)
			if !ok {
				continue // σ = 0: not searched
			}
			if bySite[pt.Site] == nil {
				bySite[pt.Site] = map[int][]Point{}
			}
			bySite[pt.Site][k] = append(bySite[pt.Site][k], pt)
		}
	}
	sites := slices.Sorted(maps.Keys(bySite))
	n := len(sigmas)
	trained := map[int][]int{} // site → trained σ indices, increasing
	wanted := map[int][]int{}
	for _, s := range sites {
		wanted[s] = spread(0, n-1, fanout+2)[1:] // the smallest σ waits (see the doc comment)
	}
	aMin := data.Chance(m.Input.NumClasses)
	results := map[int]*AdaptiveCurve{}
	for round := 0; len(wanted) > 0; round++ {
		sub := &Plan{Name: p.Name, Spec: p.Spec, Points: slices.Clone(clean)}
		for _, s := range sites {
			for _, k := range wanted[s] {
				sub.Points = append(sub.Points, bySite[s][k]...)
			}
			trained[s] = slices.Compact(slices.Sorted(slices.Values(append(trained[s], wanted[s]...))))
		}
		fmt.Fprintf(out, "adaptive search, round %d: %d point(s) at %d site(s)\n", round, len(sub.Points)-len(clean), len(wanted))
		if _, err := r.Run(sub); err != nil {
			return nil, err
		}
		for _, s := range sites {
			if wanted[s] == nil {
				continue
			}
			res := &AdaptiveCurve{Site: s, Name: siteName(p, s), AMin: aMin, Rounds: round + 1,
				Trained: len(trained[s]) * p.Spec.Reps}
			results[s] = res
			// The site's curve from everything trained so far, earlier rounds included.
			obs, err := Observations(r.Store, &Plan{Name: p.Name, Spec: p.Spec, Points: append(slices.Clone(clean), pointsAt(bySite[s], trained[s])...)})
			if err != nil {
				return nil, err
			}
			if res.AMax, res.Curve, err = adaptiveCurve(obs, sigmas, p.Spec.Reps); err != nil {
				return nil, fmt.Errorf("adaptive search, site %s: %w", res.Name, err)
			}
			if res.Mid, err = analysis.Midpoint(res.Curve, res.AMax, aMin, analysis.LogGrid); err != nil {
				return nil, fmt.Errorf("adaptive search, site %s: %w", res.Name, err)
			}
			wanted[s] = nil
			if first := slices.Index(sigmas, res.Curve.Sigmas[0]); res.Mid.Censored == analysis.Below && first > 0 {
				// Below a_mid already at the first trained σ: the untrained smallest σ, taken to lie above,
				// brackets the crossing with it. The next round trains fanout σ inside, or the smallest σ
				// itself once the two are grid neighbours.
				wanted[s] = []int{0}
				if first > 1 {
					next := spread(0, first, fanout+2)
					wanted[s] = next[1 : len(next)-1]
				}
			} else if res.Mid.Censored == analysis.None {
				lo := slices.Index(sigmas, res.Curve.Sigmas[res.Mid.Index])
				hi := slices.Index(sigmas, res.Curve.Sigmas[res.Mid.Index+1])
				if hi-lo > 1 {
					next := spread(lo, hi, fanout+2)
					wanted[s] = next[1 : len(next)-1]
				}
			}
			if wanted[s] == nil {
				delete(wanted, s)
			}
		}
	}
	curves := make([]AdaptiveCurve, 0, len(sites))
	for _, s := range sites {
		res := results[s]
		var err error
		if res.CI, err = analysis.MidpointCI(res.Curve, res.AMax, res.AMin, analysis.LogGrid, 0.95); err != nil {
			return nil, fmt.Errorf("adaptive search, site %s: %w", res.Name, err)
		}
		curves = append(curves, *res)
	}
	return curves, nil
}

// spread returns up to count distinct indices spread evenly over [lo, hi], both ends included, increasing.
func spread(lo, hi, count int) []int {
	var idx []int
	for j := range count {
		k := lo + (j*(hi-lo)+(count-1)/2)/(count-1)
		if len(idx) == 0 || k > idx[len(idx)-1] {
			idx = append(idx, k)
		}
	}
	return idx
}

// pointsAt returns the points of the given σ indices.
func pointsAt(byIndex map[int][]Point, indices []int) []Point {
	var pts []Point
	for _, k := range indices {
		pts = append(pts, byIndex[k]...)
	}
	return pts
}

// adaptiveCurve returns the mean clean accuracy of the observations and the curve of their training points
// (increasing σ, accuracies per repetition). Every σ must have all repetitions, and a clean baseline must be
// there.
func adaptiveCurve(obs []Observation, sigmas []float64, reps int) (aMax float64, c analysis.Curve, err error) {
	acc, seen := map[int][]float64{}, map[int]int{}
	var sum float64
	var nClean int
	for _, o := range obs {
		switch {
		case o.Mode == Clean:
			sum += o.Accuracy
			nClean++
		case o.Rep < 0 || o.Rep >= reps:
			return 0, c, fmt.Errorf("point %s: repetition %d outside 0..%d", o.Point, o.Rep, reps-1)
		default:
			k, ok := slices.BinarySearch(sigmas, o.X)
			if !ok {
				continue
			}
			if acc[k] == nil {
				acc[k] = make([]float64, reps)
			}
			acc[k][o.Rep] = o.Accuracy
			seen[k]++
		}
	}
	if nClean == 0 {
		return 0, c, fmt.Errorf("no clean baseline in the store")
	}
	for _, k := range slices.Sorted(maps.Keys(acc)) {
		if seen[k] != reps {
			return 0, c, fmt.Errorf("σ = %g has %d of %d repetitions in the store", sigmas[k], seen[k], reps)
		}
		c.Sigmas = append(c.Sigmas, sigmas[k])
		c.Acc = append(c.Acc, acc[k])
	}
	return sum / float64(nClean), c, nil
}

// SiteCurves returns adaptive curves as noisy-training SiteCurves (Mode Training; Curve holds only the trained
// σ; PerRep the per-repetition midpoints of CI), so midpoint figures and findings over SiteCurves read them
// like a full grid's. A heat map of them shows only the trained σ.
func SiteCurves(curves []AdaptiveCurve) []SiteCurve {
	out := make([]SiteCurve, len(curves))
	for i, a := range curves {
		out[i] = SiteCurve{Mode: Training, Site: a.Site, Name: a.Name, Curve: a.Curve, AMax: a.AMax, AMin: a.AMin,
			Mid: a.Mid, PerRep: a.CI.PerRep, CI: a.CI}
	}
	return out
}
