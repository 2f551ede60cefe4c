package plots

import (
	"bytes"
	"regexp"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Centred and right-aligned text is anchored in the SVG (text-anchor="middle" / "end" at the point the
// text is aligned on) instead of starting at a left end computed with the Liberation metrics. A viewer
// that substitutes a wider font then keeps titles centred and right-aligned labels off the axis; only
// the far ends of lines move.

// anchoredText is gonum's plain text handler that tells a recorder canvas how each string is aligned.
type anchoredText struct{ text.Plain }

// textHandler is the text handler of every style of this package's figures.
var textHandler text.Handler = anchoredText{text.Plain{Fonts: font.DefaultCache}}

// Draw implements text.Handler.
func (h anchoredText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	inner := c
	for { // draw.Canvas.FillText passes itself, and draw.Crop may wrap a draw.Canvas value
		switch dc := inner.(type) {
		case *draw.Canvas:
			inner = dc.Canvas
			continue
		case draw.Canvas:
			inner = dc.Canvas
			continue
		}
		break
	}
	if r, ok := inner.(*recorder); ok {
		r.align = sty.XAlign
		defer func() { r.align = 0 }()
	}
	h.Plain.Draw(c, txt, sty, pt)
}

// anchorPlot sets textHandler on every text style of p.
func anchorPlot(p *plot.Plot) {
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label} {
		sty.Handler = textHandler
	}
}

// fill is one FillString call as the SVG back end wrote it: the x of the text's left end, its width and
// its alignment (0 left, -0.5 centred, -1 right).
type fill struct {
	x, w  float64
	align text.XAlignment
}

var svgTextX = regexp.MustCompile(`<text x="([-0-9.e+]+)"`)

// anchorSVG rewrites the <text> elements of svg, written by the calls fills in order, so that centred
// and right-aligned ones are anchored at their alignment point. It returns svg unchanged when the
// elements do not match the calls.
func anchorSVG(svg []byte, fills []fill) []byte {
	locs := svgTextX.FindAllSubmatchIndex(svg, -1)
	if len(locs) != len(fills) {
		return svg
	}
	var b bytes.Buffer
	b.Grow(len(svg) + 24*len(fills))
	at := 0
	for i, loc := range locs {
		f := fills[i]
		anchor := ""
		switch f.align {
		case text.XCenter:
			anchor = "middle"
		case text.XRight:
			anchor = "end"
		}
		if anchor == "" {
			continue
		}
		b.Write(svg[at:loc[0]])
		x := f.x - float64(f.align)*f.w
		b.WriteString(`<text text-anchor="` + anchor + `" x="` + strconv.FormatFloat(x, 'g', 6, 64) + `"`)
		at = loc[1]
	}
	b.Write(svg[at:])
	return b.Bytes()
}
