package walk

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// policyExponents maps the tailored multi-execution policies to p in r_i ∝ s_i^−p.
var policyExponents = map[string]float64{
	"inverse_sqrt": analysis.InverseSqrt, "inverse_lin": analysis.InverseLin, "inverse_square": analysis.InverseSquare,
}

// Repetitions returns the per-site execution counts of a multi-execution policy for budget B (Σ r_i = B·n).
func Repetitions(policy string, budget int, siteMidpoints []float64, numSites int) ([]int, error) {
	if budget < 1 {
		return nil, fmt.Errorf("multi-execution budget must be ≥ 1, got %d", budget)
	}
	if policy == "global" {
		r := make([]int, numSites)
		for i := range r {
			r[i] = budget
		}
		return r, nil
	}
	p, ok := policyExponents[policy]
	if !ok {
		return nil, fmt.Errorf("unknown multi-execution policy %q: use global, inverse_sqrt, inverse_lin or inverse_square", policy)
	}
	if len(siteMidpoints) != numSites {
		return nil, fmt.Errorf("policy %s needs one site midpoint per site (%d), got %d: set PlanSpec.SiteMidpoints "+
			"(walkingnoise walk -site-midpoints s0,s1,… or -midpoints-from a layerwise plan file run in the same store)",
			policy, numSites, len(siteMidpoints))
	}
	return analysis.Allocate(siteMidpoints, p, budget*numSites)
}

// buildMultiExec expands a MultiExec spec: global additive noise at Sigmas[0] on a clean model, every site
// executed r_i times and averaged, for every budget and policy.
func buildMultiExec(spec PlanSpec, numSites int) (*Plan, error) {
	if len(spec.Sigmas) != 1 {
		return nil, fmt.Errorf("multiexec plan: give exactly one σ, got %d", len(spec.Sigmas))
	}
	if len(spec.Budgets) == 0 || len(spec.Policies) == 0 {
		return nil, fmt.Errorf("multiexec plan: needs budgets and policies")
	}
	p := &Plan{Name: spec.Name, Spec: spec}
	for rep := range spec.Reps {
		p.Points = append(p.Points, Point{Setup: spec.Setup, Plan: spec.Name, Mode: Clean, Rep: rep,
			Seed: spec.repSeed(rep), Site: -1, Version: ResultsVersion})
	}
	for _, policy := range spec.Policies {
		for _, b := range spec.Budgets {
			r, err := Repetitions(policy, b, spec.SiteMidpoints, numSites)
			if err != nil {
				return nil, fmt.Errorf("multiexec plan: %w", err)
			}
			cfg := noise.Config{Sites: map[int]noise.Spec{}}
			for i, ri := range r {
				cfg.Sites[i] = noise.Add(spec.Sigmas[0]).InferenceOnly().WithRepetitions(ri)
			}
			for rep := range spec.Reps {
				pt := Point{Setup: spec.Setup, Plan: spec.Name, Mode: Inference, Rep: rep,
					Seed: spec.repSeed(rep), Noise: cfg, Site: -1, X: float64(b), Policy: policy, Version: ResultsVersion,
					EvalVersion: EvaluationVersion}
				if spec.Draws == Independent {
					pt.Draws = Independent
				}
				p.Points = append(p.Points, pt)
			}
		}
	}
	return p, nil
}
