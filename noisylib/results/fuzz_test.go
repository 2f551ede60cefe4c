package results

import "testing"

// FuzzShard feeds arbitrary shard specs ("i/n") and SLURM array variables to ParseShard and ShardFromEnv's
// parser: no input may panic, an accepted shard is in range, and its String parses back to it.
func FuzzShard(f *testing.F) {
	for _, c := range [][5]string{
		// spec, SLURM_ARRAY_TASK_ID, MIN, STEP, COUNT or MAX
		{"0/8", "3", "0", "1", "16"}, {"3/16", "5", "1", "", "16"}, {" 2 / 4 ", "4", "0", "2", ""},
		{"8/8", "1", "1", "0", "x"}, {"-1/4", "-3", "", "", "-2"}, {"1/0", "9223372036854775807", "-9223372036854775808", "1", ""},
		{"a/b", "1,5,9", "", "", ""}, {"/", " ", "", "", ""}, {"0/1/2", "0", "0", "3", "1"},
	} {
		f.Add(c[0], c[1], c[2], c[3], c[4], false)
		f.Add(c[0], c[1], c[2], c[3], c[4], true)
	}
	f.Fuzz(func(t *testing.T, spec, id, lo, step, n string, viaMax bool) {
		if s, err := ParseShard(spec); err == nil {
			if s.Index < 0 || s.Index >= s.Count {
				t.Fatalf("ParseShard(%q) = %+v: index out of range", spec, s)
			}
			if back, err := ParseShard(s.String()); err != nil || back != s {
				t.Fatalf("ParseShard(%q).String() = %q parses to %+v, %v", spec, s.String(), back, err)
			}
		}
		env := map[string]string{"SLURM_ARRAY_TASK_ID": id, "SLURM_ARRAY_TASK_MIN": lo, "SLURM_ARRAY_TASK_STEP": step}
		if viaMax {
			env["SLURM_ARRAY_TASK_MAX"] = n
		} else {
			env["SLURM_ARRAY_TASK_COUNT"] = n
		}
		s, ok, err := shardFromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok && v != "" })
		if err == nil && ok && (s.Index < 0 || s.Index >= s.Count) {
			t.Fatalf("env %v gives shard %+v out of range", env, s)
		}
	})
}
