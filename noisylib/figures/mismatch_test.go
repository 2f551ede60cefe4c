package figures

import (
	"math"
	"slices"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestMismatch: the heat map's rows are the training σ, its columns the evaluation σ on the axis (σ_b = 0 left
// out on a log grid, kept on a linear one) with the map's values; the table holds every value.
func TestMismatch(t *testing.T) {
	m := walk.MismatchMap{Site: 3, Name: "3:relu1", TrainSigmas: []float64{0, 1}, EvalSigmas: []float64{0, 0.1, 1},
		Acc: [][]float64{{98, 90, 20}, {97, 95, math.NaN()}}, Grid: analysis.LogGrid}
	h, err := mismatchData(m, "m")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Sigmas, []float64{0.1, 1}) || !slices.Equal(h.Sites, []string{"σ_a = 0", "σ_a = 1"}) ||
		!slices.Equal(h.Acc[0], []float64{90, 20}) || h.Acc[1][0] != 95 || !math.IsNaN(h.Acc[1][1]) || h.LinearX {
		t.Errorf("log grid: %+v", h)
	}
	fig, err := Mismatch(m, "site 3: trained at σ_a, evaluated at σ_b")
	wellFormed(t, "Mismatch", fig, err, "σ_a = 1", "evaluation σ_b")
	m.Grid = analysis.LinearGrid
	if h, _ := mismatchData(m, "m"); !slices.Equal(h.Sigmas, m.EvalSigmas) || !h.LinearX || h.Acc[0][0] != 98 {
		t.Errorf("linear grid: %+v", h)
	}
	if _, err := Mismatch(walk.MismatchMap{Name: "x", TrainSigmas: []float64{1}, EvalSigmas: []float64{0}}, "x"); err == nil {
		t.Error("a map with only σ_b = 0 on a log grid: want an error")
	}
	header, rows := MismatchRows(m)
	if !slices.Equal(header, []string{"σ_a \\ σ_b", "0", "0.1", "1"}) || !slices.Equal(rows[1], []string{"1", "97.0", "95.0", "—"}) {
		t.Errorf("MismatchRows = %v %v", header, rows)
	}
}
