package walk

import (
	"math"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// storedRecord returns the stored record of a point.
func storedRecord(t *testing.T, st *results.Store, pt Point) results.Record {
	t.Helper()
	h, err := Hash(pt)
	if err != nil {
		t.Fatal(err)
	}
	rec, ok, err := st.Get(h)
	if err != nil || !ok {
		t.Fatalf("point %s: stored %v, %v", pt, ok, err)
	}
	return rec
}

// TestMismatchDiagonalEqualsTrainingWalk: on real MNIST, the σ_b = σ_a cells of a mismatch plan (at one site,
// and globally at site −1) hold bit for bit the accuracy and loss of the noisy-training points of the layer-wise
// (global) walk of the same setup and seeds; σ_b = 0 gives the trained model's clean accuracy (x + 0·z = x); the
// reader returns every repetition's value; a second run computes nothing; Verify recomputes a point bit for bit.
func TestMismatchDiagonalEqualsTrainingWalk(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	setup := Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 1280, TestN: 500}
	sigmas := []float64{0.3, 3}
	for _, site := range []int{3, -1} {
		walkSpec := PlanSpec{Kind: LayerWise, Setup: setup, Noise: noise.Additive, Modes: []Mode{Training},
			Sites: []int{site}, Sigmas: sigmas, Reps: 2, BaseSeed: 11}
		if site < 0 {
			walkSpec.Kind, walkSpec.Sites = GlobalAll, nil
		}
		ordinary, err := Build(walkSpec)
		if err != nil {
			t.Fatal(err)
		}
		mis, err := Build(PlanSpec{Kind: Mismatch, Setup: setup, Noise: noise.Additive, Sites: []int{site}, Sigmas: sigmas,
			EvalSigmas: []float64{0, 0.3, 1, 3}, Reps: 2, BaseSeed: 11})
		if err != nil {
			t.Fatal(err)
		}
		if want := 2 * (1 + 2*4); len(mis.Points) != want {
			t.Fatalf("site %d: %d mismatch points, want %d (2 reps × (clean + 2 σ_a × 4 σ_b))", site, len(mis.Points), want)
		}
		for _, p := range []*Plan{ordinary, mis} {
			if _, err := r.Run(p); err != nil {
				t.Fatal(err)
			}
		}
		maps, err := MismatchMaps(st, mis)
		if err != nil {
			t.Fatal(err)
		}
		if len(maps) != 1 || maps[0].Site != site || len(maps[0].Reps) != 2 {
			t.Fatalf("site %d: maps %+v", site, maps)
		}
		m := maps[0]
		diag := 0
		for _, pt := range ordinary.Points {
			if pt.Mode != Training {
				continue
			}
			want := storedRecord(t, st, pt)
			i := indexOf(m.TrainSigmas, pt.X)
			for _, mp := range mis.Points {
				if mp.Mode != Training || mp.Rep != pt.Rep || mp.X != pt.X {
					continue
				}
				got := storedRecord(t, st, mp)
				j := indexOf(m.EvalSigmas, mp.Y)
				if v := m.PerRep[i][j][pt.Rep]; v != got.Accuracy {
					t.Errorf("site %d: reader's σ_a = %g, σ_b = %g, rep %d: %v, stored %v", site, mp.X, mp.Y, pt.Rep, v, got.Accuracy)
				}
				switch mp.Y {
				case pt.X:
					diag++
					if got.Accuracy != want.Accuracy || got.Loss != want.Loss || got.Status != want.Status {
						t.Errorf("site %d, σ = %g, rep %d: mismatch diagonal %v (loss %v), training walk %v (loss %v)",
							site, pt.X, pt.Rep, got.Accuracy, got.Loss, want.Accuracy, want.Loss)
					}
				case 0:
					var wm Metrics
					if err := decodeMetrics(want, &wm); err != nil {
						t.Fatal(err)
					}
					if got.Accuracy != wm.CleanAcc {
						t.Errorf("site %d, σ_a = %g, rep %d: σ_b = 0 gives %v, want the trained model's clean accuracy %v",
							site, pt.X, pt.Rep, got.Accuracy, wm.CleanAcc)
					}
				}
			}
		}
		if diag != 4 {
			t.Errorf("site %d: %d diagonal cells compared, want 4 (2 σ × 2 reps)", site, diag)
		}
		for i := range m.Acc {
			for j := range m.Acc[i] {
				if mean := (m.PerRep[i][j][0] + m.PerRep[i][j][1]) / 2; math.Abs(m.Acc[i][j]-mean) > 1e-12 {
					t.Errorf("site %d: Acc[%d][%d] = %v, mean of repetitions %v", site, i, j, m.Acc[i][j], mean)
				}
			}
		}
		sum, err := r.Run(mis)
		if err != nil || sum.Done != 0 {
			t.Errorf("site %d: second run %v, %v: want nothing to compute", site, sum, err)
		}
		if site < 0 {
			continue
		}
		// A stored mismatch point recomputed alone (one training, one evaluation) is the stored point, bit for bit.
		recs, err := st.List(mis.Name)
		if err != nil {
			t.Fatal(err)
		}
		var some []results.Record
		for _, rec := range recs {
			if pt, err := StoredPoint(rec); err == nil && pt.Eval != nil && len(some) < 3 {
				some = append(some, rec)
			}
		}
		vs, err := r.Verify(some, 0, nil)
		if err != nil || len(vs) != 3 {
			t.Fatalf("Verify: %d points, %v", len(vs), err)
		}
		for _, v := range vs {
			if !v.Identical {
				t.Errorf("point %s: recomputed %v, stored %v", v.Point, v.Recomputed.Accuracy, v.Stored.Accuracy)
			}
		}
	}
}

