package main

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// runExit runs the binary with extra environment and returns its combined output and exit code.
func runExit(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("walkingnoise %v: %v", args, err)
	return "", -1
}

// TestHelpExitsZero: -h and -help print the flags and exit 0 for every subcommand (issue 14, fault 10).
func TestHelpExitsZero(t *testing.T) {
	for name := range commands {
		for _, h := range []string{"-h", "-help", "--help"} {
			out, code := runExit(t, nil, name, h)
			if code != 0 {
				t.Errorf("walkingnoise %s %s: exit %d, want 0\n%s", name, h, code, out)
			}
			if strings.Contains(out, "help requested") {
				t.Errorf("walkingnoise %s %s printed %q", name, h, "help requested")
			}
		}
	}
	if _, code := runExit(t, nil, "walk", "-nosuchflag"); code == 0 {
		t.Errorf("walk -nosuchflag exited 0")
	}
}

// TestReadOnlyCommandsCreateNothing: export, list and midpoints on a missing store fail with "does not exist"
// and create neither the file nor its folder (issue 14, fault 4).
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"export", "-store", filepath.Join(dir, "typo.db")},
		{"list", "-store", filepath.Join(dir, "sub", "typo.db")},
		{"midpoints", "-store", filepath.Join(dir, "typo.db"), "-sigmas", "0.1,1"},
		{"merge", filepath.Join(dir, "out.db"), filepath.Join(dir, "missing.db")},
	} {
		out, code := runExit(t, nil, args...)
		if code == 0 || !strings.Contains(out, "does not exist") && !strings.Contains(out, "no such file") {
			t.Errorf("walkingnoise %v: exit %d, output %q; want an error saying the store does not exist", args, code, out)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("read-only commands left %d entries, e.g. %s", len(ents), ents[0].Name())
	}
	// An existing store without the plan asked for is an error too, not a header-only CSV.
	path := filepath.Join(dir, "r.db")
	fillStore(t, path, []string{"-sites", "0", "-sigmas", "1"}, 1, func(walk.Point) float64 { return 90 })
	if out, code := runExit(t, nil, "export", "-store", path, "-plan-name", "typo"); code == 0 || !strings.Contains(out, `no plan "typo"`) {
		t.Errorf("export of a missing plan: exit %d\n%s", code, out)
	}
	if out := run(t, "export", "-store", path); strings.Count(out, "\n") != 2 {
		t.Errorf("export of the whole store: want a header and one row:\n%s", out)
	}
}

