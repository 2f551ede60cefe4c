package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestReport: the sensitivity report ranks a layer-wise plan's sites by midpoint (here site s falls at σ =
// 0.5·(11 − s), so site 10 is the most sensitive and site 0 the least), names the top sites, prints the
// repetition map of a policy (more executions for more sensitive sites, B·n in all) and writes the midpoints a
// multiexec walk reads; wrong inputs are errors.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.db")
	layer := filepath.Join(dir, "layer.json")
	if err := os.WriteFile(layer, []byte(`{"model": "mlp-tfc-bn", "modes": ["inference"], "train_n": 3000, "test_n": 500, "reps": 2, "sigmas": [0.1, 0.3, 1, 3, 10]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := fillStore(t, path, []string{"-plan", layer}, -1, func(pt walk.Point) float64 {
		if pt.Mode == walk.Clean {
			return 90
		}
		return falling(pt.X, 0.5*float64(11-pt.Site)*(1+0.01*float64(pt.Rep)))
	})
	mids := filepath.Join(dir, "mids.txt")
	out := run(t, "report", "-store", path, "-plan-name", plan.Name, "-top", "2", "-budget", "2", "-midpoints-out", mids)
	var order []string
	inMap, executions := false, 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "repetition map"):
			inMap = true
		case inMap && len(f) == 2 && f[0] != "site":
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("repetition map line %q", line)
			}
			executions += n
		case !inMap && len(f) > 2 && f[0] == strconv.Itoa(len(order)+1):
			order = append(order, f[1])
		}
	}
	want := []string{"10:logits", "9:relu3", "8:bn3", "7:fc3", "6:relu2", "5:bn2", "4:fc2", "3:relu1", "2:bn1", "1:fc1", "0:input"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("ranking %v, want %v\n%s", order, want, out)
	}
	if !strings.Contains(out, "top 2 most sensitive sites: 10:logits, 9:relu3") || !strings.Contains(out, "separated") {
		t.Errorf("report lacks the top sites or the paired verdicts:\n%s", out)
	}
	if executions != 2*11 {
		t.Errorf("repetition map sums to %d executions, want B·n = 22\n%s", executions, out)
	}
	b, err := os.ReadFile(mids)
	if err != nil {
		t.Fatal(err)
	}
	vals := strings.Split(strings.TrimSpace(string(b)), ",")
	if len(vals) != 11 {
		t.Fatalf("midpoints file %q: want 11 values", b)
	}
	first, _ := strconv.ParseFloat(vals[0], 64)
	last, _ := strconv.ParseFloat(vals[10], 64)
	if !(first > 4 && first < 6.5 && last > 0.4 && last < 0.6) {
		t.Errorf("midpoints %v: want site 0 ≈ 5.5 and site 10 ≈ 0.5", vals)
	}
	rms := filepath.Join(dir, "rms.json")
	if err := os.WriteFile(rms, []byte(`{"model": "mlp-tfc-bn", "modes": ["inference"], "train_n": 3000, "test_n": 500, "unit": "rms", "sigmas": [0.1, 1, 10]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rmsPlan := fillStore(t, path, []string{"-plan", rms}, -1, func(pt walk.Point) float64 { return 90 })
	if out := run(t, "report", "-store", path, "-plan-name", rmsPlan.Name); !strings.Contains(out, "> 1e+01") {
		t.Errorf("report of an rms plan whose curves never fall: want midpoints > 10\n%s", out)
	}
	for _, args := range [][]string{
		{"report", "-store", path, "-plan-name", rmsPlan.Name, "-budget", "2"},
		{"report", "-store", path},
		{"report", "-store", path, "-plan-name", plan.Name, "-mode", "clean"},
		{"report", "-store", path, "-plan-name", plan.Name, "-mode", "training"},
		{"report", "-store", path, "-plan-name", plan.Name, "-budget", "2", "-policy", "typo"},
		{"report", "-store", path, "-plan-name", "typo"},
	} {
		if out, code := runExit(t, nil, args...); code == 0 {
			t.Errorf("walkingnoise %v succeeded:\n%s", args, out)
		}
	}
}

// TestReportKL: after a real inference walk, the report ranks the walked sites by their stored KL sensitivity
// too (rank 1: the largest KL at the σ asked for); a σ off the grid is an error.
func TestReportKL(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "r.db")
	run(t, "walk", "-store", store, "-cache", filepath.Join(dir, "cache"), "-model", "mlp-tfc-bn", "-mode", "inference",
		"-sites", "0,10", "-sigmas", "0.1,1,10", "-train-n", "2000", "-test-n", "500", "-reps", "2", "-quiet")
	name := strings.Fields(run(t, "list", "-store", store))[0]
	out := run(t, "report", "-store", store, "-plan-name", name, "-kl-sigma", "10")
	if !strings.Contains(out, "KL at σ=10 (nats)") {
		t.Fatalf("no KL column:\n%s", out)
	}
	klOf := map[string]float64{} // KL by its rank
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 2 && (f[1] == "0:input" || f[1] == "10:logits") {
			v, err := strconv.ParseFloat(f[len(f)-2], 64)
			if err != nil || !(v > 0) {
				t.Fatalf("KL cell %q in %q", f[len(f)-2], line)
			}
			klOf[f[len(f)-1]] = v
		}
	}
	if len(klOf) != 2 || !(klOf["1"] >= klOf["2"]) {
		t.Errorf("KL ranks %v: want ranks 1 and 2, the larger KL first\n%s", klOf, out)
	}
	if out, code := runExit(t, nil, "report", "-store", store, "-plan-name", name, "-kl-sigma", "3"); code == 0 {
		t.Errorf("-kl-sigma off the grid succeeded:\n%s", out)
	}
}
