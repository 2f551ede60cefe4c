package catalogue

import (
	"io"
	"math"
	"path/filepath"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestResolveMultiExec runs the two experiments a multi-execution experiment depends on (quick preset, MNIST
// MLP-TFC without BN), then resolves it: its σ is the global additive inference midpoint and its s_i the
// layer-wise ones, as walk.Curves reports them, and the resolved plan allocates more executions to the least
// robust site than to the most robust one.
func TestResolveMultiExec(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few hundred small models")
	}
	datatest.Load(t, "mnist")
	st, err := results.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: filepath.Join(t.TempDir(), "cache"), Progress: io.Discard}
	e, err := Lookup("mnist/mlp-tfc-nobn/multiexec")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Resolve(st, "quick"); err == nil {
		t.Fatal("resolved with an empty store")
	}
	mids := map[string][]walk.SiteCurve{}
	for _, name := range []string{e.SigmaFrom, e.SiteMidpointsFrom} {
		dep, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := dep.Plan("quick")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Run(p); err != nil {
			t.Fatal(err)
		}
		if mids[name], err = walk.Curves(st, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.Resolve(st, "quick")
	if err != nil {
		t.Fatal(err)
	}
	value := func(c walk.SiteCurve) float64 {
		if math.IsNaN(c.Mid.Sigma) {
			return c.Mid.Bound
		}
		return c.Mid.Sigma
	}
	var sites []float64
	for _, c := range mids[e.SiteMidpointsFrom] {
		if c.Mode == walk.Inference {
			sites = append(sites, value(c))
		}
	}
	if len(got.Spec.Sigmas) != 1 || got.Spec.Sigmas[0] != value(mids[e.SigmaFrom][0]) || len(got.Spec.SiteMidpoints) != 8 {
		t.Fatalf("resolved σ %v, %d site midpoints; want the global inference midpoint %v and 8 sites",
			got.Spec.Sigmas, len(got.Spec.SiteMidpoints), value(mids[e.SigmaFrom][0]))
	}
	lo, hi := 0, 0
	for i, s := range sites {
		if got.Spec.SiteMidpoints[i] != s {
			t.Errorf("site %d: s_i = %v, want the layer-wise midpoint %v", i, got.Spec.SiteMidpoints[i], s)
		}
		if s < sites[lo] {
			lo = i
		}
		if s > sites[hi] {
			hi = i
		}
	}
	p, err := got.Plan("quick")
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range p.Points {
		if pt.Policy == "inverse_lin" && pt.X == 5 {
			specs, _ := pt.Noise.Resolve(8)
			if specs[lo].Reps() <= specs[hi].Reps() {
				t.Errorf("inverse_lin, budget 5: least robust site %d (s=%.3g) gets %d executions, most robust %d (s=%.3g) %d",
					lo, sites[lo], specs[lo].Reps(), hi, sites[hi], specs[hi].Reps())
			}
		}
	}
}
