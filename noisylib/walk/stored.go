package walk

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// record keeps the plan's spec in the store under its name (results.Store.PutPlan), so that LoadPlan can rebuild
// it from the store alone. Runner.Run calls it before running any point.
func record(st *results.Store, p *Plan) error {
	if p.Spec.Name != p.Name {
		return fmt.Errorf("plan %s: its spec names it %q: build plans with Build or Preset", p.Name, p.Spec.Name)
	}
	return st.PutPlan(p.Name, ResultsVersion, p.Spec)
}

// LoadPlan rebuilds the plan stored under name from its spec as Runner.Run recorded it (the PlanSpec as Build
// resolved it, the preset's values included), so that any reader reads a store alone, without the flags or
// environment ($WALKINGNOISE_PRESET) the plan was run with:
//
//	plan, err := walk.LoadPlan(st, "layerwise-mlp-tfc-bn-mnist-add-e1")
//	curves, err := walk.Curves(st, plan)
//
// The rebuilt plan has the same points (the same hashes) as the plan that was run. When the name was run with
// several specs (e.g. other modes, or another preset's grids), LoadPlan returns the one run last; LoadPlans
// returns them all.
//
// Errors: no spec of that name (the message lists the stored plans; a store written before specs were kept has
// none: running the plan again records its spec and computes nothing it holds), specs only of another results
// version (their points were computed by other numerics), a spec that does not build.
func LoadPlan(st *results.Store, name string) (*Plan, error) {
	plans, err := LoadPlans(st, name)
	if err != nil {
		return nil, err
	}
	return plans[0], nil
}

// LoadPlans rebuilds every spec stored under name for this ResultsVersion, the one run last first (see LoadPlan).
func LoadPlans(st *results.Store, name string) ([]*Plan, error) {
	recs, err := st.Plans(name)
	if err != nil {
		return nil, err
	}
	var out []*Plan
	var versions []string
	for _, rec := range recs {
		if rec.Version != ResultsVersion {
			versions = append(versions, fmt.Sprint(rec.Version))
			continue
		}
		spec, err := ParsePlanSpec(rec.Spec)
		if err != nil {
			return nil, fmt.Errorf("plan %s in store %s: stored spec: %w", name, st.Path(), err)
		}
		p, err := Build(spec)
		if err != nil {
			return nil, fmt.Errorf("plan %s in store %s: stored spec: %w", name, st.Path(), err)
		}
		if p.Name != name {
			return nil, fmt.Errorf("plan %s in store %s: its stored spec names it %q", name, st.Path(), p.Name)
		}
		out = append(out, p)
	}
	if len(out) > 0 {
		return out, nil
	}
	if len(versions) > 0 {
		return nil, fmt.Errorf("plan %s in store %s was run with results version %s, this library computes version %d: "+
			"its points come from other numerics (see ResultsVersion); run the plan again", name, st.Path(), strings.Join(versions, ", "), ResultsVersion)
	}
	all, err := st.Plans("")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, r := range all {
		if len(names) == 0 || names[len(names)-1] != r.Name {
			names = append(names, r.Name)
		}
	}
	stored := "none (a store written before plan specs were kept: running a plan again records its spec and computes nothing the store holds)"
	if len(names) > 0 {
		stored = strings.Join(names, ", ")
	}
	return nil, fmt.Errorf("store %s holds no spec of plan %q; plans with a stored spec: %s", st.Path(), name, stored)
}
