package analysis

import (
	"fmt"
	"strings"
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

// Add counts one pair named name: holds tells whether the claim holds when it is decided.
func (t *Tally) Add(holds, decided bool, name string) {
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

// WithinFactor reports whether a measured midpoint lies within a factor of a predicted value
// (predicted/factor ≤ σ_mid ≤ predicted·factor), as far as censoring lets its bounds decide.
func WithinFactor(predicted float64, measured MidpointResult, factor float64) (within, decided bool) {
	lo, hi := measured.Interval()
	switch {
	case lo >= predicted/factor && hi <= predicted*factor:
		return true, true
	case hi < predicted/factor || lo > predicted*factor:
		return false, true
	}
	return false, false
}
