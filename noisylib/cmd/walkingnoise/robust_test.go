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
	fs := flag.NewFlagSet("midpoints", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	if err := fs.Parse(args); err != nil {
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
	// Only the clean baseline and one noisy point are stored: no curve is complete.
	for _, pt := range plan.Points[:2] {
		h, _ := walk.Hash(pt)
		cfg, _ := json.Marshal(pt)
		if err := st.Put(results.Record{Hash: h, Plan: pt.Plan, Config: cfg, Status: results.StatusDone, Accuracy: 95, Host: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	out, code := runExit(t, nil, append([]string{"midpoints", "-store", path}, args...)...)
	if code == 0 || strings.Contains(out, "0.00%") || !strings.Contains(out, "no complete curve") {
		t.Errorf("midpoints on an empty store: exit %d\n%s", code, out)
	}
}
