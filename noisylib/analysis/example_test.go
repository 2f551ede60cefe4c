package analysis_test

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
)

func ExampleMidpoint() {
	c := analysis.Curve{
		Sigmas: []float64{0.01, 0.1, 1, 10, 100},
		Acc:    [][]float64{{98, 99}, {98, 98}, {90, 92}, {30, 20}, {10, 11}},
	}
	mid, err := analysis.Midpoint(c, 98.5, 10, analysis.LogGrid)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Means 98.5, 98, 91, 25, 10.5; a_mid = 54.25 is crossed between σ = 1 and 10 at
	// t = (54.25−91)/(25−91) = 0.557 of the decade.
	fmt.Println(mid, mid.Censored)

	// A curve that never drops below a_mid only has a bound.
	robust := analysis.Curve{Sigmas: []float64{1, 10, 100}, Acc: [][]float64{{98}, {97}, {90}}}
	mid, _ = analysis.Midpoint(robust, 98.5, 10, analysis.LogGrid)
	fmt.Println(mid, mid.Censored)
	// Output:
	// 3.60e+00 none
	// > 1e+02 > σ_max
}

func ExampleAllocate() {
	// Layer-wise midpoints of four sites; compute-matched to global repetition B = 5.
	mids := []float64{0.5, 2, 8, 30}
	r, err := analysis.Allocate(mids, analysis.InverseLin, 5*len(mids))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Shares 15.0, 3.8, 0.9, 0.3: the last two are fixed at 1, the other 18 split 14.4 / 3.6.
	fmt.Println(r)
	// Output:
	// [14 4 1 1]
}
