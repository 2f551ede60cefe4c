package figures

import (
	"bytes"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/plots/plottest"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// wellFormed fails the test unless the figure was made, renders cleanly with rsvg-convert (plottest.Check:
// nothing clipped, no overlapping text) and its SVG contains every string of want.
func wellFormed(t *testing.T, name string, fig *plots.Figure, err error, want ...string) {
	t.Helper()
	plottest.Check(t, name)(fig, err)
	if fig == nil {
		return
	}
	svg := fig.SVG()
	for _, w := range want {
		if !bytes.Contains(svg, []byte(w)) {
			t.Errorf("%s: SVG does not contain %q", name, w)
		}
	}
}

// curve returns a site curve whose accuracy falls from 90% to 10% with its midpoint at mid.
func curve(mode walk.Mode, site int, name string, mid float64) walk.SiteCurve {
	sig := []float64{0.01, 0.1, 1, 10, 100}
	c := analysis.Curve{Sigmas: sig}
	for _, s := range sig {
		a := 90.0
		if s > mid {
			a = 10
		}
		c.Acc = append(c.Acc, []float64{a})
	}
	m, _ := analysis.Midpoint(c, 90, 10, analysis.LogGrid)
	return walk.SiteCurve{Mode: mode, Site: site, Name: name, Curve: c, AMax: 90, AMin: 10, Mid: m}
}

func walkCurves() []walk.SiteCurve {
	return []walk.SiteCurve{
		curve(walk.Inference, 0, "0:input", 0.5), curve(walk.Inference, 1, "1:fc1", 2),
		curve(walk.Training, 0, "0:input", 5), curve(walk.Training, 1, "1:fc1", 3),
	}
}

func TestWalkFigures(t *testing.T) {
	cs := walkCurves()
	svg, err := Heatmap(cs, walk.Inference, "heat")
	wellFormed(t, "Heatmap", svg, err, "0:input", "1:fc1")
	svg, err = MidpointBars(cs, "bars")
	wellFormed(t, "MidpointBars", svg, err, "0:input", "1:fc1", "training")
	svg, err = AccuracyCurves(cs, walk.Training, "curves")
	wellFormed(t, "AccuracyCurves", svg, err, "1:fc1")
	svg, err = MidpointShift(cs, walk.Training, walk.Inference, "shift")
	wellFormed(t, "MidpointShift", svg, err, "0:input", "1:fc1")
	svg, err = CurvesByLabel([]Labeled{{Label: "mlp-x", Curves: cs}}, "by label")
	wellFormed(t, "CurvesByLabel", svg, err, "mlp-x, inference, 0:input")
	svg, err = SiteAccuracy([]Labeled{{Label: "mul", Curves: cs}, {Label: "add", Curves: cs[:1]}}, walk.Inference, "max")
	wellFormed(t, "SiteAccuracy", svg, err, "0:input", "1:fc1", "mul", "add")

	if _, err := Heatmap(cs, walk.Clean, "x"); err == nil {
		t.Error("Heatmap of a mode without curves: want an error")
	}
	if _, err := MidpointShift(cs[:2], walk.Training, walk.Inference, "x"); err == nil {
		t.Error("MidpointShift without training curves: want an error")
	}
	if _, err := CurvesByLabel(nil, "x"); err == nil {
		t.Error("CurvesByLabel of nothing: want an error")
	}
	if _, err := SiteAccuracy(nil, walk.Training, "x"); err == nil {
		t.Error("SiteAccuracy of nothing: want an error")
	}
}

func TestSweepLogBarsScatter(t *testing.T) {
	svg, err := Sweep([]float64{0.1, 1, 10}, []float64{90, 50, 10}, 91, 10, "5:conv2", "sweep")
	wellFormed(t, "Sweep", svg, err, "5:conv2")
	if _, err := Sweep([]float64{0.1, 1}, []float64{90}, 91, 10, "x", "x"); err == nil {
		t.Error("Sweep with fewer accuracies than σ: want an error")
	}
	svg, err = LogBars([]string{"nobn", "bn"}, []string{"global", "layer"}, [][]float64{{0.5, 0.3}, {1, math.NaN()}}, "log10 σ", "bars")
	wellFormed(t, "LogBars", svg, err, "nobn", "bn", "global")
	if _, err := LogBars([]string{"a"}, []string{"g"}, [][]float64{{-1}}, "y", "t"); err == nil {
		t.Error("LogBars of a negative value: want an error")
	}
	if _, err := LogBars([]string{"a"}, []string{"g", "h"}, [][]float64{{1}}, "y", "t"); err == nil {
		t.Error("LogBars with a missing value row: want an error")
	}
	svg, err = PredictedVsMeasured([]string{"mlp", "lenet"}, []float64{0.3, 0.5}, []float64{0.4, 0.45}, "p", "m", "scatter")
	wellFormed(t, "PredictedVsMeasured", svg, err, "mlp", "lenet")
	if _, err := PredictedVsMeasured(nil, nil, nil, "p", "m", "t"); err == nil {
		t.Error("PredictedVsMeasured of nothing: want an error")
	}
}

func TestMixedAndMultiExec(t *testing.T) {
	amps := []float64{0.1, 1, 10}
	cs := []walk.MixedCurve{
		{Mode: walk.Inference, Ratio: 0.5, Amplitudes: amps, Acc: []float64{90, 60, 10}, Mid: analysis.MidpointResult{Sigma: 2}},
		{Mode: walk.Inference, AddFirst: true, Ratio: 0.5, Amplitudes: amps, Acc: []float64{90, 40, 10}, Mid: analysis.MidpointResult{Sigma: 0.8}},
	}
	svg, err := MixedMap(cs, walk.Inference, "mixed")
	wellFormed(t, "MixedMap", svg, err, "mul→add r=0.5", "add→mul r=0.5")
	if _, err := MixedMap(cs, walk.Training, "x"); err == nil {
		t.Error("MixedMap of a mode without curves: want an error")
	}
	bad := append([]walk.MixedCurve{}, cs...)
	bad[1].Amplitudes = amps[:2]
	if _, err := MixedMap(bad, walk.Inference, "x"); err == nil {
		t.Error("MixedMap with different amplitude grids: want an error")
	}
	h, rows := MixedRows(cs)
	if len(h) != 4 || len(rows) != 1 || rows[0][1] != "0.5" || rows[0][2] == "—" || rows[0][3] == "—" {
		t.Errorf("MixedRows = %v %v: want one row for r=0.5 with both orders", h, rows)
	}

	res := []walk.ExecResult{{Policy: "global", Budget: 1, Mean: 50, Std: 2, N: 3}, {Policy: "global", Budget: 2, Mean: 60, Std: 1, N: 3},
		{Policy: "inverse_lin", Budget: 1, Mean: 51, N: 3}, {Policy: "inverse_lin", Budget: 2, Mean: 65, N: 3}}
	svg, err = MultiExec(res, "exec")
	wellFormed(t, "MultiExec", svg, err, "global", "inverse_lin")
	if _, err := MultiExec(nil, "x"); err == nil {
		t.Error("MultiExec of nothing: want an error")
	}
	if _, rows := ExecRows(res); len(rows) != 4 || rows[3][0] != "inverse_lin" || rows[3][2] != "65.0" {
		t.Errorf("ExecRows = %v", rows)
	}
	if _, rows := PairRows([]string{"a"}, "p", "m", []float64{2}, []float64{3}); rows[0][3] != "1.50" {
		t.Errorf("PairRows ratio = %v, want 1.50", rows[0][3])
	}
}

// run returns a dynamics run with fc1 weights of RMS rms per epoch and a clean signal power ms at site 0.
func run(sigma float64, rms []float64, ms float64) dynamics.Run {
	h, err := dynamics.NewWeightHistogram("fc1", []float32{-0.5, 0.25, 1, -1})
	if err != nil {
		panic(err)
	}
	r := dynamics.Run{Sigma: sigma, Spec: noise.Add(sigma), SignCopyAcc: math.NaN(), Histograms: []dynamics.WeightHistogram{h}}
	if sigma == 0 {
		r.Spec = noise.NoNoise()
	}
	for e, v := range rms {
		r.Epochs = append(r.Epochs, dynamics.EpochRecord{Epoch: e + 1,
			Layers: []dynamics.LayerStats{{Op: "fc1", WStats: analysis.WStats{RMS: v, MaxAbs: 1}}},
			Sites:  []train.SiteStat{{Site: 0, Name: "0:input", MeanSquare: ms, Elements: 4}}})
	}
	return r
}

func TestDynamicsFigures(t *testing.T) {
	runs := []dynamics.Run{run(0, []float64{0.1, 0.11}, 1), run(1, []float64{0.1, 0.2}, 100)}
	svg, err := WeightGrowth(runs, "fc1", "growth")
	wellFormed(t, "WeightGrowth", svg, err, "no noise", "σ=1")
	svg, err = LayerGrowth(runs, "layers")
	wellFormed(t, "LayerGrowth", svg, err, "fc1")
	svg, err = SNRGain(runs, 0, "snr")
	wellFormed(t, "SNRGain", svg, err, "noise-free model")
	svg, err = WeightHistograms(runs, "fc1", "hist")
	wellFormed(t, "WeightHistograms", svg, err, "no noise", "σ=1")

	if _, err := WeightGrowth(runs, "fc9", "x"); err == nil {
		t.Error("WeightGrowth of a missing layer: want an error")
	}
	if _, err := LayerGrowth(runs[1:], "x"); err == nil {
		t.Error("LayerGrowth without the noise-free run: want an error")
	}
	if _, err := SNRGain(runs, 3, "x"); err == nil {
		t.Error("SNRGain at a site without statistics: want an error")
	}
	twoSeeds := append([]dynamics.Run{}, runs...)
	twoSeeds[1].Seed = 2
	for name, f := range map[string]func() (*plots.Figure, error){
		"WeightGrowth": func() (*plots.Figure, error) { return WeightGrowth(twoSeeds, "fc1", "x") },
		"LayerGrowth":  func() (*plots.Figure, error) { return LayerGrowth(twoSeeds, "x") },
		"SNRGain":      func() (*plots.Figure, error) { return SNRGain(twoSeeds, 0, "x") },
	} {
		if _, err := f(); err == nil || !strings.Contains(err.Error(), "dynamics.OfSeed") {
			t.Errorf("%s of runs of two seeds: %v, want a refusal naming dynamics.OfSeed", name, err)
		}
	}
	if _, err := WeightHistograms(nil, "fc1", "x"); err == nil {
		t.Error("WeightHistograms of nothing: want an error")
	}
	runs[1].Seed = 7
	runs[1].Epochs[1].Layers[0].AtBound = 0.25
	h, rows := DynamicsRows(runs, "fc1", 0)
	if len(rows) != 2 || len(rows[1]) != len(h) || rows[1][4] != "0.2000" || rows[1][7] != "10" || rows[1][8] != "—" ||
		rows[1][9] != "7" || rows[1][10] != "25.0" {
		t.Errorf("DynamicsRows row = %v (header %v): want fc1 RMS 0.2000, site RMS 10, no sign copy, seed 7, 25.0%% at the bound", rows[1], h)
	}
	if !strings.Contains(strings.Join(h, ","), "fc1 RMS") {
		t.Errorf("DynamicsRows header %v lacks the layer", h)
	}
}

// TestREADMEFigure checks the figure the README shows: saved by this library (it carries the layout
// metadata) and rendering cleanly with rsvg-convert.
func TestREADMEFigure(t *testing.T) {
	svg, err := os.ReadFile("../../notebooks/img/walk-heatmap.svg")
	if err != nil {
		t.Fatal(err)
	}
	probs, _, err := plottest.Problems(svg)
	if err != nil {
		t.Fatalf("notebooks/img/walk-heatmap.svg: %v", err)
	}
	for _, p := range probs {
		t.Errorf("notebooks/img/walk-heatmap.svg: %s", p)
	}
}

// TestCensoredFigures: figures of censored midpoints draw them at their bound, marked as bounds, and tables
// print the bound, never an invented number (issue 14, fault 9).
func TestCensoredFigures(t *testing.T) {
	meas := analysis.MidpointResult{Sigma: 0.3, Bound: math.NaN()}
	cens := analysis.MidpointResult{Sigma: math.NaN(), Censored: analysis.Above, Bound: 100}
	svg, err := MidpointLogBars([]string{"a", "b"}, []string{"global"}, [][]analysis.MidpointResult{{meas, cens}}, "bars")
	wellFormed(t, "MidpointLogBars", svg, err, "censored (bound)", "&gt;") // one group: no legend entry for it
	svg, err = PredictedVsMidpoint([]string{"a", "b"}, []float64{0.2, 50}, []analysis.MidpointResult{meas, cens}, "p", "m", "pvm")
	wellFormed(t, "PredictedVsMidpoint", svg, err, "censored: drawn at its bound", "b &gt; 1e+02")
	_, rows := PredictionRows([]string{"a", "b"}, "pred", "meas", []float64{0.2, 50}, []analysis.MidpointResult{meas, cens})
	if rows[0][2] != "3.00e-01" || rows[0][3] != "1.5" || rows[1][2] != "> 1e+02" || rows[1][3] != "> 2" {
		t.Errorf("PredictionRows = %v", rows)
	}
}

// coded returns a run of noise ns and seed whose code's median level ratio after epoch e+1 is ratios[e].
func coded(ns noise.Spec, seed uint64, ratios ...float64) dynamics.Run {
	r := dynamics.Run{Spec: ns, Seed: seed}
	for e, v := range ratios {
		r.Epochs = append(r.Epochs, dynamics.EpochRecord{Epoch: e + 1, Codes: []dynamics.CodeStats{{MedianLevelRatio: v}}})
	}
	return r
}

func TestCodeEmergence(t *testing.T) {
	mul := noise.Mul(1e10)
	runs := []dynamics.Run{coded(mul, 1, 10, 100), coded(mul, 2, 1000, 10), coded(noise.NoNoise(), 1, 2, 2),
		coded(noise.NoNoise(), 2, 2, 2)}
	ratio := func(c dynamics.CodeStats) float64 { return c.MedianLevelRatio }
	ep, v, err := dynamics.CodeSeries(runs, mul, ratio)
	if err != nil || !slices.Equal(ep, []int{1, 2}) || len(v) != 2 || !slices.Equal(v[0], []float64{10, 1000}) || !slices.Equal(v[1], []float64{100, 10}) {
		t.Fatalf("CodeSeries = %v, %v, %v: want epochs [1 2], values [[10 1000] [100 10]]", ep, v, err)
	}
	sparse := []dynamics.Run{coded(mul, 1, 10, 100), coded(mul, 2, 1000, 10)}
	sparse[1].Epochs[1].Epoch = 10 // the second run recorded epochs 1 and 10
	if _, _, err := dynamics.CodeSeries(sparse, mul, ratio); err == nil {
		t.Error("runs recorded at different epochs: want an error")
	}
	fig, err := CodeEmergence(runs, ratio, "median level ratio", "code", true)
	wellFormed(t, "CodeEmergence", fig, err, mul.String(), "none")
	if _, err := CodeEmergence(runs[:1], ratio, "r", "one run", false); err != nil {
		t.Errorf("one run (no band): %v", err)
	}
	bad := append(runs, coded(noise.Add(1), 1, 0, 1))
	if _, err := CodeEmergence(bad, ratio, "r", "zero on log", true); err == nil {
		t.Error("a zero ratio on a log axis: want an error")
	}
	if _, _, err := dynamics.CodeSeries([]dynamics.Run{{Spec: mul, Epochs: []dynamics.EpochRecord{{Epoch: 1}}}}, mul, ratio); err == nil {
		t.Error("runs without code records: want an error")
	}
	if _, _, err := dynamics.CodeSeries(runs, noise.Add(3), ratio); err == nil {
		t.Error("no run of that noise: want an error")
	}
}

func TestSiteRows(t *testing.T) {
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	h, rows := SiteRows(m)
	if len(h) != 4 || len(rows) != 11 || rows[0][0] != "0:input" || rows[0][3] != "784" || rows[2][1] != "batchnorm" {
		t.Errorf("SiteRows = %v, first rows %v", h, rows[:3])
	}
}
