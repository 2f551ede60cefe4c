package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// decadeLabel formats 10^k compactly: "0.1", "1", "10", "100" for -1 ≤ k ≤ 2, else "1e-2", "1e3".
// (The default Liberation fonts lack superscript minus and zero, so "10⁻²" is not an option.)
func decadeLabel(k int) string {
	if k >= -1 && k <= 2 {
		return strconv.FormatFloat(math.Pow10(k), 'f', -1, 64)
	}
	return "1e" + strconv.Itoa(k)
}

// valueLabel formats m·10^k for the 2× and 5× ticks of short log ranges.
func valueLabel(m, k int) string {
	if k >= -2 && k <= 2 {
		return strconv.FormatFloat(float64(m)*math.Pow10(k), 'f', -1, 64)
	}
	return strconv.Itoa(m) + "e" + strconv.Itoa(k)
}

// logTicker labels decades of a log10-scaled quantity. With InLog10 set, tick values are
// exponents (the axis shows log10 v, as the heatmap columns do); otherwise values are v itself and
// the axis uses plot.LogScale.
type logTicker struct {
	InLog10 bool
	// MaxLabels bounds the number of labelled decades (default 9); beyond it every n-th decade
	// is labelled.
	MaxLabels int
}

// Ticks implements plot.Ticker.
func (t logTicker) Ticks(min, max float64) []plot.Tick {
	lo, hi := min, max
	if !t.InLog10 {
		lo, hi = math.Log10(min), math.Log10(max)
	}
	// A degenerate range (e.g. a single value whose axis was padded down to 0) has no finite log10 end:
	// show one decade below the finite end instead of looping from −∞.
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !finite(lo) && !finite(hi):
		return nil
	case !finite(lo):
		lo = hi - 1
	case !finite(hi):
		hi = lo + 1
	}
	pos := func(e float64) float64 {
		if t.InLog10 {
			return e
		}
		return math.Pow(10, e)
	}
	const eps = 1e-9
	k0, k1 := int(math.Ceil(lo-eps)), int(math.Floor(hi+eps))
	maxLabels := t.MaxLabels
	if maxLabels <= 0 {
		maxLabels = 9
	}
	step := 1
	if n := k1 - k0 + 1; n > maxLabels {
		step = (n + maxLabels - 1) / maxLabels
	}
	var ticks []plot.Tick
	for k := k0; k <= k1; k++ {
		lab := ""
		if ((k%step)+step)%step == 0 {
			lab = decadeLabel(k)
		}
		ticks = append(ticks, plot.Tick{Value: pos(float64(k)), Label: lab})
	}
	// Minor (or, for short ranges, labelled) ticks at 2..9 × 10^k.
	short := k1-k0 < 1
	if hi-lo <= 6 {
		for k := k0 - 1; k <= k1; k++ {
			for m := 2; m <= 9; m++ {
				e := float64(k) + math.Log10(float64(m))
				if e < lo-eps || e > hi+eps {
					continue
				}
				lab := ""
				if short && (m == 2 || m == 5) {
					lab = valueLabel(m, k)
				}
				ticks = append(ticks, plot.Tick{Value: pos(e), Label: lab})
			}
		}
	}
	return ticks
}

// linTicker places about five labelled ticks at 1, 2, 2.5 or 5 × 10^k steps, with unlabelled
// ticks halfway between, and labels them with the fewest decimals the step needs ("250", "0.5",
// "0.25"), unlike gonum's default ticker which prints "250.00".
type linTicker struct {
	// Integer marks an axis of whole numbers (epochs, budgets, counts): ticks fall on integers only, at
	// steps of at least 1, and no tick lies between two integers.
	Integer bool
}

// Ticks implements plot.Ticker.
func (t linTicker) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	if t.Integer && hi-lo < 10 {
		// At most ten integers: label each (or every second one beyond five).
		k0, k1 := math.Ceil(lo-1e-9), math.Floor(hi+1e-9)
		every := 1.0
		if k1-k0 > 5 {
			every = 2
		}
		var ticks []plot.Tick
		for k := k0; k <= k1; k++ {
			tk := plot.Tick{Value: k}
			if math.Mod(k-k0, every) == 0 {
				tk.Label = strconv.FormatFloat(k, 'f', 0, 64)
			}
			ticks = append(ticks, tk)
		}
		return ticks
	}
	raw := (hi - lo) / 5
	mag := math.Floor(math.Log10(raw))
	step := 10 * math.Pow(10, mag)
	decimals := -int(mag)
	for _, m := range []float64{1, 2, 2.5, 5} {
		if t.Integer && m == 2.5 && mag < 1 {
			continue // 2.5 is not a whole number
		}
		if s := m * math.Pow(10, mag); s >= raw*(1-1e-9) {
			step = s
			if m == 2.5 {
				decimals++
			}
			break
		}
	}
	if step == 10*math.Pow(10, mag) {
		decimals--
	}
	decimals = max(decimals, 0)
	big := math.Max(math.Abs(lo), math.Abs(hi))
	format := func(v float64) string {
		if math.Abs(v) < step*1e-9 {
			v = 0 // no "-0.0" from rounding
		}
		if big >= 1e6 || big < 1e-3 {
			return strconv.FormatFloat(v, 'g', 3, 64)
		}
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
	var ticks []plot.Tick
	const eps = 1e-9
	for k := math.Ceil(lo/step*2 - eps); k/2*step <= hi+eps*step; k++ {
		v := k / 2 * step
		tk := plot.Tick{Value: v}
		if math.Mod(k, 2) == 0 {
			tk.Label = format(v)
		} else if t.Integer && v != math.Trunc(v) {
			continue // no minor tick between two integers
		}
		ticks = append(ticks, tk)
	}
	return ticks
}
