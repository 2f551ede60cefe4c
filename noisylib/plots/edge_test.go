package plots

import (
	"math"
	"testing"
)

func TestDegenerateInputsDraw(t *testing.T) {
	for name, f := range map[string]func() (*Figure, error){
		"line one point log": func() (*Figure, error) {
			return Lines(LineData{Series: []Series{{X: []float64{10}, Y: []float64{5}}}, LogX: true, LogY: true})
		},
		"line flat": func() (*Figure, error) {
			return Lines(LineData{Series: []Series{{X: []float64{1, 2}, Y: []float64{5, 5}}}})
		},
		"heatmap 1x1": func() (*Figure, error) {
			return Heatmap(HeatmapData{Sites: []string{"a"}, Sigmas: []float64{1}, Acc: [][]float64{{50}},
				Midpoints: []Midpoint{{Censor: CensoredBelow}}})
		},
		"scatter one point": func() (*Figure, error) {
			return Scatter(ScatterData{Log: true, Groups: []ScatterGroup{{X: []float64{3}, Y: []float64{3}}}})
		},
		"bars all nan": func() (*Figure, error) {
			return Bars(BarData{Sites: []string{"a"}, Groups: []BarGroup{{Values: []float64{math.NaN()}}}})
		},
		"hist one value": func() (*Figure, error) {
			return Histograms(HistData{Groups: []HistGroup{{Values: []float64{2}}}, SmallMultiples: true})
		},
	} {
		svg, err := f()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		parseSVG(t, svg)
	}
}
