package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// histStep is a plot.Plotter drawing one histogram as a filled step outline: a translucent fill
// and a solid outline in the same colour, so overlaid histograms stay readable.
type histStep struct {
	lo, hi float64
	counts []float64
	color  color.Color
	alpha  float64
}

// DataRange implements plot.DataRanger.
func (h histStep) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, c := range h.counts {
		ymax = max(ymax, c)
	}
	if ymax == 0 {
		ymax = 1
	}
	return h.lo, h.hi, 0, ymax
}

// outline returns the step outline in canvas coordinates, from (lo, 0) to (hi, 0).
func (h histStep) outline(trX, trY func(float64) vg.Length) vg.Path {
	width := (h.hi - h.lo) / float64(len(h.counts))
	var p vg.Path
	p.Move(vg.Point{X: trX(h.lo), Y: trY(0)})
	for k, c := range h.counts {
		x0, x1 := trX(h.lo+float64(k)*width), trX(h.lo+float64(k+1)*width)
		p.Line(vg.Point{X: x0, Y: trY(c)})
		p.Line(vg.Point{X: x1, Y: trY(c)})
	}
	p.Line(vg.Point{X: trX(h.hi), Y: trY(0)})
	return p
}

// Plot implements plot.Plotter.
func (h histStep) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	path := h.outline(trX, trY)
	fill := append(vg.Path(nil), path...)
	fill.Close()
	c.SetColor(withAlpha(h.color, h.alpha))
	c.Fill(fill)
	c.SetLineStyle(draw.LineStyle{Color: h.color, Width: vg.Points(1.2)})
	c.Stroke(path)
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (h histStep) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	r.Min.Y += vg.Points(1)
	r.Max.Y -= vg.Points(1)
	c.SetColor(withAlpha(h.color, h.alpha))
	c.Fill(r.Path())
	c.SetLineStyle(draw.LineStyle{Color: h.color, Width: vg.Points(1.2)})
	c.Stroke(r.Path())
}
