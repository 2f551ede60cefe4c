package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg/draw"
)

// okabeIto is the colour-blind-safe qualitative palette of Okabe and Ito (2008), ordered for print in
// grey as well: the first three colours differ in lightness (CIE L* 46, 71, 58) as well as in hue, so
// two or three groups of bars stay apart in a greyscale copy; lines add dash patterns and markers. Yellow,
// faint on white, comes last.
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xF0, 0xE4, 0x42, 0xff}, // yellow
}

// glyphShapes varies the marker shape with the series index, so series stay distinguishable
// without colour (greyscale print, colour-vision deficiency).
var glyphShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
}

// dashes varies the line dash pattern with the series index (solid, dashed, dotted, dash-dot), so lines
// stay apart in grey too; see dashPattern.
var dashes = [][]float64{nil, {6, 3}, {1.5, 2}, {6, 2, 1.5, 2}}

var (
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	black = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	grey  = color.NRGBA{0x77, 0x77, 0x77, 0xff}
	// missingColor fills heatmap cells without a measurement (NaN).
	missingColor = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// SeriesColor returns the colour of series (or group) i: the Okabe–Ito colour-blind-safe palette,
// repeated cyclically. All figures of this package use it, so the same index means the same colour
// across figures.
func SeriesColor(i int) color.Color {
	n := len(okabeIto)
	return okabeIto[((i%n)+n)%n]
}

// withAlpha returns c with its opacity replaced by a (0..1).
func withAlpha(c color.Color, a float64) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(255 * a))
	return n
}

// viridisAnchors are viridis(9) (matplotlib/R), a perceptually uniform, colour-blind-safe
// sequential map from dark purple (low) to yellow (high).
var viridisAnchors = []color.NRGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2D, 0x7B, 0xff}, {0x3B, 0x52, 0x8B, 0xff},
	{0x2C, 0x72, 0x8E, 0xff}, {0x21, 0x90, 0x8C, 0xff}, {0x27, 0xAD, 0x81, 0xff},
	{0x5D, 0xC8, 0x63, 0xff}, {0xAA, 0xDC, 0x32, 0xff}, {0xFD, 0xE7, 0x25, 0xff},
}

// Viridis returns the colour of the accuracy colour scale at t in [0, 1] (clamped), by linear
// interpolation between the nine viridis anchor colours. The heatmap maps accuracy a (%) to
// Viridis(a/100).
func Viridis(t float64) color.NRGBA {
	if math.IsNaN(t) {
		return missingColor
	}
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(viridisAnchors)-1)
	i := int(f)
	if i >= len(viridisAnchors)-1 {
		return viridisAnchors[len(viridisAnchors)-1]
	}
	u := f - float64(i)
	a, b := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}
