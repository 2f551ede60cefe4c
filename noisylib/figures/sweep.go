package figures

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// Sweep draws the accuracy of one model against σ at one site (log σ axis, labelled "σ at <label>"), with
// dashed reference lines at the clean accuracy, the midpoint threshold (clean + chance)/2 and chance.
func Sweep(sigmas, acc []float64, clean, chance float64, label, title string) (*plots.Figure, error) {
	if len(sigmas) == 0 || len(acc) != len(sigmas) {
		return nil, fmt.Errorf("figures: sweep needs one accuracy per σ, got %d σ and %d accuracies", len(sigmas), len(acc))
	}
	return plots.Lines(plots.LineData{Options: plots.Options{Title: title, XLabel: "σ at " + label, YLabel: "accuracy (%)"},
		LogX: spansRange(sigmas), Markers: true, HLines: []float64{clean, (clean + chance) / 2, chance},
		Series: []plots.Series{{Name: label, X: sigmas, Y: acc}}})
}
