package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapData is the input of [Heatmap]: accuracy over noise sites (rows) × σ values (columns).
type HeatmapData struct {
	Options
	// Sites names the rows, drawn top to bottom, e.g. "0:input", "3:relu1".
	Sites []string
	// Sigmas are the column noise levels, strictly increasing. They must be > 0 unless LinearX
	// is set.
	Sigmas []float64
	// Acc[i][j] is the accuracy (%) at site i and σ = Sigmas[j], in [0, 100]; NaN marks a cell
	// that was not measured (drawn light grey).
	Acc [][]float64
	// Midpoints, when not nil, holds one midpoint per site, drawn as a white marker at σ_mid;
	// markers of consecutive rows are joined by a dashed line. Censored midpoints are drawn as
	// triangles at the edge of the grid with a ">" or "<" label outside it; an uncensored
	// midpoint with NaN Sigma is skipped.
	Midpoints []Midpoint
	// LinearX places the columns at σ instead of log10 σ (for linear sweep grids).
	LinearX bool
	// Breaks lists the rows that start a new group of rows (increasing, in 1..len(Sites)-1), for
	// example the second noise order of a mixed-noise map: a white rule separates the groups and the
	// midpoint line is not drawn across them.
	Breaks []int
}

// Midpoint is the midpoint noise level of one heatmap row.
type Midpoint struct {
	// Sigma is σ_mid; ignored when Censor is not Uncensored.
	Sigma float64
	// Censor tells whether σ_mid lies beyond the swept grid.
	Censor Censoring
}

// validate checks the shapes and values of h and returns the column coordinates.
func (h HeatmapData) validate() ([]float64, error) {
	if len(h.Sites) == 0 || len(h.Sigmas) == 0 {
		return nil, fmt.Errorf("heatmap: %w: %d sites × %d sigmas", errEmpty, len(h.Sites), len(h.Sigmas))
	}
	if err := checkLen("Acc", len(h.Acc), len(h.Sites)); err != nil {
		return nil, fmt.Errorf("heatmap: %w (one row per site)", err)
	}
	xs := make([]float64, len(h.Sigmas))
	for j, s := range h.Sigmas {
		switch {
		case math.IsNaN(s) || math.IsInf(s, 0):
			return nil, fmt.Errorf("heatmap: Sigmas[%d] = %v is not finite", j, s)
		case !h.LinearX && s <= 0:
			return nil, fmt.Errorf("heatmap: Sigmas[%d] = %v must be > 0 on a logarithmic σ axis", j, s)
		case j > 0 && s <= h.Sigmas[j-1]:
			return nil, fmt.Errorf("heatmap: Sigmas must be strictly increasing, Sigmas[%d] = %v ≤ Sigmas[%d] = %v",
				j, s, j-1, h.Sigmas[j-1])
		}
		xs[j] = s
		if !h.LinearX {
			xs[j] = math.Log10(s)
		}
	}
	for i, row := range h.Acc {
		if err := checkLen(fmt.Sprintf("Acc[%d]", i), len(row), len(h.Sigmas)); err != nil {
			return nil, fmt.Errorf("heatmap: %w (one column per sigma)", err)
		}
		for j, a := range row {
			if !math.IsNaN(a) && !(a >= 0 && a <= 100) {
				return nil, fmt.Errorf("heatmap: Acc[%d][%d] = %v outside [0, 100] (accuracy in percent)", i, j, a)
			}
		}
	}
	for k, b := range h.Breaks {
		if b < 1 || b >= len(h.Sites) || (k > 0 && b <= h.Breaks[k-1]) {
			return nil, fmt.Errorf("heatmap: Breaks[%d] = %d: breaks must increase within 1..%d (rows that start a group)",
				k, b, len(h.Sites)-1)
		}
	}
	if h.Midpoints != nil {
		if err := checkLen("Midpoints", len(h.Midpoints), len(h.Sites)); err != nil {
			return nil, fmt.Errorf("heatmap: %w (one midpoint per site)", err)
		}
		for i, m := range h.Midpoints {
			switch {
			case !m.Censor.valid():
				return nil, fmt.Errorf("heatmap: Midpoints[%d].Censor = %d is not a Censoring value", i, m.Censor)
			case m.Censor != Uncensored || math.IsNaN(m.Sigma):
			case math.IsInf(m.Sigma, 0) || (!h.LinearX && m.Sigma <= 0):
				return nil, fmt.Errorf("heatmap: Midpoints[%d].Sigma = %v must be finite and > 0", i, m.Sigma)
			}
		}
	}
	return xs, nil
}

