package plots

import (
	"math"

	"gonum.org/v1/plot/vg"
	"testing"
)

func smallBars() BarData {
	return BarData{
		Options: Options{Title: "Midpoints", XLabel: "noise site", YLabel: "log10 σ_mid"},
		Sites:   []string{"0:input", "1:fc1", "2:bn1", "3:relu1"},
		Groups: []BarGroup{
			{Name: "inference-only", Values: []float64{-0.5, 0.3, math.NaN(), 8},
				Low: []float64{-0.7, 0.1, math.NaN(), 8}, High: []float64{-0.2, 0.6, math.NaN(), 8},
				Censor: []Censoring{Uncensored, Uncensored, Uncensored, CensoredAbove}},
			{Name: "noisy training", Values: []float64{1, 1.5, 2, 8}},
		},
	}
}

func TestBars(t *testing.T) {
	b := smallBars()
	svg, err := Bars(b)
	if err != nil {
		t.Fatal(err)
	}
	saveSVG(t, "bars.svg", svg)
	doc := parseSVG(t, svg)
	doc.requireTexts(t, "Midpoints", "noise site", "log10 σ_mid", "0:input", "1:fc1", "2:bn1", "3:relu1",
		"inference-only", "noisy training", "censored (bound)", ">")
	// Group 0: two ordinary bars + its legend swatch (the NaN bar is not drawn, the censored one
	// is translucent); group 1: four bars + swatch.
	if n := len(doc.pathsWithFill(SeriesColor(0))); n != 3 {
		t.Errorf("%d opaque paths in group-0 colour, want 2 bars + 1 legend swatch", n)
	}
	if n := len(doc.pathsWithFill(SeriesColor(1))); n != 5 {
		t.Errorf("%d paths in group-1 colour, want 4 bars + 1 legend swatch", n)
	}
	// The censored bar is translucent and hatched.
	if n := len(doc.translucentWithFill(withAlpha(SeriesColor(0), 0.45))); n != 1 {
		t.Errorf("%d translucent paths in group-0 colour, want the 1 censored bar", n)
	}
	// Without censoring there is no hatched legend entry and no annotation.
	b.Groups[0].Censor = nil
	svg, err = Bars(b)
	if err != nil {
		t.Fatal(err)
	}
	doc = parseSVG(t, svg)
	if doc.hasText("censored (bound)") || doc.hasText(">") {
		t.Error("censoring legend or annotation drawn without censored bars")
	}
	if n := len(doc.pathsWithFill(SeriesColor(0))); n != 4 {
		t.Errorf("%d paths in group-0 colour, want 3 bars + 1 legend swatch", n)
	}
}

func TestBarsErrors(t *testing.T) {
	mod := func(f func(*BarData)) BarData { b := smallBars(); f(&b); return b }
	for _, c := range []struct {
		name string
		b    BarData
		want []string
	}{
		{"no sites", mod(func(b *BarData) { b.Sites = nil }), []string{"no data"}},
		{"no groups", mod(func(b *BarData) { b.Groups = nil }), []string{"no data"}},
		{"values", mod(func(b *BarData) { b.Groups[1].Values = b.Groups[1].Values[:3] }),
			[]string{`Groups[1] ("noisy training")`, "len(Values) = 3, want 4"}},
		{"low only", mod(func(b *BarData) { b.Groups[1].Low = []float64{0, 0, 0, 0} }), []string{"Low and High"}},
		{"high len", mod(func(b *BarData) { b.Groups[0].High = b.Groups[0].High[:2] }), []string{"len(High) = 2, want 4"}},
		{"inverted", mod(func(b *BarData) { b.Groups[0].Low[1] = 1 }), []string{"[Low, High][1] = [1, 0.6]"}},
		{"inf", mod(func(b *BarData) { b.Groups[1].Values[2] = math.Inf(1) }), []string{"Values[2] = +Inf"}},
		{"censor len", mod(func(b *BarData) { b.Groups[1].Censor = []Censoring{CensoredAbove} }), []string{"len(Censor) = 1, want 4"}},
		{"censor value", mod(func(b *BarData) { b.Groups[0].Censor[0] = -1 }), []string{"Censor[0] = -1"}},
		{"baseline", mod(func(b *BarData) { b.Baseline = math.NaN() }), []string{"Baseline"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Bars(c.b)
			requireErr(t, err, c.want...)
		})
	}
}

func TestHatchPathInsideRectangle(t *testing.T) {
	// Every hatch segment lies inside the rectangle and runs at 45°.
	r := rect(10, 20, 30, 80)
	p := hatchPath(r, 4)
	if len(p) == 0 {
		t.Fatal("no hatch lines")
	}
	for k := 0; k+1 < len(p); k += 2 {
		a, b := p[k].Pos, p[k+1].Pos
		for _, q := range []struct{ x, y float64 }{{float64(a.X), float64(a.Y)}, {float64(b.X), float64(b.Y)}} {
			if q.x < 10-1e-9 || q.x > 30+1e-9 || q.y < 20-1e-9 || q.y > 80+1e-9 {
				t.Fatalf("hatch point %v outside the rectangle", q)
			}
		}
		if math.Abs(float64((b.Y-a.Y)-(b.X-a.X))) > 1e-9 || b.X <= a.X {
			t.Fatalf("segment %v → %v is not a rising 45° line", a, b)
		}
	}
}

func rect(x0, y0, x1, y1 vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
}
