package walk

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"gonum.org/v1/gonum/stat"
)

// Every plan kind has its reader: Curves (layerwise, global, max), MixedCurves (mixed), DirectMaps (direct),
// ExecResults (multiexec) and MismatchMaps (mismatch). A reader given a kind it does not handle is an error, never a silent merge of
// points that differ in what the reader ignores.

// needKind reports a reader used on a plan of another kind.
func needKind(reader string, p *Plan, kinds ...Kind) error {
	k := p.Spec.Kind
	if k == "" {
		k = LayerWise
	}
	if slices.Contains(kinds, k) {
		return nil
	}
	return fmt.Errorf("plan %s is of kind %s: %s reads only %v plans (mixed: MixedCurves, direct: DirectMaps, "+
		"multiexec: ExecResults, mismatch: MismatchMaps, layerwise/global/max: Curves)", p.Name, k, reader, kinds)
}

// interpolation returns the plan's spacing and the grid values its midpoints are interpolated over: on a log
// grid σ = 0 (or A = 0) is the clean baseline, never an interpolation point.
func (s PlanSpec) interpolation() (analysis.Grid, []float64, error) {
	grid, err := s.Grid()
	if err != nil {
		return 0, nil, err
	}
	values := s.Sigmas
	if grid == analysis.LogGrid {
		values = slices.DeleteFunc(slices.Clone(values), func(v float64) bool { return v <= 0 })
	}
	return grid, values, nil
}

// read checks the plan's kind for a reader and returns its stored observations with its clean accuracy (mean
// over its clean repetitions) and chance level; it fails when no clean baseline is stored.
func read(reader string, st *results.Store, p *Plan, kinds ...Kind) (obs []Observation, aMax, aMin float64, err error) {
	if err := needKind(reader, p, kinds...); err != nil {
		return nil, 0, 0, err
	}
	if obs, err = Observations(st, p); err != nil {
		return nil, 0, 0, err
	}
	in, err := DataInput(p.Spec.Data)
	if err != nil {
		return nil, 0, 0, err
	}
	var sum float64
	n := 0
	for _, o := range obs {
		if o.Mode == Clean {
			sum += o.Accuracy
			n++
		}
	}
	if n == 0 {
		return nil, 0, 0, fmt.Errorf("plan %s: no clean baseline in the store yet: run the plan first", p.Name)
	}
	return obs, sum / float64(n), data.Chance(in.NumClasses), nil
}

// siteName returns the readable name of a site of the plan's model, e.g. "4:fc2".
func siteName(p *Plan, site int) string {
	m, err := p.Spec.NewModel()
	if err == nil && p.Spec.Weights && site >= 0 && site < len(m.WeightLayers()) {
		return m.WeightLayerNames()[site] // a weight layer, e.g. "w1:fc2"
	}
	if err != nil || site < 0 || site >= m.NumSites() {
		return fmt.Sprint(site)
	}
	return m.Sites[site].Name()
}

// MixedCurve is the accuracy of a mixed-noise plan against the amplitude A at one additive share r and order.
type MixedCurve struct {
	// Mode is inference or training.
	Mode Mode
	// Site is the site index and Name its readable name, e.g. "4:fc2".
	Site int
	Name string
	// AddFirst is the order: false is y = x·m + a (mul-then-add), true is y = (x + a)·m.
	AddFirst bool
	// Ratio is the additive share r: σ_add = A·r, σ_mul = A·(1−r).
	Ratio float64
	// Amplitudes are the swept A, increasing, and Acc the mean accuracy (%) over repetitions at each.
	Amplitudes, Acc []float64
	// Mid is the midpoint amplitude of the mean curve (a_max = the plan's clean accuracy, a_min = chance), and
	// PerRep the midpoint of every repetition's own curve, in repetition order (analysis.MidpointsPerRep).
	Mid    analysis.MidpointResult
	PerRep []analysis.MidpointResult
}

