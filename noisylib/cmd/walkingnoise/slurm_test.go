package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// slurmTask runs the walk as task id of a job array with the variables SLURM 22.05 exports for it
// (observed on a real slurmd: for --array=1,5,9 every task sees COUNT 3, MIN 1, MAX 9, STEP 1) plus
// WALKINGNOISE_ARRAY=spec when spec is not empty, and returns the combined output and error.
func slurmTask(t *testing.T, spec, id, count, lo, hi string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "SLURM_ARRAY_JOB_ID=77", "SLURM_ARRAY_TASK_ID="+id, "SLURM_ARRAY_TASK_COUNT="+count,
		"SLURM_ARRAY_TASK_MIN="+lo, "SLURM_ARRAY_TASK_MAX="+hi, "SLURM_ARRAY_TASK_STEP=1", "WALKINGNOISE_ARRAY="+spec)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestArrayTasksMerge runs the walk as the tasks of --array=1,5,9 (task 9 first lost, then resubmitted
// alone), merges them with merge -array and compares with one process.
func TestArrayTasksMerge(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	single := filepath.Join(dir, "single.db")
	run(t, walkArgs(single, filepath.Join(dir, "cache1"))...)
	want := records(t, single)
	base := filepath.Join(dir, "array.db")
	cache := filepath.Join(dir, "cache3")

	// Without WALKINGNOISE_ARRAY a list cannot be mapped to shards: every task fails before any work.
	out, err := slurmTask(t, "", "5", "3", "1", "9", walkArgs(base, cache)...)
	if err == nil || !strings.Contains(out, "WALKINGNOISE_ARRAY") {
		t.Errorf("task 5 of 1,5,9 without WALKINGNOISE_ARRAY: err %v, output %q; want an error naming it", err, out)
	}
	for _, id := range []string{"1", "5"} {
		if out, err := slurmTask(t, "1,5,9", id, "3", "1", "9", walkArgs(base, cache)...); err != nil {
			t.Fatalf("task %s: %v\n%s", id, err, out)
		}
	}
	if b, err := exec.Command(binary, "merge", "-array", "1,5,9", base).CombinedOutput(); err == nil || !strings.Contains(string(b), "task 9 (shard 2/3") {
		t.Errorf("merge with task 9 missing: err %v, output %q; want an error naming task 9", err, b)
	}
	// Task 9 resubmitted alone (sbatch --array=9): SLURM now reports one task from 9 to 9.
	if out, err := slurmTask(t, "1,5,9", "9", "1", "9", "9", walkArgs(base, cache)...); err != nil || !strings.Contains(out, "shard 2/3") {
		t.Fatalf("task 9 resubmitted: %v\n%s", err, out)
	}
	total := 0
	for _, p := range []string{"shard-0-of-3", "shard-1-of-3", "shard-2-of-3"} {
		total += len(records(t, filepath.Join(dir, "array."+p+".db")))
	}
	if total != len(want) {
		t.Errorf("the 3 tasks stored %d points in all, want %d (each point in exactly one shard)", total, len(want))
	}
	run(t, "merge", "-array", "1,5,9", base)
	sameRecords(t, "merge -array 1,5,9", records(t, base), want)
	run(t, "merge", "-array", "1,5,9", base)
	sameRecords(t, "merged twice", records(t, base), want)
}

func TestShardsCommand(t *testing.T) {
	out := run(t, "shards", "-array", "1-31:2%4", "-store", "o/r.db")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 17 || lines[0] != "task\tshard\tstore" || lines[4] != "7\t3/16\to/r.shard-3-of-16.db" {
		t.Errorf("shards -array 1-31:2%%4: %d lines, line 4 %q\n%s", len(lines), lines[min(4, len(lines)-1)], out)
	}
	for _, args := range [][]string{{"shards"}, {"shards", "-array", "5-1"}, {"merge", "-array", "1,5", "a.db", "b.db"}} {
		out, err := exec.Command(binary, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "walkingnoise "+args[0]+":") {
			t.Errorf("%v: err %v, output %q; want a clear error", args, err, out)
		}
	}
	// A one-task array wrote the store itself: nothing to merge.
	dir := t.TempDir()
	if out := run(t, "merge", "-array", "4", filepath.Join(dir, "r.db")); !strings.Contains(out, "nothing to merge") {
		t.Errorf("merge -array 4: %q", out)
	}
}
