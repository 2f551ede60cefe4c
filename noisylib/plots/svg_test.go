package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// svgDoc is what the tests read back from a rendered figure.
type svgDoc struct {
	width, height float64 // points
	texts         []string
	paths         []svgPath
}

// svgPath is one <path> element.
type svgPath struct {
	d, style string
}

// fill returns the fill colour of the path ("#RRGGBB"), or "" for none.
func (p svgPath) fill() string {
	for _, kv := range strings.Split(p.style, ";") {
		if v, ok := strings.CutPrefix(kv, "fill:"); ok && v != "none" {
			return v
		}
	}
	return ""
}

// start returns the coordinates of the path's first "M x,y".
func (p svgPath) start(t *testing.T) (x, y float64) {
	t.Helper()
	s, ok := strings.CutPrefix(p.d, "M")
	if !ok {
		t.Fatalf("path %q does not start with M", p.d)
	}
	end := strings.IndexAny(s, "LAZM")
	if end < 0 {
		end = len(s)
	}
	xy := strings.Split(s[:end], ",")
	x, err1 := strconv.ParseFloat(xy[0], 64)
	y, err2 := strconv.ParseFloat(xy[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad path start %q", p.d)
	}
	return x, y
}

// hexColor formats c as the vgsvg backend does: un-premultiplied, truncated to 8 bits (so a
// translucent colour may come out one unit below its opaque version).
func hexColor(c color.Color) string {
	r, g, b, a := c.RGBA()
	f := 255.0 / float64(a)
	return fmt.Sprintf("#%02X%02X%02X", int(float64(r)*f), int(float64(g)*f), int(float64(b)*f))
}

// parseSVG checks that svg is well-formed XML with an <svg> root carrying a width and a height
// in points, and collects its texts and paths.
func parseSVG(t *testing.T, fig *Figure) svgDoc {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(fig.SVG()))
	var doc svgDoc
	var inText bool
	var text strings.Builder
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			if root {
				root = false
				if el.Name.Local != "svg" {
					t.Fatalf("root element is <%s>, want <svg>", el.Name.Local)
				}
				doc.width = parsePt(t, attr["width"])
				doc.height = parsePt(t, attr["height"])
			}
			switch el.Name.Local {
			case "text":
				inText = true
				text.Reset()
			case "path":
				doc.paths = append(doc.paths, svgPath{d: attr["d"], style: attr["style"]})
			}
		case xml.CharData:
			if inText {
				text.Write(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
				doc.texts = append(doc.texts, text.String())
			}
		}
	}
	if root {
		t.Fatal("empty SVG")
	}
	return doc
}

// parsePt parses an SVG length such as "453.54pt".
func parsePt(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "pt"), 64)
	if err != nil || !strings.HasSuffix(s, "pt") || v <= 0 {
		t.Fatalf("<svg> size %q is not a positive length in pt", s)
	}
	return v
}

// hasText reports whether one of the text elements equals s.
func (d svgDoc) hasText(s string) bool {
	for _, x := range d.texts {
		if x == s {
			return true
		}
	}
	return false
}

// requireTexts fails the test for every s not found among the text elements.
func (d svgDoc) requireTexts(t *testing.T, ss ...string) {
	t.Helper()
	for _, s := range ss {
		if !d.hasText(s) {
			t.Errorf("text %q not found among %q", s, d.texts)
		}
	}
}

// pathsWithFill returns the paths filled opaquely with colour c.
func (d svgDoc) pathsWithFill(c color.Color) []svgPath {
	return d.filled(c, false)
}

// translucentWithFill returns the paths filled with colour c at an opacity below 1.
func (d svgDoc) translucentWithFill(c color.Color) []svgPath {
	return d.filled(c, true)
}

func (d svgDoc) filled(c color.Color, translucent bool) []svgPath {
	want := hexColor(c)
	var out []svgPath
	for _, p := range d.paths {
		if p.fill() == want && strings.Contains(p.style, "fill-opacity") == translucent {
			out = append(out, p)
		}
	}
	return out
}

// saveSVG writes svg into the test's temporary directory, as a smoke test of the file output.
func saveSVG(t *testing.T, name string, fig *Figure) {
	t.Helper()
	if err := fig.Save(filepath.Join(t.TempDir(), name)); err != nil {
		t.Fatal(err)
	}
}

// requireErr fails unless err is non-nil and its message contains every fragment.
func requireErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q, got nil", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}
