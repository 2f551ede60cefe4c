package nbviz

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// FiguresEnv names the environment variable holding the directory figures are written to
// outside GoNB.
const FiguresEnv = "WALKINGNOISE_FIGURES"

// DefaultFiguresDir is the figure directory used when $WALKINGNOISE_FIGURES is unset or empty.
const DefaultFiguresDir = "out/figures"

// stdout receives all plain-text output; tests replace it.
var stdout io.Writer = os.Stdout

// inNotebook reports whether output goes to a GoNB notebook; tests replace it.
var inNotebook = func() bool { return gonbui.IsNotebook }

var (
	figMu  sync.Mutex
	figNum int
)

// Show displays a figure: inline SVG in a GoNB notebook, otherwise written to a file in the
// figure directory (see [FiguresDir]) as figure-NNN-HASH.svg, whose path is printed. NNN counts
// the figures of this process and HASH is derived from the content, so reruns of the same code
// rewrite the same files while different programs sharing the directory do not overwrite each
// other's figures.
//
// Its signature matches the figure functions of packages plots and figures, so
// nbviz.Show(plots.Lines(l)) is a complete cell. Show panics if err is not nil, if fig is nil, or
// if the file cannot be written. To keep a figure for a paper, save it too:
// fig.Save("fig3.pdf") (see [plots.Figure.Save]).
func Show(fig *plots.Figure, err error) {
	figMu.Lock()
	figNum++
	n := figNum
	figMu.Unlock()
	var sum [sha256.Size]byte
	if fig != nil {
		sum = sha256.Sum256(fig.SVG())
	}
	show(fmt.Sprintf("figure-%03d-%x.svg", n, sum[:4]), fig, err)
}

// ShowAs is [Show] with a chosen file name (outside GoNB): name is reduced to letters, digits,
// '-', '_' and '.', and ".svg" is appended unless present. Inside GoNB the name is not used.
func ShowAs(name string, fig *plots.Figure, err error) {
	name = unsafeName.ReplaceAllString(name, "_")
	name = strings.Trim(name, "._")
	if name == "" {
		panic(errors.New("nbviz.ShowAs: empty file name"))
	}
	if !strings.HasSuffix(name, ".svg") {
		name += ".svg"
	}
	show(name, fig, err)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func show(name string, fig *plots.Figure, err error) {
	if err != nil {
		panic(fmt.Errorf("nbviz.Show: figure failed: %w", err))
	}
	if fig == nil {
		panic(errors.New("nbviz.Show: no figure"))
	}
	svg := fig.SVG()
	if inNotebook() {
		gonbui.DisplaySVG(inlineSVG(svg))
		return
	}
	dir := FiguresDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		panic(fmt.Errorf("nbviz.Show: creating figure directory: %w", err))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, svg, 0o644); err != nil {
		panic(fmt.Errorf("nbviz.Show: writing figure: %w", err))
	}
	fmt.Fprintf(stdout, "figure: %s\n", path)
}

// FiguresDir returns the directory figures are written to outside GoNB: $WALKINGNOISE_FIGURES,
// or [DefaultFiguresDir] when it is unset or empty.
func FiguresDir() string {
	if d := os.Getenv(FiguresEnv); d != "" {
		return d
	}
	return DefaultFiguresDir
}

// prolog matches the XML declaration and the comments before the <svg> element, which are
// not wanted inside an HTML document.
var prolog = regexp.MustCompile(`^\s*(<\?xml[^>]*\?>\s*|<!--[\s\S]*?-->\s*)*`)

// inlineSVG returns svg as markup for embedding in HTML: the document without its XML
// declaration and leading comments.
func inlineSVG(svg []byte) string {
	return string(prolog.ReplaceAll(svg, nil))
}
