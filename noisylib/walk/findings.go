package walk

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// Findings over the curves the readers return (Curves, MixedCurves, ExecResults): numbers a notebook checks a
// claim with. A censored midpoint is a bound, never a number: comparisons count what it leaves undecided
// (analysis.Tally).

// Spread returns how many times the most robust site's midpoint exceeds the least robust one's, among the
// curves of one mode, with those two sites. Censored midpoints are bounds, so the factor is a range:
// ratio.Lo is what the midpoints guarantee (use it for a claim "at least"), ratio.Hi what they allow (+Inf
// when a midpoint is censored above). The ratio is NaN when the mode has fewer than two curves.
func Spread(curves []SiteCurve, mode Mode) (ratio analysis.Bounds, most, least string) {
	maxLo, mostHi := math.Inf(-1), math.Inf(-1) // the most robust site: largest lower bound, then upper
	minHi, leastLo := math.Inf(1), math.Inf(1)  // the least robust: smallest upper bound, then lower
	maxHi, minLo := math.Inf(-1), math.Inf(1)
	n := 0
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		n++
		lo, hi := c.Mid.Interval()
		if lo > maxLo || lo == maxLo && hi > mostHi {
			maxLo, mostHi, most = lo, hi, c.Name
		}
		if hi < minHi || hi == minHi && lo < leastLo {
			minHi, leastLo, least = hi, lo, c.Name
		}
		maxHi, minLo = math.Max(maxHi, hi), math.Min(minLo, lo)
	}
	if n < 2 {
		return analysis.Bounds{Lo: math.NaN(), Hi: math.NaN()}, "", ""
	}
	ratio = analysis.Bounds{Lo: 0, Hi: math.Inf(1)}
	if !math.IsInf(minHi, 1) && minHi > 0 {
		ratio.Lo = maxLo / minHi
	}
	if minLo > 0 && !math.IsInf(maxHi, 1) {
		ratio.Hi = maxHi / minLo
	}
	return ratio, most, least
}

// LogGap is the paired comparison of two curves' per-repetition midpoints, a vs b: Diff is the mean of
// log10 σ_mid(a) − log10 σ_mid(b) over the repetitions (a pair shares its trained model) with its 95%
// Student-t interval (analysis.LogMidpointDifference; OrderGaps takes the level); 10^Diff.Mean is the factor between the midpoints.
// Diff's bounds are NaN with fewer than two repetitions, and Reason says why when it could not be computed at
// all (a censored repetition).
type LogGap struct {
	Diff   analysis.Interval
	Reason string
}

func newLogGap(a, b []analysis.MidpointResult, level float64) LogGap {
	var g LogGap
	var err error
	if g.Diff, err = analysis.LogMidpointDifference(a, b, level); err != nil {
		g.Reason = err.Error()
	}
	return g
}

// Sign returns +1 when the interval of Diff lies above 0 (a tolerates more noise than b), −1 when it lies
// below, and decided false otherwise (the interval includes 0, has fewer than two repetitions, or Reason
// is set).
func (g LogGap) Sign() (sign int, decided bool) {
	switch {
	case g.Reason != "":
		return 0, false
	case g.Diff.Lo > 0:
		return 1, true
	case g.Diff.Hi < 0:
		return -1, true
	}
	return 0, false
}

// Verdict names the comparison as the repetitions decide it at 95%: above or below (the caller's words for
// Sign +1 and −1), or "undecided" with its reason.
func (g LogGap) Verdict(above, below string) string {
	if sign, ok := g.Sign(); ok {
		if sign > 0 {
			return above
		}
		return below
	}
	switch {
	case g.Reason != "":
		return "undecided: " + g.Reason
	case g.Diff.N < 2:
		return "undecided: one repetition, no CI"
	}
	return "undecided: the CI includes 0"
}

// CurveGap compares two curves' per-repetition midpoints, paired by repetition (e.g. the same site and seeds
// trained with and without clamping): log10 σ_mid(a) − log10 σ_mid(b) with its 95% interval.
func CurveGap(a, b SiteCurve) LogGap { return newLogGap(a.PerRep, b.PerRep, 0.95) }