// Order names the order of combined noise: "mul→add" or "add→mul".
func (c MixedCurve) Order() string { return orderName(c.AddFirst) }

func orderName(addFirst bool) string {
	if addFirst {
		return "add→mul"
	}
	return "mul→add"
}

// MixedCurves reads the stored results of a mixed plan and returns one curve per mode, site, order and ratio,
// sorted in that order, with its midpoint amplitude. Curves with a missing point are skipped.
func MixedCurves(st *results.Store, plan *Plan) ([]MixedCurve, error) {
	obs, aMax, aMin, err := read("MixedCurves", st, plan, Mixed)
	if err != nil {
		return nil, err
	}
	type key struct {
		mode     Mode
		site     int
		addFirst bool
		ratio    float64
	}
	accs := map[key]map[float64]map[int]float64{}
	for _, o := range obs {
		if o.Mode == Clean {
			continue
		}
		k := key{o.Mode, o.Site, o.walkedSpec().AddFirst, o.Y}
		if accs[k] == nil {
			accs[k] = map[float64]map[int]float64{}
		}
		if accs[k][o.X] == nil {
			accs[k][o.X] = map[int]float64{}
		}
		accs[k][o.X][o.Rep] = o.Accuracy
	}
	grid, amps, err := plan.Spec.interpolation()
	if err != nil {
		return nil, err
	}
	var out []MixedCurve
	for k, byA := range accs {
		c := MixedCurve{Mode: k.mode, Site: k.site, Name: siteName(plan, k.site), AddFirst: k.addFirst, Ratio: k.ratio, Amplitudes: amps}
		curve := analysis.Curve{Sigmas: c.Amplitudes}
		for _, a := range c.Amplitudes {
			byRep := byA[a]
			if len(byRep) != plan.Spec.Reps {
				curve.Sigmas = nil
				break
			}
			row := make([]float64, 0, len(byRep))
			for rep := range plan.Spec.Reps {
				row = append(row, byRep[rep])
			}
			c.Acc = append(c.Acc, stat.Mean(row, nil))
			curve.Acc = append(curve.Acc, row)
		}
		if curve.Sigmas == nil {
			continue
		}
		if c.Mid, err = analysis.Midpoint(curve, aMax, aMin, grid); err != nil {
			return nil, fmt.Errorf("mixed curve %s %s r=%g: %w", c.Name, c.Order(), c.Ratio, err)
		}
		if c.PerRep, err = analysis.MidpointsPerRep(curve, aMax, aMin, grid); err != nil {
			return nil, fmt.Errorf("mixed curve %s %s r=%g: %w", c.Name, c.Order(), c.Ratio, err)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Mode != b.Mode {
			return a.Mode < b.Mode
		}
		if a.Site != b.Site {
			return a.Site < b.Site
		}
		if a.AddFirst != b.AddFirst {
			return !a.AddFirst
		}
		return a.Ratio < b.Ratio
	})
	return out, nil
}

// DirectMap is the accuracy of a combined-direct plan over the σ_mul × σ_add grid, in one mode and order.
type DirectMap struct {
	Mode Mode
	// Site is the site index and Name its readable name, e.g. "4:fc2".
	Site     int
	Name     string
	AddFirst bool
	// SigmaMul are the rows (the plan's Sigmas) and SigmaAdd the columns (its Ratios).
	SigmaMul, SigmaAdd []float64
	// Acc[i][j] is the mean accuracy (%) over repetitions at SigmaMul[i], SigmaAdd[j]; NaN where missing.
	Acc [][]float64
	// AMax is the clean accuracy and AMin chance.
	AMax, AMin float64
}

// Order names the order of the combined noise: "mul→add" or "add→mul".
func (d DirectMap) Order() string { return orderName(d.AddFirst) }

