package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markGlyph is a marker filled with the glyph colour and outlined in black, so it stays visible
// on every colour of the heatmap scale.
type markGlyph int

const (
	circleMark markGlyph = iota
	rightMark            // triangle pointing right: censored above
	leftMark             // triangle pointing left: censored below
)

// DrawGlyph implements draw.GlyphDrawer.
func (m markGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	var p vg.Path
	switch m {
	case circleMark:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
	default:
		d := r * 1.3
		if m == leftMark {
			d = -d
		}
		p.Move(vg.Point{X: pt.X + d, Y: pt.Y})
		p.Line(vg.Point{X: pt.X - d/2, Y: pt.Y + r*1.2})
		p.Line(vg.Point{X: pt.X - d/2, Y: pt.Y - r*1.2})
	}
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.8)})
	c.Stroke(p)
}

// colorBands is the number of bands of the colour bar; band k shows Viridis((k+0.5)/colorBands).
const colorBands = 50

// colorBar is a plot.Plotter drawing the accuracy scale as colorBands stacked rectangles over
// x in [0, 1], y in [0, 100].
type colorBar struct{}

// Plot implements plot.Plotter.
func (colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ov := vg.Points(cellOverlap)
	for k := 0; k < colorBands; k++ {
		y0, y1 := trY(100*float64(k)/colorBands), trY(100*float64(k+1)/colorBands)
		if k < colorBands-1 {
			y1 += ov
		}
		var pa vg.Path
		pa.Move(vg.Point{X: trX(0), Y: y0})
		pa.Line(vg.Point{X: trX(1), Y: y0})
		pa.Line(vg.Point{X: trX(1), Y: y1})
		pa.Line(vg.Point{X: trX(0), Y: y1})
		pa.Close()
		c.SetColor(Viridis((float64(k) + 0.5) / colorBands))
		c.Fill(pa)
	}
}

// colorBarGap separates the colour bar from the heatmap, and colorBarBand is the width of its coloured band.
const (
	colorBarGap  = 0.5 * vg.Centimeter
	colorBarBand = 0.45 * vg.Centimeter
)

// accuracyBar is the vertical 0–100 % accuracy scale drawn right of a heatmap: a gonum plot whose y axis
// (ticks and label, on its left) is measured before the heatmap is laid out.
type accuracyBar struct{ p *plot.Plot }

func newColorBar() accuracyBar {
	cb := plot.New()
	anchorPlot(cb)
	cb.Add(colorBar{})
	cb.HideX()
	cb.X.Min, cb.X.Max, cb.Y.Min, cb.Y.Max = 0, 1, 0, 100
	cb.X.Padding, cb.Y.Padding = 0, 0
	cb.Y.Label.Text = "accuracy (%)"
	cb.Y.Tick.Marker = plot.ConstantTicks{
		{Value: 0, Label: "0"}, {Value: 25, Label: "25"}, {Value: 50, Label: "50"},
		{Value: 75, Label: "75"}, {Value: 100, Label: "100"},
	}
	return accuracyBar{cb}
}

// axisWidth returns the width of the bar's y axis (tick labels, tick marks and the rotated label), measured
// by laying the bar out on a probe canvas.
func (b accuracyBar) axisWidth() vg.Length {
	probe := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 10 * vg.Centimeter, Y: 10 * vg.Centimeter}}}
	return b.p.DataCanvas(probe).Min.X - probe.Min.X
}

// width returns the width of the strip the bar takes right of the heatmap, gap included.
func (b accuracyBar) width() vg.Length { return colorBarGap + b.axisWidth() + colorBarBand }

// draw draws the bar at the right end of dc, its band aligned vertically with the heatmap's data area da.
func (b accuracyBar) draw(dc, da draw.Canvas) {
	strip := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: dc.Max.X - b.axisWidth() - colorBarBand, Y: da.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: da.Max.Y},
	}}
	// The bar's own axis padding would shrink it; stretch its canvas so that its data area matches the
	// heatmap's rows exactly.
	inner := b.p.DataCanvas(strip)
	strip.Min.Y -= inner.Min.Y - da.Min.Y
	strip.Max.Y += da.Max.Y - inner.Max.Y
	b.p.Draw(strip)
	markArea(dc, b.p.DataCanvas(strip).Rectangle)
}
