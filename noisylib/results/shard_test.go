package results

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestShardOwnsExactlyOneAndBalanced(t *testing.T) {
	const n, points = 8, 4000
	hashes := make([]string, points)
	for i := range hashes {
		hashes[i] = mustHash(t, map[string]int{"point": i})
	}
	counts := make([]int, n)
	for _, h := range hashes {
		owners := 0
		for i := range n {
			if (Shard{Index: i, Count: n}).Owns(h) {
				owners++
				counts[i]++
			}
		}
		if owners != 1 {
			t.Fatalf("hash %s owned by %d of %d shards", h, owners, n)
		}
	}
	// Binomial(4000, 1/8): mean 500, sd ≈ 20.9; allow 5 sd.
	for i, c := range counts {
		if math.Abs(float64(c)-500) > 105 {
			t.Errorf("shard %d owns %d of %d points, want about 500", i, c, points)
		}
	}
	// Select agrees with Owns, keeps the given order, and does not depend on the order of the plan.
	total := 0
	for i := range n {
		sh := Shard{Index: i, Count: n}
		sel := sh.Select(hashes)
		total += len(sel)
		if len(sel) != counts[i] {
			t.Errorf("Select of shard %d: %d hashes, Owns says %d", i, len(sel), counts[i])
		}
		reversed := make([]string, len(hashes))
		for k, h := range hashes {
			reversed[len(hashes)-1-k] = h
		}
		rsel := sh.Select(reversed)
		for k := range sel {
			if sel[k] != rsel[len(rsel)-1-k] {
				t.Fatalf("shard %d selects other points when the plan order changes", i)
			}
		}
	}
	if total != points {
		t.Errorf("shards select %d points in all, want %d", total, points)
	}
}

func TestShardOwnsByFirstHexDigits(t *testing.T) {
	// 0x0000000a = 10: shard 10 mod 4 = 2 of 4, shard 1 of 3 (10 mod 3 = 1).
	h := "0000000a" + "ffff"
	if !(Shard{2, 4}).Owns(h) || (Shard{1, 4}).Owns(h) || !(Shard{1, 3}).Owns(h) {
		t.Error("Owns does not follow the first 8 hex digits mod n")
	}
	// 0xffffffff = 4294967295 = 3·1431655765: shard 0 of 3; 4294967295 mod 7 = 3.
	if !(Shard{0, 3}).Owns("ffffffff00") || !(Shard{3, 7}).Owns("FFFFFFFF") {
		t.Error("Owns wrong for ffffffff")
	}
	for _, whole := range []Shard{{}, {0, 1}} {
		if !whole.Owns("anything") || len(whole.Select([]string{"a", "b"})) != 2 {
			t.Errorf("%+v does not own every hash", whole)
		}
	}
	if (Shard{5, 4}).Owns(h) || (Shard{-1, 4}).Owns(h) {
		t.Error("an out-of-range index owns a hash")
	}
	// Non-hex keys still land in exactly one shard.
	for _, key := range []string{"", "xyz", "not-a-hash-at-all"} {
		owners := 0
		for i := range 5 {
			if (Shard{i, 5}).Owns(key) {
				owners++
			}
		}
		if owners != 1 {
			t.Errorf("key %q owned by %d shards", key, owners)
		}
	}
}

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"0/1": {0, 1}, "2/8": {2, 8}, " 15 / 16 ": {15, 16}} {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if back, err := ParseShard(got.String()); err != nil || back != got {
			t.Errorf("ParseShard(%q.String()) = %+v, %v", in, back, err)
		}
	}
	for _, bad := range []string{"", "3", "8/8", "9/8", "-1/8", "0/0", "1/-2", "a/8", "1/b", "1/2/3", "1.5/4"} {
		if s, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) = %+v, want an error", bad, s)
		}
	}
}

