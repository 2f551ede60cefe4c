package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cellOverlap extends every inner cell edge so that anti-aliasing leaves no hairline seams
// between neighbouring cells.
const cellOverlap = 0.3 // points

// cells is a plot.Plotter drawing a grid of coloured rectangles, one per (row, column). Column j
// is centred on xs[j] and spans halfway to its neighbours; row i is centred on y = n-1-i so that
// row 0 is at the top.
type cells struct {
	edges []float64   // len(xs)+1 column edges
	acc   [][]float64 // acc[row][col], percent; NaN = missing
}

// newCells returns the cell grid for columns at xs (strictly increasing) and values acc.
func newCells(xs []float64, acc [][]float64) cells {
	n := len(xs)
	e := make([]float64, n+1)
	if n == 1 {
		e[0], e[1] = xs[0]-0.5, xs[0]+0.5
	} else {
		e[0] = xs[0] - (xs[1]-xs[0])/2
		for j := 1; j < n; j++ {
			e[j] = (xs[j-1] + xs[j]) / 2
		}
		e[n] = xs[n-1] + (xs[n-1]-xs[n-2])/2
	}
	return cells{edges: e, acc: acc}
}

// DataRange implements plot.DataRanger: the outer cell edges.
func (g cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return g.edges[0], g.edges[len(g.edges)-1], -0.5, float64(len(g.acc)) - 0.5
}

// Plot implements plot.Plotter.
func (g cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(g.acc)
	ov := vg.Points(cellOverlap)
	for i, row := range g.acc {
		y := float64(n - 1 - i)
		y0, y1 := trY(y-0.5), trY(y+0.5)
		if i > 0 {
			y1 += ov
		}
		for j, a := range row {
			x0, x1 := trX(g.edges[j]), trX(g.edges[j+1])
			if j < len(row)-1 {
				x1 += ov
			}
			var pa vg.Path
			pa.Move(vg.Point{X: x0, Y: y0})
			pa.Line(vg.Point{X: x1, Y: y0})
			pa.Line(vg.Point{X: x1, Y: y1})
			pa.Line(vg.Point{X: x0, Y: y1})
			pa.Close()
			c.SetColor(Viridis(a / 100))
			c.Fill(pa)
		}
	}
}
