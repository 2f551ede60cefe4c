package plots

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// demoSites are the noise sites of an MLP-TFC with BN, as the notebooks name them.
var demoSites = []string{"0:input", "1:fc1", "2:bn1", "3:relu1", "4:fc2", "5:bn2", "6:relu2",
	"7:fc3", "8:bn3", "9:relu3", "10:logits"}

// demoCurve is a logistic accuracy curve falling from 98 % to 10 % around log10 σ = mid.
func demoCurve(sigma, mid float64) float64 {
	return 10 + 88/(1+math.Exp(3*(math.Log10(sigma)-mid)))
}

// TestDemo writes example figures for visual inspection when PLOTS_DEMO_DIR is set, e.g.
//
//	PLOTS_DEMO_DIR=/tmp/plots-demo go test ./noisylib/plots -run Demo
func TestDemo(t *testing.T) {
	dir := os.Getenv("PLOTS_DEMO_DIR")
	if dir == "" {
		t.Skip("set PLOTS_DEMO_DIR to write example figures")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, svg []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var sigmas []float64
	for k := -8; k <= 32; k++ { // 1e-2 … 1e8, 4 per decade
		sigmas = append(sigmas, math.Pow(10, float64(k)/4))
	}
	mids := []float64{-0.3, 0.4, 0.1, 0.2, 0.9, 0.5, 0.6, 1.3, 9, 9, -3}
	acc := make([][]float64, len(demoSites))
	mp := make([]Midpoint, len(demoSites))
	for i := range demoSites {
		acc[i] = make([]float64, len(sigmas))
		for j, s := range sigmas {
			acc[i][j] = demoCurve(s, mids[i])
		}
		switch {
		case mids[i] > 8:
			mp[i] = Midpoint{Censor: CensoredAbove}
		case mids[i] < -2:
			mp[i] = Midpoint{Censor: CensoredBelow}
		default:
			mp[i] = Midpoint{Sigma: math.Pow(10, mids[i])}
		}
	}
	acc[4][10] = math.NaN()
	svg, err := Heatmap(HeatmapData{
		Options: Options{Title: "MLP-TFC / MNIST, GaussAdd, inference-only"},
		Sites:   demoSites, Sigmas: sigmas, Acc: acc, Midpoints: mp,
	})
	write("heatmap.svg", svg, err)

	// Bars: log10 midpoints, inference-only vs noisy training, with CIs and censoring.
	inf := BarGroup{Name: "inference-only", Values: make([]float64, len(demoSites)),
		Low: make([]float64, len(demoSites)), High: make([]float64, len(demoSites)),
		Censor: make([]Censoring, len(demoSites))}
	tr := BarGroup{Name: "noisy training", Values: make([]float64, len(demoSites)),
		Censor: make([]Censoring, len(demoSites))}
	for i, m := range mids {
		v := math.Max(-2, math.Min(8, m))
		inf.Values[i], inf.Low[i], inf.High[i] = v, v-0.15, v+0.2
		tr.Values[i] = math.Min(8, v+1+rng.Float64())
		inf.Censor[i], tr.Censor[i] = mp[i].Censor, mp[i].Censor
		if tr.Values[i] == 8 {
			tr.Censor[i] = CensoredAbove
		}
	}
	svg, err = Bars(BarData{
		Options: Options{Title: "Midpoint noise level per site", YLabel: "log10 σ_mid"},
		Sites:   demoSites, Groups: []BarGroup{inf, tr},
	})
	write("bars.svg", svg, err)

	// Lines: accuracy vs σ with bands, log x, reference lines.
	var series []Series
	for _, i := range []int{0, 3, 6, 7} {
		s := Series{Name: demoSites[i]}
		for _, sg := range sigmas[:25] {
			a := demoCurve(sg, mids[i])
			s.X, s.Y = append(s.X, sg), append(s.Y, a)
			s.Low, s.High = append(s.Low, math.Max(0, a-3)), append(s.High, math.Min(100, a+3))
		}
		series = append(series, s)
	}
	svg, err = Lines(LineData{
		Options: Options{Title: "Accuracy vs σ (mean ± sd over 3 repetitions)", XLabel: "σ", YLabel: "accuracy (%)"},
		Series:  series, LogX: true, Markers: true, HLines: []float64{10, 54},
	})
	write("lines.svg", svg, err)

	// Lines: SNR per epoch with error bars, log y.
	var snr []Series
	for k, name := range []string{"σ_train = 0.1", "σ_train = 1", "σ_train = 10"} {
		s := Series{Name: name}
		for e := 1; e <= 20; e++ {
			v := math.Pow(10, float64(k)) * (1 + float64(e)/5)
			s.X, s.Y = append(s.X, float64(e)), append(s.Y, v)
			s.Low, s.High = append(s.Low, v*0.8), append(s.High, v*1.25)
		}
		snr = append(snr, s)
	}
	svg, err = Lines(LineData{
		Options: Options{Title: "SNR at 3:relu1 per epoch", XLabel: "epoch", YLabel: "E[x²]/σ²"},
		Series:  snr, LogY: true, ErrorBars: true, Markers: true,
	})
	write("lines_snr.svg", svg, err)

	// Histograms: weights, overlaid and small multiples.
	var groups []HistGroup
	for k, name := range []string{"σ = 0", "σ = 1", "σ = 1e10 (binarized)"} {
		g := HistGroup{Name: name}
		for n := 0; n < 3000; n++ {
			v := rng.NormFloat64() * 0.1 * float64(k+1)
			if k == 2 {
				v = 0.8*float64(2*(n%2)-1) + rng.NormFloat64()*0.05
			}
			g.Values = append(g.Values, v)
		}
		groups = append(groups, g)
	}
	svg, err = Histograms(HistData{Options: Options{Title: "fc2 weights", XLabel: "w"}, Groups: groups, Bins: 60, Density: true})
	write("hist.svg", svg, err)
	svg, err = Histograms(HistData{Options: Options{Title: "fc2 weights", XLabel: "w"}, Groups: append(groups, groups[0]), SmallMultiples: true})
	write("hist_multi.svg", svg, err)

	// Scatter: predicted vs measured global midpoints.
	svg, err = Scatter(ScatterData{
		Options: Options{Title: "Global midpoint: parallel-resistor prediction vs measured"},
		Log:     true,
		Groups: []ScatterGroup{
			{Name: "MLP-TFC", X: []float64{0.2, 0.35, 0.5}, Y: []float64{0.25, 0.3, 0.61}, Labels: []string{"MNIST", "FMNIST", "CIFAR"}},
			{Name: "LeNet-5", X: []float64{0.05, 0.12, 0.3}, Y: []float64{0.04, 0.15, 0.2}},
		},
	})
	write("scatter.svg", svg, err)

	// A small linear-grid heatmap (multiplicative sweep) without a title.
	svg, err = Heatmap(HeatmapData{
		Sites: []string{"0:input", "3:relu1", "9:logits"}, Sigmas: []float64{0, 0.5, 1, 1.5},
		Acc:       [][]float64{{98, 90, 40, 12}, {98, 97, 95, 93}, {98, 30, 11, 10}},
		Midpoints: []Midpoint{{Sigma: 0.9}, {Censor: CensoredAbove}, {Sigma: 0.4}},
		LinearX:   true, Options: Options{XLabel: "σ (GaussMul)"},
	})
	write("heatmap_small.svg", svg, err)
}
