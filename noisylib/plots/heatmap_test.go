package plots

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestViridisKnownColours(t *testing.T) {
	// Published viridis endpoints and midpoint (matplotlib: #440154, #21908C, #FDE725).
	for _, c := range []struct {
		t    float64
		want string
	}{{0, "#440154"}, {0.5, "#21908C"}, {1, "#FDE725"}, {-3, "#440154"}, {7, "#FDE725"}} {
		if got := hexColor(Viridis(c.t)); got != c.want {
			t.Errorf("Viridis(%v) = %s, want %s", c.t, got, c.want)
		}
	}
	// Halfway between anchors 0 (#440154) and 1 (#472D7B): rounded channel means.
	if got := hexColor(Viridis(1.0 / 16)); got != "#461768" {
		t.Errorf("Viridis(1/16) = %s, want #461768", got)
	}
	if got := hexColor(Viridis(math.NaN())); got != "#DDDDDD" {
		t.Errorf("Viridis(NaN) = %s, want the missing-data grey #DDDDDD", got)
	}
}

// smallHeatmap is 3 sites × 4 σ with 12 distinct even accuracies 0, 8, …, 88; the colour bar
// bands sit at odd percentages, so every cell colour is unique in the document.
func smallHeatmap() HeatmapData {
	h := HeatmapData{
		Options: Options{Title: "Test heatmap", YLabel: "site"},
		Sites:   []string{"0:input", "3:relu1", "9:logits"},
		Sigmas:  []float64{0.1, 1, 10, 100},
	}
	for i := range h.Sites {
		row := make([]float64, len(h.Sigmas))
		for j := range row {
			row[j] = float64(8 * (4*i + j))
		}
		h.Acc = append(h.Acc, row)
	}
	return h
}

func TestHeatmapCells(t *testing.T) {
	h := smallHeatmap()
	svg, err := Heatmap(h)
	if err != nil {
		t.Fatal(err)
	}
	saveSVG(t, "heatmap.svg", svg)
	doc := parseSVG(t, svg)
	doc.requireTexts(t, "Test heatmap", "σ", "site", "0:input", "3:relu1", "9:logits",
		"0.1", "1", "10", "100", "accuracy (%)")
	// One filled cell per (site, σ) in the colour of its accuracy, at the right place:
	// x grows with the σ index, y (drawn upwards) falls with the site index.
	xs := make([][]float64, len(h.Sites))
	ys := make([][]float64, len(h.Sites))
	cells := 0
	for i, row := range h.Acc {
		for j, a := range row {
			ps := doc.pathsWithFill(Viridis(a / 100))
			if len(ps) != 1 {
				t.Fatalf("cell (%d, %d) with accuracy %v: %d paths of colour %s, want 1",
					i, j, a, len(ps), hexColor(Viridis(a/100)))
			}
			cells++
			x, y := ps[0].start(t)
			xs[i], ys[i] = append(xs[i], x), append(ys[i], y)
		}
	}
	if cells != 12 {
		t.Fatalf("%d cells, want 12", cells)
	}
	for i := range xs {
		for j := 1; j < len(xs[i]); j++ {
			if !(xs[i][j] > xs[i][j-1]) {
				t.Errorf("site %d: cell x %v not increasing with σ", i, xs[i])
			}
			if i > 0 && !(ys[i][j] < ys[i-1][j]) {
				t.Errorf("σ %d: site %d drawn at y %v, not below site %d at %v", j, i, ys[i][j], i-1, ys[i-1][j])
			}
		}
	}
	// Equal log spacing (one decade per column) gives equal cell widths, up to the SVG's coordinate
	// precision (5 significant digits: 0.01 pt per coordinate, so 0.02 pt per difference).
	d1, d2 := xs[0][1]-xs[0][0], xs[0][3]-xs[0][2]
	if math.Abs(d1-d2) > 0.02 {
		t.Errorf("cell spacing %v and %v differ on a log grid of whole decades", d1, d2)
	}
	// Default size: 16 cm wide.
	if want := (16 * vg.Centimeter).Points(); math.Abs(doc.width-want) > 0.01 {
		t.Errorf("width = %vpt, want %vpt", doc.width, want)
	}
	if !strings.Contains(string(svg.SVG()), "serif") {
		t.Error("font-family has no generic serif fallback")
	}
}

func TestHeatmapMissingAndMidpoints(t *testing.T) {
	h := smallHeatmap()
	h.Acc[1][2] = math.NaN()
	h.Midpoints = []Midpoint{{Sigma: 3}, {Censor: CensoredAbove}, {Censor: CensoredBelow}}
	svg, err := Heatmap(h)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, svg)
	if n := len(doc.pathsWithFill(missingColor)); n != 1 {
		t.Errorf("%d grey missing cells, want 1", n)
	}
	if n := len(doc.pathsWithFill(Viridis(h.Acc[1][1] / 100))); n != 1 {
		t.Errorf("neighbour of the missing cell drawn %d times, want 1", n)
	}
	doc.requireTexts(t, ">", "<")
	// Three white midpoint markers: a circle and two triangles.
	if n := len(doc.pathsWithFill(white)); n < 3 {
		t.Errorf("%d white paths, want at least the 3 midpoint markers", n)
	}
	// Without censoring there is no ">" or "<".
	h.Midpoints = []Midpoint{{Sigma: 3}, {Sigma: 0.5}, {Sigma: math.NaN()}}
	svg, err = Heatmap(h)
	if err != nil {
		t.Fatal(err)
	}
	doc = parseSVG(t, svg)
	if doc.hasText(">") || doc.hasText("<") {
		t.Error("censoring labels drawn for uncensored midpoints")
	}
}

