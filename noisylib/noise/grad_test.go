package noise_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// rampTensor returns a [r, c] tensor of distinct non-zero values in [0.5, 2.5).
func rampTensor(r, c int) *tensors.Tensor {
	flat := make([]float32, r*c)
	for i := range flat {
		flat[i] = 0.5 + 2*float32(i)/float32(len(flat))
	}
	return tensors.FromFlatDataAndDimensions(flat, r, c)
}

// near reports whether a and b agree to float32 rounding of values of magnitude scale.
func near(a, b, scale float64) bool { return math.Abs(a-b) <= 1e-5*(1+math.Abs(scale)) }

func TestGradient(t *testing.T) {
	x := rampTensor(100, 200)
	xs := tensors.MustCopyFlatData[float32](x)
	t.Run("additive: dy/dx = 1", func(t *testing.T) {
		specs := []noise.Spec{noise.Add(1)}
		out := run(t, applyExec(t, specs, 0, true, 1, true), specs, x)
		for i, g := range out[1] {
			if g != 1 {
				t.Fatalf("gradient[%d] = %g, want 1", i, g)
			}
		}
	})
	t.Run("multiplicative: dy/dx = m = y/x", func(t *testing.T) {
		specs := []noise.Spec{noise.Mul(0.5)}
		out := run(t, applyExec(t, specs, 0, true, 2, true), specs, x)
		y, grad := out[0], out[1]
		for i := range y {
			m := float64(y[i]) / float64(xs[i])
			if !near(float64(grad[i]), m, m) {
				t.Fatalf("gradient[%d] = %g, want the multiplier y/x = %g", i, grad[i], m)
			}
		}
		checkMoments(t, "sampled multipliers", grad, 1, 0.25) // m ~ N(1, 0.5²), not a constant.
	})
	// For combined noise the gradient is the multiplier m, and what is left is the additive draw a:
	// y − m·x for mul-then-add, y/m − x for add-then-mul; both must have std σ_add.
	for _, addFirst := range []bool{false, true} {
		s := noise.CombineDirect(0.3, 0.4)
		if addFirst {
			s = s.WithAddFirst()
		}
		t.Run(s.String(), func(t *testing.T) {
			specs := []noise.Spec{s}
			out := run(t, applyExec(t, specs, 0, true, 3, true), specs, x)
			y, grad := out[0], out[1]
			a := make([]float32, len(y))
			for i := range y {
				if addFirst {
					a[i] = y[i]/grad[i] - xs[i]
				} else {
					a[i] = y[i] - grad[i]*xs[i]
				}
			}
			checkMoments(t, "multiplier (gradient)", grad, 1, 0.09)
			checkMoments(t, "additive residual", a, 0, 0.16)
		})
	}
	t.Run("inactive site: dy/dx = 1", func(t *testing.T) {
		specs := []noise.Spec{noise.Mul(0.5).InferenceOnly()}
		out := run(t, applyExec(t, specs, 0, true, 4, true), specs, x)
		for i := range out[0] {
			if out[0][i] != xs[i] || out[1][i] != 1 {
				t.Fatalf("element %d: y = %g (x = %g), dy/dx = %g; want identity", i, out[0][i], xs[i], out[1][i])
			}
		}
	})
}

func TestInjectorSites(t *testing.T) {
	// Only the addressed site is noisy: specs for 3 sites, noise only at site 1.
	specs := []noise.Spec{noise.NoNoise(), noise.Add(1), noise.NoNoise()}
	x := constTensor(x0, 10, 10)
	for site, wantNoisy := range []bool{false, true, false} {
		y := run(t, applyExec(t, specs, site, false, 5, false), specs, x)[0]
		changed := 0
		for _, v := range y {
			if v != x0 {
				changed++
			}
		}
		if got := changed > 0; got != wantNoisy {
			t.Errorf("site %d: %d elements changed, want noisy=%t", site, changed, wantNoisy)
		}
	}

	var nilInj *noise.Injector
	if got := nilInj.Apply(3, nil); got != nil {
		t.Errorf("nil injector: Apply returned %v, want its input", got)
	}

	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("Apply with a site out of range did not panic")
		}
		if msg, _ := r.(string); !strings.Contains(msg, "0..2") {
			t.Errorf("panic %v does not name the valid range 0..2", r)
		}
	}()
	g := graph.NewGraph(testBackend(t), "out-of-range")
	inj := &noise.Injector{Specs: specs, Params: graph.Const(g, [][]float32{{0, 0, 0, 1}}), Training: false}
	inj.Apply(3, graph.Const(g, []float32{1}))
}
