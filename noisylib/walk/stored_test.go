package walk_test

import (
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/catalogue"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestLoadPlanRebuildsEveryExperiment: for every experiment of the paper (259: layer-wise, global, MAX, mixed,
// direct and multi-execution plans) under every preset, the spec recorded in a store rebuilds a plan with the
// same points: equal Point values, and under the quick preset equal hashes.
func TestLoadPlanRebuildsEveryExperiment(t *testing.T) {
	st, err := results.Open(filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kinds := map[walk.Kind]int{}
	for _, preset := range walk.Presets {
		for _, e := range catalogue.All() {
			p, err := e.Sketch(preset)
			if err != nil {
				t.Fatalf("%s@%s: %v", e.Name, preset, err)
			}
			if err := st.PutPlan(p.Name, walk.ResultsVersion, p.Spec); err != nil {
				t.Fatal(err)
			}
			got, err := walk.LoadPlan(st, p.Name)
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			if got.Name != p.Name || !reflect.DeepEqual(got.Spec, p.Spec) || !reflect.DeepEqual(got.Points, p.Points) {
				t.Fatalf("%s: the stored spec rebuilds another plan (%d points, want %d)", p.Name, len(got.Points), len(p.Points))
			}
			if preset == "quick" {
				for i := range p.Points {
					a, _ := walk.Hash(p.Points[i])
					b, _ := walk.Hash(got.Points[i])
					if a != b {
						t.Fatalf("%s: point %d hashes %s, rebuilt %s", p.Name, i, a, b)
					}
				}
			}
			kinds[p.Spec.Kind]++
		}
	}
	// A spec recorded by another results version only: its points come from other numerics.
	if err := st.PutPlan("old", walk.ResultsVersion-1, walk.PlanSpec{Name: "old"}); err != nil {
		t.Fatal(err)
	}
	if _, err := walk.LoadPlan(st, "old"); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("results version %d", walk.ResultsVersion-1)) {
		t.Errorf("LoadPlan of an older results version: %v", err)
	}
	for _, k := range []walk.Kind{walk.LayerWise, walk.GlobalAll, walk.MaxNoise, walk.Mixed, walk.Direct, walk.MultiExec} {
		if kinds[k] == 0 {
			t.Errorf("no %s experiment checked", k)
		}
	}
}

// TestReadStoreAlone runs one plan of every kind on the synthetic data set, then reads the store as a fresh
// process does (a new read-only handle, another $WALKINGNOISE_PRESET, nothing but plan names): LoadPlan and the
// readers give the same curves, midpoints, maps and results as the plans that were run.
func TestReadStoreAlone(t *testing.T) {
	datatest.RegisterStripes()
	dir := t.TempDir()
	path := filepath.Join(dir, "results.db")
	st, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	setup := walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2}
	inf := []walk.Mode{walk.Inference}
	m, err := setup.NewModel()
	if err != nil {
		t.Fatal(err)
	}
	ones := make([]float64, m.NumSites())
	for i := range ones {
		ones[i] = 1 + float64(i)/4
	}
	specs := []walk.PlanSpec{
		{Setup: setup, Modes: inf, Sites: []int{2, 4}, Sigmas: analysis.Logspace(0.01, 1000, 6)},
		{Kind: walk.GlobalAll, Setup: setup, Modes: inf, Sigmas: analysis.Logspace(0.01, 1000, 6)},
		{Kind: walk.MaxNoise, Setup: setup, Modes: inf, Sites: []int{0, 4}},
		{Kind: walk.Mixed, Setup: setup, Modes: inf, Sites: []int{4}, Sigmas: analysis.Logspace(0.01, 100, 5), Ratios: []float64{0.01, 0.5}},
		{Kind: walk.Direct, Setup: setup, Modes: inf, Sites: []int{4}, Sigmas: []float64{0, 1, 2}, Ratios: []float64{0, 1}},
		{Kind: walk.MultiExec, Setup: setup, Budgets: []int{1, 2}, Policies: []string{"global", "inverse_lin"}, SiteMidpoints: ones},
	}
	// read returns everything the plan's kind has a reader for, printed with %#v (exact floats, NaN equal to NaN).
	read := func(st *results.Store, p *walk.Plan) string {
		t.Helper()
		var v any
		var err error
		switch p.Spec.Kind {
		case walk.Mixed:
			v, err = walk.MixedCurves(st, p)
		case walk.Direct:
			v, err = walk.DirectMaps(st, p)
		case walk.MultiExec:
			v, err = walk.ExecResults(st, p)
		default:
			v, err = walk.Curves(st, p)
		}
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		obs, err := walk.Observations(st, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != len(p.Points) {
			t.Fatalf("%s: %d of %d points stored", p.Name, len(obs), len(p.Points))
		}
		// %#v prints a pointer's address: print the pointed-to metrics by value instead.
		ptrs := make([]string, len(obs))
		for i := range obs {
			if m := &obs[i].Metrics; m.KL != nil || m.ValAcc != nil {
				ptrs[i] = fmt.Sprintf("kl %#v val %#v", deref(m.KL), deref(m.ValAcc))
				m.KL, m.ValAcc = nil, nil
			}
		}
		return fmt.Sprintf("%#v\n%#v\n%#v", v, obs, ptrs)
	}
	r := &walk.Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard}
	want := map[string]string{}
	var names []string
	for _, spec := range specs {
		p, err := walk.Preset("quick", spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Run(p); err != nil {
			t.Fatal(err)
		}
		want[p.Name] = read(st, p)
		names = append(names, p.Name)
	}
	// The layer-wise name run again with another spec (one site fewer): LoadPlan reads the one run last.
	other := specs[0]
	other.Sites = []int{4}
	last, err := walk.Preset("quick", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(last); err != nil {
		t.Fatal(err)
	}
	st.Close()

	t.Setenv("WALKINGNOISE_PRESET", "paper")
	ro, err := results.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, name := range names {
		plans, err := walk.LoadPlans(ro, name)
		if err != nil {
			t.Fatal(err)
		}
		p := plans[len(plans)-1] // the first spec run under the name
		if got := read(ro, p); got != want[name] {
			t.Errorf("%s read from the store alone differs:\n%s\nwant\n%s", name, got, want[name])
		}
		if name == last.Name {
			latest, err := walk.LoadPlan(ro, name)
			if err != nil || len(plans) != 2 || !reflect.DeepEqual(latest.Points, last.Points) {
				t.Errorf("%s: %d specs, LoadPlan gave %d points (%v), want 2 specs and the last run's %d points",
					name, len(plans), len(latest.Points), err, len(last.Points))
			}
		} else if len(plans) != 1 {
			t.Errorf("%s: %d specs stored, want 1", name, len(plans))
		}
	}
	if _, err := walk.LoadPlan(ro, "no-such-plan"); err == nil || !strings.Contains(err.Error(), names[1]) {
		t.Errorf("LoadPlan of a missing name: %v, want an error listing the stored plans", err)
	}
}

// deref returns *p, or nil for a nil pointer.
func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
