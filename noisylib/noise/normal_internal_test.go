package noise

import (
	"math"
	"testing"

	g "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
)

// TestUnitCircleFloat32 compares the polynomial point on the circle with math.Cos/Sin of 4φ, φ = (u − ½)·π/2,
// on a fine grid of u covering [0, 1), and checks it lies on the unit circle.
func TestUnitCircleFloat32(t *testing.T) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	const n = 1 << 16
	u := make([]float32, n)
	for i := range u {
		u[i] = float32(i) / n
	}
	u[n-1] = math.Nextafter32(1, 0)
	e, err := g.NewExec(b, func(u *g.Node) (*g.Node, *g.Node) { return unitCircleFloat32(u) })
	if err != nil {
		t.Fatal(err)
	}
	outs, err := e.Call(tensors.FromFlatDataAndDimensions(u, n))
	if err != nil {
		t.Fatal(err)
	}
	cos, sin := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
	worst := 0.0
	for i, x := range u {
		theta := 4 * (float64(x) - 0.5) * math.Pi / 2
		worst = max(worst, math.Abs(float64(cos[i])-math.Cos(theta)), math.Abs(float64(sin[i])-math.Sin(theta)))
		if r := math.Hypot(float64(cos[i]), float64(sin[i])); math.Abs(r-1) > 1e-6 {
			t.Fatalf("u=%g: |(%g, %g)| = %g, want 1", x, cos[i], sin[i], r)
		}
	}
	if worst > 1e-6 {
		t.Errorf("max |error| of (cos, sin) = %.3g, want < 1e-6", worst)
	}
	t.Logf("max |error| = %.3g", worst)
}

// TestNegLogFloat32 compares the vectorised logarithm with −math.Log on u spread over every binade of (0, 1]
// (the range of the uniform draws it serves), including exact powers of two and the largest float32 below 1.
func TestNegLogFloat32(t *testing.T) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	var u []float32
	for e := -126; e <= 0; e++ {
		for k := range 64 {
			u = append(u, float32(math.Ldexp(1+float64(k)/64, e-1)))
		}
	}
	u = append(u, math.Nextafter32(1, 0), 1, math.SmallestNonzeroFloat32*(1<<23))
	e, err := g.NewExec(b, negLogFloat32)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Call1(tensors.FromFlatDataAndDimensions(u, len(u)))
	if err != nil {
		t.Fatal(err)
	}
	got := tensors.MustCopyFlatData[float32](out)
	worst := 0.0
	for i, x := range u {
		want := -math.Log(float64(x))
		// Absolute error for |ln u| ≤ 1, relative beyond (float32 keeps 24 bits of ln u ≈ −87).
		err := math.Abs(float64(got[i])-want) / max(1, math.Abs(want))
		if err > 1e-6 || math.IsNaN(float64(got[i])) {
			t.Fatalf("−ln(%g) = %g, want %g (error %.3g)", x, got[i], want, err)
		}
		worst = max(worst, err)
	}
	t.Logf("max error over %d values = %.3g", len(u), worst)
}
