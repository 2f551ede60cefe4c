package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// MixedCurves reads the stored results of a mixed plan from the shared store (see walk.MixedCurves).
func MixedCurves(plan *walk.Plan) ([]walk.MixedCurve, error) { return read(plan, walk.MixedCurves) }

// MultiExecResults reads the stored results of a multi-execution plan from the shared store (see
// walk.ExecResults).
func MultiExecResults(plan *walk.Plan) ([]walk.ExecResult, error) {
	return read(plan, walk.ExecResults)
}
