package plots

import (
	"fmt"
	"image/color"
	"math"
	"testing"
)

// srgbLinear converts an 8-bit sRGB channel to linear light (IEC 61966-2-1).
func srgbLinear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// lab returns the CIE L*a*b* coordinates (D65 white) of linear-light RGB.
func lab(r, g, b float64) [3]float64 {
	x := 0.4124*r + 0.3576*g + 0.1805*b
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := 0.0193*r + 0.1192*g + 0.9505*b
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// cvd holds the Machado, Oliveira & Fernandes (2009) matrices for full (severity 1.0) protanopia,
// deuteranopia and tritanopia, acting on linear RGB.
var cvd = map[string][3][3]float64{
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
}

// seen returns the L*a*b* colour of c as seen with the deficiency m (nil: normal vision).
func seen(c color.NRGBA, m *[3][3]float64) [3]float64 {
	v := [3]float64{srgbLinear(c.R), srgbLinear(c.G), srgbLinear(c.B)}
	if m != nil {
		var o [3]float64
		for i := range 3 {
			for j := range 3 {
				o[i] += m[i][j] * v[j]
			}
			o[i] = math.Max(0, math.Min(1, o[i]))
		}
		v = o
	}
	return lab(v[0], v[1], v[2])
}

// TestPaletteReadable checks the series colours as readers see them: the first four stay ≥ 15 ΔE*ab apart
// for normal vision and under simulated protanopia, deuteranopia and tritanopia, and the first three differ
// by ≥ 10 in lightness L*, so that two or three groups of bars stay apart in a greyscale print. (ΔE ≈ 2.3 is
// a just-noticeable difference; 15 is clearly different.)
func TestPaletteReadable(t *testing.T) {
	sims := map[string]*[3][3]float64{"normal vision": nil}
	for name, m := range cvd {
		sims[name] = &m
	}
	for name, m := range sims {
		for i := range 4 {
			for j := i + 1; j < 4; j++ {
				a, b := seen(okabeIto[i], m), seen(okabeIto[j], m)
				if d := math.Hypot(math.Hypot(a[0]-b[0], a[1]-b[1]), a[2]-b[2]); d < 15 {
					t.Errorf("%s: series colours %d and %d are only ΔE %.1f apart", name, i, j, d)
				}
			}
		}
	}
	for i := range 3 {
		for j := i + 1; j < 3; j++ {
			a, b := seen(okabeIto[i], nil), seen(okabeIto[j], nil)
			if d := math.Abs(a[0] - b[0]); d < 10 {
				t.Errorf("greyscale: series colours %d and %d differ by only %.1f in L*", i, j, d)
			}
		}
	}
	// Lines: the first four series differ in dash pattern as well as colour.
	seenDash := map[string]int{}
	for i := range 4 {
		key := fmt.Sprint(dashPattern(i))
		if j, dup := seenDash[key]; dup {
			t.Errorf("series %d and %d share the dash pattern %v", j, i, dashPattern(i))
		}
		seenDash[key] = i
	}
}