func TestShardValidate(t *testing.T) {
	for _, ok := range []Shard{{}, {0, 1}, {7, 8}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	for _, bad := range []Shard{{1, 0}, {8, 8}, {-1, 3}, {0, -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v validated", bad)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	vars := []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
		"SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP"}
	set := func(vals ...string) {
		for i, v := range vars {
			t.Setenv(v, "")
			if i < len(vals) && vals[i] != "-" {
				t.Setenv(v, vals[i])
			}
		}
	}
	cases := []struct {
		env  []string // ID, COUNT, MIN, MAX, STEP; "-" or missing = unset
		want Shard
		ok   bool
		err  bool
	}{
		{env: nil, ok: false}, // not in an array
		{env: []string{"3", "16", "0", "15"}, want: Shard{3, 16}, ok: true}, // --array=0-15
		{env: []string{"1", "16", "1", "16"}, want: Shard{0, 16}, ok: true}, // --array=1-16
		{env: []string{"16", "16", "1", "16"}, want: Shard{15, 16}, ok: true},
		{env: []string{"5", "4", "-", "-"}, want: Shard{}, err: true},          // ID 5 of 4 without MIN
		{env: []string{"6", "8", "0", "14", "2"}, want: Shard{3, 8}, ok: true}, // --array=0-14:2
		{env: []string{"12", "-", "10", "13"}, want: Shard{2, 4}, ok: true},    // COUNT from MAX
		{env: []string{"x", "4"}, err: true},                                   // ID not an integer
		{env: []string{"1", "four"}, err: true},                                // COUNT not an integer
		{env: []string{"1", "4", "z"}, err: true},                              // MIN not an integer
		{env: []string{"2"}, err: true},                                        // neither COUNT nor MAX
		{env: []string{"0", "4", "1", "4"}, err: true},                         // ID below MIN
		{env: []string{"3", "8", "0", "14", "2"}, err: true},                   // ID off the step
		{env: []string{"1", "0"}, err: true},                                   // COUNT 0
		{env: []string{"1", "4", "0", "3", "0"}, err: true},                    // STEP 0
	}
	for _, c := range cases {
		set(c.env...)
		got, ok, err := ShardFromEnv()
		if (err != nil) != c.err || ok != c.ok || got != c.want {
			t.Errorf("env %v: ShardFromEnv = %+v, %v, %v; want %+v, %v, error %v", c.env, got, ok, err, c.want, c.ok, c.err)
		}
	}
}

func TestShardStorePath(t *testing.T) {
	for _, c := range []struct {
		s          Shard
		base, want string
	}{
		{Shard{2, 8}, "results.db", "results.shard-2-of-8.db"},
		{Shard{0, 16}, "out/results.db", "out/results.shard-0-of-16.db"},
		{Shard{1, 2}, "out.d/results", "out.d/results.shard-1-of-2"},
		{Shard{1, 2}, "a/b.sqlite", "a/b.shard-1-of-2.sqlite"},
		{Shard{0, 1}, "out/results.db", "out/results.db"},
		{Shard{}, "out/results.db", "out/results.db"},
	} {
		if got := c.s.StorePath(c.base); got != c.want {
			t.Errorf("%+v.StorePath(%q) = %q, want %q", c.s, c.base, got, c.want)
		}
	}
	// Every shard path matches the glob of the merge command and differs from the others.
	seen := map[string]bool{}
	for i := range 16 {
		p := Shard{i, 16}.StorePath("out/results.db")
		if ok, _ := filepath.Match("out/results.shard-*.db", p); !ok || seen[p] {
			t.Errorf("shard path %q does not match the merge glob or repeats", p)
		}
		seen[p] = true
	}
}

func TestParseArraySpec(t *testing.T) {
	seq := func(lo, hi, step int) []int {
		var out []int
		for i := lo; i <= hi; i += step {
			out = append(out, i)
		}
		return out
	}
	for _, c := range []struct {
		spec string
		want []int
	}{
		{"0-15", seq(0, 15, 1)},
		{"1-31:2", seq(1, 31, 2)},
		{"1,5,9", []int{1, 5, 9}},
		{"0-99%8", seq(0, 99, 1)},
		{"1,4,7", []int{1, 4, 7}},
		{"7", []int{7}},
		{"9,1,5", []int{1, 5, 9}},          // order of the elements does not matter
		{"1-4:2,3", []int{1, 3}},           // 1, 3 and 3 again
		{"0-6:3,10", []int{0, 3, 6, 10}},   // stepped range and an id
		{"1-5:7", []int{1}},                // step longer than the range
		{" 1 , 2 - 4 ", []int{1, 2, 3, 4}}, // spaces around numbers
		{"010", []int{10}},                 // leading zeros, as SLURM reads them
		{"3%0", []int{3}},                  // a throttle of 0 (no limit) parses
		{"4000000", []int{MaxArrayTaskID}}, // the largest id
		{"0-2,1-3", []int{0, 1, 2, 3}},     // overlapping ranges count each id once
		{"5-5:3", []int{5}},
	} {
		got, err := ParseArraySpec(c.spec)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseArraySpec(%q) = %v, %v; want %v", c.spec, got, err, c.want)
		}
	}
	for _, bad := range []string{"", " ", "%4", "5-3", "0-4:0", "-1", "1:2", "1-3:2:2", "0x10", "+3", "1,", ",1",
		"1,,2", "1-2-3", "1;2", "0-3%", "0-3%x", "1%2%3", "a", "1-", "4000001", "0-4000001", "99999999999999999999",
		"0-4000000",                            // more than MaxArrayTasks ids
		strings.Repeat("0-600000,", 2) + "1"} { // as many listed, though only 600,001 different
		if ids, err := ParseArraySpec(bad); err == nil {
			t.Errorf("ParseArraySpec(%q) = %v, want an error", bad, ids)
		} else if !strings.Contains(err.Error(), "want e.g.") {
			t.Errorf("ParseArraySpec(%q) error %q does not show the syntax", bad, err)
		}
	}
}

func TestShardOfTask(t *testing.T) {
	for _, c := range []struct {
		spec string
		id   int
		want Shard
	}{
		{"1,5,9", 1, Shard{0, 3}},
		{"1,5,9", 5, Shard{1, 3}},
		{"1,5,9", 9, Shard{2, 3}},
		{"1-31:2", 7, Shard{3, 16}},
		{"0-99%8", 99, Shard{99, 100}},
		{"3", 3, Shard{0, 1}},
	} {
		got, err := ShardOfTask(c.spec, c.id)
		if err != nil || got != c.want {
			t.Errorf("ShardOfTask(%q, %d) = %+v, %v; want %+v", c.spec, c.id, got, err, c.want)
		}
	}
	for _, c := range []struct {
		spec string
		id   int
	}{{"1,5,9", 4}, {"1-31:2", 2}, {"0-15", 16}, {"bad", 0}} {
		if s, err := ShardOfTask(c.spec, c.id); err == nil {
			t.Errorf("ShardOfTask(%q, %d) = %+v, want an error", c.spec, c.id, s)
		}
	}
	// Every spec's tasks run every shard exactly once, and each point hash is owned by exactly one task.
	hashes := make([]string, 300)
	for i := range hashes {
		hashes[i] = mustHash(t, map[string]int{"point": i})
	}
	for _, spec := range []string{"0-15", "1-31:2", "1,5,9", "0-99%8", "2,3,5,7,11,13"} {
		ids, err := ParseArraySpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		owners := make([]int, len(hashes))
		index := map[int]bool{}
		for _, id := range ids {
			s, err := ShardOfTask(spec, id)
			if err != nil || s.Count != len(ids) || index[s.Index] {
				t.Fatalf("spec %q task %d: shard %+v, %v (count %d, seen %v)", spec, id, s, err, len(ids), index[s.Index])
			}
			index[s.Index] = true
			for k, h := range hashes {
				if s.Owns(h) {
					owners[k]++
				}
			}
		}
		for k, n := range owners {
			if n != 1 {
				t.Fatalf("spec %q: point %d owned by %d tasks", spec, k, n)
			}
		}
	}
}

func TestArrayShards(t *testing.T) {
	ids, paths, err := ArrayShards("1,4,7", "out/results.db")
	want := []string{"out/results.shard-0-of-3.db", "out/results.shard-1-of-3.db", "out/results.shard-2-of-3.db"}
	if err != nil || !slices.Equal(ids, []int{1, 4, 7}) || !slices.Equal(paths, want) {
		t.Errorf("ArrayShards = %v, %v, %v; want [1 4 7], %v", ids, paths, err, want)
	}
	if _, paths, err := ArrayShards("5", "out/results.db"); err != nil || !slices.Equal(paths, []string{"out/results.db"}) {
		t.Errorf("one task: paths %v, %v; want the base store itself", paths, err)
	}
	if _, _, err := ArrayShards("5-1", "out/results.db"); err == nil {
		t.Error("ArrayShards accepted a bad spec")
	}
}

func TestShardFromEnvWithArraySpec(t *testing.T) {
	for _, v := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
		"SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", ArrayEnv} {
		t.Setenv(v, "")
	}
	// What SLURM 22.05 exports for task 5 of --array=1,5,9 (observed on a real slurmd).
	t.Setenv("SLURM_ARRAY_TASK_ID", "5")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
	t.Setenv("SLURM_ARRAY_TASK_MAX", "9")
	t.Setenv("SLURM_ARRAY_TASK_STEP", "1")
	if s, ok, err := ShardFromEnv(); err == nil || ok || !strings.Contains(err.Error(), ArrayEnv) {
		t.Errorf("--array=1,5,9 without %s: %+v, %v, %v; want an error naming %s", ArrayEnv, s, ok, err, ArrayEnv)
	}
	t.Setenv(ArrayEnv, "1,5,9")
	if s, ok, err := ShardFromEnv(); err != nil || !ok || s != (Shard{1, 3}) {
		t.Errorf("--array=1,5,9 with %s: %+v, %v, %v; want 1/3", ArrayEnv, s, ok, err)
	}
	// Task 5 resubmitted alone (sbatch --array=5): SLURM reports one task, the spec keeps its shard.
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "1")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "5")
	t.Setenv("SLURM_ARRAY_TASK_MAX", "5")
	if s, ok, err := ShardFromEnv(); err != nil || !ok || s != (Shard{1, 3}) {
		t.Errorf("task 5 resubmitted alone: %+v, %v, %v; want 1/3", s, ok, err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "6")
	if s, ok, err := ShardFromEnv(); err == nil || ok {
		t.Errorf("task 6 not in the spec: %+v, %v, %v; want an error", s, ok, err)
	}
	// Outside an array the spec alone does not make a shard.
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	if s, ok, err := ShardFromEnv(); err != nil || ok || s != (Shard{}) {
		t.Errorf("no task id: %+v, %v, %v; want not in an array", s, ok, err)
	}
}
