package study

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/nanjson"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestDynamicsStoresRuns checks that Dynamics keeps every run in the store, reads a stored run back instead of
// training it again, and that a run recomputed in an empty store equals the stored one bit for bit.
func TestDynamicsStoresRuns(t *testing.T) {
	spec := DynamicsSpec{Model: "mlp-tfc-nobn", Data: "mnist", Site: 3, Noise: noise.Additive, Sigmas: []float64{0, 1},
		Epochs: 12, TrainN: 256, TestN: 256, StatsN: 128, Seed: 3, Code: true}
	encode := func(runs []dynamics.Run) [][]byte {
		var out [][]byte
		for _, r := range runs {
			b, err := nanjson.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}
	t.Setenv(EnvOut, t.TempDir())
	first, err := Dynamics(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[1].Sigma != 1 || len(first[1].Epochs[0].Codes) != 1 {
		t.Fatalf("runs %+v: want σ 0 and 1, with the code of site 3", first)
	}
	var epochs []int
	for _, e := range first[1].Epochs {
		epochs = append(epochs, e.Epoch)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}; !slices.Equal(epochs, want) {
		t.Errorf("recorded epochs %v, want %v (dynamics.SparseEpochs)", epochs, want)
	}
	// mlp-tfc: fc1 784×64 … fc4 64×10, every weight counted once in its layer's histogram.
	for i, want := range []int{784 * 64, 64 * 64, 64 * 64, 64 * 10} {
		n := 0
		for _, c := range first[1].Histograms[i].Counts {
			n += c
		}
		if n != want {
			t.Errorf("histogram of %s counts %d weights, want %d", first[1].Histograms[i].Op, n, want)
		}
	}

	st, err := results.Open(StorePath())
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.List(spec.DefaultName())
	if err != nil || len(recs) != 2 {
		t.Fatalf("plan %s holds %d records (%v), want 2", spec.DefaultName(), len(recs), err)
	}
	if chosen, err := walk.Sample(st, recs, 2, 1, 0); err != nil || len(chosen) != 0 {
		t.Errorf("walk.Sample chose %d dynamics records (%v): verify recomputes walk points only", len(chosen), err)
	}
	// Change the stored σ = 1 run: a second call must return the changed record, not a new training.
	h, err := results.HashConfig(spec.config(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	rec, ok, err := st.Get(h)
	if err != nil || !ok {
		t.Fatalf("the σ = 1 run is not stored under its config's hash (%v)", err)
	}
	changed := first[1]
	changed.Acc = 123.25
	if rec.Metrics, err = nanjson.Marshal(changed); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(rec); err != nil {
		t.Fatal(err)
	}
	st.Close()
	again, err := Dynamics(spec)
	if err != nil {
		t.Fatal(err)
	}
	if again[1].Acc != 123.25 || !bytes.Equal(encode(again)[0], encode(first)[0]) {
		t.Errorf("second call: σ = 1 accuracy %v (want the stored 123.25) or σ = 0 run differs from the first call", again[1].Acc)
	}

	// Stored only: the stored runs are read; a run not stored is an error, not a training.
	t.Setenv(EnvStoredOnly, "1")
	if _, err := Dynamics(spec); err != nil {
		t.Errorf("stored-only Dynamics of stored runs: %v", err)
	}
	more := spec
	more.Sigmas = []float64{0, 1, 2}
	if _, err := Dynamics(more); err == nil || !strings.Contains(err.Error(), "computes nothing") {
		t.Errorf("stored-only Dynamics with a σ not stored: %v, want an error", err)
	}
	t.Setenv(EnvStoredOnly, "")

	// An empty store recomputes: the same runs, bit for bit.
	t.Setenv(EnvOut, t.TempDir())
	fresh, err := Dynamics(spec)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range encode(fresh) {
		if !bytes.Equal(b, encode(first)[i]) {
			t.Errorf("run %d recomputed in an empty store differs from the first computation", i)
		}
	}
}
