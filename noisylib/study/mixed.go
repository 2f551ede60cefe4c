package study

import (
	"fmt"
	"slices"
	"sort"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// MixedCurve is the accuracy of a mixed-noise plan against the amplitude A at one additive share r and order.
type MixedCurve struct {
	// Mode is inference or training.
	Mode walk.Mode
	// AddFirst is the order: false is y = x·m + a (mul-then-add), true is y = (x + a)·m.
	AddFirst bool
	// Ratio is the additive share r: σ_add = A·r, σ_mul = A·(1−r).
	Ratio float64
	// Amplitudes are the swept A, increasing, and Acc the mean accuracy (%) over repetitions at each.
	Amplitudes, Acc []float64
	// Mid is the midpoint amplitude (a_max = the plan's clean accuracy, a_min = chance).
	Mid analysis.MidpointResult
}

// Order names the order of combined noise: "mul→add" or "add→mul".
func (c MixedCurve) Order() string {
	if c.AddFirst {
		return "add→mul"
	}
	return "mul→add"
}

// MixedCurves reads the stored results of a mixed plan (kind walk.Mixed) and returns one curve per mode,
// order and ratio, sorted by mode, order and ratio. Curves with a missing point are skipped.
func MixedCurves(plan *walk.Plan) ([]MixedCurve, error) {
	if plan.Spec.Kind != walk.Mixed {
		return nil, fmt.Errorf("study: MixedCurves needs a mixed plan, got kind %s", plan.Spec.Kind)
	}
	obs, err := Observations(plan)
	if err != nil {
		return nil, err
	}
	type key struct {
		mode     walk.Mode
		addFirst bool
		ratio    float64
	}
	sums := map[key]map[float64][2]float64{}
	var cleanSum float64
	var cleanN int
	for _, o := range obs {
		if o.Mode == walk.Clean {
			cleanSum += o.Accuracy
			cleanN++
			continue
		}
		k := key{o.Mode, o.Noise.Sites[o.Site].AddFirst, o.Y}
		if sums[k] == nil {
			sums[k] = map[float64][2]float64{}
		}
		s := sums[k][o.X]
		sums[k][o.X] = [2]float64{s[0] + o.Accuracy, s[1] + 1}
	}
	if cleanN == 0 {
		return nil, fmt.Errorf("plan %s: no clean baseline in the store yet: run the plan first", plan.Name)
	}
	aMax, aMin := cleanSum/float64(cleanN), 10.0
	grid, err := plan.Spec.Grid()
	if err != nil {
		return nil, err
	}
	amps := plan.Spec.Sigmas
	if grid == analysis.LogGrid { // A = 0 is the clean baseline, never a log interpolation point.
		amps = slices.DeleteFunc(slices.Clone(amps), func(a float64) bool { return a <= 0 })
	}
	var out []MixedCurve
	for k, byA := range sums {
		c := MixedCurve{Mode: k.mode, AddFirst: k.addFirst, Ratio: k.ratio, Amplitudes: amps}
		curve := analysis.Curve{Sigmas: c.Amplitudes}
		for _, a := range c.Amplitudes {
			s, ok := byA[a]
			if !ok || int(s[1]) != plan.Spec.Reps {
				curve.Sigmas = nil
				break
			}
			c.Acc = append(c.Acc, s[0]/s[1])
			curve.Acc = append(curve.Acc, []float64{s[0] / s[1]})
		}
		if curve.Sigmas == nil {
			continue
		}
		if c.Mid, err = analysis.Midpoint(curve, aMax, aMin, grid); err != nil {
			return nil, fmt.Errorf("study: mixed curve %s r=%g: %w", c.Order(), c.Ratio, err)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Mode != b.Mode {
			return a.Mode < b.Mode
		}
		if a.AddFirst != b.AddFirst {
			return !a.AddFirst
		}
		return a.Ratio < b.Ratio
	})
	return out, nil
}

// OrderCompare compares the two orders of combined noise over the (mode, ratio) pairs present in both: Yes
// counts the pairs where the add→mul midpoint amplitude is at most (1 + tol) times the mul→add one, as far as
// censoring lets the bounds decide. tol allows for the sampling noise of the accuracies (e.g. 0.05).
func OrderCompare(curves []MixedCurve, tol float64) Tally {
	type key struct {
		mode  walk.Mode
		ratio float64
	}
	mulFirst := map[key]analysis.MidpointResult{}
	for _, c := range curves {
		if !c.AddFirst {
			mulFirst[key{c.Mode, c.Ratio}] = c.Mid
		}
	}
	var t Tally
	for _, c := range curves {
		b, ok := mulFirst[key{c.Mode, c.Ratio}]
		if !ok || !c.AddFirst {
			continue
		}
		alo, ahi := c.Mid.Interval()
		blo, bhi := b.Interval()
		name := fmt.Sprintf("%s r=%g: %s vs %s", c.Mode, c.Ratio, c.Mid, b)
		switch {
		case ahi <= (1+tol)*blo:
			t.add(true, true, name)
		case alo > (1+tol)*bhi:
			t.add(false, true, name)
		default:
			t.add(false, false, name)
		}
	}
	return t
}

// MixedMidpoint returns the midpoint amplitude of the curve with the given mode, order and ratio, and false
// if there is none.
func MixedMidpoint(curves []MixedCurve, mode walk.Mode, addFirst bool, ratio float64) (analysis.MidpointResult, bool) {
	for _, c := range curves {
		if c.Mode == mode && c.AddFirst == addFirst && c.Ratio == ratio {
			return c.Mid, true
		}
	}
	return analysis.MidpointResult{}, false
}
