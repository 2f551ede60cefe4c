package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barsPlot is the plot.Plotter behind [Bars]: grouped bars with interval bars, hatching and
// censoring annotations.
type barsPlot struct {
	groups []BarGroup
	n      int
	base   float64
}

// barX returns the centre and the width of the bar of group g at site i, in data units.
func (b barsPlot) barX(g, i int) (x, width float64) {
	width = 0.8 / float64(len(b.groups))
	return float64(i) + (float64(g)-float64(len(b.groups)-1)/2)*width, width
}

// DataRange implements plot.DataRanger.
func (b barsPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = b.base, b.base
	for _, gr := range b.groups {
		for i, v := range gr.Values {
			vals := []float64{v}
			if gr.Low != nil {
				vals = append(vals, gr.Low[i], gr.High[i])
			}
			for _, u := range vals {
				if !math.IsNaN(u) {
					ymin, ymax = math.Min(ymin, u), math.Max(ymax, u)
				}
			}
		}
	}
	return -0.5, float64(b.n) - 0.5, ymin, ymax
}

// annotation returns the text and the data-space anchor of the censoring mark of bar (g, i),
// or "" when there is none.
func (b barsPlot) annotation(g, i int) (string, float64, bool) {
	gr := b.groups[g]
	if gr.Censor == nil || gr.Censor[i] == Uncensored || math.IsNaN(gr.Values[i]) {
		return "", 0, false
	}
	v := gr.Values[i]
	up := v >= b.base
	if gr.Low != nil && !math.IsNaN(gr.Low[i]) {
		if up {
			v = math.Max(v, gr.High[i])
		} else {
			v = math.Min(v, gr.Low[i])
		}
	}
	return gr.Censor[i].String(), v, up
}

// GlyphBoxes implements plot.GlyphBoxer, reserving room for the censoring annotations.
func (b barsPlot) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sty := annotationStyle(vg.Points(11))
	var boxes []plot.GlyphBox
	for g := range b.groups {
		for i := 0; i < b.n; i++ {
			txt, y, up := b.annotation(g, i)
			if txt == "" {
				continue
			}
			x, _ := b.barX(g, i)
			r := sty.Rectangle(txt)
			hgt := r.Max.Y - r.Min.Y + vg.Points(2)
			box := vg.Rectangle{Min: vg.Point{X: -hgt / 2, Y: 0}, Max: vg.Point{X: hgt / 2, Y: hgt}}
			if !up {
				box.Min.Y, box.Max.Y = -hgt, 0
			}
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(x), Y: p.Y.Norm(y), Rectangle: box})
		}
	}
	return boxes
}

// Plot implements plot.Plotter.
func (b barsPlot) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y0 := trY(b.base)
	// Baseline.
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.5)}, c.Min.X, y0, c.Max.X, y0)
	sty := annotationStyle(vg.Points(11))
	for g, gr := range b.groups {
		for i, v := range gr.Values {
			x, wd := b.barX(g, i)
			xl, xr := trX(x-wd/2), trX(x+wd/2)
			if !math.IsNaN(v) {
				r := vg.Rectangle{Min: vg.Point{X: xl, Y: min(y0, trY(v))}, Max: vg.Point{X: xr, Y: max(y0, trY(v))}}
				censored := gr.Censor != nil && gr.Censor[i] != Uncensored
				fill := SeriesColor(g)
				if censored {
					fill = withAlpha(fill, 0.45)
				}
				c.SetColor(fill)
				c.Fill(r.Path())
				if censored {
					c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.6)})
					c.Stroke(hatchPath(r, vg.Points(4)))
				}
				c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.5)})
				c.Stroke(r.Path())
			}
			if gr.Low != nil && !math.IsNaN(gr.Low[i]) {
				xm, cap := trX(x), min(vg.Points(4), (xr-xl)/3)
				ls := draw.LineStyle{Color: black, Width: vg.Points(1)}
				lo, hi := trY(gr.Low[i]), trY(gr.High[i])
				c.StrokeLine2(ls, xm, lo, xm, hi)
				c.StrokeLine2(ls, xm-cap, lo, xm+cap, lo)
				c.StrokeLine2(ls, xm-cap, hi, xm+cap, hi)
			}
			if txt, y, up := b.annotation(g, i); txt != "" {
				s := sty
				s.YAlign = draw.YBottom
				off := vg.Points(1)
				if !up {
					s.YAlign, off = draw.YTop, -off
				}
				c.FillText(s, vg.Point{X: trX(x), Y: trY(y) + off}, txt)
			}
		}
	}
}
