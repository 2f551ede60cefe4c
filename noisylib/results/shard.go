package results

import (
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
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

// ArrayEnv names the environment variable that carries the --array spec of a whole walk submitted as
// a SLURM job array (e.g. WALKINGNOISE_ARRAY=1,5,9). SLURM tells a task only its own id and the
// smallest, largest and number of ids of its own submission, which cannot place task 5 of 1,5,9 (SLURM
// reports MIN 1, MAX 9, STEP 1, COUNT 3), nor a task resubmitted alone (COUNT 1). With ArrayEnv set,
// ShardFromEnv maps the task id through ShardOfTask instead, for any spec and any resubmission.
const ArrayEnv = "WALKINGNOISE_ARRAY"

// MaxArrayTaskID is the largest task id ParseArraySpec accepts: SLURM's own limit (MaxArraySize is at
// most 4000001, and ids must be below it).
const MaxArrayTaskID = 4_000_000

// MaxArrayTasks is the largest number of tasks ParseArraySpec accepts (one shard per task).
const MaxArrayTasks = 1 << 20

// ParseArraySpec parses a SLURM job-array spec, the value of `sbatch --array`, and returns its task
// ids in increasing order without repeats. The spec is a comma-separated list of elements, each an id
// N, a range N-M (N ≤ M, both ends included) or a stepped range N-M:S (N, N+S, … ≤ M; S ≥ 1), with an
// optional throttle %K at the end (at most K tasks run at once; it does not change the ids), e.g.
// "0-15", "1-31:2", "1,5,9", "0-99%8", "0-6:3,10". Ids are decimal integers in [0, MaxArrayTaskID];
// spaces around numbers are ignored; an id given twice counts once, as in SLURM. It fails, naming the
// offending part, on an empty spec or element, a non-number, a descending range, a step below 1, an id
// above MaxArrayTaskID or more than MaxArrayTasks ids listed (repeats included, so that its time and
// memory stay bounded by that number).
func ParseArraySpec(spec string) ([]int, error) {
	fail := func(format string, a ...any) ([]int, error) {
		return nil, fmt.Errorf("results: array spec %q: %s (want e.g. 0-15, 1-31:2, 1,5,9 or 0-99%%8)", spec, fmt.Sprintf(format, a...))
	}
	num := func(what, s string) (int, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, fmt.Errorf("empty %s", what)
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("%s %q is not a non-negative integer", what, s)
			}
		}
		if len(s) > 7 { // more digits than MaxArrayTaskID, even with leading zeros stripped below
			if t := strings.TrimLeft(s, "0"); len(t) > 7 {
				return 0, fmt.Errorf("%s %s is above %d", what, s, MaxArrayTaskID)
			}
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%s %q is not a non-negative integer", what, s)
		}
		return n, nil
	}
	list := spec
	if i := strings.LastIndexByte(spec, '%'); i >= 0 {
		list = spec[:i]
		if _, err := num("throttle after %", spec[i+1:]); err != nil {
			return fail("%v", err)
		}
	}
	if strings.TrimSpace(list) == "" {
		return fail("no task ids")
	}
	type span struct{ lo, hi, step int }
	var spans []span
	top, listed := -1, 0
	for _, el := range strings.Split(list, ",") {
		r, st, stepped := strings.Cut(el, ":")
		lo, hi, ranged := strings.Cut(r, "-")
		a, err := num("task id", lo)
		if err != nil {
			if strings.TrimSpace(el) == "" {
				return fail("empty element between commas")
			}
			return fail("element %q: %v", el, err)
		}
		sp := span{a, a, 1}
		if ranged {
			if sp.hi, err = num("range end", hi); err != nil {
				return fail("element %q: %v", el, err)
			}
			if sp.hi < sp.lo {
				return fail("element %q: range end %d is below its start %d", el, sp.hi, sp.lo)
			}
		}
		if stepped {
			if !ranged {
				return fail("element %q: a step :S needs a range N-M", el)
			}
			if sp.step, err = num("step", st); err != nil {
				return fail("element %q: %v", el, err)
			}
			if sp.step < 1 {
				return fail("element %q: step must be at least 1", el)
			}
		}
		if sp.hi > MaxArrayTaskID {
			return fail("task id %d is above %d", sp.hi, MaxArrayTaskID)
		}
		spans = append(spans, sp)
		top = max(top, sp.hi)
		if listed += (sp.hi-sp.lo)/sp.step + 1; listed > MaxArrayTasks {
			return fail("more than %d task ids (counting repeats)", MaxArrayTasks)
		}
	}
	seen := make([]uint64, top/64+1)
	n := 0
	for _, sp := range spans {
		for id := sp.lo; id <= sp.hi; id += sp.step {
			if seen[id/64]&(1<<(id%64)) == 0 {
				seen[id/64] |= 1 << (id % 64)
				n++
			}
		}
	}
	ids := make([]int, 0, n)
	for w, b := range seen {
		for ; b != 0; b &= b - 1 {
			ids = append(ids, w*64+bits.TrailingZeros64(b))
		}
	}
	return ids, nil
}

