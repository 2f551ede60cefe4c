package plots

import (
	"fmt"
	"math"
)

// EdgeBand is the width (points) of the outer band of the canvas that must stay blank: text reaching into
// it is reported by [Layout.Problems] as clipped, and scripts/check_notebook.py and the package's rendering
// test look for ink there in the rendered image.
const EdgeBand = 2.0

// overlapSlack is how far (points) two text boxes may reach into each other before they count as
// overlapping: rounding of the recorded coordinates and glyph side bearings, far below a letter's width.
const overlapSlack = 0.3

// Problems returns what is wrong with a layout, one sentence per problem, or nil:
//   - text outside the canvas or inside its outer band of EdgeBand points (it would be clipped);
//   - two text boxes that overlap;
//   - text that lies mostly outside a data area but reaches into it (an axis or legend label crossing into
//     the plot; annotations drawn inside the data area are allowed there).
//
// The same rules are implemented by scripts/check_notebook.py for the figures of saved notebooks.
func (l Layout) Problems() []string {
	var out []string
	for _, t := range l.Texts {
		for _, p := range t.Quad {
			if p[0] < EdgeBand || p[0] > l.Width-EdgeBand || p[1] < EdgeBand || p[1] > l.Height-EdgeBand {
				out = append(out, fmt.Sprintf("text %q reaches (%.1f, %.1f), within %g pt of the edge of the %.0f × %.0f pt canvas",
					t.Text, p[0], p[1], EdgeBand, l.Width, l.Height))
				break
			}
		}
	}
	for i, a := range l.Texts {
		for _, b := range l.Texts[i+1:] {
			if quadsOverlap(a.Quad, b.Quad, overlapSlack) {
				out = append(out, fmt.Sprintf("texts %q and %q overlap", a.Text, b.Text))
			}
		}
	}
	for _, t := range l.Texts {
		cx, cy := quadCentre(t.Quad)
		for _, r := range l.Areas {
			inside := cx > r[0] && cx < r[2] && cy > r[1] && cy < r[3]
			rq := [4][2]float64{{r[0], r[1]}, {r[2], r[1]}, {r[2], r[3]}, {r[0], r[3]}}
			if !inside && quadsOverlap(t.Quad, rq, overlapSlack) {
				out = append(out, fmt.Sprintf("text %q crosses into the data area [%.1f, %.1f]×[%.1f, %.1f]",
					t.Text, r[0], r[2], r[1], r[3]))
			}
		}
	}
	return out
}

func quadCentre(q [4][2]float64) (float64, float64) {
	return (q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4
}

// quadsOverlap reports whether two convex quadrilaterals overlap by more than slack along every
// separating-axis candidate (the edge normals of both).
func quadsOverlap(p, q [4][2]float64, slack float64) bool {
	for _, poly := range [2][4][2]float64{p, q} {
		for i := range 4 {
			a, b := poly[i], poly[(i+1)%4]
			nx, ny := -(b[1] - a[1]), b[0]-a[0]
			n := math.Hypot(nx, ny)
			if n == 0 {
				continue
			}
			nx, ny = nx/n, ny/n
			pmin, pmax := project(p, nx, ny)
			qmin, qmax := project(q, nx, ny)
			if pmax-slack <= qmin || qmax-slack <= pmin {
				return false
			}
		}
	}
	return true
}

func project(q [4][2]float64, nx, ny float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		v := p[0]*nx + p[1]*ny
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}
