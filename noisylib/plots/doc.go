// Package plots draws the static figures of Walking Noise experiments as SVG documents, with
// gonum.org/v1/plot and its vgsvg backend. Every figure function takes plain data plus an
// embedded [Options] (title, axis labels, size) and returns the SVG bytes or an error:
//
//	svg, err := plots.Heatmap(plots.HeatmapData{
//		Options:   plots.Options{Title: "MLP-TFC / MNIST, inference-only GaussAdd"},
//		Sites:     []string{"0:input", "1:fc1", "2:bn1", "3:relu1"},
//		Sigmas:    analysis.AdditiveGrid(8),          // columns, log10 axis
//		Acc:       acc,                               // acc[site][sigma] in %, NaN = not measured
//		Midpoints: []plots.Midpoint{{Sigma: 0.3}, {Sigma: 2}, {Sigma: 1.1}, {Censor: plots.CensoredAbove}},
//	})
//	nbviz.Show(svg, err)                              // inline in GoNB, or a file outside it
//
// The figures are:
//
//   - [Heatmap]: accuracy (%) over noise sites × σ, viridis 0–100 % with a colour bar, and the
//     per-site midpoint line (censored midpoints marked ">" / "<" at the grid edge);
//   - [Bars]: per-site values (e.g. log10 σ_mid) for several groups side by side, with optional
//     interval bars; censored bars are hatched and annotated ">" / "<";
//   - [Lines]: named series y(x) with optional log axes, markers, and error bands or bars;
//   - [Histograms]: histograms of several groups on common bins, overlaid or as small multiples;
//   - [Scatter]: predicted vs measured with the y = x reference line.
//
// # Conventions
//
// Series and groups are coloured with the colour-blind-safe Okabe–Ito palette in order
// ([SeriesColor]); markers and dash patterns also vary with the index. Log axes are labelled in
// decades ("0.1", "1", "10", "1e3"). Text uses gonum/plot's default Liberation fonts, referenced
// by name in the SVG (not embedded); viewers without them substitute a similar serif font.
//
// Inputs are validated before drawing: empty data, mismatched lengths, non-finite values and
// non-positive values on a log axis are reported as errors naming the offending field and index.
// Nothing panics on user input.
package plots
