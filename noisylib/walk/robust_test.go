package walk

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// TestPresetPartialModelName: a model name without its variant is an error listing the valid names in
// every preset, never a panic (issue 14, fault 6).
func TestPresetPartialModelName(t *testing.T) {
	for _, preset := range Presets {
		for _, name := range []string{"lenet5", "mlp-tfc", "", "-", "bn", "x-bn-nonoise", "lenet5-nonoise"} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Preset(%s, model %q) panicked: %v", preset, name, r)
					}
				}()
				_, err := Preset(preset, PlanSpec{Model: name, Data: "mnist"})
				if err == nil || !strings.Contains(err.Error(), "valid models are") {
					t.Errorf("Preset(%s, model %q): error %v, want one listing the valid models", preset, name, err)
				}
			}()
		}
	}
}

// fill stores a record for every point of the plan with the accuracy acc(point), as the runner would.
func fill(t *testing.T, st *results.Store, p *Plan, acc func(Point) float64) {
	t.Helper()
	for _, pt := range p.Points {
		h, err := Hash(pt)
		if err != nil {
			t.Fatal(err)
		}
		cfg, _ := json.Marshal(pt)
		if err := st.Put(results.Record{Hash: h, Plan: pt.Plan, Config: cfg, Seed: int64(pt.Seed),
			Status: results.StatusDone, Accuracy: acc(pt), Host: "test"}); err != nil {
			t.Fatal(err)
		}
	}
}

func tempStore(t *testing.T) *results.Store {
	t.Helper()
	st, err := results.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// logistic is a falling accuracy curve: 90 % for small σ, 10 % for large, crossing 50 % at σ = mid.
func logistic(sigma, mid float64) float64 {
	if sigma == 0 {
		return 90
	}
	return 10 + 80/(1+math.Pow(sigma/mid, 2))
}

// TestMidpointIgnoresCleanPointOnLogGrid: adding σ = 0 to a log grid leaves every midpoint unchanged (issue 14,
// fault 1: one σ = 0 switched the whole curve to linear interpolation, bn1 2.59 → 4.73).
func TestMidpointIgnoresCleanPointOnLogGrid(t *testing.T) {
	mids := map[int]float64{0: 0.3, 3: 2.59, 6: 40}
	acc := func(pt Point) float64 {
		if pt.Mode == Clean {
			return 90
		}
		return logistic(pt.X, mids[pt.Site])
	}
	var got [2][]SiteCurve
	for i, sigmas := range [][]float64{{0.01, 0.1, 1, 10, 100}, {0, 0.01, 0.1, 1, 10, 100}} {
		st := tempStore(t)
		p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1},
			Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{0, 3, 6}, Sigmas: sigmas, Reps: 1})
		if err != nil {
			t.Fatal(err)
		}
		fill(t, st, p, acc)
		if got[i], err = Curves(st, p); err != nil {
			t.Fatal(err)
		}
		if len(got[i]) != 3 {
			t.Fatalf("grid %v: %d curves, want 3", sigmas, len(got[i]))
		}
	}
	for k := range got[0] {
		a, b := got[0][k].Mid, got[1][k].Mid
		if a.Grid != analysis.LogGrid || b.Grid != analysis.LogGrid {
			t.Errorf("site %s: spacing %v and %v, want log for both grids", got[0][k].Name, a.Grid, b.Grid)
		}
		if a.Sigma != b.Sigma || a.Censored != b.Censored {
			t.Errorf("site %s: midpoint %v without σ = 0, %v with it: want the same", got[0][k].Name, a, b)
		}
	}
	// The log interpolation of a logistic in log σ between grid points recovers the crossing within a factor 2.
	if m := got[1][1].Mid.Sigma; !(m > 2.59/2 && m < 2.59*2) {
		t.Errorf("site 3 midpoint %g, want near 2.59", m)
	}
}

