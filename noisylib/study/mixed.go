package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// MixedCurves reads the stored results of a mixed plan from the shared store (see walk.MixedCurves).
func MixedCurves(plan *walk.Plan) ([]walk.MixedCurve, error) {
	st, err := openExisting()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return walk.MixedCurves(st, plan)
}
