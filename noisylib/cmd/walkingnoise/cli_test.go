package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "walkingnoise-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "walkingnoise")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needMNIST(t *testing.T) {
	t.Helper()
	datatest.Load(t, "mnist")
}

// walkArgs is a small inference-only walk: 1 clean model + 3 sites × 4 σ.
func walkArgs(store, cache string, extra ...string) []string {
	return append([]string{"walk", "-preset", "quick", "-model", "mlp-tfc-bn", "-mode", "inference",
		"-sites", "0,3,6", "-sigmas", "0.1,1,10,100", "-train-n", "2000", "-test-n", "500",
		"-store", store, "-cache", cache, "-quiet"}, extra...)
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(binary, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("walkingnoise %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// records returns hash → accuracy of a store.
func records(t *testing.T, path string) map[string]float64 {
	t.Helper()
	st, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.List("")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range recs {
		if _, dup := out[r.Hash]; dup {
			t.Fatalf("duplicate record %s", r.Hash)
		}
		out[r.Hash] = r.Accuracy
	}
	return out
}

func sameRecords(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d", what, len(got), len(want))
	}
	for h, a := range want {
		if g, ok := got[h]; !ok || g != a {
			t.Errorf("%s: point %s accuracy %v (present %v), want %v", what, h[:8], g, ok, a)
		}
	}
}

// TestKillAndResume kills a real walk with SIGKILL midway and checks that re-running it completes the plan
// with no lost or duplicated point, identical to an uninterrupted run.
func TestKillAndResume(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.db")
	run(t, walkArgs(ref, filepath.Join(dir, "cache-ref"))...)
	want := records(t, ref)
	if len(want) != 13 {
		t.Fatalf("reference run stored %d points, want 13", len(want))
	}

	killed := filepath.Join(dir, "killed.db")
	cmd := exec.Command(binary, walkArgs(killed, filepath.Join(dir, "cache"))...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if n := countRows(killed); n >= 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the walk stored fewer than 4 points in 2 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	partial := records(t, killed)
	if len(partial) == 0 || len(partial) >= 13 {
		t.Fatalf("killed run stored %d points: the kill did not land midway", len(partial))
	}
	for h, a := range partial {
		if want[h] != a {
			t.Errorf("point %s stored before the kill with accuracy %v, reference %v", h[:8], a, want[h])
		}
	}
	out := run(t, walkArgs(killed, filepath.Join(dir, "cache"))...)
	if !strings.Contains(out, "already stored") {
		t.Logf("resume output:\n%s", out)
	}
	sameRecords(t, "resumed run", records(t, killed), want)
}

func countRows(path string) int {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	st, err := results.Open(path)
	if err != nil {
		return 0
	}
	defer st.Close()
	n, err := st.Count("")
	if err != nil {
		return 0
	}
	return n
}

// TestShardsMerge runs the walk as 3 shard processes, merges their stores and compares with one process.
func TestShardsMerge(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	single := filepath.Join(dir, "single.db")
	run(t, walkArgs(single, filepath.Join(dir, "cache1"))...)
	base := filepath.Join(dir, "sharded.db")
	var shards []string
	for i := range 3 {
		run(t, walkArgs(base, filepath.Join(dir, "cache3"), "-shard", []string{"0/3", "1/3", "2/3"}[i])...)
		shards = append(shards, results.Shard{Index: i, Count: 3}.StorePath(base))
	}
	total := 0
	for _, s := range shards {
		total += len(records(t, s))
	}
	merged := filepath.Join(dir, "merged.db")
	run(t, append([]string{"merge", merged}, shards...)...)
	want := records(t, single)
	if total != len(want) {
		t.Errorf("the shards stored %d points in all, want %d (each point in exactly one shard)", total, len(want))
	}
	sameRecords(t, "merged shards", records(t, merged), want)
	run(t, append([]string{"merge", merged}, shards...)...)
	sameRecords(t, "merged twice", records(t, merged), want)
	out := run(t, "midpoints", "-preset", "quick", "-model", "mlp-tfc-bn", "-mode", "inference", "-sites", "0,3,6",
		"-sigmas", "0.1,1,10,100", "-train-n", "2000", "-test-n", "500", "-store", merged)
	if !strings.Contains(out, "0:input") || !strings.Contains(out, "6:relu2") {
		t.Errorf("midpoints table lacks site names:\n%s", out)
	}
	// Every shard recorded the plan's spec, and the merge carried it: the merged store reads by name alone.
	if byName := run(t, "midpoints", "-store", merged, "-plan-name", "layerwise-mlp-tfc-bn-mnist-add-e1"); byName != out {
		t.Errorf("midpoints -plan-name on the merged store:\n%s\nwant\n%s", byName, out)
	}
}

func TestBadPlans(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-model", "resnet"}, {"-sites", "99"}, {"-noise", "pink"}, {"-sigmas", "-1,2"}, {"-kind", "mixed", "-ratios", "1.5"},
		{"-mode", "sideways"}, {"-sigmas", "a,b"}, {"-sigmas", ""}, {"-kind", "global", "-noise", "combined-direct"},
		{"-draws", "fresh"}, {"-experiment", "mnist/mlp-tfc-bn/nothing"}, {"-experiment", "mnist/mlp-tfc-bn/clean", "-plan", "x.json"},
		{"-schedule", "cosine"}, {"-alpha", "1"}, {"-schedule", "ramp", "-schedule-epochs", "1", "-mode", "training"},
		{"-schedule", "ramp", "-schedule-epochs", "1", "-epochs", "3"}, {"-schedule", "per-example", "-schedule-epochs", "2", "-mode", "training"},
		{"-eval-sigmas", "1"}, {"-kind", "mismatch"}, {"-kind", "mismatch", "-sites", "3", "-noise", "combined"},
		{"-kind", "mismatch", "-sites", "3", "-eval-sigmas", ""}, {"-kind", "mismatch", "-sites", "-2"},
		{"-versus-grid"}, {"-versus-grid", "-mode", "training"},
	} {
		cmd := exec.Command(binary, append([]string{"walk", "-store", filepath.Join(dir, "x.db"), "-cache", filepath.Join(dir, "cache"), "-quiet"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("walk %v succeeded, want an error", args)
		}
		if !strings.Contains(string(out), "walkingnoise walk:") {
			t.Errorf("walk %v: unclear error output %q", args, out)
		}
	}
}

// TestAdaptiveVersusGrid runs an adaptive search with -versus-grid through the CLI: it trains the rest of the
// grid and prints each site's two midpoints; the summary line counts the sites that agree and the trainings.
func TestAdaptiveVersusGrid(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	out := run(t, "walk", "-preset", "quick", "-model", "mlp-tfc-bn", "-mode", "training", "-sites", "0,10",
		"-sigmas", "0.01,0.0316,0.1,0.316,1,3.16,10,31.6,100", "-train-n", "2000", "-test-n", "500", "-epochs", "1",
		"-store", filepath.Join(dir, "a.db"), "-cache", filepath.Join(dir, "cache"), "-adaptive", "-versus-grid")
	m := regexp.MustCompile(`adaptive vs full grid, plan \S+: (\d+) of 2 sites within one grid step; (\d+) of 18 noisy trainings`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no comparison summary in the output:\n%s", out)
	}
	// The default search bisects: on 9 σ a site takes 2 trainings (censored above) to 5 (below a_mid at the second σ).
	if trained, _ := strconv.Atoi(m[2]); trained > 2*5 || trained < 2*2 {
		t.Errorf("the search trained %s of 18 points, want 2–5 per site", m[2])
	}
	if m[1] != "2" {
		t.Errorf("%s of 2 sites agree with the full grid:\n%s", m[1], out)
	}
	if n := strings.Count(out, "\n0:input") + strings.Count(out, "\n10:logits"); n != 4 { // the search's table and the comparison's
		t.Errorf("%d site rows, want 2 in the search's table and 2 in the comparison:\n%s", n, out)
	}
}

// TestMismatchWalk runs a small mismatch walk (a ramp schedule, global noise) through the CLI and reads its
// σ_a × σ_b map from the printed summary; a second run computes nothing.
func TestMismatchWalk(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	args := []string{"walk", "-kind", "mismatch", "-sites", "-1", "-sigmas", "0.3,3", "-eval-sigmas", "0,0.3,3",
		"-schedule", "ramp", "-schedule-epochs", "1", "-epochs", "2", "-train-n", "1280", "-test-n", "500",
		"-store", filepath.Join(dir, "r.db"), "-cache", filepath.Join(dir, "cache")}
	out := run(t, args...)
	for _, want := range []string{"plan mismatch-mlp-tfc-bn-mnist-add-e2-ramp1", "site global", "σ_a \\ σ_b", "0.3", "7 to run"} {
		if !strings.Contains(out, want) {
			t.Errorf("mismatch walk output lacks %q:\n%s", want, out)
		}
	}
	if out := run(t, args...); !strings.Contains(out, "0 to run") {
		t.Errorf("second run computes again:\n%s", out)
	}
}
