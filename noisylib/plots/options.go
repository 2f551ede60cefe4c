package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Default figure sizes, used when Options.Width or Options.Height is zero.
const (
	// DefaultWidth is the figure width used when Options.Width is zero (16 cm).
	DefaultWidth = 16 * vg.Centimeter
	// DefaultHeight is the figure height used when Options.Height is zero (10 cm).
	// Heatmap and small-multiple histograms grow their default height with the number of rows.
	DefaultHeight = 10 * vg.Centimeter
)

// margin is left blank around every figure.
const margin = 0.15 * vg.Centimeter

// maxSide bounds the width and height of a figure (2 m), to catch unit mistakes such as
// passing centimetres as points multiplied twice.
const maxSide = 200 * vg.Centimeter

// Options holds the decorations and the size shared by every figure.
//
// Width and Height are vg lengths: write them as multiples of vg.Centimeter, vg.Inch or
// vg.Points. Zero selects a default size; negative values are an error.
type Options struct {
	// Title is drawn above the figure; empty for none.
	Title string
	// XLabel and YLabel label the horizontal and vertical axes; empty selects a figure-specific
	// default (for example "σ" for the heatmap), or no label where there is no sensible default.
	XLabel, YLabel string
	// Width and Height are the figure size; zero selects the defaults. The canvas grows beyond them
	// where a legend or the plot needs room (see the package documentation's Layout section).
	Width, Height vg.Length
}

// size returns the figure size with defaults applied, or an error for negative or absurd sizes.
func (o Options) size(defW, defH vg.Length) (vg.Length, vg.Length, error) {
	w, h := o.Width, o.Height
	if w == 0 {
		w = defW
	}
	if h == 0 {
		h = defH
	}
	if !(w > 0 && w <= maxSide) || !(h > 0 && h <= maxSide) {
		return 0, 0, fmt.Errorf("figure size %.4g cm × %.4g cm outside (0, %g] cm",
			float64(w/vg.Centimeter), float64(h/vg.Centimeter), float64(maxSide/vg.Centimeter))
	}
	return w, h, nil
}

// label returns s, or def when s is empty.
func label(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Censoring tells whether a value is a bound rather than a measurement, as for a midpoint noise
// level whose accuracy curve never crossed the threshold inside the swept σ grid.
type Censoring int

const (
	// Uncensored marks an ordinary value.
	Uncensored Censoring = iota
	// CensoredAbove marks a lower bound: the true value lies above the one shown ("> σ_max").
	CensoredAbove
	// CensoredBelow marks an upper bound: the true value lies below the one shown ("< σ_min").
	CensoredBelow
)

// String returns "", ">" or "<", the annotation drawn next to censored values.
func (c Censoring) String() string {
	switch c {
	case CensoredAbove:
		return ">"
	case CensoredBelow:
		return "<"
	}
	return ""
}

// valid reports whether c is one of the three defined values.
func (c Censoring) valid() bool { return c >= Uncensored && c <= CensoredBelow }

// newPlot returns a plot with the title and axis labels of o, and a white background.
func newPlot(o Options, defX, defY string) *plot.Plot {
	p := plot.New()
	p.Title.Text = o.Title
	p.X.Label.Text = label(o.XLabel, defX)
	p.Y.Label.Text = label(o.YLabel, defY)
	p.X.Tick.Marker, p.Y.Tick.Marker = linTicker{}, linTicker{}
	anchorPlot(p)
	return p
}

// errTooLarge reports a figure that would grow beyond maxSide to fit its text.
func errTooLarge(w, h vg.Length) error {
	return fmt.Errorf("figure would need %.4g cm × %.4g cm to fit its text, more than %g cm: shorten the labels",
		float64(w/vg.Centimeter), float64(h/vg.Centimeter), float64(maxSide/vg.Centimeter))
}

// Text is measured with the Liberation Serif metrics. Viewers rarely have that font installed, so
// the SVG names metric-compatible fallbacks (Times New Roman and Tinos share its metrics) before
// the generic serif family.
const (
	liberationSerif = "font-family:Liberation Serif;"
	serifFallbacks  = "font-family:'Liberation Serif','Times New Roman',Tinos,Times,serif;"
)

// errEmpty is wrapped by the errors reported for figures without data.
var errEmpty = errors.New("no data")

// checkFinite returns an error naming what[i] when a value of xs is NaN or infinite.
func checkFinite(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s[%d] = %v is not finite", what, i, x)
		}
	}
	return nil
}

// checkPositive returns an error naming what[i] when a value of xs is not > 0 (for log axes).
func checkPositive(what string, xs []float64) error {
	for i, x := range xs {
		if !(x > 0) {
			return fmt.Errorf("%s[%d] = %v must be > 0 on a logarithmic axis", what, i, x)
		}
	}
	return nil
}

// checkLen returns an error when a slice that must match n elements has another length.
func checkLen(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("len(%s) = %d, want %d", what, got, want)
	}
	return nil
}

// field is a named slice of values to validate, on a logarithmic axis when log is set.
type field struct {
	name string
	v    []float64
	log  bool
}

// checkFields checks that every value is finite, and > 0 for fields on a log axis.
func checkFields(fs ...field) error {
	for _, f := range fs {
		if err := checkFinite(f.name, f.v); err != nil {
			return err
		}
		if f.log {
			if err := checkPositive(f.name, f.v); err != nil {
				return err
			}
		}
	}
	return nil
}
