// Package nbviz shows figures, findings, tables and text in GoNB notebooks, and degrades to
// files and plain text when the same code runs outside GoNB (tests, command-line programs).
// It is the only package of the library that imports GoNB's gonbui.
//
//	nbviz.Show(plots.Heatmap(h))                       // inline SVG; panics on a plotting error
//	nbviz.Check(gain > 1, "noisy training raises the fc1 midpoint (×%.1f)", gain)
//	nbviz.Table([]string{"site", "σ_mid"}, [][]string{{"1:fc1", "2.3"}, {"3:relu1", "> 1e8"}})
//	nbviz.Markdown("## Inference-only sweep")
//	bar := nbviz.NewProgress("plan x", 40)                // HTML progress bar, updated in place
//
// Inside GoNB (gonbui.IsNotebook), figures are displayed with gonbui.DisplaySVG as inline
// <svg> markup, which survives `jupyter nbconvert --to html` and needs no JavaScript. Outside
// GoNB, [Show] writes the SVG into the directory named by $WALKINGNOISE_FIGURES (default
// "out/figures") and prints the file's path.
//
// # Notebook ergonomics
//
// The functions here are meant for one-line use in notebook cells, so they panic instead of
// returning errors: [Show] panics when the figure could not be made or written, and [Check]
// panics when a finding does not hold. Headless CI runs (nbconvert --execute) then fail on the
// first broken figure or failed finding, and the printed "FINDING OK: …" / "FINDING FAILED: …"
// lines can be collected from the output.
package nbviz
