package results

import (
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Shard is one of Count disjoint parts of a walk. Every hash belongs to exactly one shard, chosen
// from the hash alone (see Owns), so the parts agree whatever the order of the plan's points. The
// zero Shard, and any Shard with Count ≤ 1, stands for the whole walk.
type Shard struct {
	// Index is the 0-based number of this shard, in [0, Count).
	Index int
	// Count is the number of shards; 0 or 1 means no sharding.
	Count int
}

// Validate reports an error unless 0 ≤ Index < Count (or the Shard is the zero value).
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 {
		return fmt.Errorf("results: shard count %d must be at least 1", s.Count)
	}
	if s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("results: shard index %d out of range [0, %d)", s.Index, s.Count)
	}
	return nil
}

// String returns the shard as "i/n" (the form ParseShard reads).
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// ParseShard parses "i/n", the 0-based shard i of n (spaces around the numbers are allowed).
// It fails unless n ≥ 1 and 0 ≤ i < n.
func ParseShard(spec string) (Shard, error) {
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return Shard{}, fmt.Errorf("results: shard %q: want i/n, e.g. 0/8 (0-based i)", spec)
	}
	i, err := strconv.Atoi(strings.TrimSpace(is))
	if err != nil {
		return Shard{}, fmt.Errorf("results: shard %q: index %q is not an integer", spec, is)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil {
		return Shard{}, fmt.Errorf("results: shard %q: count %q is not an integer", spec, ns)
	}
	s := Shard{Index: i, Count: n}
	if n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("results: shard %q: want a count ≥ 1 and an index in [0, %d)", spec, max(n, 1))
	}
	return s, nil
}

// ShardFromEnv returns the shard of this task of a SLURM job array. ok is false (and the Shard zero)
// when SLURM_ARRAY_TASK_ID is unset or empty, i.e. outside a job array.
//
// The index is (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, with MIN 0 and
// STEP 1 when unset, so --array=0-15, --array=1-16 and --array=0-30:2 all give shards 0..15. The count
// is SLURM_ARRAY_TASK_COUNT, or (MAX − MIN)/STEP + 1 from SLURM_ARRAY_TASK_MAX when COUNT is unset.
// The array must be one range: a list such as --array=1,5,9 has no such mapping (use ParseShard with an
// explicit shard instead). It fails when a variable is not an integer or the index is out of range.
func ShardFromEnv() (s Shard, ok bool, err error) {
	return shardFromLookup(os.LookupEnv)
}

// shardFromLookup is ShardFromEnv with a custom environment.
func shardFromLookup(lookup func(string) (string, bool)) (Shard, bool, error) {
	get := func(name string, def int, required bool) (int, bool, error) {
		v, ok := lookup(name)
		v = strings.TrimSpace(v)
		if !ok || v == "" {
			if required {
				return 0, false, fmt.Errorf("results: %s is not set", name)
			}
			return def, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, false, fmt.Errorf("results: %s=%q is not an integer", name, v)
		}
		return n, true, nil
	}
	if v, ok := lookup("SLURM_ARRAY_TASK_ID"); !ok || strings.TrimSpace(v) == "" {
		return Shard{}, false, nil
	}
	id, _, err := get("SLURM_ARRAY_TASK_ID", 0, true)
	if err != nil {
		return Shard{}, false, err
	}
	lo, _, err := get("SLURM_ARRAY_TASK_MIN", 0, false)
	if err != nil {
		return Shard{}, false, err
	}
	step, _, err := get("SLURM_ARRAY_TASK_STEP", 1, false)
	if err != nil {
		return Shard{}, false, err
	}
	if step < 1 {
		return Shard{}, false, fmt.Errorf("results: SLURM_ARRAY_TASK_STEP=%d must be at least 1", step)
	}
	count, haveCount, err := get("SLURM_ARRAY_TASK_COUNT", 0, false)
	if err != nil {
		return Shard{}, false, err
	}
	if !haveCount {
		hi, haveMax, err := get("SLURM_ARRAY_TASK_MAX", 0, false)
		if err != nil {
			return Shard{}, false, err
		}
		if !haveMax {
			return Shard{}, false, fmt.Errorf("results: SLURM_ARRAY_TASK_ID=%d is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX", id)
		}
		count = (hi-lo)/step + 1
	}
	if (id-lo)%step != 0 {
		return Shard{}, false, fmt.Errorf("results: SLURM_ARRAY_TASK_ID=%d is not MIN %d plus a multiple of STEP %d", id, lo, step)
	}
	s := Shard{Index: (id - lo) / step, Count: count}
	if count < 1 || s.Index < 0 || s.Index >= count {
		return Shard{}, false, fmt.Errorf("results: SLURM_ARRAY_TASK_ID=%d (MIN %d, STEP %d) gives shard index %d, outside [0, %d)",
			id, lo, step, s.Index, max(count, 1))
	}
	return s, true, nil
}

// bucket maps a hash to a number: its first 8 hex digits as a uint32, or, for a hash that does not
// start with 8 hex digits, the FNV-1a hash of the whole string.
func bucket(hash string) uint32 {
	if len(hash) >= 8 {
		var b [4]byte
		if _, err := hex.Decode(b[:], []byte(hash[:8])); err == nil {
			return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		}
	}
	h := fnv.New32a()
	h.Write([]byte(hash))
	return h.Sum32()
}

// Owns reports whether hash belongs to the shard: the first 8 hex digits of the hash, read as a
// number, modulo Count equal Index. A Shard with Count ≤ 1 owns every hash; one with an Index outside
// [0, Count) owns none.
func (s Shard) Owns(hash string) bool {
	if s.Count <= 1 {
		return true
	}
	return s.Index >= 0 && uint64(bucket(hash))%uint64(s.Count) == uint64(s.Index)
}

// Select returns the hashes the shard owns, in their given order.
func (s Shard) Select(hashes []string) []string {
	var out []string
	for _, h := range hashes {
		if s.Owns(h) {
			out = append(out, h)
		}
	}
	return out
}

// StorePath returns the store file of the shard next to base: "out/results.db" becomes
// "out/results.shard-2-of-8.db" for Shard{2, 8} (0-based index, so shard-0-of-8 … shard-7-of-8), and a
// base without extension gets the suffix appended. With Count ≤ 1 it returns base unchanged.
// `walkingnoise merge out/results.db out/results.shard-*.db` then gathers the shards.
func (s Shard) StorePath(base string) string {
	if s.Count <= 1 {
		return base
	}
	ext := filepath.Ext(base)
	return fmt.Sprintf("%s.shard-%d-of-%d%s", strings.TrimSuffix(base, ext), s.Index, s.Count, ext)
}
