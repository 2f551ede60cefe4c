package walk

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"testing"

	"github.com/gomlx/compute"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

func needMNIST(t *testing.T) {
	t.Helper()
	datatest.Load(t, "mnist")
}

func newRunner(t *testing.T) (*Runner, *results.Store) {
	t.Helper()
	dir := t.TempDir()
	st, err := results.Open(filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{Store: st, Backend: b, CacheDir: filepath.Join(dir, "cache"), Progress: io.Discard}, st
}

// TestRunResumeAndTrend runs a small layer-wise walk in both modes, checks that a re-run does no work, and
// that noisy training raises the midpoint noise level over inference-only at the walked sites.
func TestRunResumeAndTrend(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 10000, TestN: 1000},
		Noise: noise.Additive, Sites: []int{0, 3}, Sigmas: []float64{0.1, 0.3, 1, 3, 10, 30}, Reps: 1, BaseSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := r.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != len(p.Points) || sum.Skipped != 0 {
		t.Fatalf("first run: %v, want all %d points run", sum, len(p.Points))
	}
	again := &Runner{Store: st, Backend: r.Backend, CacheDir: r.CacheDir, Progress: io.Discard}
	sum, err = again.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Done != 0 || sum.Skipped != len(p.Points) {
		t.Fatalf("re-run: %v, want no work", sum)
	}
	curves, err := Curves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 4 {
		t.Fatalf("%d curves, want 2 modes × 2 sites", len(curves))
	}
	mid := map[Mode]map[int]float64{Inference: {}, Training: {}}
	for _, c := range curves {
		t.Logf("%-9s %-9s midpoint %s  acc %v (a_max %.1f)", c.Mode, c.Name, c.Mid, c.Mid.Mean, c.AMax)
		if c.AMax < 80 {
			t.Errorf("clean accuracy %.1f%% is too low for MLP on 10000 MNIST examples", c.AMax)
		}
		v := c.Mid.Sigma
		if c.Mid.Censored != 0 {
			v = c.Mid.Bound * 2 // "> σ_max" counts as above the grid.
		}
		mid[c.Mode][c.Site] = v
	}
	for _, site := range []int{0, 3} {
		if !(mid[Training][site] > mid[Inference][site]) {
			t.Errorf("site %d: noisy-training midpoint %g not above inference-only %g", site, mid[Training][site], mid[Inference][site])
		}
	}
}

// TestDivergedTrainingCollapses: a training that overflows (σ = 1e38 additive noise at the input, beyond float32 range once summed) is
// recorded as collapsed at chance accuracy instead of crashing the sweep.
func TestDivergedTrainingCollapses(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-nobn", Data: "mnist", Epochs: 1, TrainN: 512, TestN: 256},
		Modes: []Mode{Training, Inference}, Noise: noise.Additive, Sites: []int{0}, Sigmas: []float64{1e38}, Reps: 1})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := r.Run(p)
	if err != nil {
		t.Fatalf("a diverging point must not crash the sweep: %v", err)
	}
	if sum.Collapsed < 1 {
		t.Errorf("%v: want the σ=1e38 points recorded as collapsed", sum)
	}
	obs, err := Observations(st, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Mode == Clean {
			continue
		}
		if o.Status != results.StatusCollapsed || o.Accuracy != 10 {
			t.Errorf("%s point at σ=1e38: status %q accuracy %v, want collapsed at chance (10%%)", o.Mode, o.Status, o.Accuracy)
		}
	}
}

// TestStackedEqualsAlone runs the same training and inference walk once with stacking (several σ per
// stacked training and per evaluation pass) and once point by point (NoStack), and checks that every point
// gets the same accuracy: stacking changes speed, not results.
func TestStackedEqualsAlone(t *testing.T) {
	needMNIST(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2048, TestN: 500},
		Modes: []Mode{Inference, Training}, Noise: noise.Multiplicative, Sites: []int{1, 6}, Sigmas: []float64{0.5, 2, 8},
		Reps: 1, BaseSeed: 5})
	if err != nil {
		t.Fatal(err)
	}
	acc := func(noStack bool) map[string]float64 {
		r, st := newRunner(t)
		r.NoStack, r.StackTraining = noStack, !noStack
		if _, err := r.Run(p); err != nil {
			t.Fatal(err)
		}
		recs, err := st.List(p.Name)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, rec := range recs {
			out[rec.Hash] = rec.Accuracy
		}
		return out
	}
	stacked, alone := acc(false), acc(true)
	if len(stacked) != len(p.Points) || len(alone) != len(p.Points) {
		t.Fatalf("%d stacked and %d alone records, want %d each", len(stacked), len(alone), len(p.Points))
	}
	for h, a := range alone {
		// One example of 500 is 0.2 points: allow two predictions flipped by rounding (batched products
		// round differently, and 16 training steps can carry that into a borderline prediction).
		if s := stacked[h]; math.Abs(s-a) > 0.4+1e-9 {
			t.Errorf("point %s: stacked accuracy %.2f%%, alone %.2f%%", h[:12], s, a)
		}
	}
}

