package plots

import (
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout rules shared by the figures. Every piece of text is measured with its font before the figure is
// laid out: titles and axis labels are broken into lines that fit, and the canvas grows where a legend needs
// room, so nothing is clipped.
const (
	// legendGap separates the plot from its legend.
	legendGap = 0.4 * vg.Centimeter
	// maxSideLegend is the largest share of the width a legend may take beside the plot; a wider legend
	// goes below the plot.
	maxSideLegend = 0.38
	// minPlotWidth and minPlotHeight are the smallest plot (axes included) a figure keeps; the canvas
	// grows beyond its requested size to keep them.
	minPlotWidth  = 8 * vg.Centimeter
	minPlotHeight = 5 * vg.Centimeter
	// axisAllowance estimates the room taken by an axis' tick labels and its label, to bound the length of
	// the other axis' label before the plot is drawn.
	axisAllowance = 1.6 * vg.Centimeter
	// fontSlack is the room left for a viewer's substitute font: text is wrapped to 1/fontSlack of the
	// room it has, legends get fontSlack times their measured width and the outermost tick labels get
	// room to grow, so that a font up to 35 % wider than Liberation Serif (DejaVu Serif, the usual Linux
	// substitute, is 15–30 % wider) still fits on the canvas.
	fontSlack = 1.35
)

// titleStyle is the style of figure titles (gonum/plot's default title style).
func titleStyle() text.Style {
	sty := plot.New().Title.TextStyle
	sty.Handler = textHandler
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	return sty
}

// wrapText breaks s at spaces into lines no wider than maxW in style sty, as evenly as possible: it
// takes the fewest lines that greedy filling needs, then the narrowest width that keeps that number of
// lines. Existing line breaks are kept; a single word wider than maxW stays on its own line.
func wrapText(sty text.Style, s string, maxW vg.Length) string {
	if s == "" || sty.Width(s) <= maxW {
		return s
	}
	lines := func(w vg.Length) string { return fillLines(sty, s, w) }
	best := lines(maxW)
	n := strings.Count(best, "\n")
	lo, hi := vg.Length(0), maxW
	for hi-lo > vg.Points(1) {
		mid := (lo + hi) / 2
		if t := lines(mid); strings.Count(t, "\n") == n {
			best, hi = t, mid
		} else {
			lo = mid
		}
	}
	return best
}

// fillLines breaks s at spaces into lines no wider than maxW, filling each line greedily.
func fillLines(sty text.Style, s string, maxW vg.Length) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case sty.Width(line+" "+w) <= maxW:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// textWidth returns the width of the widest line of s.
func textWidth(sty text.Style, s string) vg.Length {
	var w vg.Length
	for _, l := range strings.Split(s, "\n") {
		w = max(w, sty.Width(l))
	}
	return w
}

// drawTitle draws title, wrapped to the width of dc, centred at the top of dc, and returns dc without the
// title's band.
func drawTitle(dc draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return dc
	}
	sty := titleStyle()
	title = wrapText(sty, title, (dc.Max.X-dc.Min.X)/fontSlack)
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, title)
	dc.Max.Y -= sty.Height(title) + vg.Points(6)
	return dc
}

// titleHeight returns the height drawTitle takes for title on a canvas of inner width w.
func titleHeight(title string, w vg.Length) vg.Length {
	if title == "" {
		return 0
	}
	sty := titleStyle()
	return sty.Height(wrapText(sty, title, w/fontSlack)) + vg.Points(6)
}

// fitAxisLabels wraps the axis labels of p to the room the plot will roughly have: the x label to the plot
// width w, the y label (drawn rotated) to the plot height h.
func fitAxisLabels(p *plot.Plot, w, h vg.Length) {
	p.X.Label.Text = wrapText(p.X.Label.TextStyle, p.X.Label.Text, (w-axisAllowance)/fontSlack)
	p.Y.Label.Text = wrapText(p.Y.Label.TextStyle, p.Y.Label.Text, (h-axisAllowance)/fontSlack)
}