// AccuracyGaps returns, at every σ of two curves measured on the same grid and repetitions, the mean paired
// difference of accuracy a − b (percentage points) across repetitions with its Student-t interval at level.
func AccuracyGaps(a, b SiteCurve, level float64) ([]analysis.Interval, error) {
	if !slices.Equal(a.Curve.Sigmas, b.Curve.Sigmas) {
		return nil, fmt.Errorf("walk: curves %s and %s have different σ grids", a.Name, b.Name)
	}
	out := make([]analysis.Interval, len(a.Curve.Sigmas))
	for k := range a.Curve.Sigmas {
		var err error
		if out[k], err = analysis.PairedDifference(a.Curve.Acc[k], b.Curve.Acc[k], level); err != nil {
			return nil, fmt.Errorf("walk: %s vs %s at σ=%g: %w", a.Name, b.Name, a.Curve.Sigmas[k], err)
		}
	}
	return out, nil
}

// BatchNormPair is the comparison of one BatchNorm site (After) with the site just before it (Before, the
// Dense/Conv output it normalises), in one mode: LogGap > 0 says the site after the BatchNorm tolerates more
// noise.
type BatchNormPair struct {
	After, Before SiteCurve
	LogGap
}

// String formats the pair with both midpoints' CIs, the paired log10 ratio and the verdict.
func (b BatchNormPair) String() string {
	return fmt.Sprintf("%s %s vs %s %s: log10 σ_mid ratio %s: %s", b.After.Name, b.After.CI, b.Before.Name, b.Before.CI,
		b.Diff, b.Verdict("after > before", "after < before"))
}

// curvesBySite returns the curves of one mode by site index.
func curvesBySite(curves []SiteCurve, mode Mode) map[int]SiteCurve {
	bySite := map[int]SiteCurve{}
	for _, c := range curves {
		if c.Mode == mode {
			bySite[c.Site] = c
		}
	}
	return bySite
}

// BatchNormPairs compares, for every BatchNorm site of the plan's model, its per-repetition midpoints with those
// of the site just before it, in one mode, in site order. It fails for a model without BatchNorm sites with
// curves of that mode.
func BatchNormPairs(p *Plan, curves []SiteCurve, mode Mode) ([]BatchNormPair, error) {
	m, err := p.Spec.NewModel()
	if err != nil {
		return nil, err
	}
	mid := curvesBySite(curves, mode)
	var out []BatchNormPair
	for _, s := range m.Sites {
		if s.Kind != models.KindBatchNorm || s.Index == 0 {
			continue
		}
		after, ok1 := mid[s.Index]
		before, ok2 := mid[s.Index-1]
		if !ok1 || !ok2 {
			continue
		}
		out = append(out, BatchNormPair{After: after, Before: before, LogGap: CurveGap(after, before)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("walk: %s has no BatchNorm site with a %s curve and a curve before it", m.Name, mode)
	}
	return out, nil
}

// Sensitivity returns the midpoint of every site of one mode for analysis.PredictGlobalMidpoint, stating its
// assumption for censored sites: +Inf for a site that never collapsed (censored above: it is taken to add no
// sensitivity) and the grid's lower edge for one already collapsed at the first σ (it is taken to be exactly
// as sensitive as that edge allows, which makes the prediction an upper bound).
func Sensitivity(curves []SiteCurve, mode Mode) []float64 {
	var out []float64
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		switch c.Mid.Censored {
		case analysis.Above:
			out = append(out, math.Inf(1))
		case analysis.Below:
			out = append(out, c.Mid.Bound)
		default:
			out = append(out, c.Mid.Sigma)
		}
	}
	return out
}

// Global returns the midpoint of the global curve of one mode, and false if there is none.
func Global(curves []SiteCurve, mode Mode) (analysis.MidpointResult, bool) {
	if c, ok := GlobalCurve(curves, mode); ok {
		return c.Mid, true
	}
	return analysis.MidpointResult{Sigma: math.NaN(), Bound: math.NaN()}, false
}

// GlobalCurve returns the global-noise curve (Site −1) of one mode, with its per-repetition midpoints and
// their CI, and false if there is none.
func GlobalCurve(curves []SiteCurve, mode Mode) (SiteCurve, bool) {
	for _, c := range curves {
		if c.Mode == mode && c.Site == -1 {
			return c, true
		}
	}
	return SiteCurve{}, false
}

// GlobalSigma returns the measured midpoint σ of the global curve of one mode, for a study that needs a
// number (e.g. the σ of a multi-execution plan). It refuses a missing or censored midpoint.
func GlobalSigma(curves []SiteCurve, mode Mode) (float64, error) {
	m, ok := Global(curves, mode)
	switch {
	case !ok:
		return 0, fmt.Errorf("walk: no global %s curve", mode)
	case m.Censored != analysis.None:
		return 0, fmt.Errorf("walk: the global %s midpoint is censored (%s), not a number: widen the σ grid", mode, m)
	}
	return m.Sigma, nil
}

// AllocationMidpoints returns the midpoint of every site of one mode, in site order, as the numbers a
// multi-execution allocation needs (PlanSpec.SiteMidpoints), and the assumption it makes for censored
// sites ("" when there is none): a site censored above is taken at σ_max, one censored below at σ_min, the
// bound its censoring gives.
func AllocationMidpoints(curves []SiteCurve, mode Mode) (values []float64, assumption string) {
	var taken []string
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		if c.Mid.Censored == analysis.None {
			values = append(values, c.Mid.Sigma)
			continue
		}
		values = append(values, c.Mid.Bound)
		taken = append(taken, fmt.Sprintf("%s (%s)", c.Name, c.Mid))
	}
	if len(taken) > 0 {
		assumption = fmt.Sprintf("censored midpoints taken at their bound for the allocation: %s (a site censored above "+
			"gets the executions of a site exactly at σ_max, more than it needs; one censored below those of σ_min, fewer)",
			strings.Join(taken, ", "))
	}
	return values, assumption
}