func TestHeatmapLinearAndSize(t *testing.T) {
	h := smallHeatmap()
	h.Sigmas = []float64{0, 0.5, 1, 1.5}
	h.LinearX = true
	h.Width, h.Height = 10*vg.Centimeter, 6*vg.Centimeter
	svg, err := Heatmap(h)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, svg)
	if math.Abs(doc.width-283.46) > 0.01 || math.Abs(doc.height-170.08) > 0.01 {
		t.Errorf("size %v × %v pt, want 283.46 × 170.08 (10 cm × 6 cm)", doc.width, doc.height)
	}
	doc.requireTexts(t, "0.0", "0.5", "1.0", "1.5")
}

func TestHeatmapErrors(t *testing.T) {
	mod := func(f func(*HeatmapData)) HeatmapData { h := smallHeatmap(); f(&h); return h }
	for _, c := range []struct {
		name string
		h    HeatmapData
		want []string
	}{
		{"no sites", mod(func(h *HeatmapData) { h.Sites, h.Acc = nil, nil }), []string{"no data"}},
		{"no sigmas", mod(func(h *HeatmapData) { h.Sigmas = nil }), []string{"no data"}},
		{"rows", mod(func(h *HeatmapData) { h.Acc = h.Acc[:2] }), []string{"len(Acc) = 2, want 3"}},
		{"cols", mod(func(h *HeatmapData) { h.Acc[1] = h.Acc[1][:3] }), []string{"len(Acc[1]) = 3, want 4"}},
		{"log zero", mod(func(h *HeatmapData) { h.Sigmas[0] = 0 }), []string{"Sigmas[0] = 0", "> 0"}},
		{"order", mod(func(h *HeatmapData) { h.Sigmas[2] = 1 }), []string{"strictly increasing", "Sigmas[2]"}},
		{"nan sigma", mod(func(h *HeatmapData) { h.Sigmas[3] = math.NaN() }), []string{"Sigmas[3]", "not finite"}},
		{"acc range", mod(func(h *HeatmapData) { h.Acc[2][1] = 101 }), []string{"Acc[2][1] = 101", "[0, 100]"}},
		{"acc negative", mod(func(h *HeatmapData) { h.Acc[0][0] = -1 }), []string{"Acc[0][0] = -1"}},
		{"midpoints", mod(func(h *HeatmapData) { h.Midpoints = []Midpoint{{Sigma: 1}} }), []string{"len(Midpoints) = 1, want 3"}},
		{"midpoint sigma", mod(func(h *HeatmapData) { h.Midpoints = []Midpoint{{Sigma: -1}, {}, {}} }), []string{"Midpoints[0].Sigma = -1"}},
		{"censor", mod(func(h *HeatmapData) { h.Midpoints = []Midpoint{{Censor: 7}, {}, {}} }), []string{"Midpoints[0].Censor = 7"}},
		{"size", mod(func(h *HeatmapData) { h.Width = -vg.Centimeter }), []string{"figure size"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			svg, err := Heatmap(c.h)
			requireErr(t, err, c.want...)
			if svg != nil {
				t.Error("SVG returned along with an error")
			}
		})
	}
}

// TestHeatmapBreaks checks that a break separates groups of rows: the midpoint line is split in two dashed
// runs, a white rule is drawn, and bad breaks are reported.
func TestHeatmapBreaks(t *testing.T) {
	h := HeatmapData{Sites: []string{"a", "b", "c", "d"}, Sigmas: []float64{0.1, 1, 10},
		Acc:       [][]float64{{90, 50, 10}, {90, 60, 10}, {90, 70, 10}, {90, 80, 10}},
		Midpoints: []Midpoint{{Sigma: 1}, {Sigma: 1.2}, {Sigma: 1.5}, {Sigma: 2}}}
	dashed := func(h HeatmapData) int {
		fig, err := Heatmap(h)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(fig.SVG()), "stroke:#FFFFFF;stroke-width:1.5;stroke-dasharray:4,2")
	}
	if n := dashed(h); n != 1 {
		t.Fatalf("%d dashed midpoint lines without breaks, want 1", n)
	}
	h.Breaks = []int{2}
	if n := dashed(h); n != 2 {
		t.Errorf("%d dashed midpoint lines with a break at row 2, want 2", n)
	}
	fig, _ := Heatmap(h)
	if !strings.Contains(string(fig.SVG()), "stroke:#FFFFFF;stroke-width:2\"") {
		t.Error("no white rule between the groups")
	}
	for _, bad := range [][]int{{0}, {4}, {2, 2}, {3, 1}} {
		h.Breaks = bad
		if _, err := Heatmap(h); err == nil || !strings.Contains(err.Error(), "Breaks") {
			t.Errorf("Breaks %v: error %v, want one naming Breaks", bad, err)
		}
	}
}
