package walk

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// TestKLCurves: an inference walk stores each point's KL sensitivity; the reader returns it per site and
// repetition, positive and growing with σ, still growing where the accuracy has reached chance.
func TestKLCurves(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2000, TestN: 500},
		Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{0, 10}, Sigmas: []float64{0.1, 1, 10, 1000, 1e5}, Reps: 2, BaseSeed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	kl, err := KLCurves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	curves, err := Curves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(kl) != 2 || kl[0].Name != "0:input" || kl[1].Name != "10:logits" {
		t.Fatalf("KL curves %+v: want sites 0:input and 10:logits", kl)
	}
	for i, c := range kl {
		for rep := range 2 {
			for k := 1; k < len(c.Sigmas); k++ {
				a, b := c.KL[k-1][rep], c.KL[k][rep]
				if !(a > 0 && b > a) {
					t.Errorf("%s rep %d: KL %g at σ=%g, %g at σ=%g: want positive and growing", c.Name, rep, a, c.Sigmas[k-1], b, c.Sigmas[k])
				}
			}
		}
		acc := curves[i].Curve.Mean()
		last := len(acc) - 1
		if math.Abs(acc[last]-acc[last-1]) < 3 && !(c.Mean()[last] > 2*c.Mean()[last-1]) {
			t.Errorf("%s: accuracy flat at %v but KL %v does not keep growing", c.Name, acc[last-1:], c.Mean()[last-1:])
		}
		if v, ok := c.At(1); !ok || len(v) != 2 {
			t.Errorf("%s: At(1) = %v, %v", c.Name, v, ok)
		}
	}
	training := *p
	training.Spec.Modes = []Mode{Training}
	if _, err := KLCurves(st, &training); err == nil {
		t.Error("KLCurves of a plan without inference: want an error")
	}
}

// TestBackfillKL: inference points stored without KL (as by the code before KL) get back exactly the KL a walk
// stores, the rest of their records unchanged; a point whose stored accuracy differs from its recomputation gets
// none and is reported; training points are not candidates.
func TestBackfillKL(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2000, TestN: 500},
		Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{0, 4}, Sigmas: []float64{0.3, 3, 30}, Reps: 2, BaseSeed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	orig, err := st.List(p.Name)
	if err != nil {
		t.Fatal(err)
	}
	kl := map[string]float64{}
	var stripped []results.Record
	tampered := ""
	for _, rec := range orig {
		if pt, err := StoredPoint(rec); err != nil || pt.Mode != Inference { // the clean points: no KL, no candidates
			stripped = append(stripped, rec)
			continue
		}
		var m Metrics
		if err := decodeMetrics(rec, &m); err != nil {
			t.Fatal(err)
		}
		if m.KL == nil {
			t.Fatalf("point %s stored no KL", rec.Hash)
		}
		kl[rec.Hash] = *m.KL
		m.KL = nil
		rec.Metrics, _ = json.Marshal(m)
		if tampered == "" {
			tampered, rec.Accuracy = rec.Hash, rec.Accuracy+0.01
		}
		stripped = append(stripped, rec)
	}
	if err := st.PutAll(stripped); err != nil {
		t.Fatal(err)
	}
	got, err := r.BackfillKL(stripped)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(kl); n != 12 || got.Candidates != n || got.Filled != n-1 || len(got.Differ) != 1 || got.Differ[0].Stored.Hash != tampered {
		t.Fatalf("backfill: %d candidates, %d filled, %d differ; want 12 (2 sites × 3 σ × 2 repetitions), 11, 1 (%s)",
			got.Candidates, got.Filled, len(got.Differ), tampered)
	}
	after, err := st.List(p.Name)
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]results.Record{}
	for _, rec := range stripped {
		before[rec.Hash] = rec
	}
	for _, rec := range after {
		var m Metrics
		if err := decodeMetrics(rec, &m); err != nil {
			t.Fatal(err)
		}
		b := before[rec.Hash]
		want, inference := kl[rec.Hash]
		if rec.Accuracy != b.Accuracy || rec.Loss != b.Loss || !rec.CreatedAt.Equal(b.CreatedAt) || rec.DurationSec != b.DurationSec {
			t.Errorf("point %s: record changed beyond its metrics: %+v, was %+v", rec.Hash, rec, b)
		}
		switch {
		case rec.Hash == tampered && m.KL != nil:
			t.Errorf("tampered point %s got KL %g", rec.Hash, *m.KL)
		case rec.Hash != tampered && inference && (m.KL == nil || *m.KL != want):
			t.Errorf("point %s: KL %v after backfill, want %g (as the walk stored)", rec.Hash, m.KL, want)
		case !inference && m.KL != nil:
			t.Errorf("clean point %s got KL %g", rec.Hash, *m.KL)
		}
	}
	again, err := r.BackfillKL(after)
	if err != nil || again.Candidates != 1 {
		t.Errorf("second backfill: %+v, %v; want only the tampered point as a candidate", again, err)
	}
}