// TestGridIsASet: a repeated σ (written the same or differently), an unsorted grid and repeated sites give the
// plan and the midpoints of the normalised grid (issue 14, fault 2: `-sigmas 0.01,0.1,1,1,10,100` printed an
// empty table).
func TestGridIsASet(t *testing.T) {
	build := func(sigmas []float64, sites []int) (*Plan, []SiteCurve) {
		st := tempStore(t)
		p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1},
			Modes: []Mode{Inference, Inference}, Noise: noise.Additive, Sites: sites, Sigmas: sigmas, Reps: 2})
		if err != nil {
			t.Fatal(err)
		}
		fill(t, st, p, func(pt Point) float64 {
			if pt.Mode == Clean {
				return 90
			}
			return logistic(pt.X, 1+float64(pt.Site))
		})
		c, err := Curves(st, p)
		if err != nil {
			t.Fatal(err)
		}
		return p, c
	}
	one, _ := strconv.ParseFloat("1.0", 64)
	want, wantC := build([]float64{0.01, 0.1, 1, 10, 100}, []int{0, 3})
	for _, g := range [][]float64{{0.01, 0.1, 1, 1, 10, 100}, {100, 10, 1, 0.1, 0.01}, {0.01, 0.1, 1, one, 1e0, 10, 100, 100}} {
		p, c := build(g, []int{3, 0, 3})
		if len(p.Points) != len(want.Points) {
			t.Errorf("grid %v: %d points, want %d", g, len(p.Points), len(want.Points))
		}
		if !slices.Equal(p.Spec.Sigmas, want.Spec.Sigmas) {
			t.Errorf("grid %v normalised to %v, want %v", g, p.Spec.Sigmas, want.Spec.Sigmas)
		}
		if len(c) != len(wantC) || len(c) != 2 {
			t.Fatalf("grid %v: %d curves, want %d", g, len(c), len(wantC))
		}
		for k := range c {
			if c[k].Mid.Sigma != wantC[k].Mid.Sigma || c[k].AMax != 90 {
				t.Errorf("grid %v site %s: midpoint %v, a_max %g; want %v, 90", g, c[k].Name, c[k].Mid, c[k].AMax, wantC[k].Mid)
			}
		}
	}
	if g := NormalizeGrid([]float64{math.Copysign(0, -1), 0, 2, 1}); len(g) != 3 || math.Signbit(g[0]) {
		t.Errorf("NormalizeGrid(-0, 0, 2, 1) = %v, want [0 1 2]", g)
	}
}