func indexOf(v []float64, x float64) int {
	for i, y := range v {
		if y == x {
			return i
		}
	}
	return -1
}

func decodeMetrics(rec results.Record, m *Metrics) error { return strictjson.Unmarshal(rec.Metrics, m) }

// TestMismatchAndSchedulePlans: what Build accepts and refuses for mismatch plans and schedules, and that a
// constant schedule leaves a plan's points (and hashes) as without one.
func TestMismatchAndSchedulePlans(t *testing.T) {
	setup := Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 3}
	base := PlanSpec{Setup: setup, Noise: noise.Additive, Sites: []int{2}, Sigmas: []float64{0.1, 1}, Reps: 1,
		Modes: []Mode{Inference, Training}}
	plain, err := Build(base)
	if err != nil {
		t.Fatal(err)
	}
	constant := base
	constant.Schedule = &train.Schedule{Kind: train.Constant}
	same, err := Build(constant)
	if err != nil {
		t.Fatal(err)
	}
	if same.Name != plain.Name || same.Spec.Schedule != nil {
		t.Errorf("a constant schedule gives plan %s (schedule %v), want %s without one", same.Name, same.Spec.Schedule, plain.Name)
	}
	for i := range plain.Points {
		a, _ := Hash(plain.Points[i])
		b, _ := Hash(same.Points[i])
		if a != b {
			t.Fatalf("point %d: hash %s with a constant schedule, %s without", i, b, a)
		}
	}
	ramp := base
	ramp.Schedule = &train.Schedule{Kind: train.Ramp, Epochs: 2}
	p, err := Build(ramp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(p.Name, "-ramp2") {
		t.Errorf("ramp plan named %s, want a -ramp2 suffix", p.Name)
	}
	for _, pt := range p.Points {
		if (pt.Schedule != nil) != (pt.Mode == Training) {
			t.Errorf("point %s: schedule %v; only training points carry it", pt, pt.Schedule)
		}
		if pt.Mode == Training && schedString(pt.Schedule) != "ramp K=2" {
			t.Errorf("point %s: schedule %v", pt, pt.Schedule)
		}
	}
	bad := []struct {
		edit func(*PlanSpec)
		msg  string
	}{
		{func(s *PlanSpec) { s.Schedule = &train.Schedule{Kind: train.Ramp, Epochs: 3} }, "at least 4 epochs"},
		{func(s *PlanSpec) {
			s.Modes = []Mode{Inference}
			s.Schedule = &train.Schedule{Kind: train.Ramp, Epochs: 1}
		}, "add mode training"},
		{func(s *PlanSpec) {
			s.Kind, s.Sigmas, s.Ratios = Mixed, []float64{1}, []float64{0.5}
			s.Schedule = &train.Schedule{Kind: train.PerExample, Alpha: 1}
		}, "per-example σ needs add or mul noise"},
		{func(s *PlanSpec) { s.EvalSigmas = []float64{1} }, "does not read eval_sigmas"},
		{func(s *PlanSpec) { s.Kind, s.Modes, s.EvalSigmas = Mismatch, nil, []float64{1}; s.Sites = nil }, "needs its sites"},
		{func(s *PlanSpec) { s.Kind, s.Modes = Mismatch, nil }, "needs eval_sigmas"},
		{func(s *PlanSpec) { s.Kind, s.EvalSigmas = Mismatch, []float64{1} }, "modes are training"},
		{func(s *PlanSpec) {
			s.Kind, s.Modes, s.EvalSigmas, s.Noise = Mismatch, nil, []float64{1}, noise.Combined
		}, "add or mul noise"},
		{func(s *PlanSpec) { s.Kind, s.Modes, s.EvalSigmas = Mismatch, nil, []float64{-1} }, "finite and ≥ 0"},
		{func(s *PlanSpec) { s.Sites = []int{-1} }, "site -1 out of range"},
	}
	for i, c := range bad {
		s := base
		c.edit(&s)
		if _, err := Build(s); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("case %d: %v, want an error containing %q", i, err, c.msg)
		}
	}
	// The quick preset fills a mismatch plan's grids: σ_b = σ_a, training mode.
	q, err := Preset("quick", PlanSpec{Kind: Mismatch, Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Sites: []int{-1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Spec.Sigmas) != 5 || len(q.Spec.EvalSigmas) != 5 || len(q.Spec.Modes) != 1 || q.Spec.Modes[0] != Training || q.Name != "mismatch-mlp-tfc-bn-mnist-add-e1" {
		t.Errorf("quick mismatch plan %s: σ_a %v, σ_b %v, modes %v", q.Name, q.Spec.Sigmas, q.Spec.EvalSigmas, q.Spec.Modes)
	}
}

func schedString(s *train.Schedule) string {
	if s == nil {
		return "<nil>"
	}
	return s.String()
}

func TestWindowAccuracy(t *testing.T) {
	nan := math.NaN()
	m := MismatchMap{Name: "global", TrainSigmas: []float64{0.1, 1}, EvalSigmas: []float64{0, 0.1, 1, 10}, Reps: []int{0, 1},
		PerRep: [][][]float64{
			{{98, 97}, {90, 91}, {50, 40}, {10, 10}},
			{{97, 96}, {92, 93}, {80, 70}, {nan, 12}},
		}}
	got, err := WindowAccuracy(m, 1, 0.1, 1) // σ_b 0.1 and 1: (92+80)/2, (93+70)/2
	if err != nil || len(got) != 2 || got[0] != 86 || got[1] != 81.5 {
		t.Errorf("WindowAccuracy = %v, %v; want [86 81.5]", got, err)
	}
	if c, err := m.Cell(0.1, 1); err != nil || c[0] != 50 || c[1] != 40 {
		t.Errorf("Cell(0.1, 1) = %v, %v; want [50 40]", c, err)
	}
	for name, f := range map[string]func() ([]float64, error){
		"cell: no column": func() ([]float64, error) { return m.Cell(0.1, 3) },
		"cell: missing":   func() ([]float64, error) { return m.Cell(1, 10) },
		"no row":          func() ([]float64, error) { return WindowAccuracy(m, 0.3, 0.1, 1) },
		"empty window":    func() ([]float64, error) { return WindowAccuracy(m, 1, 2, 5) },
		"missing":         func() ([]float64, error) { return WindowAccuracy(m, 1, 1, 10) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
