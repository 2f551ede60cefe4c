package plots

import (
	"math"
	"slices"
	"testing"
)

func TestBinCounts(t *testing.T) {
	vs := []float64{0, 0.5, 1, 1.5, 2, -1, 3} // -1 and 3 fall outside [0, 2]
	// Bins of width 0.5: [0,0.5) [0.5,1) [1,1.5) [1.5,2]; the upper edge goes to the last bin.
	if got := binCounts(vs, 4, 0, 2, false); !slices.Equal(got, []float64{1, 1, 1, 2}) {
		t.Errorf("counts = %v, want [1 1 1 2]", got)
	}
	// Density: counts / (n·width) = counts / 2.5, integrating to 1.
	got := binCounts(vs, 4, 0, 2, true)
	want := []float64{0.4, 0.4, 0.4, 0.8}
	area := 0.0
	for k := range got {
		if math.Abs(got[k]-want[k]) > 1e-12 {
			t.Errorf("density[%d] = %v, want %v", k, got[k], want[k])
		}
		area += got[k] * 0.5
	}
	if math.Abs(area-1) > 1e-12 {
		t.Errorf("density integrates to %v, want 1", area)
	}
}

func TestHistograms(t *testing.T) {
	h := HistData{
		Options: Options{Title: "fc2 weights", XLabel: "w"},
		Groups: []HistGroup{
			{Name: "σ = 0", Values: []float64{-0.1, 0, 0.05, 0.1}},
			{Name: "σ = 1e10", Values: []float64{-1, -0.9, 0.9, 1}},
		},
		Bins: 8,
	}
	for _, multi := range []bool{false, true} {
		h.SmallMultiples = multi
		svg, err := Histograms(h)
		if err != nil {
			t.Fatal(err)
		}
		saveSVG(t, "hist.svg", svg)
		doc := parseSVG(t, svg)
		doc.requireTexts(t, "fc2 weights", "w", "count", "σ = 0", "σ = 1e10")
		// Each group is one translucent filled step polygon (plus a legend thumbnail when
		// overlaid).
		want := 1
		if !multi {
			want = 2
		}
		for g := range h.Groups {
			alpha := 0.3
			if multi {
				alpha = 0.6
			}
			if n := len(doc.translucentWithFill(withAlpha(SeriesColor(g), alpha))); n != want {
				t.Errorf("SmallMultiples=%v: group %d has %d filled paths, want %d", multi, g, n, want)
			}
		}
	}
	h.Density = true
	svg, err := Histograms(h)
	if err != nil {
		t.Fatal(err)
	}
	parseSVG(t, svg).requireTexts(t, "density")
}

func TestHistogramsErrors(t *testing.T) {
	g := []HistGroup{{Name: "a", Values: []float64{1, 2}}}
	for _, c := range []struct {
		name string
		h    HistData
		want []string
	}{
		{"none", HistData{}, []string{"no data"}},
		{"empty group", HistData{Groups: []HistGroup{{Name: "a"}}}, []string{`Groups[0] ("a")`, "no data"}},
		{"nan", HistData{Groups: []HistGroup{{Values: []float64{1, math.NaN()}}}}, []string{"Values[1] = NaN"}},
		{"bins", HistData{Groups: g, Bins: -3}, []string{"Bins = -3", "[1, 10000]"}},
		{"range", HistData{Groups: g, Min: 2, Max: 1}, []string{"[Min, Max] = [2, 1]", "Min < Max"}},
		{"range inf", HistData{Groups: g, Min: 0, Max: math.Inf(1)}, []string{"not finite"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Histograms(c.h)
			requireErr(t, err, c.want...)
		})
	}
	// All-equal values still get a (unit-wide) range.
	if _, err := Histograms(HistData{Groups: []HistGroup{{Values: []float64{3, 3, 3}}}}); err != nil {
		t.Errorf("constant values: %v", err)
	}
}

// TestPreBinnedCounts checks that a group given as Counts draws the same bins as the values they count, and
// that inconsistent pre-binned groups are refused.
func TestPreBinnedCounts(t *testing.T) {
	vs := []float64{0, 0.5, 1, 1.5, 2}
	for _, density := range []bool{false, true} {
		got := groupCounts(HistGroup{Counts: []float64{1, 1, 1, 2}}, 4, 0, 2, density)
		want := binCounts(vs, 4, 0, 2, density)
		if !slices.Equal(got, want) {
			t.Errorf("density %v: pre-binned %v, binned values %v", density, got, want)
		}
	}
	ok := HistData{Groups: []HistGroup{{Name: "a", Counts: []float64{1, 1, 1, 2}}}, Bins: 4, Min: 0, Max: 2}
	if _, err := Histograms(ok); err != nil {
		t.Fatalf("Histograms(pre-binned) = %v", err)
	}
	for name, h := range map[string]HistData{
		"no range":        {Groups: []HistGroup{{Counts: []float64{1, 1, 1, 2}}}, Bins: 4},
		"wrong bins":      {Groups: []HistGroup{{Counts: []float64{1, 1}}}, Bins: 4, Min: 0, Max: 2},
		"negative":        {Groups: []HistGroup{{Counts: []float64{1, -1, 1, 2}}}, Bins: 4, Min: 0, Max: 2},
		"all zero":        {Groups: []HistGroup{{Counts: []float64{0, 0, 0, 0}}}, Bins: 4, Min: 0, Max: 2},
		"values and both": {Groups: []HistGroup{{Values: []float64{1}, Counts: []float64{1, 1, 1, 2}}}, Bins: 4, Min: 0, Max: 2},
	} {
		if _, err := Histograms(h); err == nil {
			t.Errorf("%s: Histograms accepted %+v", name, h.Groups)
		}
	}
}
