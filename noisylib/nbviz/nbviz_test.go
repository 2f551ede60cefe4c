package nbviz

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// capture redirects the package's text output for the duration of the test.
func capture(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := stdout
	stdout = &buf
	t.Cleanup(func() { stdout = old })
	return &buf
}

// panicValue runs f and returns what it panicked with (nil if it returned).
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestCheck(t *testing.T) {
	out := capture(t)
	if v := panicValue(func() { Check(true, "midpoint rises ×%.1f at %s", 2.5, "fc1") }); v != nil {
		t.Fatalf("Check(true) panicked: %v", v)
	}
	if got, want := out.String(), "FINDING OK: midpoint rises ×2.5 at fc1\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
	out.Reset()
	v := panicValue(func() { Check(false, "weights grow with σ") })
	if v != "FINDING FAILED: weights grow with σ" {
		t.Errorf("panic value %#v, want the FINDING FAILED message", v)
	}
	if got, want := out.String(), "FINDING FAILED: weights grow with σ\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
	// Without args the finding is printed verbatim, even with a % sign.
	out.Reset()
	Check(true, "accuracy ≥ 97%")
	if got := out.String(); got != "FINDING OK: accuracy ≥ 97%\n" {
		t.Errorf("printed %q", got)
	}
}

func TestSanity(t *testing.T) {
	out := capture(t)
	Sanity(true, "σ_eff = σ/√%d", 4)
	if got, want := out.String(), "SANITY OK: σ_eff = σ/√4\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
	out.Reset()
	v := panicValue(func() { Sanity(false, "averaging recovers accuracy") })
	if v != "SANITY FAILED: averaging recovers accuracy" {
		t.Errorf("panic value %#v, want the SANITY FAILED message", v)
	}
	if got, want := out.String(), "SANITY FAILED: averaging recovers accuracy\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
}