// TestUnavailableBackend: a backend missing from the binary is one line naming the available backends and
// -tags xla, exit 1, no panic and no store created (issue 14, fault 5).
func TestUnavailableBackend(t *testing.T) {
	dir := t.TempDir()
	for _, b := range []string{"xla:cpu", "nonsense"} {
		for _, args := range [][]string{
			{"train", "-train-n", "10", "-test-n", "10"},
			{"walk", "-store", filepath.Join(dir, "w.db"), "-sites", "0", "-sigmas", "1", "-train-n", "10", "-test-n", "10"},
		} {
			out, code := runExit(t, []string{"GOMLX_BACKEND=" + b, "WALKINGNOISE_DATA=" + dir}, args...)
			if code != 1 || strings.Contains(out, "panic") || strings.Contains(out, "goroutine") {
				t.Errorf("GOMLX_BACKEND=%s walkingnoise %s: exit %d\n%s", b, args[0], code, out)
			}
			if !strings.Contains(out, "has: go") || (b == "xla:cpu" && !strings.Contains(out, "-tags xla")) {
				t.Errorf("GOMLX_BACKEND=%s: unclear error %q", b, out)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "w.db")); err == nil {
		t.Errorf("walk created its store before failing on the backend")
	}
}

// TestPlanFileMisspelledKeys: a plan file with "sigma", "mode", "site" is an error naming the key and the
// valid ones, before any work (issue 14, fault 3).
func TestPlanFileMisspelledKeys(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(plan, []byte(`{"model": "mlp-tfc-bn", "sigma": [1, 10], "mode": ["inference"], "site": [3]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := runExit(t, nil, "walk", "-plan", plan, "-store", filepath.Join(dir, "r.db"))
	if code == 0 || !strings.Contains(out, `unknown field "`) || !strings.Contains(out, "sigmas") {
		t.Errorf("misspelled plan: exit %d, output %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.db")); err == nil {
		t.Errorf("a rejected plan created the store")
	}
}

// TestPaperPresetPartialModel: `walk -preset paper -model lenet5` is an error listing the valid models, not a
// slice-bounds panic (issue 14, fault 6).
func TestPaperPresetPartialModel(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []string{"lenet5", "mlp-tfc", "bn", ""} {
		out, code := runExit(t, nil, "walk", "-preset", "paper", "-model", m, "-store", filepath.Join(dir, "r.db"))
		if code != 1 || strings.Contains(out, "panic") || !strings.Contains(out, "valid models are") {
			t.Errorf("walk -preset paper -model %q: exit %d\n%s", m, code, out)
		}
	}
}

// TestEmptyTableIsAnError: summarising a plan with no complete curve says why and fails, instead of printing
// an empty table headed "a_max = clean 0.00%" (issue 14, fault 2).
func TestEmptyTableIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	args := []string{"-sites", "0", "-sigmas", "0.01,0.1,1,1,10,100", "-mode", "inference"}
	// Only the clean baseline and one noisy point are stored: no curve is complete.
	fillStore(t, path, args, 2, func(walk.Point) float64 { return 95 })
	out, code := runExit(t, nil, append([]string{"midpoints", "-store", path}, args...)...)
	if code == 0 || strings.Contains(out, "0.00%") || !strings.Contains(out, "no complete curve") {
		t.Errorf("midpoints on an empty store: exit %d\n%s", code, out)
	}
}

// fillStore stores the first n points (all for n < 0) of the plan the CLI builds from args, with accuracy
// acc(point), and the plan's spec, as a walk would.
func fillStore(t *testing.T, path string, args []string, n int, acc func(walk.Point) float64) *walk.Plan {
	t.Helper()
	fs := flag.NewFlagSet("midpoints", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	if err := fs.Parse(append(args, "-store", path)); err != nil {
		t.Fatal(err)
	}
	plan, err := pf.build(fs)
	if err != nil {
		t.Fatal(err)
	}
	st, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutPlan(plan.Name, walk.ResultsVersion, plan.Spec); err != nil { // as walk.Runner.Run does
		t.Fatal(err)
	}
	pts := plan.Points
	if n >= 0 {
		pts = pts[:n]
	}
	for _, pt := range pts {
		h, _ := walk.Hash(pt)
		cfg, _ := json.Marshal(pt)
		if err := st.Put(results.Record{Hash: h, Plan: pt.Plan, Config: cfg, Status: results.StatusDone, Accuracy: acc(pt), Host: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	return plan
}

// falling is an accuracy curve falling from 90 % to 10 %, crossing 50 % at σ = mid.
func falling(sigma, mid float64) float64 { return 10 + 80/(1+(sigma/mid)*(sigma/mid)) }

// TestSummaryPerKind: the CLI prints what each plan kind is about — per ratio and order for mixed, the
// σ_mul × σ_add map for direct, accuracy per site for MAX, accuracy per budget and policy for multiexec (run
// with the midpoints of a stored layer-wise walk) — never one merged midpoint per site (issue 14, fault 13).
func TestSummaryPerKind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.db")
	base := []string{"-mode", "inference", "-train-n", "3000", "-test-n", "500"}
	clean := func(pt walk.Point) bool { return pt.Mode == walk.Clean }

	mixed := append([]string{"-kind", "mixed", "-sites", "4", "-sigmas", "0.01,0.1,1,10,100", "-ratios", "0.01,0.5,0.99"}, base...)
	fillStore(t, path, mixed, -1, func(pt walk.Point) float64 {
		if clean(pt) {
			return 90
		}
		return falling(pt.X, 1+10*pt.Y) // the midpoint amplitude grows with the ratio
	})
	byName := map[string][]string{} // plan name → the flags that describe it
	summary := func(args []string) string {
		t.Helper()
		out := run(t, append([]string{"midpoints", "-store", path}, args...)...)
		plan := fillStore(t, path, args, 0, nil) // records the same spec again: no change
		byName[plan.Name] = args
		if stored := run(t, "midpoints", "-store", path, "-plan-name", plan.Name); stored != out {
			t.Errorf("midpoints -plan-name %s:\n%s\nwant what the flags %v give:\n%s", plan.Name, stored, args, out)
		}
		return out
	}
	out := summary(mixed)
	for _, want := range []string{"ratio r", "4:fc2  mul→add  0.01", "0.5", "0.99"} {
		if !strings.Contains(out, want) {
			t.Errorf("mixed summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "4:fc2") != 3 {
		t.Errorf("mixed summary: want one row per ratio (3):\n%s", out)
	}

	direct := append([]string{"-kind", "direct", "-sites", "4", "-sigmas", "0,1,2", "-ratios", "0,0.5"}, base...)
	fillStore(t, path, direct, -1, func(pt walk.Point) float64 {
		if clean(pt) {
			return 90
		}
		return 90 - 10*pt.X - 20*pt.Y
	})
	out = summary(direct)
	if !strings.Contains(out, "σ_mul \\ σ_add") || !strings.Contains(out, "1  80.0  70.0") || !strings.Contains(out, "2  70.0  60.0") ||
		strings.Contains(out, "< 0e+00") {
		t.Errorf("direct summary is not the σ_mul × σ_add map:\n%s", out)
	}

	maxArgs := append([]string{"-kind", "max", "-sites", "0,3"}, base...)
	fillStore(t, path, maxArgs, -1, func(pt walk.Point) float64 {
		if clean(pt) {
			return 90
		}
		return 11 + float64(pt.Site)
	})
	out = summary(maxArgs)
	if !strings.Contains(out, "accuracy %") || !strings.Contains(out, "11.00") || !strings.Contains(out, "14.00") ||
		strings.Contains(out, "1e+10 ") && strings.Contains(out, "> 1e+10") {
		t.Errorf("max summary is not the accuracy per site:\n%s", out)
	}

	layer := filepath.Join(dir, "layer.json")
	if err := os.WriteFile(layer, []byte(`{"model": "mlp-tfc-bn", "modes": ["inference"], "train_n": 3000, "test_n": 500, "sigmas": [0.01, 0.1, 1, 10, 100]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fillStore(t, path, []string{"-plan", layer}, -1, func(pt walk.Point) float64 {
		if clean(pt) {
			return 90
		}
		return falling(pt.X, 0.5+float64(pt.Site))
	})
	me := append([]string{"-kind", "multiexec", "-sigmas", "0.35", "-midpoints-from", layer}, base...)
	fillStore(t, path, me, -1, func(pt walk.Point) float64 {
		if clean(pt) {
			return 90
		}
		return 20 + 5*pt.X
	})
	out = summary(me)
	for _, want := range []string{"policy", "budget B", "inverse_lin  5", "global       1         25.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("multiexec summary lacks %q:\n%s", want, out)
		}
	}
	if _, code := runExit(t, nil, append([]string{"midpoints", "-store", path, "-kind", "multiexec", "-sigmas", "0.35"}, base...)...); code == 0 {
		t.Errorf("multiexec without site midpoints succeeded")
	}
	if len(byName) != 4 {
		t.Errorf("%d plans read by name, want 4 (mixed, direct, max, multiexec)", len(byName))
	}
	// The multi-execution plan takes its site midpoints from the layer-wise walk named in the store, as from its file.
	layerPlan := fillStore(t, path, []string{"-plan", layer}, 0, nil) // records the same spec again: no change
	byStoredName := append([]string{"-kind", "multiexec", "-sigmas", "0.35", "-midpoints-from", layerPlan.Name}, base...)
	if got := run(t, append([]string{"midpoints", "-store", path}, byStoredName...)...); got != out {
		t.Errorf("-midpoints-from %s (stored plan):\n%s\nwant\n%s", layerPlan.Name, got, out)
	}
	for _, args := range [][]string{{"-plan-name", layerPlan.Name, "-preset", "paper"}, {"-plan-name", "typo"}} {
		if out, code := runExit(t, nil, append([]string{"midpoints", "-store", path}, args...)...); code == 0 ||
			!strings.Contains(out, map[bool]string{true: "drop -preset", false: `no spec of plan "typo"`}[len(args) > 2]) {
			t.Errorf("midpoints %v: exit %d\n%s", args, code, out)
		}
	}
	if out := run(t, "list", "-store", path); !strings.Contains(out, "spec: multiexec") || !strings.Contains(out, "spec: mixed") {
		t.Errorf("list does not show the stored specs:\n%s", out)
	}
}

// TestNoSilentlyIgnoredInput: arguments the command does not read are errors, never ignored: a stray word
// (after which the flag package stops reading flags), noise flags the noise type does not read, plan fields
// the kind does not read, and invalid counts that used to fall back to defaults (issue 14, kinds 3 and 1
// found elsewhere).
func TestNoSilentlyIgnoredInput(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "r.db")
	for _, args := range [][]string{
		{"walk", "-store", store, "mlp-tfc-bn", "-sigmas", "1"},
		{"midpoints", "-store", store, "extra"},
		{"export", "-store", store, "x.csv"},
		{"list", "-store", store, "x"},
		{"sites", "lenet5-bn"},
		{"train", "mlp-tfc-bn"},
		{"train", "-noise", "none", "-sigma", "0.5"},
		{"train", "-noise", "combined", "-sigma", "0.5"},
		{"train", "-noise", "add", "-amplitude", "1"},
		{"train", "-noise", "none", "-site", "3"},
		{"train", "-epochs", "0"}, {"train", "-batch", "-1"}, {"train", "-lr", "-0.1"}, {"train", "-lr", "NaN"},
		{"walk", "-store", store, "-kind", "layerwise", "-ratios", "0.5"},
		{"walk", "-store", store, "-kind", "global", "-sites", "3"},
		{"walk", "-store", store, "-kind", "layerwise", "-budgets", "1,2"},
		{"walk", "-store", store, "-kind", "layerwise", "-both-orders"},
		{"walk", "-store", store, "-train-n", "-7"},
		{"walk", "-store", store, "-workers", "-3"},
		{"walk", "-store", store, "-static", "-sigmas", "1"},
		{"walk", "-store", store, "-unit", "dbm", "-sigmas", "1"},
		{"walk", "-store", store, "-unit", "rms"},
		{"walk", "-store", store, "-unit", "rms", "-kind", "mixed", "-ratios", "0.5", "-sigmas", "1"},
		{"walk", "-store", store, "-unit", "max", "-noise", "mul", "-sigmas", "1"},
		{"walk", "-store", store, "-weights", "-sites", "9", "-sigmas", "1"},
		{"walk", "-store", store, "-weights", "-kind", "max"},
	} {
		out, code := runExit(t, []string{"WALKINGNOISE_DATA=" + dir}, args...)
		if code == 0 || strings.Contains(out, "panic") || !strings.Contains(out, "walkingnoise "+args[0]+":") {
			t.Errorf("walkingnoise %v: exit %d, want a clear error\n%s", args, code, out)
		}
	}
	if _, err := os.Stat(store); err == nil {
		t.Errorf("a refused command created the store")
	}
}

// TestListNamesDynamicsPlans: a plan of study.Dynamics's tracked trainings (configs of kind "dynamics", no
// stored spec) is listed as such, not as a plan whose spec is missing.
func TestListNamesDynamicsPlans(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	st, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"kind": "dynamics", "model": "mlp-tfc-bn", "seed": 1}
	h, err := results.HashConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := results.CanonicalJSON(cfg)
	if err := st.Put(results.Record{Hash: h, Plan: "dynamics-x", Config: c, Status: results.StatusDone, Accuracy: 90, DurationSec: 1}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if out := run(t, "list", "-store", path); !strings.Contains(out, "tracked trainings (study.Dynamics)") || strings.Contains(out, "no stored spec") {
		t.Errorf("list of a dynamics plan:\n%s", out)
	}
}
