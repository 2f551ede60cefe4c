// Package analysis holds the pure numerical analysis of Walking Noise experiments: midpoint noise
// levels of accuracy-vs-σ curves, the paper's sweep grids, SNR and activation statistics, weight
// statistics for the self-binarization probe, and the allocation rules of tailored multi-execution.
//
// Everything works on plain float64 / float32 slices and uses gonum (stat, stat/distuv, floats,
// mat); nothing here depends on GoMLX.
//
//	c := analysis.Curve{
//		Sigmas: analysis.AdditiveGrid(8),        // 1e-2 … 1e8, 4 points per decade
//		Acc:    acc,                             // acc[k] = accuracies (%) of the repetitions at Sigmas[k]
//	}
//	mid, err := analysis.Midpoint(c, 98.9, 10, analysis.LogGrid)
//	fmt.Println(mid)                             // "3.16e+00", or "> 1e+08" if the curve never collapses
//	ci, err := analysis.MidpointCI(c, 98.9, 10, analysis.LogGrid, 0.95)
//	fmt.Println(ci)                              // per-repetition midpoints: mean, t-interval, censoring counts
//
//	r, err := analysis.Allocate(siteMidpoints, analysis.InverseLin, 5*len(siteMidpoints))
//
// # Midpoint noise level
//
// The paper names the metric but does not publish its formula. This package implements the
// recommended reconstruction of method.md §5.4: with a_max the clean accuracy and a_min the chance
// level (both given by the caller, not read off the curve), a_mid = (a_max + a_min)/2 and the
// midpoint σ_mid is the first downward crossing of a_mid by the mean curve over repetitions,
// interpolated linearly in log10 σ on logarithmic grids and linearly in σ on linear grids. Curves
// that never drop below a_mid are censored "> σ_max"; curves already below a_mid at the first grid
// point are censored "< σ_min". Censored results never carry a number: see [MidpointResult].
//
// # Conventions
//
// Accuracies are in percent. Functions that return only a float64 return NaN for inputs on which
// the quantity is undefined (documented per function); functions that validate structured input
// return an error naming the bad value and the valid range. Nothing panics on user input.
package analysis
