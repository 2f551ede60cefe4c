package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// TestExportImportVerify: a small walk (clean, inference and noisy-training points on MNIST subsets) exported to
// a folder and imported into a fresh store gives the same records and midpoint table, also read by the plan's
// name alone; the walk then computes
// nothing; verify recomputes every point bit-identically, and detects a tampered accuracy.
func TestExportImportVerify(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	a, b, shipped := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "shipped")
	walkArgs := func(store string) []string {
		return []string{"walk", "-preset", "quick", "-model", "mlp-tfc-bn", "-mode", "inference,training", "-sites", "3",
			"-sigmas", "0.1,10", "-train-n", "2000", "-test-n", "500", "-store", store, "-cache", filepath.Join(dir, "cache-"+filepath.Base(store))}
	}
	run(t, walkArgs(a)...)
	run(t, "export", "-store", a, "-out", shipped)
	if out := run(t, "import", "-store", b, shipped); !strings.Contains(out, "5 new points, 5 in the store; 1 new plan specs") {
		t.Errorf("import output: %s", out)
	}
	sameRecords(t, "imported", records(t, b), records(t, a))
	if out := run(t, "list", "-store", b); !strings.Contains(out, " 5 points (0 collapsed), compute ") || !strings.Contains(out, "spec: layerwise") {
		t.Errorf("list: %s", out)
	}
	mid := func(store string) string {
		return run(t, "midpoints", "-preset", "quick", "-model", "mlp-tfc-bn", "-mode", "inference,training", "-sites", "3",
			"-sigmas", "0.1,10", "-train-n", "2000", "-test-n", "500", "-store", store)
	}
	ma := mid(a)
	if mb := mid(b); ma != mb {
		t.Errorf("midpoints differ after import:\n%s\nvs\n%s", ma, mb)
	}
	// The imported store reads alone: the plan by its name, without the flags it was run with.
	if _, err := os.Stat(filepath.Join(shipped, "plans.csv")); err != nil {
		t.Fatal(err)
	}
	if mb := run(t, "midpoints", "-store", b, "-plan-name", "layerwise-mlp-tfc-bn-mnist-add-e1"); mb != ma {
		t.Errorf("midpoints -plan-name on the imported store:\n%s\nwant\n%s", mb, ma)
	}
	if out := run(t, append(walkArgs(b), "-quiet")...); !strings.Contains(out, "5 points, 5 in this shard, 0 to run") {
		t.Errorf("the walk on the imported store ran points:\n%s", out)
	}
	if out := run(t, "import", "-store", b, filepath.Join(shipped, "points.csv")); !strings.Contains(out, "0 new points") {
		t.Errorf("second import: %s", out)
	}
	out := run(t, "verify", "-store", b, "-n", "5", "-seed", "7")
	if !strings.Contains(out, "5 of 5 points agree (bit-identical)") || strings.Count(out, ": bit-identical") != 5 {
		t.Errorf("verify:\n%s", out)
	}

	// backfill: nothing lacks KL; with the KL taken out of the inference points (as stored before KL was
	// measured) it puts back exactly what the walk stored.
	if out := run(t, "backfill", "-store", b, "-cache", filepath.Join(dir, "cache-b.db")); !strings.Contains(out, "backfill: 0 of 5 points") {
		t.Errorf("backfill of a store with KL:\n%s", out)
	}
	st, err := results.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := st.List("")
	for _, rec := range recs {
		var m map[string]any
		if err := json.Unmarshal(rec.Metrics, &m); err != nil {
			t.Fatal(err)
		}
		if _, ok := m["kl"]; ok {
			delete(m, "kl")
			rec.Metrics, _ = json.Marshal(m)
			if err := st.Put(rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	st.Close()
	if out := run(t, "backfill", "-store", b, "-cache", filepath.Join(dir, "cache-b.db")); !strings.Contains(out, "backfill: 2 of 5 points of "+b+" lacked KL; 2 recomputed bit-identically and got it, 0 differ") {
		t.Errorf("backfill of a store without KL:\n%s", out)
	}
	sameRecords(t, "backfilled", records(t, b), records(t, a))

	if st, err = results.Open(b); err != nil {
		t.Fatal(err)
	}
	recs, _ = st.List("")
	recs[len(recs)-1].Accuracy += 0.2 // a training point: trainings run last
	if err := st.Put(recs[len(recs)-1]); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, code := runExit(t, nil, "verify", "-store", b, "-n", "5", "-seed", "7")
	if code == 0 || strings.Count(out, "DIFFERS") != 1 || !strings.Contains(out, "1 of 5 recomputed points differ") {
		t.Errorf("verify of a tampered store: exit %d\n%s", code, out)
	}
	if out, code := runExit(t, nil, "verify", "-store", b, "-n", "5", "-tol", "0.5"); code != 0 || !strings.Contains(out, "5 of 5 points agree (±0.5 accuracy points)") {
		t.Errorf("verify -tol 0.5: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"import", "-store", b}, {"import", "-store", b, filepath.Join(dir, "missing")},
		{"verify", "-store", filepath.Join(dir, "none.db")}, {"verify", "-store", b, "-n", "0"},
		{"verify", "-store", b, "-within", "0.99"}, {"verify", "-store", b, "-within", "0.99", "-tol", "1"}, {"verify", "-store", b, "-within", "1"},
		{"backfill", "-store", filepath.Join(dir, "none.db")}, {"backfill", "-store", b, "-plan-name", "no-such-plan"},
		{"export", "-store", a, "-o", filepath.Join(dir, "x.csv"), "-out", dir}} {
		if out, code := runExit(t, nil, args...); code == 0 {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("verify created a store")
	}
}
