package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenExistingCreatesNothing: a read-only open of a missing store fails with "does not exist" and leaves
// neither the file nor its folder behind (issue 14, fault 4: `export -store typo.db` created typo.db).
func TestOpenExistingCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{filepath.Join(dir, "typo.db"), filepath.Join(dir, "no", "such", "folder", "r.db")} {
		st, err := OpenExisting(p)
		if err == nil {
			st.Close()
			t.Fatalf("OpenExisting(%s) succeeded on a missing store", p)
		}
		if !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("OpenExisting(%s): error %q does not say the store does not exist", p, err)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Errorf("OpenExisting left %d entries in the folder, want none (first: %s)", len(ents), ents[0].Name())
	}
	if st, err := OpenExisting(dir); err == nil {
		st.Close()
		t.Errorf("OpenExisting of a folder succeeded")
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := OpenExisting(empty); err == nil {
		st.Close()
		t.Errorf("OpenExisting of an empty file succeeded, want 'holds no results store'")
	}
	if info, _ := os.Stat(empty); info.Size() != 0 {
		t.Errorf("OpenExisting wrote %d bytes into an empty file", info.Size())
	}
}

// TestOpenExistingReadsAndCannotWrite: an existing store reads the same records as Open, and refuses writes.
func TestOpenExistingReadsAndCannotWrite(t *testing.T) {
	st, path := openTemp(t, "ro.db")
	for i := range 5 {
		if err := st.Put(makeRecord(t, "p", i)); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	ro, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	recs, err := ro.List("p")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("read %d records, want 5", len(recs))
	}
	if err := ro.Put(makeRecord(t, "p", 7)); err == nil {
		t.Errorf("Put into a store opened with OpenExisting succeeded, want a read-only error")
	}
}

// TestMergeDoesNotWriteSources: merging an empty (0-byte) file as a source fails instead of turning it into
// a store, and creates no destination.
func TestMergeDoesNotWriteSources(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "shard.db")
	if err := os.WriteFile(src, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(filepath.Join(dir, "out.db"), src); err == nil {
		t.Errorf("Merge from an empty file succeeded")
	}
	if info, _ := os.Stat(src); info.Size() != 0 {
		t.Errorf("Merge wrote %d bytes into its source", info.Size())
	}
	if _, err := os.Stat(filepath.Join(dir, "out.db")); err == nil {
		t.Errorf("Merge created its destination although a source is not a store")
	}
}
