// Package plottest checks figures of package plots the way a reader sees them: it renders a figure's SVG to
// PNG with a real SVG renderer (rsvg-convert, Debian package librsvg2-bin, installed by scripts/setup.sh)
// and fails a test when ink lies in the outer band of the canvas (something was clipped), or when the
// figure's recorded layout has overlapping text, text at the edge, or labels crossing into a data area
// ([plots.Layout.Problems]). scripts/check_notebook.py applies the same rules to the figures of saved
// notebooks.
//
//	plottest.Check(t, "bars")(plots.Bars(data))
//
// The layout is read back from the SVG's metadata, as the notebook checker reads it. Set
// $PLOTS_RENDER_DIR to keep the rendered PNG files for viewing.
package plottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// RenderDirEnv names the environment variable of the directory where Check keeps the rendered PNG files.
const RenderDirEnv = "PLOTS_RENDER_DIR"

// DPI is the resolution Check renders at: rsvg-convert's default of 96 dots per inch.
const DPI = 96

var (
	toolsOnce sync.Once
	toolsErr  error
)

// requireTools checks once that rsvg-convert runs and that fontconfig resolves the figures' font, Liberation
// Serif (without it the renderer substitutes a wider font and the measured layout no longer holds).
func requireTools() error {
	toolsOnce.Do(func() {
		if _, err := exec.LookPath("rsvg-convert"); err != nil {
			toolsErr = fmt.Errorf("rsvg-convert not found (%v): install librsvg2-bin (bash scripts/setup.sh)", err)
			return
		}
		out, err := exec.Command("fc-match", "Liberation Serif").Output()
		if err != nil || !strings.Contains(string(out), "Liberation") {
			toolsErr = fmt.Errorf("fontconfig does not resolve Liberation Serif (fc-match: %q, %v): install fonts-liberation2 (bash scripts/setup.sh)",
				strings.TrimSpace(string(out)), err)
		}
	})
	return toolsErr
}

// Render converts an SVG document to an image with rsvg-convert at DPI.
func Render(svg []byte) (image.Image, error) {
	if err := requireTools(); err != nil {
		return nil, err
	}
	cmd := exec.Command("rsvg-convert", "--format", "png", "--dpi-x", fmt.Sprint(DPI), "--dpi-y", fmt.Sprint(DPI))
	cmd.Stdin = bytes.NewReader(svg)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("rsvg-convert: %v: %s", err, stderr.String())
	}
	return png.Decode(&out)
}

// InkInBand returns the number of pixels within band pixels of the image's edge that are not white (any
// channel below 250 of 255 once the pixel is laid over white paper), and the first such pixel.
func InkInBand(img image.Image, band int) (n int, first image.Point) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x >= b.Min.X+band && x < b.Max.X-band && y >= b.Min.Y+band && y < b.Max.Y-band {
				continue
			}
			r, g, bl, a := img.At(x, y).RGBA() // premultiplied: over white, c + (1 − α)
			r, g, bl = r+0xffff-a, g+0xffff-a, bl+0xffff-a
			if r < 250*257 || g < 250*257 || bl < 250*257 {
				if n == 0 {
					first = image.Point{X: x, Y: y}
				}
				n++
			}
		}
	}
	return n, first
}

var layoutRE = regexp.MustCompile(`(?s)<metadata id="` + plots.LayoutID + `">(.*?)</metadata>`)

// ParseLayout returns the layout recorded in a figure's SVG.
func ParseLayout(svg []byte) (plots.Layout, error) {
	m := layoutRE.FindSubmatch(svg)
	if m == nil {
		return plots.Layout{}, fmt.Errorf("no <metadata id=%q> in the SVG", plots.LayoutID)
	}
	var l plots.Layout
	err := json.Unmarshal(m[1], &l)
	return l, err
}

// Problems renders svg and returns everything a reader would see wrong with it: ink in the outer band of
// plots.EdgeBand points, and the layout's problems.
func Problems(svg []byte) ([]string, image.Image, error) {
	l, err := ParseLayout(svg)
	if err != nil {
		return nil, nil, err
	}
	img, err := Render(svg)
	if err != nil {
		return nil, nil, err
	}
	probs := l.Problems()
	band := int(math.Floor(plots.EdgeBand * DPI / 72))
	if n, p := InkInBand(img, band); n > 0 {
		probs = append(probs, fmt.Sprintf("%d pixel(s) of ink within %d px of the edge of the %d×%d px rendering, first at (%d, %d): something is clipped",
			n, band, img.Bounds().Dx(), img.Bounds().Dy(), p.X, p.Y))
	}
	return probs, img, nil
}

// Check returns a function that fails t unless its err is nil and its figure renders cleanly (see
// [Problems]); it takes a figure function's results directly. With $PLOTS_RENDER_DIR set, the PNG is
// written there as name.png.
func Check(t testing.TB, name string) func(fig *plots.Figure, err error) {
	return func(fig *plots.Figure, err error) {
		t.Helper()
		check(t, name, fig, err)
	}
}

func check(t testing.TB, name string, fig *plots.Figure, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	probs, img, err := Problems(fig.SVG())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if dir := os.Getenv(RenderDirEnv); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range probs {
		t.Errorf("%s: %s", name, p)
	}
}
