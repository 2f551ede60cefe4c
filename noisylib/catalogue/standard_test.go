package catalogue

import (
	"slices"
	"testing"
)

// TestStandardPreset: every experiment builds under the standard preset, no larger than under paper, with the
// full data and ≥ 3 repetitions, and every σ of its grid is a point of the paper's grid.
func TestStandardPreset(t *testing.T) {
	for _, e := range All() {
		s, p := plan(t, e, "standard"), plan(t, e, "paper")
		if len(s.Points) > len(p.Points) || s.Spec.Reps < 3 || s.Spec.TrainN != 0 || s.Spec.TestN != 0 {
			t.Errorf("%s: %d standard points (paper %d), %d repetitions, data %d/%d", e.Name, len(s.Points), len(p.Points),
				s.Spec.Reps, s.Spec.TrainN, s.Spec.TestN)
		}
		if s.Name != e.Name+"@standard" {
			t.Errorf("%s: plan name %q", e.Name, s.Name)
		}
		for _, x := range s.Spec.Sigmas {
			if !slices.Contains(p.Spec.Sigmas, x) {
				t.Errorf("%s: standard σ %v is not on the paper's grid", e.Name, x)
				break
			}
		}
	}
}