// CountAbove counts the curves whose mean accuracy at their first σ exceeds acc (%), out of how many curves:
// for MAX-noise plans, whose only σ is 1e10, the sites that still train.
func CountAbove(curves []SiteCurve, acc float64) (above, total int) {
	for _, c := range curves {
		if len(c.Curve.Sigmas) == 0 {
			continue
		}
		total++
		if c.Curve.Mean()[0] > acc {
			above++
		}
	}
	return above, total
}

// Smallest returns the midpoint of the least robust site of one mode, as far as censoring tells: the one
// whose midpoint can be the smallest (smallest upper bound, then smallest lower bound); ok is false without
// curves of that mode.
func Smallest(curves []SiteCurve, mode Mode) (mid analysis.MidpointResult, ok bool) {
	bestLo, bestHi := math.Inf(1), math.Inf(1)
	for _, c := range curves {
		if c.Mode != mode {
			continue
		}
		lo, hi := c.Mid.Interval()
		if !ok || hi < bestHi || hi == bestHi && lo < bestLo {
			mid, ok, bestLo, bestHi = c.Mid, true, lo, hi
		}
	}
	return mid, ok
}

// MidpointShift compares the midpoints of two modes at every site present in both: Yes counts the sites
// whose midpoint is higher in mode a than in mode b, as far as censoring lets the bounds decide.
func MidpointShift(curves []SiteCurve, a, b Mode) analysis.Tally {
	mids := map[Mode]map[int]SiteCurve{a: {}, b: {}}
	var order []int
	for _, c := range curves {
		if m, ok := mids[c.Mode]; ok {
			if c.Mode == a {
				order = append(order, c.Site)
			}
			m[c.Site] = c
		}
	}
	var t analysis.Tally
	for _, site := range order {
		ca := mids[a][site]
		if cb, ok := mids[b][site]; ok {
			o, decided := analysis.Compare(ca.Mid, cb.Mid)
			t.Add(o > 0, decided, fmt.Sprintf("%s %s vs %s", ca.Name, ca.Mid, cb.Mid))
		}
	}
	return t
}

// OrderGap compares the two orders of combined noise at one mode, site and additive share: LogGap is
// log10 A_mid(add→mul) − log10 A_mid(mul→add), paired over repetitions (< 0: add→mul collapses at a smaller
// amplitude).
type OrderGap struct {
	Mode  Mode
	Site  int
	Name  string
	Ratio float64
	LogGap
}

