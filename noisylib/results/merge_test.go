package results

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeStore creates a store file at path holding recs.
func writeStore(t *testing.T, path string, recs ...Record) {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range recs {
		mustPut(t, s, r)
	}
}

func listAll(t *testing.T, path string) []Record {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func sameLists(t *testing.T, what string, a, b []Record) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d vs %d records", what, len(a), len(b))
	}
	for i := range a {
		if d := equalRecords(a[i], b[i]); d != "" {
			t.Fatalf("%s: record %d differs: %s", what, i, d)
		}
	}
}

func TestMergeIdempotentWithOverlap(t *testing.T) {
	dir := t.TempDir()
	recs := make([]Record, 30)
	for i := range recs {
		recs[i] = makeRecord(t, []string{"a", "b"}[i%2], i)
	}
	s1, s2, s3 := filepath.Join(dir, "r.shard-0-of-3.db"), filepath.Join(dir, "r.shard-1-of-3.db"), filepath.Join(dir, "r.shard-2-of-3.db")
	writeStore(t, s1, recs[0:12]...)
	writeStore(t, s2, recs[8:22]...) // overlaps s1 on 8..11, identical rows
	writeStore(t, s3, recs[20:30]...)

	dst := filepath.Join(dir, "merged", "r.db")
	added, err := Merge(dst, s1, s2, s3)
	if err != nil {
		t.Fatal(err)
	}
	if added != 30 {
		t.Errorf("first merge added %d, want 30", added)
	}
	first := listAll(t, dst)
	want := make([]Record, 0, 30)
	for _, plan := range []string{"a", "b"} { // List order: plan, then time (records are made 1 s apart)
		for _, r := range recs {
			if r.Plan == plan {
				r.Config, _ = CanonicalJSON(r.Config)
				want = append(want, r)
			}
		}
	}
	sameLists(t, "first merge", first, want)

	added, err = Merge(dst, s1, s2, s3)
	if err != nil || added != 0 {
		t.Errorf("second merge added %d, %v; want 0, nil", added, err)
	}
	sameLists(t, "merge twice", listAll(t, dst), first)

	other := filepath.Join(dir, "other.db")
	if _, err := Merge(other, s3, s2); err != nil {
		t.Fatal(err)
	}
	if added, err := Merge(other, s1); err != nil || added != 8 {
		t.Errorf("merging s1 after s3, s2 added %d, %v; want 8 (0..7)", added, err)
	}
	sameLists(t, "other order", listAll(t, other), first)

	// The sources are untouched.
	if n := len(listAll(t, s2)); n != 14 {
		t.Errorf("source s2 holds %d records after merging, want its 14", n)
	}
}

func TestMergeConflictRule(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	at := func(r Record, status string, min int, acc float64, host string) Record {
		r.Status, r.CreatedAt, r.Accuracy, r.Host = status, t0.Add(time.Duration(min)*time.Minute), acc, host
		return r
	}
	p1, p2, p3, p4 := makeRecord(t, "p", 1), makeRecord(t, "p", 2), makeRecord(t, "p", 3), makeRecord(t, "p", 4)
	// shard x and shard y disagree on every point.
	x := filepath.Join(dir, "x.db")
	y := filepath.Join(dir, "y.db")
	writeStore(t, x,
		at(p1, StatusFailed, 0, 0, "x"),     // p1: failed early in x, done later in y → y's done record
		at(p2, StatusDone, 5, 90, "x"),      // p2: both done, x earlier → x
		at(p3, StatusCollapsed, 9, 10, "x"), // p3: collapsed (finished) in x vs failed earlier in y → x
		at(p4, StatusDone, 7, 80, "b-host"), // p4: same time, both done: smaller tie key (host "a-host") → y
	)
	writeStore(t, y,
		at(p1, StatusDone, 3, 91, "y"),
		at(p2, StatusDone, 6, 92, "y"),
		at(p3, StatusFailed, 1, 0, "y"),
		at(p4, StatusDone, 7, 81, "a-host"),
	)
	wantHost := map[string]string{p1.Hash: "y", p2.Hash: "x", p3.Hash: "x", p4.Hash: "a-host"}
	for _, order := range [][]string{{x, y}, {y, x}} {
		dst := filepath.Join(t.TempDir(), "m.db")
		if added, err := Merge(dst, order...); err != nil || added != 4 {
			t.Fatalf("Merge(%v) = %d, %v; want 4", order, added, err)
		}
		for _, r := range listAll(t, dst) {
			if r.Host != wantHost[r.Hash] {
				t.Errorf("merge order %v: point with accuracy %v from host %q kept, want host %q",
					order, r.Accuracy, r.Host, wantHost[r.Hash])
			}
		}
	}
	// Merging into a store that already holds a worse record replaces it without counting it as added.
	dst := filepath.Join(dir, "pre.db")
	writeStore(t, dst, at(p2, StatusFailed, 0, 0, "pre"))
	if added, err := Merge(dst, x); err != nil || added != 3 {
		t.Errorf("Merge into a store holding p2 added %d, %v; want 3", added, err)
	}
	s, _ := Open(dst)
	defer s.Close()
	if r, _, _ := s.Get(p2.Hash); r.Host != "x" || r.Status != StatusDone {
		t.Errorf("p2 kept from %q with status %q, want the done record of x", r.Host, r.Status)
	}
}

func TestMergeErrors(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "dst.db")
	src := filepath.Join(dir, "src.db")
	writeStore(t, src, makeRecord(t, "p", 1))
	if _, err := Merge(dst, filepath.Join(dir, "missing.db")); err == nil {
		t.Error("merging a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("merge created the missing source")
	}
	if _, err := Merge(src, src); err == nil {
		t.Error("merging a store into itself succeeded")
	}
	if _, err := Merge(dst, dir); err == nil {
		t.Error("merging a folder succeeded")
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database, not at all, really not"), 0o644)
	if _, err := Merge(dst, src, junk); err == nil {
		t.Error("merging a text file succeeded")
	}
	// A failed merge is one transaction: nothing from src reached dst.
	if recs := listAll(t, dst); len(recs) != 0 {
		t.Errorf("failed merge left %d records in dst", len(recs))
	}
	if added, err := Merge(dst); err != nil || added != 0 {
		t.Errorf("Merge with no sources = %d, %v; want 0, nil", added, err)
	}
}
