package plots

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
)

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestLogTicker(t *testing.T) {
	for _, c := range []struct {
		name   string
		tk     logTicker
		lo, hi float64
		want   []string
	}{
		// 11 decades exceed 9 labels: every second decade.
		{"long", logTicker{InLog10: true}, -2.1, 8.1, []string{"1e-2", "1", "100", "1e4", "1e6", "1e8"}},
		{"short", logTicker{InLog10: true}, -1, 2, []string{"0.1", "1", "10", "100"}},
		{"values", logTicker{}, 0.01, 1000, []string{"1e-2", "0.1", "1", "10", "100", "1e3"}},
		// Less than a decade: 2× and 5× ticks are labelled too.
		{"sub-decade", logTicker{}, 1.5, 12, []string{"10", "2", "5"}},
	} {
		if got := labels(c.tk.Ticks(c.lo, c.hi)); !slices.Equal(got, c.want) {
			t.Errorf("%s: labels %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLinTicker(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 600, []string{"0", "200", "400", "600"}}, // raw step 120 → 200
		{0, 0.5, []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		{-1, 1, []string{"-1.0", "-0.5", "0.0", "0.5", "1.0"}}, // raw 0.4 → 0.5
		{0, 100, []string{"0", "20", "40", "60", "80", "100"}},
		{0, 1e7, []string{"0", "2e+06", "4e+06", "6e+06", "8e+06", "1e+07"}},
	} {
		if got := labels(linTicker{}.Ticks(c.lo, c.hi)); !slices.Equal(got, c.want) {
			t.Errorf("[%v, %v]: labels %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

// TestLogTickerDegenerateRange: a log axis padded down to 0 (one data value) or with non-finite ends
// returns promptly with finite ticks instead of looping from log10(0) = −∞.
func TestLogTickerDegenerateRange(t *testing.T) {
	done := make(chan []plot.Tick, 1)
	go func() { done <- logTicker{}.Ticks(0, 10) }()
	select {
	case ticks := <-done:
		if len(ticks) == 0 {
			t.Fatal("no ticks for the range [0, 10]")
		}
		for _, tk := range ticks {
			if !(tk.Value > 0) || math.IsInf(tk.Value, 0) {
				t.Errorf("tick %v outside (0, ∞)", tk)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("logTicker.Ticks(0, 10) did not return within 5 s")
	}
	if ticks := (logTicker{}).Ticks(math.NaN(), math.NaN()); ticks != nil {
		t.Errorf("NaN range: %v, want no ticks", ticks)
	}
}

// TestIntegerTicks checks that whole-number axes (epochs, budgets, counts) get ticks on integers only.
func TestIntegerTicks(t *testing.T) {
	for _, r := range [][2]float64{{1, 3}, {0.9, 3.1}, {1, 9}, {0, 20}, {1, 7}, {0, 2.6}, {0, 1000}} {
		ticks := linTicker{Integer: true}.Ticks(r[0], r[1])
		labelled := 0
		for _, tk := range ticks {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("range %v: tick at %v is not an integer", r, tk.Value)
			}
			if tk.Label != "" {
				labelled++
				if strings.Contains(tk.Label, ".") {
					t.Errorf("range %v: label %q", r, tk.Label)
				}
			}
		}
		if labelled < 2 {
			t.Errorf("range %v: %d labelled ticks %v, want at least 2", r, labelled, ticks)
		}
	}
	// Without Integer, 1..3 gets half steps (1.5, 2.5), as before.
	half := false
	for _, tk := range (linTicker{}).Ticks(1, 3) {
		half = half || tk.Value == 1.5
	}
	if !half {
		t.Error("plain ticks of [1, 3] lack 1.5")
	}
}

// TestWrapTextBalanced checks that wrapped text keeps the fewest lines, each within the width, and
// balances them instead of leaving a short last line.
func TestWrapTextBalanced(t *testing.T) {
	sty := titleStyle()
	s := "mlp-tfc-bn, site 4:fc2: accuracy (%) under combined noise (inference)"
	maxW := sty.Width(s) * 0.9
	got := wrapText(sty, s, maxW)
	lines := strings.Split(got, "\n")
	if len(lines) != 2 {
		t.Fatalf("wrapped into %q, want 2 lines", got)
	}
	for _, l := range lines {
		if w := sty.Width(l); w > maxW {
			t.Errorf("line %q is %.1f pt wide, more than %.1f", l, w.Points(), maxW.Points())
		}
	}
	if a, b := sty.Width(lines[0]), sty.Width(lines[1]); b < a/2 {
		t.Errorf("unbalanced lines %q (%.0f pt) and %q (%.0f pt)", lines[0], a.Points(), lines[1], b.Points())
	}
	if strings.Join(strings.Fields(got), " ") != s {
		t.Errorf("wrapping changed the words: %q", got)
	}
	if got := wrapText(sty, "short", maxW); got != "short" {
		t.Errorf("short text wrapped to %q", got)
	}
}