// String formats the gap, e.g. "4:fc2 r=0.5: log10 A_mid(add→mul)/A_mid(mul→add) −0.1 (95% CI …): add→mul lower".
func (g OrderGap) String() string {
	return fmt.Sprintf("%s r=%g: log10 A_mid(add→mul)/A_mid(mul→add) %s: %s", g.Name, g.Ratio, g.Diff,
		g.Verdict("add→mul higher", "add→mul lower"))
}

// OrderGaps pairs the two orders of combined noise over the (mode, site, ratio) triples present in both, in the
// curves' order, with their per-repetition midpoint gap and its Student-t interval at level (for a claim over
// all k shares at once, 1 − 0.05/k keeps the family-wise error at 5%: Bonferroni).
func OrderGaps(curves []MixedCurve, level float64) []OrderGap {
	type key struct {
		mode  Mode
		site  int
		ratio float64
	}
	mulFirst := map[key]MixedCurve{}
	for _, c := range curves {
		if !c.AddFirst {
			mulFirst[key{c.Mode, c.Site, c.Ratio}] = c
		}
	}
	var out []OrderGap
	for _, c := range curves {
		b, ok := mulFirst[key{c.Mode, c.Site, c.Ratio}]
		if !ok || !c.AddFirst {
			continue
		}
		out = append(out, OrderGap{Mode: c.Mode, Site: c.Site, Name: c.Name, Ratio: c.Ratio, LogGap: newLogGap(c.PerRep, b.PerRep, level)})
	}
	return out
}

// MixedMidpoint returns the midpoint amplitude of the curve with the given mode, order and ratio, and false
// if there is none or if the curves hold several sites (then the choice would be arbitrary).
func MixedMidpoint(curves []MixedCurve, mode Mode, addFirst bool, ratio float64) (analysis.MidpointResult, bool) {
	c, ok := mixedCurve(curves, mode, addFirst, ratio)
	return c.Mid, ok
}

// ShareGap compares two additive shares in one mode and order: log10 A_mid(ratio a) − log10 A_mid(ratio b),
// paired over repetitions, with its 95% interval; false as for MixedMidpoint.
func ShareGap(curves []MixedCurve, mode Mode, addFirst bool, a, b float64) (LogGap, bool) {
	ca, ok1 := mixedCurve(curves, mode, addFirst, a)
	cb, ok2 := mixedCurve(curves, mode, addFirst, b)
	if !ok1 || !ok2 {
		return LogGap{}, false
	}
	return newLogGap(ca.PerRep, cb.PerRep, 0.95), true
}

func mixedCurve(curves []MixedCurve, mode Mode, addFirst bool, ratio float64) (MixedCurve, bool) {
	var found []MixedCurve
	for _, c := range curves {
		if c.Mode == mode && c.AddFirst == addFirst && c.Ratio == ratio {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return MixedCurve{}, false
	}
	return found[0], true
}

// TailoredGain returns, at one budget, the mean paired difference of accuracy (percentage points) of a tailored
// policy over global repetition, across the repetitions both were measured with (ExecResult.Acc: repetition r
// of both shares its trained model), with its Student-t interval at level: the tailored policy's gain at
// equal budget. It fails when either policy lacks that budget or their repetitions differ.
func TailoredGain(results []ExecResult, policy string, budget int, level float64) (analysis.Interval, error) {
	var t, g *ExecResult
	for i, r := range results {
		if r.Budget != budget {
			continue
		}
		switch r.Policy {
		case policy:
			t = &results[i]
		case "global":
			g = &results[i]
		}
	}
	if t == nil || g == nil {
		return analysis.Interval{}, fmt.Errorf("walk: no %s and global results at budget %d", policy, budget)
	}
	if !slices.Equal(t.Reps, g.Reps) {
		return analysis.Interval{}, fmt.Errorf("walk: %s and global at budget %d hold different repetitions %v and %v", policy, budget, t.Reps, g.Reps)
	}
	return analysis.PairedDifference(t.Acc, g.Acc, level)
}

// ByPolicy returns the results of one policy, in budget order.
func ByPolicy(results []ExecResult, policy string) []ExecResult {
	var out []ExecResult
	for _, r := range results {
		if r.Policy == policy {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Budget < out[j].Budget })
	return out
}