func TestShowWritesFileOutsideGoNB(t *testing.T) {
	out := capture(t)
	dir := filepath.Join(t.TempDir(), "figs")
	t.Setenv(FiguresEnv, dir)
	svg, err := plots.Lines(plots.LineData{
		Options: plots.Options{Title: "SNR"},
		Series:  []plots.Series{{Name: "a", X: []float64{1, 2}, Y: []float64{3, 4}}},
	})
	Show(svg, err)
	printed := strings.TrimSpace(out.String())
	path, ok := strings.CutPrefix(printed, "figure: ")
	if !ok {
		t.Fatalf("printed %q, want \"figure: <path>\"", printed)
	}
	if filepath.Dir(path) != dir || !strings.HasSuffix(path, ".svg") {
		t.Errorf("figure written to %q, want an .svg file in %q", path, dir)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, svg.SVG()) {
		t.Error("file content differs from the SVG")
	}

	// A second figure gets another file; ShowAs uses the given (sanitised) name.
	out.Reset()
	Show(svg, nil)
	if second := strings.TrimPrefix(strings.TrimSpace(out.String()), "figure: "); second == path {
		t.Errorf("second figure overwrote %q", path)
	}
	out.Reset()
	ShowAs("fig 3: heat/map", svg, nil)
	if want := filepath.Join(dir, "fig_3_heat_map.svg"); strings.TrimSpace(out.String()) != "figure: "+want {
		t.Errorf("ShowAs printed %q, want figure: %s", out.String(), want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the figure directory, want 3", len(entries))
	}
}

func TestFiguresDirDefault(t *testing.T) {
	t.Setenv(FiguresEnv, "")
	if got := FiguresDir(); got != "out/figures" {
		t.Errorf("FiguresDir() = %q, want out/figures", got)
	}
}

func TestShowPanics(t *testing.T) {
	capture(t)
	t.Setenv(FiguresEnv, t.TempDir())
	boom := errors.New("heatmap: len(Acc) = 2, want 3")
	v := panicValue(func() { Show(nil, boom) })
	if e, ok := v.(error); !ok || !errors.Is(e, boom) {
		t.Errorf("Show(nil, err) panicked with %#v, want an error wrapping err", v)
	}
	if v := panicValue(func() { Show(nil, nil) }); v == nil {
		t.Error("Show of no figure did not panic")
	}
	fig, err := plots.Lines(plots.LineData{Series: []plots.Series{{X: []float64{1}, Y: []float64{2}}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := panicValue(func() { ShowAs("///", fig, nil) }); v == nil {
		t.Error("ShowAs with an unusable name did not panic")
	}
}

func TestInlineSVG(t *testing.T) {
	svg, err := plots.Scatter(plots.ScatterData{Groups: []plots.ScatterGroup{{X: []float64{1}, Y: []float64{2}}}})
	if err != nil {
		t.Fatal(err)
	}
	in := inlineSVG(svg.SVG())
	if !strings.HasPrefix(in, "<svg") {
		t.Errorf("inline SVG starts with %q, want <svg", in[:min(len(in), 30)])
	}
	// Still a well-formed document with the same root.
	var root struct {
		XMLName xml.Name
	}
	if err := xml.Unmarshal([]byte(in), &root); err != nil || root.XMLName.Local != "svg" {
		t.Errorf("inline SVG does not parse as <svg>: %v", err)
	}
}

func TestTableText(t *testing.T) {
	out := capture(t)
	Table([]string{"site", "σ_mid"}, [][]string{{"1:fc1", "2.3"}, {"10:logits", "> 1e8"}, {"x"}})
	want := "site       σ_mid\n" +
		"---------  -----\n" +
		"1:fc1      2.3\n" +
		"10:logits  > 1e8\n" +
		"x\n"
	if got := out.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestTableHTML(t *testing.T) {
	got := tableHTML([]string{"a", "b<c"}, [][]string{{"1", "x&y"}, {"2"}})
	want := "<table>\n<thead><tr><th>a</th><th>b&lt;c</th></tr></thead>\n<tbody>\n" +
		"<tr><td>1</td><td>x&amp;y</td></tr>\n<tr><td>2</td><td></td></tr>\n</tbody>\n</table>\n"
	if got != want {
		t.Errorf("tableHTML =\n%s\nwant\n%s", got, want)
	}
}

func TestMarkdownText(t *testing.T) {
	out := capture(t)
	Markdown("## Sweep\n*done*")
	if got := out.String(); got != "## Sweep\n*done*\n" {
		t.Errorf("printed %q", got)
	}
}

// TestProgressUpdatesInPlace checks the notebook progress bar: every update goes to the same display block,
// redraws are throttled but the last step is always drawn, the label is escaped, and Finish erases it.
func TestProgressUpdatesInPlace(t *testing.T) {
	oldNB, oldUp := inNotebook, updateHTML
	t.Cleanup(func() { inNotebook, updateHTML = oldNB, oldUp })
	inNotebook = func() bool { return true }
	type update struct{ id, html string }
	var got []update
	updateHTML = func(id, html string) { got = append(got, update{id, html}) }

	clock := time.Unix(0, 0)
	p := NewProgress("plan <a&b>", 3)
	p.now = func() time.Time { return clock }
	p.start, p.last = clock, clock
	_ = p.Add(1) // 0 s after the last draw: throttled
	clock = clock.Add(2 * time.Second)
	_ = p.Add(1) // drawn
	_ = p.Add(1) // last step: drawn though only 0 s passed
	_ = p.Finish()
	if len(got) != 4 {
		t.Fatalf("%d updates %v, want 4 (start, 2 of 3, 3 of 3, erase)", len(got), got)
	}
	for _, u := range got {
		if u.id != got[0].id || !strings.HasPrefix(u.id, "progress_") {
			t.Errorf("update of block %q, want all in %q", u.id, got[0].id)
		}
	}
	if !strings.Contains(got[1].html, `<progress value="2" max="3"`) || !strings.Contains(got[1].html, "plan &lt;a&amp;b&gt;: 2 of 3 points, 2 s, about 1 s left") {
		t.Errorf("second update %q", got[1].html)
	}
	if !strings.Contains(got[2].html, `value="3"`) || strings.Contains(got[2].html, "left") {
		t.Errorf("final update %q", got[2].html)
	}
	if got[3].html != "" {
		t.Errorf("Finish drew %q, want the block erased", got[3].html)
	}

	// Outside a notebook nothing is drawn.
	got = nil
	inNotebook = func() bool { return false }
	q := NewProgress("x", 1)
	_ = q.Add(1)
	_ = q.Finish()
	if len(got) != 0 {
		t.Errorf("outside a notebook: %d updates", len(got))
	}
}
