package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// A figure is shown inline in notebooks as SVG and saved for a paper by extension.
func ExampleFigure_Save() {
	fig, err := plots.Heatmap(plots.HeatmapData{
		Options:   plots.Options{Title: "MLP-TFC / MNIST, inference-only GaussAdd"},
		Sites:     []string{"0:input", "1:fc1", "2:bn1"},
		Sigmas:    []float64{0.01, 0.1, 1, 10},
		Acc:       [][]float64{{98, 97, 60, 10}, {98, 80, 12, 10}, {98, 98, 97, 90}},
		Midpoints: []plots.Midpoint{{Sigma: 1.2}, {Sigma: 0.3}, {Censor: plots.CensoredAbove}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "figs")
	defer os.RemoveAll(dir)
	for _, name := range []string{"heatmap.svg", "heatmap.pdf", "heatmap.png"} {
		if err := fig.Save(filepath.Join(dir, name)); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(fig.Save("heatmap.jpg"))
	fmt.Println(len(fig.Layout().Problems()), "layout problems")
	// Output:
	// plots: cannot save "heatmap.jpg": unknown extension ".jpg" (use .svg, .pdf or .png)
	// 0 layout problems
}
