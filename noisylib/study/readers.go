package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// MixedCurves reads the stored results of a mixed plan from the shared store (see walk.MixedCurves).
func MixedCurves(plan *walk.Plan) ([]walk.MixedCurve, error) { return read(plan, walk.MixedCurves) }

// MultiExecResults reads the stored results of a multi-execution plan from the shared store (see
// walk.ExecResults).
func MultiExecResults(plan *walk.Plan) ([]walk.ExecResult, error) {
	return read(plan, walk.ExecResults)
}

// MismatchMaps reads the stored results of a mismatch plan from the shared store (see walk.MismatchMaps): one
// σ_a × σ_b map per site.
func MismatchMaps(plan *walk.Plan) ([]walk.MismatchMap, error) { return read(plan, walk.MismatchMaps) }

// KLCurves reads the KL sensitivity of a plan's inference points from the shared store (see walk.KLCurves):
// empty when its points were stored before KL was measured.
func KLCurves(plan *walk.Plan) ([]walk.KLCurve, error) { return read(plan, walk.KLCurves) }
