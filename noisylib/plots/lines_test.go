package plots

import (
	"math"
	"strings"
	"testing"
)

func smallLines() LineData {
	return LineData{
		Options: Options{Title: "Accuracy vs σ", XLabel: "σ", YLabel: "accuracy (%)"},
		Series: []Series{
			{Name: "3:relu1", X: []float64{0.01, 0.1, 1, 10}, Y: []float64{98, 97, 60, 10},
				Low: []float64{97, 95, 55, 9}, High: []float64{99, 98, 65, 11}},
			{Name: "7:fc3", X: []float64{0.01, 0.1, 1, 10}, Y: []float64{98, 98, 90, 30}},
		},
		LogX: true,
	}
}

func TestLines(t *testing.T) {
	l := smallLines()
	l.Markers = true
	l.HLines = []float64{54}
	svg, err := Lines(l)
	if err != nil {
		t.Fatal(err)
	}
	saveSVG(t, "lines.svg", svg)
	doc := parseSVG(t, svg)
	doc.requireTexts(t, "Accuracy vs σ", "σ", "accuracy (%)", "3:relu1", "7:fc3", "1e-2", "0.1", "1", "10")
	// The band of series 0 is a translucent polygon in its colour (plus its legend thumbnail).
	if n := len(doc.translucentWithFill(withAlpha(SeriesColor(0), 0.2))); n != 2 {
		t.Errorf("%d translucent band paths, want the band and its legend thumbnail", n)
	}
	// Markers: circles of series 0 filled in its colour, one per point plus the legend.
	if n := len(doc.pathsWithFill(SeriesColor(0))); n != 5 {
		t.Errorf("%d markers in series-0 colour, want 4 + 1 legend", n)
	}
	// The reference line is dashed grey.
	if !strings.Contains(string(svg.SVG()), "stroke:#777777") {
		t.Error("no grey reference line")
	}

	// Error bars instead of a band: no translucent fill.
	l.ErrorBars, l.Markers = true, false
	svg, err = Lines(l)
	if err != nil {
		t.Fatal(err)
	}
	doc = parseSVG(t, svg)
	if n := len(doc.translucentWithFill(withAlpha(SeriesColor(0), 0.2))); n != 0 {
		t.Errorf("%d band paths drawn although ErrorBars is set", n)
	}
}

func TestLinesLogY(t *testing.T) {
	svg, err := Lines(LineData{
		Series: []Series{{X: []float64{1, 2, 3}, Y: []float64{1, 100, 1e4}}},
		LogY:   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, svg)
	doc.requireTexts(t, "1", "100", "1e4")
	if doc.hasText("0") {
		t.Error("a log axis labelled 0")
	}
}

func TestLinesErrors(t *testing.T) {
	mod := func(f func(*LineData)) LineData { l := smallLines(); f(&l); return l }
	for _, c := range []struct {
		name string
		l    LineData
		want []string
	}{
		{"no series", mod(func(l *LineData) { l.Series = nil }), []string{"no data"}},
		{"empty", mod(func(l *LineData) { l.Series[1].X, l.Series[1].Y = nil, nil }), []string{`Series[1] ("7:fc3")`, "no data"}},
		{"y len", mod(func(l *LineData) { l.Series[1].Y = l.Series[1].Y[:3] }), []string{"len(Y) = 3, want 4"}},
		{"log x zero", mod(func(l *LineData) { l.Series[0].X[0] = 0 }), []string{"X[0] = 0", "logarithmic"}},
		{"log y", mod(func(l *LineData) { l.LogY = true; l.Series[1].Y[3] = -1 }), []string{"Y[3] = -1", "logarithmic"}},
		{"nan", mod(func(l *LineData) { l.Series[1].Y[2] = math.NaN() }), []string{"Y[2] = NaN", "not finite"}},
		{"low only", mod(func(l *LineData) { l.Series[1].Low = []float64{1, 2, 3, 4} }), []string{"Low and High"}},
		{"low len", mod(func(l *LineData) { l.Series[0].Low = l.Series[0].Low[:1] }), []string{"len(Low) = 1, want 4"}},
		{"inverted", mod(func(l *LineData) { l.Series[0].Low[2] = 70 }), []string{"Low[2] = 70 > High[2] = 65"}},
		{"hline log", mod(func(l *LineData) { l.LogY = true; l.HLines = []float64{0} }), []string{"HLines[0] = 0"}},
		{"hline inf", mod(func(l *LineData) { l.HLines = []float64{math.Inf(-1)} }), []string{"HLines[0] = -Inf"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Lines(c.l)
			requireErr(t, err, c.want...)
		})
	}
}

func TestScatter(t *testing.T) {
	s := ScatterData{
		Options: Options{Title: "Global midpoint"},
		Groups: []ScatterGroup{
			{Name: "MLP", X: []float64{0.2, 0.4}, Y: []float64{0.25, 0.3}, Labels: []string{"MNIST", "CIFAR"}},
			{Name: "LeNet", X: []float64{0.1}, Y: []float64{0.08}},
		},
		Log: true,
	}
	svg, err := Scatter(s)
	if err != nil {
		t.Fatal(err)
	}
	saveSVG(t, "scatter.svg", svg)
	doc := parseSVG(t, svg)
	doc.requireTexts(t, "Global midpoint", "predicted", "measured", "MLP", "LeNet", "MNIST", "CIFAR", "y = x", "0.1")
	if n := len(doc.pathsWithFill(SeriesColor(0))); n != 3 {
		t.Errorf("%d markers of group 0, want 2 + 1 legend", n)
	}
	// The y = x line: one dashed grey path in the plot and one in the legend.
	if n := strings.Count(string(svg.SVG()), "stroke:#777777;stroke-dasharray:4,3"); n != 2 {
		t.Errorf("%d dashed grey y = x paths, want 2 (plot + legend)", n)
	}

	for _, c := range []struct {
		name string
		s    ScatterData
		want []string
	}{
		{"none", ScatterData{}, []string{"no data"}},
		{"len", ScatterData{Groups: []ScatterGroup{{X: []float64{1, 2}, Y: []float64{1}}}}, []string{"len(Y) = 1, want 2"}},
		{"labels", ScatterData{Groups: []ScatterGroup{{X: []float64{1}, Y: []float64{1}, Labels: []string{}}}}, []string{"len(Labels) = 0, want 1"}},
		{"log", ScatterData{Log: true, Groups: []ScatterGroup{{X: []float64{1, -2}, Y: []float64{1, 1}}}}, []string{"X[1] = -2", "logarithmic"}},
		{"nan", ScatterData{Groups: []ScatterGroup{{X: []float64{1}, Y: []float64{math.NaN()}}}}, []string{"Y[0] = NaN"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Scatter(c.s)
			requireErr(t, err, c.want...)
		})
	}
}
