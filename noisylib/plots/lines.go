package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LineData is the input of [Lines]: several named series y(x).
type LineData struct {
	Options
	// Series are drawn in order, series i in colour SeriesColor(i).
	Series []Series
	// LogX and LogY select logarithmic axes; all values (and bounds) on such an axis must be > 0.
	LogX, LogY bool
	// Markers draws a marker at every point; marker shapes vary with the series index.
	Markers bool
	// ErrorBars draws the Low/High bounds of the series as error bars instead of shaded bands.
	ErrorBars bool
	// HLines are horizontal reference lines (dashed grey), e.g. the chance level or the midpoint
	// accuracy threshold.
	HLines []float64
}

// Series is one named curve.
type Series struct {
	// Name labels the series in the legend; empty for no legend entry.
	Name string
	// X and Y are the coordinates, drawn in the given order; they must have equal, non-zero
	// length and be finite.
	X, Y []float64
	// Low and High, when not nil, are absolute lower and upper bounds per point (for example
	// mean ± standard deviation over repetitions). Low[i] ≤ High[i] is required.
	Low, High []float64
}

// validate checks one series.
func (s Series) validate(i int, logX, logY bool) error {
	where := fmt.Sprintf("lines: Series[%d] (%q)", i, s.Name)
	if len(s.X) == 0 {
		return fmt.Errorf("%s: %w", where, errEmpty)
	}
	if err := checkLen("Y", len(s.Y), len(s.X)); err != nil {
		return fmt.Errorf("%s: %w (one y per x)", where, err)
	}
	if (s.Low == nil) != (s.High == nil) {
		return fmt.Errorf("%s: Low and High must be given together", where)
	}
	checks := []field{{"X", s.X, logX}, {"Y", s.Y, logY}}
	if s.Low != nil {
		if err := checkLen("Low", len(s.Low), len(s.X)); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := checkLen("High", len(s.High), len(s.X)); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		checks = append(checks, field{"Low", s.Low, logY}, field{"High", s.High, logY})
	}
	if err := checkFields(checks...); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	for k := range s.Low {
		if s.Low[k] > s.High[k] {
			return fmt.Errorf("%s: Low[%d] = %v > High[%d] = %v", where, k, s.Low[k], k, s.High[k])
		}
	}
	return nil
}

// setLogAxes switches the axes of p to log scales with decade ticks.
func setLogAxes(p *plot.Plot, logX, logY bool) {
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicker{}
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicker{}
	}
}

// Lines draws several named series y(x) with optional log axes, markers, and error bands or
// error bars from the series' Low/High bounds. The legend is drawn beside the plot.
func Lines(l LineData) (*Figure, error) {
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("lines: %w: no series", errEmpty)
	}
	for i, s := range l.Series {
		if err := s.validate(i, l.LogX, l.LogY); err != nil {
			return nil, err
		}
	}
	if err := checkFinite("HLines", l.HLines); err != nil {
		return nil, fmt.Errorf("lines: %w", err)
	}
	if l.LogY {
		if err := checkPositive("HLines", l.HLines); err != nil {
			return nil, fmt.Errorf("lines: %w", err)
		}
	}
	p := newPlot(l.Options, "", "")
	setLogAxes(p, l.LogX, l.LogY)
	if !l.LogX && wholeNumbers(l.Series, func(s Series) []float64 { return s.X }) {
		p.X.Tick.Marker = linTicker{Integer: true}
	}
	leg := newSideLegend()
	for i, s := range l.Series {
		col := SeriesColor(i)
		xys := make(plotter.XYs, len(s.X))
		for k := range s.X {
			xys[k] = plotter.XY{X: s.X[k], Y: s.Y[k]}
		}
		var thumbs []plot.Thumbnailer
		if s.Low != nil && !l.ErrorBars {
			band := make(plotter.XYs, 0, 2*len(s.X))
			for k := range s.X {
				band = append(band, plotter.XY{X: s.X[k], Y: s.Low[k]})
			}
			for k := len(s.X) - 1; k >= 0; k-- {
				band = append(band, plotter.XY{X: s.X[k], Y: s.High[k]})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, fmt.Errorf("lines: Series[%d]: %w", i, err)
			}
			poly.Color = withAlpha(col, 0.2)
			poly.LineStyle.Width = 0
			p.Add(poly)
			thumbs = append(thumbs, poly)
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("lines: Series[%d]: %w", i, err)
		}
		line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.5), Dashes: dashPattern(i)}
		p.Add(line)
		thumbs = append(thumbs, line)
		if s.Low != nil && l.ErrorBars {
			eb, err := errorBars(xys, s.Low, s.High, col)
			if err != nil {
				return nil, fmt.Errorf("lines: Series[%d]: %w", i, err)
			}
			p.Add(eb)
		}
		if l.Markers {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("lines: Series[%d]: %w", i, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: glyphShapes[i%len(glyphShapes)]}
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		leg.add(s.Name, thumbs...)
	}
	if err := addHLines(p, l.HLines); err != nil {
		return nil, fmt.Errorf("lines: %w", err)
	}
	fig, err := chart(l.Options, DefaultWidth, DefaultHeight, p, leg)
	if err != nil {
		return nil, fmt.Errorf("lines: %w", err)
	}
	return fig, nil
}

// wholeNumbers reports whether every value that field picks from the series is an integer (an axis of
// epochs or budgets), so that the axis gets integer ticks only.
func wholeNumbers(series []Series, field func(Series) []float64) bool {
	for _, s := range series {
		for _, v := range field(s) {
			if v != math.Trunc(v) {
				return false
			}
		}
	}
	return true
}

// dashPattern returns the dash pattern of series i: solid, dashed, dotted, dash-dot in turn, shifted by
// one in every palette cycle so that no two of the first 32 series share both colour and pattern.
func dashPattern(i int) []vg.Length {
	d := dashes[(i+i/len(okabeIto))%len(dashes)]
	out := make([]vg.Length, len(d))
	for k, v := range d {
		out[k] = vg.Points(v)
	}
	return out
}

// errorBars returns vertical error bars from low to high at the points xys.
func errorBars(xys plotter.XYs, low, high []float64, col color.Color) (*plotter.YErrorBars, error) {
	errs := make(plotter.YErrors, len(xys))
	for k := range xys {
		errs[k].Low = xys[k].Y - low[k]
		errs[k].High = high[k] - xys[k].Y
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{xys, errs})
	if err != nil {
		return nil, err
	}
	eb.LineStyle.Color = col
	eb.CapWidth = vg.Points(5)
	return eb, nil
}

// addHLines adds dashed grey horizontal reference lines spanning the x range of p's data.
func addHLines(p *plot.Plot, ys []float64) error {
	for _, y := range ys {
		f := plotter.NewFunction(func(float64) float64 { return y })
		f.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}
		p.Add(f)
		// Make sure the line's level is inside the y range.
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, y), math.Max(p.Y.Max, y)
	}
	return nil
}
