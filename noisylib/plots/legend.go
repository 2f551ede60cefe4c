package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one entry of a figure's legend.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
	series bool // a data series (dropped when it is the only one), not an explanatory entry
}

// sideLegend collects the legend entries of a figure; [chart] places it beside or below the plot, where it
// never covers data.
type sideLegend struct {
	entries []legendEntry
}

func newSideLegend() *sideLegend { return &sideLegend{} }

// add appends the entry of a data series; entries with an empty name are skipped. A figure with a single
// data series shows no entry for it: its name is in the title or the axis label.
func (s *sideLegend) add(name string, th ...plot.Thumbnailer) {
	if name != "" {
		s.entries = append(s.entries, legendEntry{name: name, thumbs: th, series: true})
	}
}

// addNote appends an explanatory entry (a reference line, the censoring hatch), shown in every case.
func (s *sideLegend) addNote(name string, th ...plot.Thumbnailer) {
	s.entries = append(s.entries, legendEntry{name: name, thumbs: th})
}

// legend returns the gonum legend of the entries to show, and their number.
func (s *sideLegend) legend() (plot.Legend, int) {
	l := plot.NewLegend()
	l.Left, l.Top = true, true
	l.TextStyle.Font.Size = vg.Points(10)
	l.TextStyle.Handler = textHandler
	l.Padding = vg.Points(3)
	series := 0
	for _, e := range s.entries {
		if e.series {
			series++
		}
	}
	n := 0
	for _, e := range s.entries {
		if e.series && series == 1 {
			continue
		}
		l.Add(e.name, e.thumbs...)
		n++
	}
	return l, n
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
		Handler: textHandler,
		XAlign:  draw.XCenter,
	}
}
