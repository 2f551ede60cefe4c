package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sideLegend is a legend drawn in its own strip right of the plot, so it never covers data.
type sideLegend struct {
	leg plot.Legend
	n   int
}

func newSideLegend() *sideLegend {
	l := plot.NewLegend()
	l.Left, l.Top = true, true
	l.TextStyle.Font.Size = vg.Points(10)
	l.Padding = vg.Points(3)
	return &sideLegend{leg: l}
}

// add appends an entry; entries with an empty name are skipped.
func (s *sideLegend) add(name string, th ...plot.Thumbnailer) {
	if name == "" {
		return
	}
	s.leg.Add(name, th...)
	s.n++
}

// drawWith draws p into dc, and the legend (if it has entries) in a strip at the right whose top
// is aligned with the top of p's data area.
func (s *sideLegend) drawWith(dc draw.Canvas, p *plot.Plot) {
	if s.n == 0 {
		p.Draw(dc)
		return
	}
	r := s.leg.Rectangle(dc)
	gap := 0.3 * vg.Centimeter
	w := r.Max.X - r.Min.X + gap
	if max := (dc.Max.X - dc.Min.X) * 0.45; w > max {
		w = max
	}
	main := draw.Crop(dc, 0, -w, 0, 0)
	p.Draw(main)
	da := p.DataCanvas(main)
	strip := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: main.Max.X + gap, Y: dc.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: da.Max.Y},
	}}
	s.leg.Draw(strip)
}

// swatch is a legend thumbnail: a filled rectangle, optionally hatched.
type swatch struct {
	fill  color.Color
	hatch bool
}

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	r.Min.Y += vg.Points(1)
	r.Max.Y -= vg.Points(1)
	c.SetColor(s.fill)
	c.Fill(r.Path())
	if s.hatch {
		c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.6)})
		c.Stroke(hatchPath(r, vg.Points(3)))
	}
	c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.5)})
	c.Stroke(r.Path())
}

// hatchPath returns 45° line segments spaced sp apart, clipped to r.
func hatchPath(r vg.Rectangle, sp vg.Length) vg.Path {
	var p vg.Path
	// Lines y = x + k for k from (y0 - x1) to (y1 - x0).
	for k := r.Min.Y - r.Max.X + sp/2; k < r.Max.Y-r.Min.X; k += sp {
		xa := max(r.Min.X, r.Min.Y-k)
		xb := min(r.Max.X, r.Max.Y-k)
		if xb <= xa {
			continue
		}
		p.Move(vg.Point{X: xa, Y: xa + k})
		p.Line(vg.Point{X: xb, Y: xb + k})
	}
	return p
}

// annotationStyle is the text style of ">" / "<" annotations and point labels.
func annotationStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   black,
		Font:    font.From(plot.DefaultFont, size),
		Handler: plot.DefaultTextHandler,
		XAlign:  draw.XCenter,
	}
}
