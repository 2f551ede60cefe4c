package figures

import (
	"fmt"
	"math"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// Mismatch draws a mismatch plan's map at one site (walk.MismatchMaps) as a heat map: one row per training σ_a
// (top: the smallest), columns the evaluation σ_b on the plan's spacing, colour the mean accuracy over
// repetitions. On a log grid the σ_b = 0 column (evaluation without noise) has no place on the axis and is left
// out; MismatchRows lists every value.
func Mismatch(m walk.MismatchMap, title string) (*plots.Figure, error) {
	h, err := mismatchData(m, title)
	if err != nil {
		return nil, err
	}
	return plots.Heatmap(h)
}

// mismatchData returns the heat map of a mismatch map (see Mismatch).
func mismatchData(m walk.MismatchMap, title string) (plots.HeatmapData, error) {
	h := plots.HeatmapData{Options: plots.Options{Title: title, XLabel: "evaluation σ_b", YLabel: "training σ_a"},
		LinearX: m.Grid == analysis.LinearGrid}
	var cols []int
	for j, s := range m.EvalSigmas {
		if h.LinearX || s > 0 {
			cols = append(cols, j)
			h.Sigmas = append(h.Sigmas, s)
		}
	}
	if len(m.TrainSigmas) == 0 || len(cols) == 0 {
		return h, fmt.Errorf("figures: mismatch map of site %s has no cells to draw (%d training σ, %d evaluation σ on its axis)",
			m.Name, len(m.TrainSigmas), len(cols))
	}
	for i, a := range m.TrainSigmas {
		h.Sites = append(h.Sites, fmt.Sprintf("σ_a = %g", a))
		row := make([]float64, len(cols))
		for k, j := range cols {
			row[k] = m.Acc[i][j]
		}
		h.Acc = append(h.Acc, row)
	}
	return h, nil
}

// MismatchRows returns a table of a mismatch map: one row per training σ_a, one column per evaluation σ_b, each
// cell the mean accuracy (%) over repetitions ("—" where none is stored).
func MismatchRows(m walk.MismatchMap) (header []string, rows [][]string) {
	header = []string{"σ_a \\ σ_b"}
	for _, b := range m.EvalSigmas {
		header = append(header, fmt.Sprintf("%g", b))
	}
	for i, a := range m.TrainSigmas {
		row := []string{fmt.Sprintf("%g", a)}
		for _, v := range m.Acc[i] {
			cell := "—"
			if !math.IsNaN(v) {
				cell = fmt.Sprintf("%.1f", v)
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// LabeledMap is a mismatch map with a label, e.g. the training schedule that produced it.
type LabeledMap struct {
	Label string
	Map   walk.MismatchMap
}

// EvalCurves draws, for every labelled map, the accuracy of the models trained at σ_a = sigmaA versus the
// evaluation σ_b (log axis; σ_b = 0 left out): the mean over repetitions with its 95% Student-t band, and the
// chance level as a reference line. It compares trainings (e.g. noise schedules) over a range of deployment
// noise.
func EvalCurves(sets []LabeledMap, sigmaA float64, title string) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "evaluation σ_b", YLabel: "accuracy (%)"}, LogX: true,
		Markers: true}
	for _, s := range sets {
		i, ok := s.Map.Row(sigmaA)
		if !ok {
			return nil, fmt.Errorf("figures: map %q has no training σ_a = %g", s.Label, sigmaA)
		}
		if !slices.Contains(l.HLines, s.Map.AMin) {
			l.HLines = append(l.HLines, s.Map.AMin)
		}
		sr := plots.Series{Name: s.Label}
		for j, sb := range s.Map.EvalSigmas {
			if sb <= 0 {
				continue
			}
			iv, err := analysis.MeanCI(s.Map.PerRep[i][j], 0.95)
			if err != nil {
				return nil, fmt.Errorf("figures: map %q at σ_b = %g: %w", s.Label, sb, err)
			}
			addMean(&sr, sb, iv)
		}
		l.Series = append(l.Series, banded(sr))
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no maps to draw")
	}
	return plots.Lines(l)
}
