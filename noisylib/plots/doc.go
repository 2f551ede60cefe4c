// Package plots draws the static figures of Walking Noise experiments with gonum.org/v1/plot.
// Every figure function takes plain data plus an embedded [Options] (title, axis labels, size)
// and returns a [*Figure] or an error. A Figure is an SVG document (for notebooks and the web)
// that can also be saved for a paper as PDF or PNG through gonum/plot's vector back ends:
//
//	fig, err := plots.Heatmap(plots.HeatmapData{
//		Options:   plots.Options{Title: "MLP-TFC / MNIST, inference-only GaussAdd"},
//		Sites:     []string{"0:input", "1:fc1", "2:bn1", "3:relu1"},
//		Sigmas:    analysis.AdditiveGrid(8),          // columns, log10 axis
//		Acc:       acc,                               // acc[site][sigma] in %, NaN = not measured
//		Midpoints: []plots.Midpoint{{Sigma: 0.3}, {Sigma: 2}, {Sigma: 1.1}, {Censor: plots.CensoredAbove}},
//	})
//	nbviz.Show(fig, err)                              // inline in GoNB, or a file outside it
//	err = fig.Save("fig2.pdf")                        // .svg, .pdf or .png, by extension
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
// # Layout
//
// Text is measured with its font before a figure is laid out, so nothing is clipped: titles and
// axis labels are broken into lines that fit; a legend goes beside the plot when it takes at most
// about a third of the width, else below it, and the canvas grows (beyond Options.Width/Height)
// rather than crop it. A figure with a single data series has no legend (its name belongs in the
// title or an axis label). Category axes (bar sites, heatmap rows) carry no tick marks; long site
// names are rotated by 45° and hang below the axis. Axes whose values are all whole numbers
// (epochs, budgets, counts) get integer ticks only. [Figure.Layout] records every text box and
// data area; [Layout.Problems] reports overlapping text, text at the canvas edge and labels
// crossing into the plot, and package plottest renders figures with rsvg-convert to check them.
//
// # Conventions
//
// Series and groups are coloured with the colour-blind-safe Okabe–Ito palette in order
// ([SeriesColor]); markers and dash patterns also vary with the index. Log axes are labelled in
// decades ("0.1", "1", "10", "1e3"). Text uses gonum/plot's default Liberation fonts: PDF and PNG
// files embed or rasterise them; the SVG names Liberation Serif and its metric-compatible
// fallbacks (Times New Roman, Tinos), as fonts would make every inline figure hundreds of
// kilobytes larger. A viewer with none of them substitutes a wider serif font and text may then
// overrun the measured layout (Debian: install fonts-liberation2).
//
// Inputs are validated before drawing: empty data, mismatched lengths, non-finite values and
// non-positive values on a log axis are reported as errors naming the offending field and index.
// Nothing panics on user input.
package plots
