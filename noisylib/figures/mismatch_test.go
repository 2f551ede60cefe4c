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

// TestEvalCurves: one line per labelled map at the row σ_a, over σ_b > 0, with a band from the repetitions.
func TestEvalCurves(t *testing.T) {
	m := walk.MismatchMap{Name: "global", TrainSigmas: []float64{0.3}, EvalSigmas: []float64{0, 0.1, 1}, AMin: 10,
		Reps: []int{0, 1}, PerRep: [][][]float64{{{98, 97}, {90, 92}, {40, 44}}}}
	other := m
	other.PerRep = [][][]float64{{{97, 97}, {93, 93}, {60, 62}}}
	fig, err := EvalCurves([]LabeledMap{{"constant", m}, {"ramp (5 epochs)", other}}, 0.3, "schedules")
	wellFormed(t, "EvalCurves", fig, err, "constant", "ramp (5 epochs)", "evaluation σ_b")
	if _, err := EvalCurves([]LabeledMap{{"constant", m}}, 1, "x"); err == nil {
		t.Error("a σ_a the map lacks: want an error")
	}
}