// ShardOfTask returns the shard that task taskID of the job array spec (see ParseArraySpec) runs: the
// n task ids of the spec, in increasing order, run shards 0 … n−1, so "1,5,9" gives task 5 the shard
// 1/3 and "1-31:2" gives task 7 the shard 3/16. It fails when the spec does not parse or does not
// contain taskID.
func ShardOfTask(spec string, taskID int) (Shard, error) {
	ids, err := ParseArraySpec(spec)
	if err != nil {
		return Shard{}, err
	}
	i, found := slices.BinarySearch(ids, taskID)
	if !found {
		return Shard{}, fmt.Errorf("results: array task %d is not in the array spec %q (%s=%s)", taskID, spec, ArrayEnv, spec)
	}
	return Shard{Index: i, Count: len(ids)}, nil
}

// ArrayShards returns, for the job array spec (see ParseArraySpec), each task id with the store file its
// shard writes next to base (see StorePath), in increasing task order. With a single task the walk is
// not split and the one store is base itself.
func ArrayShards(spec, base string) (ids []int, paths []string, err error) {
	if ids, err = ParseArraySpec(spec); err != nil {
		return nil, nil, err
	}
	paths = make([]string, len(ids))
	for i := range ids {
		paths[i] = Shard{Index: i, Count: len(ids)}.StorePath(base)
	}
	return ids, paths, nil
}

// ShardFromEnv returns the shard of this task of a SLURM job array. ok is false (and the Shard zero)
// when SLURM_ARRAY_TASK_ID is unset or empty, i.e. outside a job array.
//
// When $WALKINGNOISE_ARRAY (ArrayEnv) holds the --array spec of the whole walk, the shard is
// ShardOfTask(spec, SLURM_ARRAY_TASK_ID): this works for every spec (1,5,9 too) and for a task
// resubmitted alone (sbatch --array=5 with WALKINGNOISE_ARRAY=1,5,9 still runs shard 1/3).
//
// Without it the shard comes from SLURM's own variables, which describe only a regular range: the index
// is (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, with MIN 0 and STEP 1 when
// unset, so --array=0-15, --array=1-16 and --array=0-30:2 all give shards 0..15; the count is
// SLURM_ARRAY_TASK_COUNT, or (MAX − MIN)/STEP + 1 from SLURM_ARRAY_TASK_MAX when COUNT is unset. When
// COUNT and MAX are both set and disagree (a list such as --array=1,5,9, for which SLURM reports MIN 1,
// MAX 9, STEP 1, COUNT 3) it fails and names the fix, WALKINGNOISE_ARRAY. It also fails when a variable
// is not an integer or the index is out of range.
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
	if spec, ok := lookup(ArrayEnv); ok && strings.TrimSpace(spec) != "" {
		s, err := ShardOfTask(spec, id)
		return s, err == nil, err
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
	hi, haveMax, err := get("SLURM_ARRAY_TASK_MAX", 0, false)
	if err != nil {
		return Shard{}, false, err
	}
	switch {
	case !haveCount && !haveMax:
		return Shard{}, false, fmt.Errorf("results: SLURM_ARRAY_TASK_ID=%d is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX", id)
	case !haveCount:
		count = (hi-lo)/step + 1
	case haveMax && hi >= lo && count != (hi-lo)/step+1:
		return Shard{}, false, fmt.Errorf("results: this job array is not one range (SLURM reports %d tasks from %d to %d, step %d), so task %d has no shard index: "+
			"submit with %s set to the --array spec (e.g. %s=1,5,9 sbatch --array=1,5,9 …), or use scripts/slurm-walk.sh, which does", count, lo, hi, step, id, ArrayEnv, ArrayEnv)
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
