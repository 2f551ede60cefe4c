package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	. "github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/plots/plottest"
)

// demoSites are the noise sites of an MLP-TFC with BN, as the notebooks name them.
var demoSites = []string{"0:input", "1:fc1", "2:bn1", "3:relu1", "4:fc2", "5:bn2", "6:relu2",
	"7:fc3", "8:bn3", "9:relu3", "10:logits"}

// demoCurve is a logistic accuracy curve falling from 98 % to 10 % around log10 σ = mid.
func demoCurve(sigma, mid float64) float64 {
	return 10 + 88/(1+math.Exp(3*(math.Log10(sigma)-mid)))
}

// TestRenderEveryKind renders every kind of figure — with long labels, many series, censored values and a
// single series — to PNG with rsvg-convert and fails on clipped ink, overlapping text or labels crossing into
// the plot (plottest.Check). To look at the figures:
//
//	PLOTS_RENDER_DIR=/tmp/plots go test ./noisylib/plots -run RenderEveryKind
func TestRenderEveryKind(t *testing.T) {
	everyKind(t, func(name string) func(*Figure, error) { return plottest.Check(t, name) })
	hardCases(t, func(name string) func(*Figure, error) { return plottest.Check(t, name) })
}

// TestRenderWithWiderFont renders every figure as a reader without the Liberation fonts sees it:
// fontconfig substitutes DejaVu Serif, about 15 % wider. Text then overruns its measured boxes, but
// centred and right-aligned text is anchored in the SVG and legends have slack, so nothing reaches the
// edge of the canvas.
func TestRenderWithWiderFont(t *testing.T) {
	check := func(name string) func(*Figure, error) {
		return func(fig *Figure, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			svg := regexp.MustCompile(`font-family:[^;"]*;`).ReplaceAll(fig.SVG(), []byte("font-family:'DejaVu Serif';"))
			img, err := plottest.Render(svg)
			if err != nil {
				t.Fatal(err)
			}
			if n, p := plottest.InkInBand(img, 2); n > 0 {
				t.Errorf("%s in DejaVu Serif: %d pixels of ink at the edge, first at %v", name, n, p)
			}
		}
	}
	everyKind(t, check)
	hardCases(t, check)
}

