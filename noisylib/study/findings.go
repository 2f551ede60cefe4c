package study

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Tally counts a comparison over pairs (sites, ratios, models): Yes where it holds, No where it fails, and
// Undecided where a censored midpoint leaves it open (e.g. "> 1e6" in both modes); Open names those pairs.
// A censored midpoint is a bound, never a number, so a finding states how many pairs it could not decide.
type Tally struct {
	Yes, No, Undecided int
	Open               []string
}

// Total returns the number of pairs compared, decided or not.
func (t Tally) Total() int { return t.Yes + t.No + t.Undecided }

// String formats the tally as "3 of 4", adding "(1 undecided by censoring: 10:logits)" when some pairs are open.
func (t Tally) String() string {
	s := fmt.Sprintf("%d of %d", t.Yes, t.Total())
	if t.Undecided > 0 {
		s += fmt.Sprintf(" (%d undecided by censoring: %s)", t.Undecided, strings.Join(t.Open, ", "))
	}
	return s
}

// add counts one pair: holds tells whether the claim holds when decided.
func (t *Tally) add(holds, decided bool, name string) {
	switch {
	case !decided:
		t.Undecided++
		t.Open = append(t.Open, name)
	case holds:
		t.Yes++
	default:
		t.No++
	}
}

// MidpointShift compares the midpoints of two modes at every site present in both: Yes counts the sites
// whose midpoint is higher in mode a than in mode b, as far as censoring lets the bounds decide.
func MidpointShift(curves []walk.SiteCurve, a, b walk.Mode) Tally {
	mids := map[walk.Mode]map[int]walk.SiteCurve{a: {}, b: {}}
	var order []int
	for _, c := range curves {
		if m, ok := mids[c.Mode]; ok {
			if c.Mode == a {
				order = append(order, c.Site)
			}
			m[c.Site] = c
		}
	}
	var t Tally
	for _, site := range order {
		ca := mids[a][site]
		if cb, ok := mids[b][site]; ok {
			o, decided := analysis.Compare(ca.Mid, cb.Mid)
			t.add(o > 0, decided, fmt.Sprintf("%s %s vs %s", ca.Name, ca.Mid, cb.Mid))
		}
	}
	return t
}
