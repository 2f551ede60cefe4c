package study

import (
	"sort"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// ExecResult is the accuracy of one multi-execution policy at one budget (see walk.ExecResult).
type ExecResult = walk.ExecResult

// MultiExecResults reads the stored results of a multi-execution plan from the shared store (see
// walk.ExecResults).
func MultiExecResults(plan *walk.Plan) ([]ExecResult, error) {
	st, err := openExisting()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return walk.ExecResults(st, plan)
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