// everyKind makes one figure of every kind with demo data and hands each to check(name).
func everyKind(t *testing.T, check func(name string) func(*Figure, error)) {
	write := func(name string, fig *Figure, err error) {
		t.Helper()
		check(strings.TrimSuffix(name, ".svg"))(fig, err)
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

// hardCases makes figures built to break a layout — long titles, axis labels and legend entries, many
// series and rows, censored values at both ends, single series — and hands each to check(name).
func hardCases(t *testing.T, check func(name string) func(*Figure, error)) {
	long := "MLP-TFC (BN) on Fashion-MNIST: accuracy (%) under combined multiplicative and additive noise, both orders"
	var rows []string
	var acc [][]float64
	var mids []Midpoint
	amps := []float64{1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000}
	for _, order := range []string{"mul→add", "add→mul"} {
		for k, r := range []float64{0.01, 0.1, 0.5, 0.9, 0.99} {
			rows = append(rows, fmt.Sprintf("%s r=%g", order, r))
			row := make([]float64, len(amps))
			for j, a := range amps {
				row[j] = demoCurve(a, float64(k)-1)
			}
			acc = append(acc, row)
			mids = append(mids, Midpoint{Sigma: math.Pow(10, float64(k)-1)})
		}
	}
	mids[0] = Midpoint{Censor: CensoredBelow}
	mids[len(mids)-1] = Midpoint{Censor: CensoredAbove}
	check("hard_heatmap")(Heatmap(HeatmapData{
		Options: Options{Title: long, XLabel: "amplitude A  (σ_add = A·r, σ_mul = A·(1−r))", YLabel: "order, additive share r"},
		Sites:   rows, Sigmas: amps, Acc: acc, Midpoints: mids, Breaks: []int{5},
	}))
	check("hard_heatmap_one_row")(Heatmap(HeatmapData{
		Options: Options{Title: long}, Sites: []string{"10:logits"}, Sigmas: amps, Acc: acc[:1],
		Midpoints: []Midpoint{{Censor: CensoredBelow}},
	}))

	one := BarGroup{Name: "training vs inference", Values: make([]float64, len(demoSites)), Censor: make([]Censoring, len(demoSites))}
	for i := range demoSites {
		one.Values[i] = math.Sin(float64(i)) * 2
	}
	one.Censor[3], one.Censor[9] = CensoredAbove, CensoredBelow
	check("hard_bars_one_group")(Bars(BarData{
		Options: Options{Title: "mlp-tfc-bn: midpoint gain from noisy training, per noise site, with censored bounds",
			XLabel: "noise site", YLabel: "log10 σ_mid(training) / σ_mid(inference)"},
		Sites: demoSites, Groups: []BarGroup{one},
	}))
	variants := []string{"mlp-tfc-nobn", "mlp-tfc-bn", "mlp-tfc-bn-nonoise"}
	var groups []BarGroup
	for g, name := range []string{"smallest layer-wise (inference)", "global, inference-only", "global, noisy training"} {
		groups = append(groups, BarGroup{Name: name, Values: []float64{-0.5 + float64(g)*0.3, 0.2, 0.7 - float64(g)}})
	}
	check("hard_bars_long_legend")(Bars(BarData{
		Options: Options{Title: "global vs layer-wise midpoints", YLabel: "log10 midpoint σ"},
		Sites:   variants, Groups: groups,
	}))

	var series []Series
	sig := []float64{1e-2, 1e-1, 1, 10, 100}
	for _, v := range variants {
		for _, mode := range []string{"inference", "training"} {
			for k := range 2 {
				s := Series{Name: fmt.Sprintf("%s, %s, %d:site", v, mode, k)}
				for _, x := range sig {
					s.X, s.Y = append(s.X, x), append(s.Y, demoCurve(x, float64(len(series))/6-0.5))
				}
				series = append(series, s)
			}
		}
	}
	check("hard_lines_many")(Lines(LineData{
		Options: Options{Title: "global additive noise: accuracy vs σ at every site", XLabel: "σ", YLabel: "accuracy (%)"},
		Series:  series, LogX: true, Markers: true, HLines: []float64{10},
	}))
	check("hard_lines_one")(Lines(LineData{
		Options: Options{Title: "lenet5-bn trained with σ=0.5 at site 5:conv2: accuracy vs evaluation σ, one noise draw per test example",
			XLabel: "σ", YLabel: "accuracy (%)"},
		Series: series[:1], LogX: true, Markers: true, HLines: []float64{98, 54, 10},
	}))
	check("hard_lines_epochs")(Lines(LineData{
		Options: Options{Title: "RMS of fc2 weights", XLabel: "epoch", YLabel: "RMS of fc2 weights"},
		Series: []Series{{Name: "no noise", X: []float64{1, 2, 3}, Y: []float64{0.1, 0.12, 0.13}},
			{Name: "σ=1", X: []float64{1, 2, 3}, Y: []float64{0.1, 0.2, 0.3}}},
		Markers: true,
	}))

	var hg []HistGroup
	rng := rand.New(rand.NewPCG(3, 4))
	for _, name := range []string{"no noise", "σ=0.1", "σ=1", "σ=10 (two modes after training)", "σ=1e10 (binarized)"} {
		g := HistGroup{Name: name}
		for range 500 {
			g.Values = append(g.Values, math.Max(-1, math.Min(1, rng.NormFloat64()*0.3)))
		}
		hg = append(hg, g)
	}
	check("hard_hist_multi")(Histograms(HistData{
		Options: Options{Title: "fc2 weight / max|w| after training with noise at site 4:fc2", XLabel: "fc2 weight / max|w|"},
		Groups:  hg, SmallMultiples: true, Density: true, Min: -1, Max: 1, Bins: 41,
	}))
	check("hard_hist_one")(Histograms(HistData{Groups: hg[:1]}))
	check("hard_scatter")(Scatter(ScatterData{
		Options: Options{Title: "global noise: parallel-resistor prediction vs measurement",
			XLabel: "predicted σ_g (1/σ_g² = Σ 1/σ_i²)", YLabel: "measured global midpoint σ"},
		Log: true, Groups: []ScatterGroup{{X: []float64{0.2, 0.3, 0.05, 0.08}, Y: []float64{0.25, 0.2, 0.04, 0.1},
			Labels: []string{"mlp-tfc-nobn", "mlp-tfc-bn", "lenet5-nobn", "lenet5-bn"}}},
	}))
}

// TestSaveFormats saves one figure in every format: the SVG file is the figure's SVG, the PDF is a PDF,
// and the PNG (rasterised by gonum/plot itself, at PNGDPI) has the figure's size and no ink at its edge.
func TestSaveFormats(t *testing.T) {
	fig, err := Bars(BarData{Options: Options{Title: "saved"}, Sites: demoSites,
		Groups: []BarGroup{{Name: "a", Values: make([]float64, len(demoSites))}, {Name: "b", Values: make([]float64, len(demoSites))}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, ext := range []string{".svg", ".pdf", ".png", ".PNG"} {
		if err := fig.Save(filepath.Join(dir, "fig"+ext)); err != nil {
			t.Fatalf("Save(%s): %v", ext, err)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "fig.svg"))
	if !bytes.Equal(svg, fig.SVG()) {
		t.Error("fig.svg differs from fig.SVG()")
	}
	if pdf, _ := os.ReadFile(filepath.Join(dir, "fig.pdf")); !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("fig.pdf starts with %q, want %%PDF-", pdf[:min(len(pdf), 8)])
	}
	f, err := os.Open(filepath.Join(dir, "fig.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("fig.png: %v", err)
	}
	w, h := fig.Size()
	if dx, want := img.Bounds().Dx(), int(math.Ceil(w.Points()/72*PNGDPI)); dx < want-1 || dx > want+1 {
		t.Errorf("PNG width %d px, want %d (%.2f in at %d dpi)", dx, want, w.Points()/72, PNGDPI)
	}
	if dy, want := img.Bounds().Dy(), int(math.Ceil(h.Points()/72*PNGDPI)); dy < want-1 || dy > want+1 {
		t.Errorf("PNG height %d px, want %d", dy, want)
	}
	if n, p := plottest.InkInBand(img, int(math.Floor(EdgeBand*PNGDPI/72))); n > 0 {
		t.Errorf("gonum's PNG has %d pixels of ink at its edge, first at %v", n, p)
	}
	if err := fig.Save(filepath.Join(dir, "missing", "fig.png")); err == nil {
		t.Error("Save into a missing directory: want an error")
	}
}
