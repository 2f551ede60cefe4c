package plots

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNGDPI is the resolution of PNG files written by [Figure.Save]: 300 dots per inch, enough for print.
const PNGDPI = 300

// Figure is a drawn figure: its SVG document (for notebooks and the web) and the drawing itself, which
// [Figure.Save] replays on gonum/plot's PDF or PNG back ends. Every figure function of this package returns
// one; a Figure is immutable and safe for concurrent use.
type Figure struct {
	w, h   vg.Length
	drawFn func(dc draw.Canvas) error
	svg    []byte
	layout Layout
}

// Layout is where a figure put its text and its data areas, measured while drawing with the fonts'
// metrics. Coordinates are in points in the SVG's frame: origin at the top left corner, y pointing down.
// It is what [Figure.CheckLayout] inspects, and it is embedded in the SVG (see [LayoutID]) so that a saved
// notebook's figures can be checked the same way.
type Layout struct {
	// Width and Height are the canvas size in points.
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	// Texts holds one box per drawn line of text.
	Texts []TextBox `json:"texts"`
	// Areas are the data areas of the figure's panels (heatmap cells, plot areas, the colour bar) as
	// [xmin, ymin, xmax, ymax].
	Areas [][4]float64 `json:"areas"`
}

// TextBox is the box of one drawn line of text: its four corners (counter-clockwise in the drawing,
// starting at the left end of the baseline's descender line), which form a rotated rectangle when the text
// is rotated. The box spans the line's advance width and, vertically, the font's descent below the baseline
// to 0.75 em above it (the height of Latin ascenders and capitals with their accents).
type TextBox struct {
	Text string        `json:"text"`
	Quad [4][2]float64 `json:"quad"`
}

// LayoutID is the id of the <metadata> element of a figure's SVG that holds its [Layout] as JSON.
const LayoutID = "walkingnoise-layout"

// newFigure draws drawFn on an SVG canvas of size w × h with a white background and a blank margin, records
// the text and data areas it draws, and returns the figure. Panics raised by gonum/plot while drawing are
// returned as errors.
func newFigure(w, h vg.Length, drawFn func(dc draw.Canvas) error) (fig *Figure, err error) {
	defer func() {
		if r := recover(); r != nil {
			fig, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()
	fig = &Figure{w: w, h: h, drawFn: drawFn}
	c := vgsvg.New(w, h)
	rec := newRecorder(c, h)
	if err := fig.drawOn(rec, w, h); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("writing SVG: %w", err)
	}
	fig.layout = Layout{Width: w.Points(), Height: h.Points(), Texts: rec.texts, Areas: rec.areas}
	meta, err := json.Marshal(fig.layout)
	if err != nil {
		return nil, err
	}
	svg := anchorSVG(buf.Bytes(), rec.fills)
	svg = bytes.ReplaceAll(svg, []byte(liberationSerif), []byte(serifFallbacks))
	fig.svg = insertMetadata(svg, meta)
	return fig, nil
}

// drawOn draws the figure with its background and margin on c.
func (f *Figure) drawOn(c vg.Canvas, w, h vg.Length) error {
	dc := draw.NewCanvas(c, w, h)
	dc.SetColor(white)
	dc.Fill(dc.Rectangle.Path())
	dc = draw.Crop(dc, margin, -margin, margin, -margin)
	return f.drawFn(dc)
}

// insertMetadata puts <metadata id=LayoutID>meta</metadata> right after the opening <svg …> tag.
func insertMetadata(svg, meta []byte) []byte {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return svg
	}
	j := bytes.IndexByte(svg[i:], '>')
	if j < 0 {
		return svg
	}
	at := i + j + 1
	var b bytes.Buffer
	b.Grow(len(svg) + len(meta) + 64)
	b.Write(svg[:at])
	fmt.Fprintf(&b, "\n<metadata id=%q>", LayoutID)
	// JSON inside XML: only '<' and '&' need escaping, and encoding/json already escapes both as \u003c, \u0026.
	b.Write(meta)
	b.WriteString("</metadata>")
	b.Write(svg[at:])
	return b.Bytes()
}

// SVG returns the figure as an SVG document. Text names the Liberation Serif font and its metric-compatible
// fallbacks (Times New Roman, Tinos); the layout is measured with those metrics.
func (f *Figure) SVG() []byte { return bytes.Clone(f.svg) }

// WriteTo writes the SVG document to w.
func (f *Figure) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(f.svg)
	return int64(n), err
}

// Size returns the figure's width and height.
func (f *Figure) Size() (w, h vg.Length) { return f.w, f.h }

// Layout returns where the figure's text and data areas are (see [Layout]).
func (f *Figure) Layout() Layout { return f.layout }

// Save writes the figure to path in the format named by its extension: ".svg" (the SVG document),
// ".pdf" (vector, fonts embedded: for papers) or ".png" (PNGDPI dots per inch). The directory must exist.
func (f *Figure) Save(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	var data []byte
	switch ext {
	case ".svg":
		data = f.svg
	case ".pdf", ".png":
		var c vg.CanvasWriterTo
		if ext == ".pdf" {
			c = vgpdf.New(f.w, f.h)
		} else {
			c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.w, f.h), vgimg.UseDPI(PNGDPI))}
		}
		if err := f.drawOn(c, f.w, f.h); err != nil {
			return fmt.Errorf("plots: saving %s: %w", path, err)
		}
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("plots: saving %s: %w", path, err)
		}
		data = buf.Bytes()
	default:
		return fmt.Errorf("plots: cannot save %q: unknown extension %q (use .svg, .pdf or .png)", path, ext)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}
