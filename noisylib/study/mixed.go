package study

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// MixedCurve is the accuracy of a mixed-noise plan against the amplitude at one additive share and order
// (see walk.MixedCurve).
type MixedCurve = walk.MixedCurve

// MixedCurves reads the stored results of a mixed plan from the shared store (see walk.MixedCurves).
func MixedCurves(plan *walk.Plan) ([]MixedCurve, error) {
	st, err := openExisting()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return walk.MixedCurves(st, plan)
}

// OrderCompare compares the two orders of combined noise over the (mode, site, ratio) triples present in both: Yes
// counts the pairs where the add→mul midpoint amplitude is at most (1 + tol) times the mul→add one, as far as
// censoring lets the bounds decide. tol allows for the sampling noise of the accuracies (e.g. 0.05).
func OrderCompare(curves []MixedCurve, tol float64) Tally {
	type key struct {
		mode  walk.Mode
		site  int
		ratio float64
	}
	mulFirst := map[key]analysis.MidpointResult{}
	for _, c := range curves {
		if !c.AddFirst {
			mulFirst[key{c.Mode, c.Site, c.Ratio}] = c.Mid
		}
	}
	var t Tally
	for _, c := range curves {
		b, ok := mulFirst[key{c.Mode, c.Site, c.Ratio}]
		if !ok || !c.AddFirst {
			continue
		}
		alo, ahi := c.Mid.Interval()
		blo, bhi := b.Interval()
		name := fmt.Sprintf("%s %s r=%g: %s vs %s", c.Mode, c.Name, c.Ratio, c.Mid, b)
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
// if there is none or if the curves hold several sites (then the choice would be arbitrary).
func MixedMidpoint(curves []MixedCurve, mode walk.Mode, addFirst bool, ratio float64) (analysis.MidpointResult, bool) {
	var found []analysis.MidpointResult
	for _, c := range curves {
		if c.Mode == mode && c.AddFirst == addFirst && c.Ratio == ratio {
			found = append(found, c.Mid)
		}
	}
	if len(found) != 1 {
		return analysis.MidpointResult{}, false
	}
	return found[0], true
}