// TestSpacingIsExplicit: the spacing comes from the plan kind and preset, never from the values: the paper's
// multiplicative grid is linear, the quick one log, a direct plan linear, and a bad spacing is an error.
func TestSpacingIsExplicit(t *testing.T) {
	for _, tc := range []struct {
		preset string
		spec   PlanSpec
		want   analysis.Grid
	}{
		{"paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Noise: noise.Multiplicative}, analysis.LinearGrid},
		{"paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Noise: noise.Multiplicative, Sigmas: []float64{1, 10, 100}}, analysis.LinearGrid},
		{"paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Noise: noise.Multiplicative, Spacing: "log", Sigmas: []float64{1, 10, 100}}, analysis.LogGrid},
		{"paper", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}}, analysis.LogGrid},
		{"quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Noise: noise.Multiplicative}, analysis.LogGrid},
		{"quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Sigmas: []float64{0, 0.1, 0.2, 0.3}}, analysis.LogGrid},
		{"quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Kind: Direct}, analysis.LinearGrid},
	} {
		p, err := Preset(tc.preset, tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if g, err := p.Spec.Grid(); err != nil || g != tc.want {
			t.Errorf("%s %+v: spacing %v (%v), want %v", tc.preset, tc.spec, g, err, tc.want)
		}
	}
	if _, err := Preset("quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Spacing: "logarithmic"}); err == nil {
		t.Errorf("spacing logarithmic accepted")
	}
	if _, err := Preset("quick", PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Sigmas: []float64{0, 0}}); err == nil {
		t.Errorf("a log grid of only σ = 0 accepted")
	}
}

// TestPlanFileUnknownKeys: misspelled keys of a plan file, and of the noise specs inside stored points, are
// errors naming the key and the valid ones (issue 14, fault 3: "sigma", "mode", "site" silently ran the
// default grid on every site).
func TestPlanFileUnknownKeys(t *testing.T) {
	for _, key := range []string{"sigma", "mode", "site", "ratio", "budget", "seed", "epoch"} {
		_, err := ParsePlanSpec([]byte(`{"model": "mlp-tfc-bn", "` + key + `": [1]}`))
		if err == nil {
			t.Errorf("plan with key %q accepted", key)
			continue
		}
		for _, want := range []string{`"` + key + `"`, "sigmas", "modes", "sites", "train_n"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("key %q: error %q lacks %q", key, err, want)
			}
		}
	}
	spec, err := ParsePlanSpec([]byte(`{"model": "mlp-tfc-bn", "data": "mnist", "sigmas": [0.1, 1], "modes": ["inference"], "sites": [3]}`))
	if err != nil || spec.Model != "mlp-tfc-bn" || len(spec.Sigmas) != 2 || spec.Sites[0] != 3 {
		t.Errorf("valid plan: %+v, %v", spec, err)
	}
	var cfg noise.Config
	if err := json.Unmarshal([]byte(`{"default": {"type": "add", "sigm": 0.5}}`), &cfg); err == nil ||
		!strings.Contains(err.Error(), `"sigm"`) {
		t.Errorf("noise spec with key sigm: %v, want an unknown-field error", err)
	}
	// Stored metrics with an unknown key are an error, not silently dropped.
	st := tempStore(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Modes: []Mode{Inference},
		Noise: noise.Additive, Sites: []int{0}, Sigmas: []float64{1}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := Hash(p.Points[0])
	cfgJSON, _ := json.Marshal(p.Points[0])
	if err := st.Put(results.Record{Hash: h, Plan: p.Name, Config: cfgJSON, Status: results.StatusDone, Accuracy: 90,
		Metrics: json.RawMessage(`{"clean_accc": 90}`), Host: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Observations(st, p); err == nil || !strings.Contains(err.Error(), "clean_accc") {
		t.Errorf("Observations with a misspelled metric: %v, want an error naming it", err)
	}
}

// TestWalkFlagsRunsThatDidNotLearn: a walk stores the warning of a training that did not learn, counts it in
// its summary and its curve, and keeps the measured accuracy (issue 14, fault 12).
func TestWalkFlagsRunsThatDidNotLearn(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-nobn", Data: "mnist", Epochs: 1, TrainN: 1000, TestN: 256},
		Modes: []Mode{Training}, Noise: noise.Multiplicative, Sites: []int{3}, Sigmas: []float64{0.1, 1e10}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := r.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Flagged != 1 || !strings.Contains(sum.String(), "WARNING") {
		t.Errorf("summary %v: %d flagged, want 1", sum, sum.Flagged)
	}
	obs, err := Observations(st, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Mode == Training && (len(o.Metrics.Epochs) != 1 || !math.IsNaN(o.Metrics.Epochs[0].TestAcc) || o.Metrics.CleanAcc == 0) {
			// Found with fault 12: epochs with a NaN test loss made json.Marshal fail, and every training
			// point was stored without metrics.
			t.Errorf("σ=%g: stored metrics %+v, want one epoch (test accuracy NaN: not evaluated) and the clean accuracy", o.X, o.Metrics)
		}
		if (o.X == 1e10) != (o.Metrics.Warning != "") {
			t.Errorf("σ=%g: warning %q, epochs %+v", o.X, o.Metrics.Warning, o.Metrics.Epochs)
		}
		if o.X == 1e10 && (o.Status != results.StatusDone || o.Accuracy == 10) {
			t.Logf("σ=1e10: status %s accuracy %v", o.Status, o.Accuracy)
		}
	}
	curves, err := Curves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 1 || curves[0].Flagged != 1 {
		t.Errorf("curves %+v, want one with 1 flagged point", curves)
	}
}

// TestReadersPerKind: every plan kind has its reader; points that differ in ratio, order or site are never
// merged, and a reader given another kind is an error (issue 14, fault 13: the CLI keyed mixed points by site
// and amplitude only, so the ratios overwrote each other).
func TestReadersPerKind(t *testing.T) {
	st := tempStore(t)
	setup := Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}
	mixed, err := Build(PlanSpec{Kind: Mixed, Setup: setup, Modes: []Mode{Inference}, Sites: []int{2, 4}, BothOrders: true,
		Sigmas: []float64{0.01, 0.1, 1, 10, 100}, Ratios: []float64{0.01, 0.5, 0.99}, Reps: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The midpoint amplitude depends on site, ratio and order: 1 + site + 10·r (+ 5 for add→mul).
	// Repetition 1 collapses at twice the amplitude of repetition 0 (MixedCurve.PerRep reads them apart).
	mid := func(pt Point) float64 {
		m := 1 + float64(pt.Site) + 10*pt.Y
		if pt.Noise.Sites[pt.Site].AddFirst {
			m += 5
		}
		return m * float64(1+pt.Rep)
	}
	fill(t, st, mixed, func(pt Point) float64 {
		if pt.Mode == Clean {
			return 90
		}
		return logistic(pt.X, mid(pt))
	})
	curves, err := MixedCurves(st, mixed)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 2*2*3 {
		t.Fatalf("%d mixed curves, want 12 (2 sites × 2 orders × 3 ratios)", len(curves))
	}
	for _, c := range curves {
		want := 1 + float64(c.Site) + 10*c.Ratio
		if c.AddFirst {
			want += 5
		}
		// A logistic in log σ crossing 50 % at `want` (repetition 0) and 2·want (repetition 1), interpolated in
		// log σ on a decade grid: within ×2; the mean curve's midpoint lies between them.
		if len(c.PerRep) != 2 || !(c.PerRep[0].Sigma > want/2 && c.PerRep[0].Sigma < want*2) ||
			!(c.PerRep[1].Sigma > want && c.PerRep[1].Sigma < want*4) || !(c.PerRep[1].Sigma > c.PerRep[0].Sigma) {
			t.Errorf("%s %s r=%g: per-repetition midpoints %v, want near %g and %g", c.Name, c.Order(), c.Ratio, c.PerRep, want, 2*want)
		}
		if !(c.Mid.Sigma > c.PerRep[0].Sigma && c.Mid.Sigma < c.PerRep[1].Sigma) {
			t.Errorf("%s %s r=%g: midpoint of the mean %v, want between the repetitions' %v", c.Name, c.Order(), c.Ratio, c.Mid, c.PerRep)
		}
	}
	if _, err := Curves(st, mixed); err == nil || !strings.Contains(err.Error(), "MixedCurves") {
		t.Errorf("Curves of a mixed plan: %v, want an error naming MixedCurves", err)
	}

	direct, err := Build(PlanSpec{Kind: Direct, Setup: setup, Modes: []Mode{Inference}, Sites: []int{1, 3},
		Sigmas: []float64{0, 1, 2}, Ratios: []float64{0, 0.5}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	cell := func(pt Point) float64 { return 90 - 10*pt.X - 20*pt.Y - float64(pt.Site) }
	fill(t, st, direct, func(pt Point) float64 {
		if pt.Mode == Clean {
			return 90
		}
		return cell(pt)
	})
	maps, err := DirectMaps(st, direct)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 2 {
		t.Fatalf("%d direct maps, want 2 (one per site)", len(maps))
	}
	for _, d := range maps {
		for i, sm := range d.SigmaMul {
			for j, sa := range d.SigmaAdd {
				if want := 90 - 10*sm - 20*sa - float64(d.Site); d.Acc[i][j] != want {
					t.Errorf("site %s σ_mul %g σ_add %g: %v, want %v", d.Name, sm, sa, d.Acc[i][j], want)
				}
			}
		}
	}
	if _, err := MixedCurves(st, direct); err == nil {
		t.Errorf("MixedCurves of a direct plan succeeded")
	}

	me, err := Build(PlanSpec{Kind: MultiExec, Setup: setup, Sigmas: []float64{0.35}, Budgets: []int{1, 2},
		Policies: []string{"global", "inverse_lin"}, SiteMidpoints: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Reps: 3})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, st, me, func(pt Point) float64 {
		if pt.Mode == Clean {
			return 90
		}
		return 10*pt.X + float64(pt.Rep) + map[string]float64{"global": 0, "inverse_lin": 30}[pt.Policy]
	})
	res, err := ExecResults(st, me)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("%d multi-execution results, want 4", len(res))
	}
	for _, r := range res {
		want := 10*float64(r.Budget) + 1 + map[string]float64{"global": 0, "inverse_lin": 30}[r.Policy]
		if r.Mean != want || r.N != 3 || r.Std != 1 {
			t.Errorf("%s B=%d: mean %v std %v n %d, want %v, 1, 3", r.Policy, r.Budget, r.Mean, r.Std, r.N, want)
		}
		if !slices.Equal(r.Reps, []int{0, 1, 2}) || !slices.Equal(r.Acc, []float64{want - 1, want, want + 1}) {
			t.Errorf("%s B=%d: per-repetition %v %v, want reps 0..2 with %v ± 1", r.Policy, r.Budget, r.Reps, r.Acc, want)
		}
	}
	if g, err := TailoredGain(res, "inverse_lin", 2, 0.95); err != nil || g.Mean != 30 || g.SD != 0 {
		t.Errorf("TailoredGain from the store = %v, %v; want exactly 30 points (paired: the repetition offsets cancel)", g, err)
	}
	if _, err := Curves(st, me); err == nil {
		t.Errorf("Curves of a multiexec plan succeeded")
	}
}

// TestFieldsTheKindDoesNotRead: plan fields that the plan's kind ignores are errors, and a plan too large to
// expand is refused before it is expanded.
func TestFieldsTheKindDoesNotRead(t *testing.T) {
	setup := Setup{Model: "mlp-tfc-bn", Data: "mnist"}
	for _, spec := range []PlanSpec{
		{Setup: setup, Ratios: []float64{0.5}},
		{Setup: setup, BothOrders: true},
		{Setup: setup, Kind: GlobalAll, Sites: []int{3}},
		{Setup: setup, Budgets: []int{1}},
		{Setup: setup, Kind: Mixed, SiteMidpoints: []float64{1}},
		{Setup: setup, Reps: 1_000_000_000},
	} {
		if _, err := Preset("quick", spec); err == nil {
			t.Errorf("Preset(%+v) succeeded", spec)
		}
	}
}
