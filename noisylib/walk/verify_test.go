package walk

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// TestVerifyRecomputes runs a small plan on the synthetic data set (clean, stacked inference sweeps with common
// and independent draws, trainings on two workers), then recomputes every stored point alone, clean models
// included (empty cache): all are bit-identical. A stored accuracy tampered by 0.5 points is detected at
// tolerance 0 and accepted at tolerance 1.
func TestVerifyRecomputes(t *testing.T) {
	datatest.RegisterStripes()
	dir := t.TempDir()
	st, err := results.Open(filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard, Workers: 2}
	for _, draws := range []Draws{Common, Independent} {
		modes := []Mode{Inference}
		if draws == Common {
			modes = append(modes, Training)
		}
		p, err := Build(PlanSpec{Name: "v-" + string(draws), Setup: Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2},
			Modes: modes, Noise: noise.Additive, Sites: []int{2, 4}, Sigmas: analysis.Logspace(0.1, 100, 4), Draws: draws,
			Reps: 1, BaseSeed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Run(p); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := st.List("")
	if err != nil {
		t.Fatal(err)
	}
	fresh := &Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "empty-cache"), Progress: io.Discard}
	vs, err := fresh.Verify(recs, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	modes := map[Mode]int{}
	for _, v := range vs {
		modes[v.Point.Mode]++
		if !v.Identical || !v.Agrees {
			t.Errorf("%s: stored %v %v (%s), recomputed %v %v (%s)", v.Point, v.Stored.Accuracy, v.Stored.Loss, v.Stored.Status,
				v.Recomputed.Accuracy, v.Recomputed.Loss, v.Recomputed.Status)
		}
	}
	if len(vs) != 2+16+8 || modes[Clean] != 2 || modes[Inference] != 16 || modes[Training] != 8 {
		t.Fatalf("verified %d points %v, want 26: 2 clean, 16 inference, 8 training", len(vs), modes)
	}

	// Tamper with one inference and one training point.
	for _, m := range []Mode{Inference, Training} {
		var rec results.Record
		for _, v := range vs {
			if v.Point.Mode == m {
				rec = v.Stored
				break
			}
		}
		rec.Accuracy += 0.5
		if err := st.Put(rec); err != nil {
			t.Fatal(err)
		}
		got, err := fresh.Verify([]results.Record{rec}, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Agrees || got[0].Identical || got[0].AccDiff() != -0.5 {
			t.Errorf("%s: a stored accuracy raised by 0.5 points: agrees %v, identical %v, difference %v", m, got[0].Agrees,
				got[0].Identical, got[0].AccDiff())
		}
		if got, _ := fresh.Verify([]results.Record{rec}, 1, nil); !got[0].Agrees {
			t.Errorf("%s: a 0.5-point difference rejected at tolerance 1", m)
		}
	}
	if _, err := fresh.Verify(recs[:1], -1, nil); err == nil {
		t.Error("negative tolerance accepted")
	}
}

// TestSample: a seeded random choice without replacement among finished points, reproducible, limited by the
// estimated recomputation time (an inference point counts its clean model's training).
func TestSample(t *testing.T) {
	st := tempStore(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1}, Modes: []Mode{Inference}, Noise: noise.Additive,
		Sites: []int{1}, Sigmas: []float64{1, 2, 3, 4, 5}, Reps: 2, BaseSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, st, p, func(Point) float64 { return 50 })
	recs, _ := st.List("")
	for i := range recs { // clean points took 10 s, inference points 1 s
		recs[i].DurationSec = 1
		if pt, _ := StoredPoint(recs[i]); pt.Mode == Clean {
			recs[i].DurationSec = 10
		}
		if err := st.Put(recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	a, err := Sample(st, recs, 5, 9, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Sample(st, recs, 5, 9, 0)
	seen := map[string]bool{}
	for i := range a {
		if a[i].Hash != b[i].Hash {
			t.Error("the same seed chose other points")
		}
		if seen[a[i].Hash] {
			t.Error("a point chosen twice")
		}
		seen[a[i].Hash] = true
	}
	if len(a) != 5 {
		t.Errorf("%d points sampled, want 5", len(a))
	}
	if all, _ := Sample(st, recs, 100, 1, 0); len(all) != len(recs) {
		t.Errorf("asking for more than there are: %d, want all %d", len(all), len(recs))
	}
	// A second plan's clean point of the same clean model, read from the cache in 0.1 s, counts as the 10 s of
	// the training it reused. 10.5 s: only the clean points fit; inference points need 1 s + their clean model's 10 s.
	other, err := Build(PlanSpec{Name: "other", Setup: p.Spec.Setup, Modes: []Mode{Clean}, Noise: noise.Additive, Reps: 2, BaseSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, st, other, func(Point) float64 { return 50 })
	otherRecs, _ := st.List("other")
	for _, rec := range otherRecs {
		rec.DurationSec = 0.1
		if err := st.Put(rec); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	cheap, _ := Sample(st, recs, 100, 1, 10.5)
	for _, rec := range cheap {
		if pt, _ := StoredPoint(rec); pt.Mode != Clean {
			t.Errorf("an inference point (11 s with its clean model) sampled under a 10.5 s limit")
		}
	}
	if len(cheap) != 4 {
		t.Errorf("%d points under 10.5 s, want the 4 clean ones", len(cheap))
	}
	if none, _ := Sample(st, recs, 100, 1, 9); len(none) != 0 {
		t.Errorf("%d points under 9 s, want none (the cached clean points count their model's 10 s training)", len(none))
	}
}

// TestRepetitionIntervalsAndVerifyWithin: the prediction interval of a point is computed from exactly the stored
// accuracies of its repetitions (same mode, site and σ; other seeds); VerifyWithin accepts a recomputation that
// is not bit-identical when it lies within the point's interval and rejects it outside.
func TestRepetitionIntervalsAndVerifyWithin(t *testing.T) {
	datatest.RegisterStripes()
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Name: "within", Setup: Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2},
		Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{4}, Sigmas: []float64{0.3, 3}, Reps: 3, BaseSeed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	recs, err := st.List("")
	if err != nil {
		t.Fatal(err)
	}
	ivs, err := RepetitionIntervals(recs, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	byCondition := map[[2]float64][]float64{} // mode (0 clean, 1 inference), σ → accuracies of the 3 repetitions
	cond := func(rec results.Record) [2]float64 {
		pt, err := StoredPoint(rec)
		if err != nil {
			t.Fatal(err)
		}
		if pt.Mode == Clean {
			return [2]float64{0, 0}
		}
		return [2]float64{1, pt.X}
	}
	for _, rec := range recs {
		byCondition[cond(rec)] = append(byCondition[cond(rec)], rec.Accuracy)
	}
	if len(recs) != 9 || len(byCondition) != 3 {
		t.Fatalf("%d records in %d conditions, want 9 in 3 (clean, σ 0.3, σ 3; 3 repetitions each)", len(recs), len(byCondition))
	}
	for i, rec := range recs {
		want, _ := analysis.PredictionInterval(byCondition[cond(rec)], 0.99)
		if ivs[i].N != 3 || ivs[i].Lo != want.Lo || ivs[i].Hi != want.Hi {
			t.Errorf("point %d (%v): interval %+v, want %+v from %v", i, cond(rec), ivs[i], want, byCondition[cond(rec)])
		}
	}

	var rec results.Record
	for _, x := range recs {
		if cond(x)[0] == 1 {
			rec = x
			break
		}
	}
	acc := rec.Accuracy
	rec.Accuracy += 0.5 // as if stored by another CPU
	if err := st.Put(rec); err != nil {
		t.Fatal(err)
	}
	inside := analysis.Interval{Lo: acc - 1, Hi: acc + 1, N: 3}
	outside := analysis.Interval{Lo: acc + 0.2, Hi: acc + 2, N: 3}
	for _, c := range []struct {
		iv    analysis.Interval
		agree bool
	}{{inside, true}, {outside, false}} {
		got, err := r.VerifyWithin([]results.Record{rec}, []analysis.Interval{c.iv}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Identical || got[0].Agrees != c.agree || got[0].Recomputed.Accuracy != acc {
			t.Errorf("recomputed %v, stored %v, interval %v … %v: identical %v, agrees %v; want not identical, agrees %v",
				got[0].Recomputed.Accuracy, rec.Accuracy, c.iv.Lo, c.iv.Hi, got[0].Identical, got[0].Agrees, c.agree)
		}
	}
	if _, err := r.VerifyWithin(recs, ivs[:1], nil); err == nil {
		t.Error("VerifyWithin with fewer intervals than records: want an error")
	}
}

// TestEvaluationVersion: inference points carry EvaluationVersion and training and clean points do not (their
// configurations, and so their hashes, are those of before it existed), an inference point shares its clean
// model's key with the plan's clean point, and a stored inference point of another evaluation version is
// refused, like one of another ResultsVersion; its noise seed does not depend on the evaluation version.
func TestEvaluationVersion(t *testing.T) {
	datatest.RegisterStripes()
	p, err := Build(PlanSpec{Name: "ev", Setup: Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 1},
		Modes: []Mode{Inference, Training}, Noise: noise.Additive, Sites: []int{0}, Sigmas: []float64{0.1, 1}, Reps: 1, BaseSeed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var clean cleanKey
	modes := map[Mode]int{}
	for _, pt := range p.Points {
		modes[pt.Mode]++
		cfg, err := json.Marshal(pt)
		if err != nil {
			t.Fatal(err)
		}
		has := strings.Contains(string(cfg), `"eval_version":`)
		if want := pt.Mode == Inference; has != want || pt.EvalVersion != evalVersion(pt.Mode) {
			t.Errorf("%s: eval_version in its configuration %v (want %v), EvalVersion %d", pt, has, want, pt.EvalVersion)
		}
		if pt.Mode == Clean {
			clean = pt.cleanKey()
		}
	}
	if modes[Clean] != 1 || modes[Inference] != 2 || modes[Training] != 2 {
		t.Fatalf("plan points by mode %v, want 1 clean, 2 inference, 2 training", modes)
	}
	for _, pt := range p.Points {
		if pt.Mode == Inference && pt.cleanKey() != clean {
			t.Errorf("%s: clean key %+v differs from the clean point's %+v", pt, pt.cleanKey(), clean)
		}
	}

	record := func(pt Point) results.Record {
		cfg, err := json.Marshal(pt)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Hash(pt)
		if err != nil {
			t.Fatal(err)
		}
		return results.Record{Hash: h, Config: cfg}
	}
	for _, pt := range p.Points {
		if _, err := StoredPoint(record(pt)); err != nil {
			t.Errorf("%s: %v", pt, err)
		}
		if pt.Mode != Inference {
			continue
		}
		old := pt
		old.EvalVersion = 0
		if _, err := StoredPoint(record(old)); err == nil || !strings.Contains(err.Error(), "evaluation version 0") {
			t.Errorf("%s: an inference point of evaluation version 0 gives %v, want an error", pt, err)
		}
		if h0, h := record(old).Hash, record(pt).Hash; h0 == h {
			t.Errorf("%s: the evaluation version does not change the hash", pt)
		}
		// Its noise draws do not depend on the evaluation version, with either draw policy.
		for _, d := range []Draws{Common, Independent} {
			pt.Draws, old.Draws = d, d
			s, err := NoiseSeed(pt)
			if err != nil {
				t.Fatal(err)
			}
			if s0, _ := NoiseSeed(old); s != s0 {
				t.Errorf("%s, %s draws: noise seed %d, %d at evaluation version 0", pt, d, s, s0)
			}
		}
	}
}
