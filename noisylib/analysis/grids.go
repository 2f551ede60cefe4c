package analysis

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/floats"
)

// The sweep grids of method.md §5.2. Grid points that are integer powers of ten are exact
// (math.Pow10), so the end points compare equal to literals such as 1e-2 and 1e10.

// pow10Quarter returns 10^(q/4), exact when q is a multiple of 4.
func pow10Quarter(q int) float64 {
	if q%4 == 0 {
		return math.Pow10(q / 4)
	}
	return math.Pow(10, float64(q)/4)
}

// AdditiveGrid returns the layer-wise additive grid σ_k = 10^(−2 + k/4) from 1e-2 to 10^maxExp,
// four points per decade: 49 points for maxExp = 10 (CIFAR-10, FMNIST, SVHN, GSC2), 41 for
// maxExp = 8 (MNIST) and 17 for maxExp = 2 (the global grid). It is empty for maxExp < −2.
func AdditiveGrid(maxExp int) []float64 {
	if maxExp < -2 {
		return []float64{}
	}
	n := 4*(maxExp+2) + 1
	g := make([]float64, n)
	for k := range g {
		g[k] = pow10Quarter(k - 8)
	}
	return g
}

// GlobalAdditiveGrid returns the global additive grid: 17 points 10^(−2 + k/4) from 1e-2 to 1e2.
func GlobalAdditiveGrid() []float64 { return AdditiveGrid(2) }

// MulLinearGrid returns the linear multiplicative grid {0, 0.1, …, max} (σ = 0 is the
// identity): 21 points for max = 2, 31 for max = 3, 61 for max = 6 (MNIST). Points are k/10, so
// they equal the literals 0.1, 0.2, …; max is rounded down to a multiple of 0.1 (with a 1e-9
// tolerance). It is empty for max < 0.
func MulLinearGrid(max float64) []float64 {
	if !(max >= 0) || math.IsInf(max, 0) {
		return []float64{}
	}
	n := int(math.Floor(max*10+1e-9)) + 1
	g := make([]float64, n)
	for k := range g {
		g[k] = float64(k) / 10
	}
	return g
}

// MulLogGrid returns the logarithmic multiplicative grid 10^(k/4) from 1 to 10^maxExp: 41 points
// for maxExp = 10, 65 for maxExp = 16 (MNIST). It is empty for maxExp < 0.
func MulLogGrid(maxExp int) []float64 {
	if maxExp < 0 {
		return []float64{}
	}
	g := make([]float64, 4*maxExp+1)
	for k := range g {
		g[k] = pow10Quarter(k)
	}
	return g
}

// CombinedAmplitudes returns the layer-wise amplitudes A = 10^(−2 + k/2) of the combined noise
// sweep: 25 points from 1e-2 to 1e10.
func CombinedAmplitudes() []float64 {
	g := make([]float64, 25)
	for k := range g {
		g[k] = pow10Quarter(2*k - 8)
	}
	return g
}

// CombinedRatios returns the layer-wise ratios r = σ_add/A of the combined noise sweep:
// {0.01, 0.1, 0.5, 0.9, 0.99}.
func CombinedRatios() []float64 { return []float64{0.01, 0.1, 0.5, 0.9, 0.99} }

// Linspace returns n evenly spaced values from a to b, both included (numpy.linspace, seml
// "uniform"). It returns [a] for n = 1 and an empty slice for n < 1.
func Linspace(a, b float64, n int) []float64 {
	switch {
	case n < 1:
		return []float64{}
	case n == 1:
		return []float64{a}
	}
	g := floats.Span(make([]float64, n), a, b)
	g[n-1] = b
	return g
}

// Logspace returns n logarithmically spaced values from a to b, both included. Unlike
// numpy.logspace, a and b are the end values, not their exponents: Logspace(1e-2, 1e2, 17) is
// seml's "loguniform" with min 1e-2 and max 1e2, i.e. np.logspace(−2, 2, 17). It returns [a] for
// n = 1, and an empty slice for n < 1 or a non-positive or non-finite end value.
func Logspace(a, b float64, n int) []float64 {
	if n < 1 || !(a > 0) || !(b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return []float64{}
	}
	if n == 1 {
		return []float64{a}
	}
	g := floats.Span(make([]float64, n), math.Log10(a), math.Log10(b))
	for i, e := range g {
		if e == math.Trunc(e) && math.Abs(e) < 300 {
			g[i] = math.Pow10(int(e))
		} else {
			g[i] = math.Pow(10, e)
		}
	}
	g[0], g[n-1] = a, b
	return g
}

// MaxRatios returns the 20 additive shares r of the MAX combined-noise runs (A = 1e10, method.md §5.2),
// dense near 1 where σ_add = A·r starts to dominate.
func MaxRatios() []float64 {
	return []float64{0.001, 0.003162278, 0.01, 0.03162278, 0.1, 0.25, 0.5, 0.75, 0.9, 0.93162278, 0.968377223, 0.99,
		0.993162278, 0.9968377223, 0.999, 0.9993162278, 0.99968377223, 0.9999, 0.99993162278, 0.99999}
}

// DeepDiveAmplitudes returns the amplitudes A = 10^(−4 + k/2) of the LeNet-5-BN site-5 combined-noise study on
// CIFAR-10 (method.md §5.2): 35 points from 1e-4 to 1e13.
func DeepDiveAmplitudes() []float64 {
	g := make([]float64, 35)
	for k := range g {
		g[k] = pow10Quarter(2*k - 16)
	}
	return g
}

// DeepDiveRatios returns the 35 additive shares of the site-5 study: 1e-17, 1e-16, …, 1e-1, 0.5, then 0.9,
// 0.99, …, 0.99999999999999999 (17 nines), each parsed from its decimal string as the reference's YAML is, so
// the last one is exactly 1 in float64 (pure additive noise).
func DeepDiveRatios() []float64 {
	var g []float64
	for e := -17; e <= -1; e++ {
		g = append(g, math.Pow10(e))
	}
	g = append(g, 0.5)
	for k := 1; k <= 17; k++ {
		v, _ := strconv.ParseFloat("0."+strings.Repeat("9", k), 64)
		g = append(g, v)
	}
	return g
}
