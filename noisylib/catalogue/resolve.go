package catalogue

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Resolve fills what a multi-execution experiment takes from other experiments' results in st, run with the same
// preset: the σ of its global additive noise is the inference-only midpoint of SigmaFrom (unless Spec.Sigmas is
// set), and the per-site robustness s_i of the tailored allocations are the inference-only midpoints of
// SiteMidpointsFrom. The reference fixed one σ per model in its configs; those values are not in method.md,
// so the global midpoint — where a single execution loses half of the clean-to-chance accuracy — stands in for
// it. A censored midpoint counts as its bound (the edge of the grid). Other experiments are returned unchanged.
func (e Experiment) Resolve(st *results.Store, preset string) (Experiment, error) {
	if e.Spec.Kind != walk.MultiExec {
		return e, nil
	}
	if len(e.Spec.Sigmas) == 0 {
		mids, err := midpoints(st, e.SigmaFrom, preset)
		if err != nil {
			return e, fmt.Errorf("experiment %s: σ: %w", e.Name, err)
		}
		e.Spec.Sigmas = mids[:1]
	}
	if len(e.Spec.SiteMidpoints) == 0 {
		mids, err := midpoints(st, e.SiteMidpointsFrom, preset)
		if err != nil {
			return e, fmt.Errorf("experiment %s: site midpoints: %w", e.Name, err)
		}
		e.Spec.SiteMidpoints = mids
	}
	return e, nil
}

// midpoints returns the inference-only midpoints (censored ones as their bound) of the named experiment's
// curves, by site, from st.
func midpoints(st *results.Store, name, preset string) ([]float64, error) {
	dep, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	p, err := dep.Plan(preset)
	if err != nil {
		return nil, err
	}
	curves, err := walk.Curves(st, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (run walkingnoise walk -experiment %s -preset %s first)", name, err, name, preset)
	}
	var out []float64
	for _, c := range curves {
		if c.Mode != walk.Inference {
			continue
		}
		v := c.Mid.Sigma
		if c.Mid.Censored != analysis.None {
			v = c.Mid.Bound
		}
		out = append(out, v)
	}
	want := len(p.Spec.Sites)
	if p.Spec.Kind == walk.GlobalAll {
		want = 1
	}
	if len(out) == 0 || want > 0 && len(out) != want {
		return nil, fmt.Errorf("%s has %d complete inference curves in the store: run walkingnoise walk -experiment %s -preset %s first",
			name, len(out), name, preset)
	}
	return out, nil
}
