package plots

import (
	"math"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// affine is the 2-D transform x' = a·x + c·y + e, y' = b·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

// then returns the transform that applies u in t's frame (t · u), as a canvas does for Rotate or Translate
// after earlier transforms.
func (t affine) then(u affine) affine {
	return affine{
		a: t.a*u.a + t.c*u.b, b: t.b*u.a + t.d*u.b,
		c: t.a*u.c + t.c*u.d, d: t.b*u.c + t.d*u.d,
		e: t.a*u.e + t.c*u.f + t.e, f: t.b*u.e + t.d*u.f + t.f,
	}
}

func (t affine) apply(x, y float64) (float64, float64) {
	return t.a*x + t.c*y + t.e, t.b*x + t.d*y + t.f
}

// recorder is a vg.Canvas that passes every call on to the canvas it wraps and records, in the SVG frame
// (y down), the box of every string drawn and the data areas the figure code marks with markArea.
type recorder struct {
	vg.Canvas
	height float64 // canvas height in points, to flip y
	stack  []affine
	texts  []TextBox
	areas  [][4]float64
	fills  []fill          // every FillString call, for anchorSVG
	align  text.XAlignment // alignment of the text being drawn, set by anchoredText
}

func newRecorder(c vg.Canvas, h vg.Length) *recorder {
	return &recorder{Canvas: c, height: h.Points(), stack: []affine{identity}}
}

func (r *recorder) top() *affine { return &r.stack[len(r.stack)-1] }

// Rotate implements vg.Canvas.
func (r *recorder) Rotate(rad float64) {
	s, c := math.Sincos(rad)
	*r.top() = r.top().then(affine{a: c, b: s, c: -s, d: c})
	r.Canvas.Rotate(rad)
}

// Translate implements vg.Canvas.
func (r *recorder) Translate(pt vg.Point) {
	*r.top() = r.top().then(affine{a: 1, d: 1, e: pt.X.Points(), f: pt.Y.Points()})
	r.Canvas.Translate(pt)
}

// Scale implements vg.Canvas.
func (r *recorder) Scale(x, y float64) {
	*r.top() = r.top().then(affine{a: x, d: y})
	r.Canvas.Scale(x, y)
}

// Push implements vg.Canvas.
func (r *recorder) Push() {
	r.stack = append(r.stack, *r.top())
	r.Canvas.Push()
}

// Pop implements vg.Canvas.
func (r *recorder) Pop() {
	if len(r.stack) > 1 {
		r.stack = r.stack[:len(r.stack)-1]
	}
	r.Canvas.Pop()
}

// textTop is the top of a text box above the baseline, in em: the height of Latin ascenders and capitals
// with accents (0.68–0.73 em in Liberation Serif), below the font's full ascent (0.89 em), so that the boxes of
// lines set one em apart do not overlap.
const textTop = 0.75

// FillString implements vg.Canvas.
func (r *recorder) FillString(f font.Face, pt vg.Point, str string) {
	r.Canvas.FillString(f, pt, str)
	w := f.Width(str).Points()
	r.fills = append(r.fills, fill{x: pt.X.Points(), w: w, align: r.align})
	if strings.TrimSpace(str) == "" {
		return // no ink
	}
	x0, y0 := pt.X.Points(), pt.Y.Points()-f.Extents().Descent.Points()
	x1, y1 := x0+w, pt.Y.Points()+textTop*f.Font.Size.Points()
	var q [4][2]float64
	for i, p := range [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} {
		x, y := r.top().apply(p[0], p[1])
		q[i] = [2]float64{round2(x), round2(r.height - y)}
	}
	r.texts = append(r.texts, TextBox{Text: str, Quad: q})
}

// round2 rounds to 0.01 pt, to keep the SVG metadata short.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// markArea records rect of dc as a data area when dc draws on a recorder.
func markArea(dc draw.Canvas, rect vg.Rectangle) {
	r, ok := dc.Canvas.(*recorder)
	if !ok {
		return
	}
	x0, y0 := r.top().apply(rect.Min.X.Points(), rect.Min.Y.Points())
	x1, y1 := r.top().apply(rect.Max.X.Points(), rect.Max.Y.Points())
	r.areas = append(r.areas, [4]float64{round2(math.Min(x0, x1)), round2(r.height - math.Max(y0, y1)),
		round2(math.Max(x0, x1)), round2(r.height - math.Min(y0, y1))})
}
