package study

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Adaptive finds the noisy-training midpoint of every site of a layer-wise plan by the adaptive search
// (walk.Runner.Adaptive with walk.DefaultFanout, a bisection) on the shared store, for notebooks that need only
// the midpoints: with the standard preset's 21-σ grid it trains 2–7 σ per site and repetition instead of 21. The
// plan is built as Walk builds it (environment's preset and seed, fields set in spec win) and must have the
// Training mode; its clean baselines are run too. Points already stored (e.g. imported shipped results) are not
// trained again.
func Adaptive(spec walk.PlanSpec) (*walk.Plan, []walk.AdaptiveCurve, error) {
	return AdaptiveFanout(spec, walk.DefaultFanout)
}

// AdaptiveFanout is Adaptive training fanout σ per site and round inside a bracket (walk.Runner.Adaptive); a
// search with another fanout trains other σ of the grid, so shipped results searched with one fanout are reused
// in full only by a search with the same fanout.
func AdaptiveFanout(spec walk.PlanSpec, fanout int) (*walk.Plan, []walk.AdaptiveCurve, error) {
	plan, err := Plan(spec)
	if err != nil {
		return nil, nil, err
	}
	st, err := results.Open(StorePath())
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	fmt.Printf("plan %s (adaptive search, fanout %d): preset %s, base seed %d, %d repetition(s), store %s\n", plan.Name,
		fanout, Preset(), plan.Spec.BaseSeed, plan.Spec.Reps, StorePath())
	r, err := runner(st)
	if err != nil {
		return nil, nil, err
	}
	curves, err := r.Adaptive(plan, fanout)
	return plan, curves, err
}