// DirectMaps reads the stored results of a direct plan: one σ_mul × σ_add accuracy map per mode, site and
// order.
func DirectMaps(st *results.Store, plan *Plan) ([]DirectMap, error) {
	obs, aMax, aMin, err := read("DirectMaps", st, plan, Direct)
	if err != nil {
		return nil, err
	}
	type key struct {
		mode     Mode
		site     int
		addFirst bool
	}
	type cell struct{ sum, n float64 }
	cells := map[key]map[[2]float64]cell{}
	var keys []key
	for _, o := range obs {
		if o.Mode == Clean {
			continue
		}
		k := key{o.Mode, o.Site, o.walkedSpec().AddFirst}
		if cells[k] == nil {
			cells[k] = map[[2]float64]cell{}
			keys = append(keys, k)
		}
		c := cells[k][[2]float64{o.X, o.Y}]
		cells[k][[2]float64{o.X, o.Y}] = cell{c.sum + o.Accuracy, c.n + 1}
	}
	var out []DirectMap
	for _, k := range keys {
		d := DirectMap{Mode: k.mode, Site: k.site, Name: siteName(plan, k.site), AddFirst: k.addFirst, SigmaMul: plan.Spec.Sigmas, SigmaAdd: plan.Spec.Ratios, AMax: aMax, AMin: aMin}
		for _, sm := range d.SigmaMul {
			row := make([]float64, len(d.SigmaAdd))
			for j, sa := range d.SigmaAdd {
				row[j] = math.NaN()
				if c, ok := cells[k][[2]float64{sm, sa}]; ok {
					row[j] = c.sum / c.n
				}
			}
			d.Acc = append(d.Acc, row)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Mode != out[j].Mode {
			return out[i].Mode < out[j].Mode
		}
		if out[i].Site != out[j].Site {
			return out[i].Site < out[j].Site
		}
		return !out[i].AddFirst && out[j].AddFirst
	})
	return out, nil
}

// ExecResult is the accuracy of one multi-execution policy at one budget, over repetitions.
type ExecResult struct {
	// Policy is "global" (every site executed B times) or a tailored allocation such as "inverse_lin".
	Policy string
	// Budget is B: the executions average B per site (Σ r_i = B·sites).
	Budget int
	// Mean and Std are the mean and sample standard deviation of the accuracy (%) over N repetitions.
	Mean, Std float64
	N         int
	// Reps are the repetition indices measured, increasing, and Acc the accuracy (%) of each (the mean over
	// its points if a repetition has several): the per-repetition values a paired comparison needs.
	Reps []int
	Acc  []float64
}

// ExecResults reads the stored results of a multi-execution plan and returns one result per policy and
// budget, sorted by policy and budget.
func ExecResults(st *results.Store, plan *Plan) ([]ExecResult, error) {
	if err := needKind("ExecResults", plan, MultiExec); err != nil {
		return nil, err
	}
	obs, err := Observations(st, plan)
	if err != nil {
		return nil, err
	}
	type key struct {
		policy string
		budget int
	}
	accs := map[key]map[int][]float64{}
	for _, o := range obs {
		if o.Mode == Clean {
			continue
		}
		k := key{o.Policy, int(o.X)}
		if accs[k] == nil {
			accs[k] = map[int][]float64{}
		}
		accs[k][o.Rep] = append(accs[k][o.Rep], o.Accuracy)
	}
	var out []ExecResult
	for k, byRep := range accs {
		r := ExecResult{Policy: k.policy, Budget: k.budget}
		for rep := range byRep {
			r.Reps = append(r.Reps, rep)
		}
		slices.Sort(r.Reps)
		for _, rep := range r.Reps {
			r.Acc = append(r.Acc, stat.Mean(byRep[rep], nil))
		}
		r.N = len(r.Acc)
		r.Mean = stat.Mean(r.Acc, nil)
		if r.N > 1 {
			r.Std = stat.StdDev(r.Acc, nil)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("plan %s: no multi-execution results in the store yet: run the plan first", plan.Name)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Policy != out[j].Policy {
			return out[i].Policy < out[j].Policy
		}
		return out[i].Budget < out[j].Budget
	})
	return out, nil
}
