package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ScatterData is the input of [Scatter]: predicted (x) against measured (y) values.
type ScatterData struct {
	Options
	// Groups are drawn in order, group i in colour SeriesColor(i) with its own marker shape.
	Groups []ScatterGroup
	// Log selects logarithmic x and y axes; all values must then be > 0.
	Log bool
}

// ScatterGroup is one named set of points.
type ScatterGroup struct {
	// Name labels the group in the legend; empty for no legend entry.
	Name string
	// X (predicted) and Y (measured) have equal, non-zero length and are finite.
	X, Y []float64
	// Labels, when not nil, names every point (e.g. the model or site); drawn next to the marker.
	Labels []string
}

// validate checks s and returns the common range of all x and y values.
func (s ScatterData) validate() (lo, hi float64, err error) {
	if len(s.Groups) == 0 {
		return 0, 0, fmt.Errorf("scatter: %w: no groups", errEmpty)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for g, gr := range s.Groups {
		where := fmt.Sprintf("scatter: Groups[%d] (%q)", g, gr.Name)
		if len(gr.X) == 0 {
			return 0, 0, fmt.Errorf("%s: %w", where, errEmpty)
		}
		if err := checkLen("Y", len(gr.Y), len(gr.X)); err != nil {
			return 0, 0, fmt.Errorf("%s: %w (one measured value per predicted one)", where, err)
		}
		if gr.Labels != nil {
			if err := checkLen("Labels", len(gr.Labels), len(gr.X)); err != nil {
				return 0, 0, fmt.Errorf("%s: %w", where, err)
			}
		}
		if err := checkFields(field{"X", gr.X, s.Log}, field{"Y", gr.Y, s.Log}); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", where, err)
		}
		for k := range gr.X {
			lo = math.Min(lo, math.Min(gr.X[k], gr.Y[k]))
			hi = math.Max(hi, math.Max(gr.X[k], gr.Y[k]))
		}
	}
	return lo, hi, nil
}

// Scatter draws measured (y) against predicted (x) values of one or more groups, on equal x and y
// ranges, with the dashed grey reference line y = x. The default axis labels are "predicted" and
// "measured".
func Scatter(s ScatterData) (*Figure, error) {
	lo, hi, err := s.validate()
	if err != nil {
		return nil, err
	}
	// Equal, slightly padded ranges on both axes, so that y = x is the diagonal.
	if s.Log {
		f := math.Pow(hi/lo, 0.05)
		if hi == lo {
			f = 2
		}
		lo, hi = lo/f, hi*f
	} else {
		d := (hi - lo) * 0.05
		if d == 0 {
			d = math.Max(math.Abs(hi)*0.1, 0.5)
		}
		lo, hi = lo-d, hi+d
	}
	p := newPlot(s.Options, "predicted", "measured")
	setLogAxes(p, s.Log, s.Log)
	ref, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return nil, fmt.Errorf("scatter: %w", err)
	}
	ref.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(ref)
	leg := newSideLegend()
	leg.addNote("y = x", ref)
	for g, gr := range s.Groups {
		xys := make(plotter.XYs, len(gr.X))
		for k := range gr.X {
			xys[k] = plotter.XY{X: gr.X[k], Y: gr.Y[k]}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("scatter: Groups[%d]: %w", g, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: SeriesColor(g), Radius: vg.Points(3), Shape: glyphShapes[g%len(glyphShapes)]}
		p.Add(sc)
		leg.add(gr.Name, sc)
		if gr.Labels != nil {
			lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: gr.Labels})
			if err != nil {
				return nil, fmt.Errorf("scatter: Groups[%d]: %w", g, err)
			}
			for k := range lb.TextStyle {
				lb.TextStyle[k] = annotationStyle(vg.Points(8))
				lb.TextStyle[k].XAlign = draw.XLeft
				lb.TextStyle[k].YAlign = draw.YCenter
			}
			lb.Offset = vg.Point{X: vg.Points(5)}
			p.Add(lb)
		}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	fig, err := chart(s.Options, DefaultWidth, DefaultHeight, p, leg)
	if err != nil {
		return nil, fmt.Errorf("scatter: %w", err)
	}
	return fig, nil
}
