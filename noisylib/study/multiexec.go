package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// MultiExecResults reads the stored results of a multi-execution plan from the shared store (see
// walk.ExecResults).
func MultiExecResults(plan *walk.Plan) ([]walk.ExecResult, error) {
	st, err := openExisting()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return walk.ExecResults(st, plan)
}