// tickSlack makes room for a plot's tick labels to grow in a wider substitute font: right-aligned y tick
// labels grow to the left, into a wider gap before the y axis label (or the canvas edge), and the centred
// x label at the right end of the axis grows by half its width, the room it returns.
func tickSlack(p *plot.Plot) (right vg.Length) {
	var left vg.Length
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		left = max(left, p.Y.Tick.Label.Width(t.Label))
	}
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	for i := len(ticks) - 1; i >= 0; i-- {
		if ticks[i].Label != "" {
			right = p.X.Tick.Label.Width(ticks[i].Label) / 2
			break
		}
	}
	p.Y.Label.Padding += left * (fontSlack - 1)
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = " " // gonum leaves no padding without a label
	}
	return right * (fontSlack - 1)
}

// chart lays out one plot with its title and legend on a canvas of the requested size o (defaults defW ×
// defH) and draws it. The title is wrapped to the width. The legend goes beside the plot, top-aligned with
// the data area, when it takes at most maxSideLegend of the width, else below the plot, where it adds to
// the height; the canvas also grows where the plot would otherwise shrink below minPlotWidth ×
// minPlotHeight or a legend beside it would not fit.
func chart(o Options, defW, defH vg.Length, p *plot.Plot, leg *sideLegend) (*Figure, error) {
	w, h, err := o.size(defW, defH)
	if err != nil {
		return nil, err
	}
	title := p.Title.Text
	p.Title.Text = ""
	var l plot.Legend
	var n int
	if leg != nil {
		l, n = leg.legend()
	}
	var lw, lh vg.Length // room for the legend: its measured size, with slack for a wider font
	var drawnW vg.Length // its measured width
	if n > 0 {
		r := l.Rectangle(draw.Canvas{})
		drawnW, lh = r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
		lw = drawnW * fontSlack
	}
	inner := func() (vg.Length, vg.Length) { return w - 2*margin, h - 2*margin }
	iw, _ := inner()
	below := n > 0 && lw+legendGap > maxSideLegend*iw
	if n > 0 && !below {
		w = max(w, minPlotWidth+legendGap+lw+2*margin)
	}
	if below {
		w = max(w, lw+2*margin, minPlotWidth+2*margin)
	}
	iw, _ = inner()
	th := titleHeight(title, iw)
	plotW := iw
	if n > 0 && !below {
		plotW -= legendGap + lw
	}
	need := th + minPlotHeight + 2*margin
	if below {
		// The legend below adds to the requested height: the plot keeps its own.
		need = max(need+legendGap+lh, h+legendGap+lh)
	} else if n > 0 {
		need = max(need, th+lh+axisAllowance+2*margin)
	}
	h = max(h, need)
	if w > maxSide || h > maxSide {
		return nil, errTooLarge(w, h)
	}
	_, ih := inner()
	plotH := ih - th
	if below {
		plotH -= legendGap + lh
	}
	fitAxisLabels(p, plotW, plotH)
	slackR := tickSlack(p)
	return newFigure(w, h, func(dc draw.Canvas) error {
		dc = drawTitle(dc, title)
		main := draw.Crop(dc, 0, -slackR, 0, 0)
		if n > 0 && !below {
			main.Max.X -= legendGap + lw
		}
		if below {
			main.Min.Y += legendGap + lh
		}
		p.Draw(main)
		da := p.DataCanvas(main)
		markArea(dc, da.Rectangle)
		if n == 0 {
			return nil
		}
		strip := draw.Canvas{Canvas: dc.Canvas}
		if below {
			x0 := max(dc.Min.X, min(da.Min.X, dc.Max.X-lw))
			strip.Rectangle = vg.Rectangle{Min: vg.Point{X: x0, Y: dc.Min.Y}, Max: vg.Point{X: x0 + drawnW, Y: dc.Min.Y + lh}}
		} else {
			top := max(min(da.Max.Y, dc.Max.Y), dc.Min.Y+lh)
			strip.Rectangle = vg.Rectangle{Min: vg.Point{X: dc.Max.X - lw, Y: top - lh}, Max: vg.Point{X: dc.Max.X - lw + drawnW, Y: top}}
		}
		l.Draw(strip)
		return nil
	})
}
