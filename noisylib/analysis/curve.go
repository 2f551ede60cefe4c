package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// Curve is an accuracy-vs-σ curve of one noise site, one noise type and one training mode.
type Curve struct {
	// Sigmas are the noise levels of the sweep, strictly increasing.
	Sigmas []float64
	// Acc[k] holds the accuracies (in %) of the repetitions at Sigmas[k]. Per-repetition
	// analyses ([MidpointsPerRep], [MidpointCI]) require the same number of repetitions at
	// every σ, with Acc[k][r] belonging to repetition r.
	Acc [][]float64
}

// Grid says how a σ grid is spaced, which decides how the midpoint is interpolated.
type Grid int

const (
	// AutoGrid asks [Midpoint] and friends to choose the spacing with [GuessGrid].
	AutoGrid Grid = iota
	// LogGrid is a logarithmically spaced grid: interpolation is linear in log10 σ.
	LogGrid
	// LinearGrid is a linearly spaced grid (e.g. the multiplicative {0, 0.1, …, 2}):
	// interpolation is linear in σ.
	LinearGrid
)

// String returns "auto", "log" or "linear".
func (g Grid) String() string {
	switch g {
	case AutoGrid:
		return "auto"
	case LogGrid:
		return "log"
	case LinearGrid:
		return "linear"
	}
	return fmt.Sprintf("Grid(%d)", int(g))
}

// logRatioTol is the relative tolerance on successive log-ratios for [GuessGrid]. It accepts
// grids whose values were rounded to three significant digits (e.g. 1, 1.78, 3.16, 5.62, 10).
const logRatioTol = 0.02

// GuessGrid returns LogGrid if all sigmas are positive, strictly increasing and their successive
// ratios are constant within 2 % in log scale, and LinearGrid otherwise. A single positive σ is
// reported as LogGrid.
func GuessGrid(sigmas []float64) Grid {
	if len(sigmas) == 0 {
		return LinearGrid
	}
	for _, s := range sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return LinearGrid
		}
	}
	if len(sigmas) < 2 {
		return LogGrid
	}
	first := math.Log(sigmas[1] / sigmas[0])
	if !(first > 0) {
		return LinearGrid
	}
	for k := 1; k+1 < len(sigmas); k++ {
		lr := math.Log(sigmas[k+1] / sigmas[k])
		if math.Abs(lr-first) > logRatioTol*first {
			return LinearGrid
		}
	}
	return LogGrid
}

// resolve turns AutoGrid into a concrete spacing and rejects unknown values.
func (g Grid) resolve(sigmas []float64) (Grid, error) {
	switch g {
	case AutoGrid:
		return GuessGrid(sigmas), nil
	case LogGrid, LinearGrid:
		return g, nil
	}
	return g, fmt.Errorf("analysis: unknown grid %d, want AutoGrid, LogGrid or LinearGrid", int(g))
}

// validate checks the curve's shape and values for the given grid (already resolved).
func (c Curve) validate(grid Grid) error {
	if len(c.Sigmas) == 0 {
		return fmt.Errorf("analysis: empty curve (no sigmas)")
	}
	if len(c.Acc) != len(c.Sigmas) {
		return fmt.Errorf("analysis: curve has %d sigmas but %d accuracy rows, want equal lengths",
			len(c.Sigmas), len(c.Acc))
	}
	for k, s := range c.Sigmas {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("analysis: Sigmas[%d] = %g, want a finite value", k, s)
		}
		if grid == LogGrid && s <= 0 {
			return fmt.Errorf("analysis: Sigmas[%d] = %g on a log grid, want σ > 0", k, s)
		}
		if k > 0 && s <= c.Sigmas[k-1] {
			return fmt.Errorf("analysis: Sigmas[%d] = %g is not greater than Sigmas[%d] = %g, want strictly increasing sigmas",
				k, s, k-1, c.Sigmas[k-1])
		}
	}
	for k, row := range c.Acc {
		if len(row) == 0 {
			return fmt.Errorf("analysis: no accuracies at Sigmas[%d] = %g, want at least one repetition", k, c.Sigmas[k])
		}
		for r, a := range row {
			if math.IsNaN(a) || math.IsInf(a, 0) {
				return fmt.Errorf("analysis: Acc[%d][%d] = %g, want a finite accuracy", k, r, a)
			}
		}
	}
	return nil
}

// Reps returns the number of repetitions if every σ has the same number, and an error otherwise.
func (c Curve) Reps() (int, error) {
	if len(c.Acc) == 0 {
		return 0, fmt.Errorf("analysis: empty curve (no accuracy rows)")
	}
	n := len(c.Acc[0])
	for k, row := range c.Acc {
		if len(row) != n {
			return 0, fmt.Errorf("analysis: %d repetitions at Acc[%d] but %d at Acc[0], want the same count at every σ",
				len(row), k, n)
		}
	}
	return n, nil
}

// Mean returns the mean accuracy over repetitions at every σ (NaN where a row is empty).
func (c Curve) Mean() []float64 {
	m := make([]float64, len(c.Acc))
	for k, row := range c.Acc {
		if len(row) == 0 {
			m[k] = math.NaN()
			continue
		}
		m[k] = stat.Mean(row, nil)
	}
	return m
}

// Rep returns the curve of repetition r alone (one accuracy per σ). It fails if some σ has no
// repetition r.
func (c Curve) Rep(r int) (Curve, error) {
	out := Curve{Sigmas: c.Sigmas, Acc: make([][]float64, len(c.Acc))}
	for k, row := range c.Acc {
		if r < 0 || r >= len(row) {
			return Curve{}, fmt.Errorf("analysis: repetition %d out of range [0, %d) at Acc[%d]", r, len(row), k)
		}
		out.Acc[k] = []float64{row[r]}
	}
	return out, nil
}
