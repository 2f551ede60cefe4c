package study

import (
	"fmt"
	"math"
	"sort"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// ExecResult is the accuracy of one multi-execution policy at one budget, over repetitions.
type ExecResult struct {
	// Policy is "global" (every site executed B times) or a tailored allocation such as "inverse_lin".
	Policy string
	// Budget is B: the executions average B per site (Σ r_i = B·sites).
	Budget int
	// Mean and Std are the mean and sample standard deviation of the accuracy (%) over N repetitions.
	Mean, Std float64
	N         int
}

// MultiExecResults reads the stored results of a multi-execution plan and returns one result per policy and
// budget, sorted by policy and budget.
func MultiExecResults(plan *walk.Plan) ([]ExecResult, error) {
	if plan.Spec.Kind != walk.MultiExec {
		return nil, fmt.Errorf("study: MultiExecResults needs a multiexec plan, got kind %s", plan.Spec.Kind)
	}
	obs, err := Observations(plan)
	if err != nil {
		return nil, err
	}
	type key struct {
		policy string
		budget int
	}
	accs := map[key][]float64{}
	for _, o := range obs {
		if o.Mode == walk.Clean {
			continue
		}
		k := key{o.Policy, int(o.X)}
		accs[k] = append(accs[k], o.Accuracy)
	}
	var out []ExecResult
	for k, a := range accs {
		r := ExecResult{Policy: k.policy, Budget: k.budget, N: len(a)}
		for _, v := range a {
			r.Mean += v / float64(len(a))
		}
		for _, v := range a {
			r.Std += (v - r.Mean) * (v - r.Mean)
		}
		if len(a) > 1 {
			r.Std = math.Sqrt(r.Std / float64(len(a)-1))
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("plan %s: no multi-execution results in the store yet: run the plan first", plan.Name)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Policy != out[j].Policy {
			return out[i].Policy < out[j].Policy
		}
		return out[i].Budget < out[j].Budget
	})
	return out, nil
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
