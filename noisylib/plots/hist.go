package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HistData is the input of [Histograms]: values of several named groups (e.g. the weights of
// one layer for several training σ), binned on common bins.
type HistData struct {
	Options
	// Groups are drawn in order, group i in colour SeriesColor(i).
	Groups []HistGroup
	// Bins is the number of equal-width bins, 1..10000; zero selects 40.
	Bins int
	// Min and Max bound the binned range; values outside it are not counted. When both are zero
	// the range of all values of all groups is used.
	Min, Max float64
	// SmallMultiples draws one panel per group (sharing the x range) instead of overlaying
	// translucent histograms in one panel.
	SmallMultiples bool
	// Density normalises each group to unit area (a probability density) instead of counts.
	Density bool
}

// HistGroup is one named set of values.
type HistGroup struct {
	// Name labels the group (legend entry or panel title).
	Name string
	// Values are the samples; they must be finite and there must be at least one, unless Counts is set.
	Values []float64
	// Counts, when set, are the group's counts already binned: one per bin of the HistData's Bins bins over its
	// [Min, Max] (both must be set), finite and ≥ 0 with a positive sum; Values must then be empty.
	Counts []float64
}

// binRange validates h and returns the number of bins and the binned range.
func (h HistData) binRange() (int, float64, float64, error) {
	if len(h.Groups) == 0 {
		return 0, 0, 0, fmt.Errorf("histograms: %w: no groups", errEmpty)
	}
	bins := h.Bins
	if bins == 0 {
		bins = 40
	}
	if bins < 1 || bins > 10000 {
		return 0, 0, 0, fmt.Errorf("histograms: Bins = %d outside [1, 10000]", h.Bins)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	binned := false
	for g, gr := range h.Groups {
		if gr.Counts != nil {
			if err := checkCounts(gr, bins, h.Min, h.Max); err != nil {
				return 0, 0, 0, fmt.Errorf("histograms: Groups[%d] (%q): %w", g, gr.Name, err)
			}
			binned = true
			continue
		}
		if len(gr.Values) == 0 {
			return 0, 0, 0, fmt.Errorf("histograms: Groups[%d] (%q): %w", g, gr.Name, errEmpty)
		}
		if err := checkFinite("Values", gr.Values); err != nil {
			return 0, 0, 0, fmt.Errorf("histograms: Groups[%d] (%q): %w", g, gr.Name, err)
		}
		for _, v := range gr.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if h.Min != 0 || h.Max != 0 {
		if err := checkFinite("[Min, Max]", []float64{h.Min, h.Max}); err != nil {
			return 0, 0, 0, fmt.Errorf("histograms: %w", err)
		}
		if !(h.Min < h.Max) {
			return 0, 0, 0, fmt.Errorf("histograms: range [Min, Max] = [%v, %v] needs Min < Max", h.Min, h.Max)
		}
		return bins, h.Min, h.Max, nil
	}
	if binned {
		return 0, 0, 0, fmt.Errorf("histograms: groups with Counts need the range [Min, Max] their bins cover")
	}
	if lo == hi { // all values equal: one unit-wide range around them
		lo, hi = lo-0.5, hi+0.5
	}
	return bins, lo, hi, nil
}

// checkCounts validates the pre-binned counts of a group.
func checkCounts(gr HistGroup, bins int, lo, hi float64) error {
	if len(gr.Values) > 0 {
		return fmt.Errorf("both Values and Counts are set")
	}
	if lo == 0 && hi == 0 {
		return fmt.Errorf("Counts need the range [Min, Max] their bins cover")
	}
	if len(gr.Counts) != bins {
		return fmt.Errorf("%d Counts for %d bins", len(gr.Counts), bins)
	}
	if err := checkFinite("Counts", gr.Counts); err != nil {
		return err
	}
	sum := 0.0
	for _, c := range gr.Counts {
		if c < 0 {
			return fmt.Errorf("negative count %v", c)
		}
		sum += c
	}
	if sum == 0 {
		return fmt.Errorf("Counts: %w", errEmpty)
	}
	return nil
}

// groupCounts returns a group's counts (or densities) in bins equal-width bins over [lo, hi]: its Counts when
// set, else binCounts of its Values.
func groupCounts(gr HistGroup, bins int, lo, hi float64, density bool) []float64 {
	if gr.Counts == nil {
		return binCounts(gr.Values, bins, lo, hi, density)
	}
	counts := slices.Clone(gr.Counts)
	if density {
		n := 0.0
		for _, c := range counts {
			n += c
		}
		for k := range counts {
			counts[k] /= n * (hi - lo) / float64(bins)
		}
	}
	return counts
}

// binCounts returns the counts (or densities) of vs in bins equal-width bins over [lo, hi];
// values outside the range are dropped and hi falls into the last bin.
func binCounts(vs []float64, bins int, lo, hi float64, density bool) []float64 {
	counts := make([]float64, bins)
	width := (hi - lo) / float64(bins)
	n := 0
	for _, v := range vs {
		if v < lo || v > hi {
			continue
		}
		k := min(int((v-lo)/width), bins-1)
		counts[k]++
		n++
	}
	if density && n > 0 {
		for k := range counts {
			counts[k] /= float64(n) * width
		}
	}
	return counts
}

// Histograms draws histograms of several groups on common equal-width bins, either overlaid
// (translucent fills with solid outlines and a legend) or as small multiples (one panel per group,
// up to three per row, sharing the x range).
func Histograms(h HistData) (*Figure, error) {
	bins, lo, hi, err := h.binRange()
	if err != nil {
		return nil, err
	}
	ylab := "count"
	if h.Density {
		ylab = "density"
	}
	steps := make([]histStep, len(h.Groups))
	for g, gr := range h.Groups {
		steps[g] = histStep{lo: lo, hi: hi, counts: groupCounts(gr, bins, lo, hi, h.Density), color: SeriesColor(g)}
	}
	if !h.SmallMultiples {
		p := newPlot(h.Options, "value", ylab)
		leg := newSideLegend()
		for g, gr := range h.Groups {
			if len(h.Groups) > 1 {
				steps[g].alpha = 0.3
			} else {
				steps[g].alpha = 0.6
			}
			p.Add(steps[g])
			leg.add(gr.Name, steps[g])
		}
		p.X.Min, p.X.Max = lo, hi
		if !h.Density {
			p.Y.Tick.Marker = linTicker{Integer: true}
		}
		fig, err := chart(h.Options, DefaultWidth, DefaultHeight, p, leg)
		if err != nil {
			return nil, fmt.Errorf("histograms: %w", err)
		}
		return fig, nil
	}
	cols := min(len(h.Groups), 3)
	rows := (len(h.Groups) + cols - 1) / cols
	w, ht, err := h.size(DefaultWidth, 2*vg.Centimeter+vg.Length(rows)*5*vg.Centimeter)
	if err != nil {
		return nil, fmt.Errorf("histograms: %w", err)
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for g := range h.Groups {
		r, c := g/cols, g%cols
		p := newPlot(Options{}, "", "")
		// Axis labels only on the outer panels, so inner panels keep their space for data.
		if r == rows-1 || g+cols >= len(h.Groups) {
			p.X.Label.Text = label(h.XLabel, "value")
		}
		if c == 0 {
			p.Y.Label.Text = label(h.YLabel, ylab)
		}
		if !h.Density {
			p.Y.Tick.Marker = linTicker{Integer: true}
		}
		fitAxisLabels(p, (w-2*margin)/vg.Length(cols), (ht-2*margin)/vg.Length(rows))
		steps[g].alpha = 0.6
		p.Add(steps[g])
		p.X.Min, p.X.Max = lo, hi
		grid[r][c] = p
	}
	// Panel titles are drawn above the aligned data areas (plot titles would sit at different heights,
	// since Align equalises the data areas, not the canvases), wrapped to a panel's data width.
	sty := annotationStyle(vg.Points(11))
	sty.YAlign = draw.YBottom
	padX := vg.Centimeter / 2
	panelW := (w-2*margin-vg.Length(cols-1)*padX)/vg.Length(cols) - axisAllowance
	names := make([]string, len(h.Groups))
	th := sty.Height("Mg")
	for g, gr := range h.Groups {
		names[g] = wrapText(sty, gr.Name, panelW/fontSlack)
		th = max(th, sty.Height(names[g]))
	}
	th += vg.Points(3)
	fig, err := newFigure(w, ht, func(dc draw.Canvas) error {
		dc = drawTitle(dc, h.Title)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: padX, PadY: vg.Centimeter/3 + th, PadTop: th}
		canvases := plot.Align(grid, tiles, dc)
		for r := range grid {
			for c, p := range grid[r] {
				if p == nil {
					continue
				}
				p.Draw(canvases[r][c])
				da := p.DataCanvas(canvases[r][c])
				markArea(dc, da.Rectangle)
				dc.FillText(sty, vg.Point{X: da.Center().X, Y: da.Max.Y + vg.Points(3)}, names[r*cols+c])
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("histograms: %w", err)
	}
	return fig, nil
}