// Heatmap draws accuracy (%) over noise sites × σ as coloured cells on a fixed 0–100 % viridis
// scale (colour [Viridis](a/100)) with a colour bar, optionally with the per-site midpoint noise levels. σ is shown on a
// log10 axis labelled in decades unless LinearX is set. Each cell spans halfway to its
// neighbours, so uneven grids are drawn faithfully. The default height grows with the number
// of sites.
func Heatmap(h HeatmapData) (*Figure, error) {
	xs, err := h.validate()
	if err != nil {
		return nil, err
	}
	defH := max(DefaultHeight/2, 3*vg.Centimeter+vg.Length(len(h.Sites))*0.7*vg.Centimeter)
	w, ht, err := h.size(DefaultWidth, defH)
	if err != nil {
		return nil, fmt.Errorf("heatmap: %w", err)
	}
	p := newPlot(h.Options, "σ", "")
	cells := newCells(xs, h.Acc)
	p.Add(cells)
	xmin, xmax, ymin, ymax := cells.DataRange()
	for _, b := range h.Breaks {
		y := float64(len(h.Sites)-b) - 0.5 // between rows b-1 and b
		rule, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
		if err != nil {
			return nil, fmt.Errorf("heatmap: %w", err)
		}
		rule.LineStyle = draw.LineStyle{Color: white, Width: vg.Points(2)}
		p.Add(rule)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	p.X.Padding, p.Y.Padding = 0, 0
	if !h.LinearX {
		p.X.Tick.Marker = logTicker{InLog10: true}
	}
	n := len(h.Sites)
	ticks := make(plot.ConstantTicks, n)
	for i, s := range h.Sites {
		ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: s}
	}
	p.Y.Tick.Marker = ticks
	// Rows are categories, labelled in the left margin: no tick marks and no axis line, which would run
	// between a row's label and a censored-below marker.
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	for _, m := range h.Midpoints {
		if m.Censor == CensoredBelow {
			p.Y.Padding = vg.Points(4) // a gap between the row labels and the "<" left of the grid
		}
	}
	if h.Midpoints != nil {
		if err := addMidpoints(p, h, xmin, xmax); err != nil {
			return nil, fmt.Errorf("heatmap: %w", err)
		}
	}
	title := p.Title.Text
	p.Title.Text = ""
	cb := newColorBar()
	cbw := cb.width()
	fitAxisLabels(p, w-2*margin-cbw, ht-2*margin-titleHeight(title, w-2*margin))
	tickSlack(p)
	fig, err := newFigure(w, ht, func(dc draw.Canvas) error {
		dc = drawTitle(dc, title)
		// Room above the grid for the upper half of the colour bar's top label ("100").
		dc.Max.Y -= cb.p.Y.Tick.Label.Height("100") / 2
		main := draw.Crop(dc, 0, -cbw, 0, 0)
		p.Draw(main)
		da := p.DataCanvas(main)
		markArea(dc, da.Rectangle)
		cb.draw(dc, da)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap: %w", err)
	}
	return fig, nil
}

// addMidpoints adds the midpoint line, markers and censoring labels of h to p. xmin and xmax are
// the outer cell edges, where censored midpoints are drawn.
func addMidpoints(p *plot.Plot, h HeatmapData, xmin, xmax float64) error {
	n := len(h.Sites)
	var segs []plotter.XYs // runs of consecutive rows with uncensored midpoints
	var run, plain, above, below plotter.XYs
	var aboveLab, belowLab plotter.XYLabels
	for i, m := range h.Midpoints {
		y := float64(n - 1 - i)
		if m.Censor != Uncensored || math.IsNaN(m.Sigma) || slices.Contains(h.Breaks, i) {
			if len(run) > 1 {
				segs = append(segs, run)
			}
			run = nil
		}
		var x float64
		switch m.Censor {
		case CensoredAbove:
			x = xmax
			above = append(above, plotter.XY{X: x, Y: y})
		case CensoredBelow:
			x = xmin
			below = append(below, plotter.XY{X: x, Y: y})
		default:
			if math.IsNaN(m.Sigma) {
				continue
			}
			x = m.Sigma
			if !h.LinearX {
				x = math.Log10(m.Sigma)
			}
			plain = append(plain, plotter.XY{X: x, Y: y})
			run = append(run, plotter.XY{X: x, Y: y})
		}
		switch m.Censor {
		case CensoredAbove:
			aboveLab.XYs = append(aboveLab.XYs, plotter.XY{X: x, Y: y})
			aboveLab.Labels = append(aboveLab.Labels, ">")
		case CensoredBelow:
			belowLab.XYs = append(belowLab.XYs, plotter.XY{X: x, Y: y})
			belowLab.Labels = append(belowLab.Labels, "<")
		}
	}
	if len(run) > 1 {
		segs = append(segs, run)
	}
	for _, seg := range segs {
		l, err := plotter.NewLine(seg)
		if err != nil {
			return err
		}
		l.LineStyle = draw.LineStyle{Color: white, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
		p.Add(l)
	}
	for _, g := range []struct {
		xys   plotter.XYs
		shape draw.GlyphDrawer
	}{{plain, circleMark}, {above, rightMark}, {below, leftMark}} {
		if len(g.xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(g.xys)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: white, Radius: vg.Points(4), Shape: g.shape}
		p.Add(s)
	}
	for _, g := range []struct {
		lab    plotter.XYLabels
		align  draw.XAlignment
		offset vg.Length
	}{{aboveLab, draw.XLeft, 7}, {belowLab, draw.XRight, -7}} {
		if len(g.lab.XYs) == 0 {
			continue
		}
		lb, err := plotter.NewLabels(g.lab)
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Handler = textHandler
			lb.TextStyle[i].XAlign = g.align
			lb.TextStyle[i].YAlign = draw.YCenter
		}
		// Just outside the grid, beyond the triangle marker.
		lb.Offset = vg.Point{X: g.offset}
		p.Add(lb)
	}
	return nil
}
