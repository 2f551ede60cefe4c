package plottest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// badFigure is an SVG that breaks every rule: a bar touching the right edge, and a layout with two
// overlapping labels, a label at the top edge and an axis label crossing into the data area.
func badFigure(t *testing.T) (string, plots.Layout) {
	l := plots.Layout{Width: 200, Height: 100,
		Texts: []plots.TextBox{
			{Text: "fc1", Quad: [4][2]float64{{10, 50}, {30, 50}, {30, 40}, {10, 40}}},
			{Text: "bn1", Quad: [4][2]float64{{25, 52}, {45, 52}, {45, 42}, {25, 42}}},
			{Text: "title", Quad: [4][2]float64{{80, 11}, {120, 11}, {120, 1}, {80, 1}}},
			{Text: "3:relu1", Quad: [4][2]float64{{50, 80}, {75, 80}, {75, 70}, {50, 70}}},
		},
		Areas: [][4]float64{{70, 20, 190, 90}},
	}
	meta, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" viewBox="0 0 200 100">`+
		`<metadata id=%q>%s</metadata><rect width="200" height="100" fill="#fff"/>`+
		`<rect x="150" y="30" width="50" height="20" fill="#0072B2"/></svg>`, plots.LayoutID, meta)
	return svg, l
}

// TestNotebookCheckerAppliesTheSameRules runs scripts/check_notebook.py (python3, rsvg-convert) on a saved
// notebook holding a clean library figure, a broken figure, progress-bar residue on stderr, a repeated
// summary line and TeX math: it must pass the clean one, report each problem, and find the same layout problems as
// plots.Layout.Problems.
func TestNotebookCheckerAppliesTheSameRules(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 not found: %v", err)
	}
	if err := requireTools(); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("../../../scripts/check_notebook.py")
	if err != nil {
		t.Fatal(err)
	}
	good, err := plots.Bars(plots.BarData{Options: plots.Options{Title: "midpoints"}, Sites: []string{"0:input", "1:fc1"},
		Groups: []plots.BarGroup{{Name: "inference", Values: []float64{1, 2}}, {Name: "training", Values: []float64{2, 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	bad, badLayout := badFigure(t)
	goProblems := badLayout.Problems()
	if len(goProblems) != 3 {
		t.Fatalf("Go finds %d layout problems %q, want 3 (overlap, edge, crossing)", len(goProblems), goProblems)
	}
	cell := func(outputs ...map[string]any) map[string]any {
		return map[string]any{"cell_type": "code", "execution_count": 1, "metadata": map[string]any{}, "source": "x := 1", "outputs": outputs}
	}
	html := func(svg string) map[string]any {
		return map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{"text/html": "<div>" + svg + "</div>"}}
	}
	stream := func(name, text string) map[string]any {
		return map[string]any{"output_type": "stream", "name": name, "text": text}
	}
	notebook := func(cells ...map[string]any) string {
		nb, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}, "cells": cells})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "nb.ipynb")
		if err := os.WriteFile(path, nb, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	run := func(path string) (string, bool) {
		out, err := exec.Command(python, script, path).CombinedOutput()
		return string(out), err == nil
	}

	summary := "plan x: 12 points planned, 12 in this shard, 0 already stored, 12 run (0 collapsed) in 1.0s, peak RSS 9 MiB\n"
	if out, ok := run(notebook(cell(html(string(good.SVG())), stream("stdout", summary)))); !ok || !strings.Contains(out, "1 figure(s) rendered cleanly") {
		t.Errorf("clean notebook: want OK with 1 figure checked, got:\n%s", out)
	}
	// Claims a run decided and claims it could not decide are all listed; only a failed one fails the notebook.
	claims := "FINDING OK: a\nNOT REPRODUCED at this scale (undecided): b\nNOT TESTED: c\nMEASURED: d\n"
	out, ok := run(notebook(cell(html(string(good.SVG())), stream("stdout", claims))))
	if !ok || !strings.Contains(out, "3 finding line(s)") || !strings.Contains(out, "nb.ipynb: NOT REPRODUCED at this scale (undecided): b") ||
		!strings.Contains(out, "nb.ipynb: NOT TESTED: c") {
		t.Errorf("notebook with decided and undecided claims: want OK listing the 3 claim lines, got:\n%s", out)
	}
	if out, ok := run(notebook(cell(html(string(good.SVG())), stream("stdout", "FINDING FAILED: e\n")))); ok || !strings.Contains(out, "reports: FINDING FAILED: e") {
		t.Errorf("notebook with a failed finding: want FAIL, got:\n%s", out)
	}
	out, ok = run(notebook(
		cell(html(bad)),
		cell(stream("stderr", "layerwise  50% |██████    | (6/12)\r"), stream("stdout", summary+summary)),
		map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": "the noise $\\sigma^2$ grows"},
	))
	if ok {
		t.Fatalf("broken notebook passed:\n%s", out)
	}
	for _, want := range []string{
		`texts 'fc1' and 'bn1' overlap`, `text 'title' reaches within 2 pt`, `text '3:relu1' crosses into a data area`,
		"pixel(s) of ink within 2 pt of the edge", "progress-bar residue in its stderr output",
		"writes to stderr what is not a warning or an error",
		"prints the summary line 2 times", "uses TeX math",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("checker output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "figure 1: text"); n != len(goProblems) {
		t.Errorf("checker finds %d layout problems, Go finds %d (%q):\n%s", n, len(goProblems), goProblems, out)
	}
}