// TestTrainBackendEqualsBackend runs the same walk in both modes once with every model on one backend and once
// with backend.SharedTraining as TrainBackend, and requires the same accuracy, loss, clean accuracy and KL for
// every point, bit for bit. With TrainBackend, LeNet-5's clean model trains on Backend (backend.SoloMACs) and
// MLP-TFC's on TrainBackend, then moves to Backend through its checkpoint; both walks train on TrainBackend.
func TestTrainBackendEqualsBackend(t *testing.T) {
	needMNIST(t)
	tb, err := backend.SharedTraining()
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{"lenet5-nobn", "mlp-tfc-bn"} {
		t.Run(model, func(t *testing.T) {
			p, err := Build(PlanSpec{Setup: Setup{Model: model, Data: "mnist", Epochs: 1, TrainN: 1024, TestN: 500},
				Modes: []Mode{Inference, Training}, Noise: noise.Additive, Sites: []int{0, 4}, Sigmas: []float64{0.3, 3},
				Reps: 1, BaseSeed: 2})
			if err != nil {
				t.Fatal(err)
			}
			one, two := runRecords(t, p, nil), runRecords(t, p, tb)
			if len(one) != len(p.Points) || len(two) != len(p.Points) {
				t.Fatalf("%d and %d records, want %d each", len(one), len(two), len(p.Points))
			}
			for h, a := range one {
				b := two[h]
				var ma, mb Metrics
				if err := json.Unmarshal(a.Metrics, &ma); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b.Metrics, &mb); err != nil {
					t.Fatal(err)
				}
				kl := func(m Metrics) string {
					if m.KL == nil {
						return "none"
					}
					return fmt.Sprint(*m.KL)
				}
				if a.Accuracy != b.Accuracy || a.Loss != b.Loss || ma.CleanAcc != mb.CleanAcc || kl(ma) != kl(mb) {
					t.Errorf("point %s: accuracy %v / %v, loss %v / %v, clean %v / %v, KL %s / %s (one backend / training backend)",
						h[:12], a.Accuracy, b.Accuracy, a.Loss, b.Loss, ma.CleanAcc, mb.CleanAcc, kl(ma), kl(mb))
				}
			}
		})
	}
}

// runRecords runs plan p on a new runner (with TrainBackend tb, nil for none) and returns its records by hash.
func runRecords(t *testing.T, p *Plan, tb compute.Backend) map[string]results.Record {
	t.Helper()
	r, st := newRunner(t)
	r.TrainBackend = tb
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	recs, err := st.List(p.Name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]results.Record{}
	for _, rec := range recs {
		out[rec.Hash] = rec
	}
	return out
}

// TestTrainBackendChoice checks which backend trains what: TrainBackend for trainings that run at the same time
// as others, and for a model smaller than backend.SoloMACs trained alone; Backend without a TrainBackend, for
// noise at every site, and for a model of backend.SoloMACs or more trained alone.
func TestTrainBackendChoice(t *testing.T) {
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := backend.SharedTraining()
	if err != nil {
		t.Fatal(err)
	}
	if b == tb {
		t.Fatal("backend.SharedTraining is backend.Shared: set GOMLX_BACKEND to a Go backend without parallelism")
	}
	lenet, err := models.New("lenet5-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	mlp, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	if lenet.MACs() < backend.SoloMACs || mlp.MACs() >= backend.SoloMACs {
		t.Fatalf("MACs: LeNet-5 %d, MLP-TFC %d: want them on either side of backend.SoloMACs = %d", lenet.MACs(), mlp.MACs(), backend.SoloMACs)
	}
	one, every := noise.At(4, noise.Add(0.1)), noise.Global(noise.Add(0.1))
	r := &Runner{Backend: b, TrainBackend: tb}
	for _, c := range []struct {
		name   string
		cfg    noise.Config
		m      *models.Model
		shared bool
		want   compute.Backend
	}{
		{"LeNet-5 clean, alone", noise.Config{}, lenet, false, b},
		{"LeNet-5 one site, alone", one, lenet, false, b},
		{"LeNet-5 one site, shared", one, lenet, true, tb},
		{"LeNet-5 every site, shared", every, lenet, true, b},
		{"MLP-TFC clean, alone", noise.Config{}, mlp, false, tb},
		{"MLP-TFC one site, shared", one, mlp, true, tb},
		{"MLP-TFC every site, alone", every, mlp, false, b},
	} {
		if got := r.trainBackend(c.cfg, c.m, c.shared); got != c.want {
			t.Errorf("%s: got the %s, want the %s", c.name, backendName(got, b), backendName(c.want, b))
		}
	}
	r.TrainBackend = nil
	if got := r.trainBackend(one, mlp, true); got != b {
		t.Errorf("without TrainBackend, MLP-TFC one site, shared: got the %s, want Backend", backendName(got, b))
	}
}

// backendName names backend x for TestTrainBackendChoice: "Backend" if it is b, "training backend" otherwise.
func backendName(x, b compute.Backend) string {
	if x == b {
		return "Backend"
	}
	return "training backend"
}
