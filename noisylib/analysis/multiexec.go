package analysis

import (
	"fmt"
	"math"
	"sort"
)

// Exponents p of the tailored multi-execution policies r_i ∝ s_i^(−p) (method.md §6.6, §8 item 15),
// where s_i is the robustness of site i (its layer-wise midpoint σ_mid,i).
const (
	// InverseSqrt is the "inverse_sqrt" policy, r_i ∝ s_i^(−1/2).
	InverseSqrt = 0.5
	// InverseLin is the "inverse_lin" policy, r_i ∝ 1/s_i. It minimises Σ σ²/(r_i s_i²) under a
	// fixed budget Σ r_i, so it is the default tailored policy.
	InverseLin = 1.0
	// InverseSquare is the "inverse_square" policy, r_i ∝ s_i^(−2).
	InverseSquare = 2.0
)

// Allocate splits a budget of executions over the sites with robustness s (e.g. midpoints σ_mid,i)
// as r_i ∝ s_i^(−p), with every r_i ≥ 1 and Σ r_i = budget exactly. The paper's compute-matched
// budget is B·len(s) for global repetition B.
//
// Sites whose proportional share is below 1 are fixed at 1 and the rest of the budget is
// re-shared among the others (repeatedly, until every share is ≥ 1). The shares are then rounded
// by the largest-remainder method: each site gets the floor of its share and the units left go to
// the largest fractional parts, ties going to the lower index. p may be any finite value (p = 0
// splits evenly; negative p favours robust sites). Errors: empty s, budget < len(s), s_i ≤ 0 or
// not finite, p not finite.
func Allocate(s []float64, p float64, budget int) ([]int, error) {
	n := len(s)
	if n == 0 {
		return nil, fmt.Errorf("analysis: allocation over no sites")
	}
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return nil, fmt.Errorf("analysis: allocation exponent p = %g, want a finite value", p)
	}
	if budget < n {
		return nil, fmt.Errorf("analysis: budget %d is smaller than the %d sites, want budget >= len(s) (r_i >= 1)", budget, n)
	}
	// Weights s_i^(−p), scaled by the largest in log space so that they neither overflow nor underflow.
	logW := make([]float64, n)
	maxLog := math.Inf(-1)
	for i, v := range s {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("analysis: s[%d] = %g, want a finite s_i > 0", i, v)
		}
		logW[i] = -p * math.Log(v)
		maxLog = math.Max(maxLog, logW[i])
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = math.Exp(logW[i] - maxLog)
	}

	share := make([]float64, n)
	fixed := make([]bool, n)
	for {
		var free float64
		nFixed := 0
		for i := range w {
			if fixed[i] {
				nFixed++
			} else {
				free += w[i]
			}
		}
		rest := float64(budget - nFixed)
		changed := false
		for i := range w {
			if fixed[i] {
				share[i] = 1
				continue
			}
			share[i] = rest * w[i] / free
			if share[i] < 1 {
				fixed[i], changed = true, true
			}
		}
		if !changed {
			break
		}
	}

	r := make([]int, n)
	left := budget
	for i, q := range share {
		r[i] = max(1, int(math.Floor(q)))
		left -= r[i]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return share[order[a]]-math.Floor(share[order[a]]) > share[order[b]]-math.Floor(share[order[b]])
	})
	// left is in [0, n) up to rounding; the loop also absorbs a rounding excess either way.
	for j := 0; left > 0; j = (j + 1) % n {
		r[order[j]]++
		left--
	}
	for j := n - 1; left < 0; j = (j - 1 + n) % n {
		if i := order[j]; r[i] > 1 {
			r[i]--
			left++
		}
	}
	return r, nil
}

// PredictGlobalMidpoint returns the global midpoint predicted from the layer-wise midpoints under
// the independent-variance heuristic of §6.4 ("parallel resistors"): 1/σ_g² = Σ_i 1/σ_i². A site
// that never collapsed can be passed as +Inf and contributes nothing. It returns NaN for an empty
// slice or a value that is NaN or ≤ 0, and +Inf if all values are +Inf.
func PredictGlobalMidpoint(siteMidpoints []float64) float64 {
	if len(siteMidpoints) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, s := range siteMidpoints {
		if !(s > 0) {
			return math.NaN()
		}
		sum += 1 / (s * s)
	}
	return 1 / math.Sqrt(sum)
}

// EffectiveSigma returns σ/√r, the standard deviation of the mean of r independent noisy
// executions (§6.6). It returns NaN for r < 1.
func EffectiveSigma(sigma float64, r int) float64 {
	if r < 1 {
		return math.NaN()
	}
	return sigma / math.Sqrt(float64(r))
}
