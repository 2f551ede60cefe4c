package results

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type testSpec struct {
	Kind   string    `json:"kind"`
	Sigmas []float64 `json:"sigmas"`
}

// TestPutPlanVersions: recording a plan again keeps one record (first creation, last update); another spec or
// results version under the same name is a record of its own, and Plans lists the most recently run first.
func TestPutPlanVersions(t *testing.T) {
	s, _ := openTemp(t, "plans.db")
	a, b := testSpec{"layerwise", []float64{0.1, 1}}, testSpec{"layerwise", []float64{0.1, 1, 10}}
	if err := s.PutPlan("p", 6, a); err != nil {
		t.Fatal(err)
	}
	first, err := s.Plans("p")
	if err != nil || len(first) != 1 {
		t.Fatalf("Plans = %v, %v; want one record", first, err)
	}
	time.Sleep(2 * time.Millisecond)
	for _, put := range []struct {
		spec    testSpec
		version int
	}{{a, 6}, {b, 6}, {a, 5}} {
		time.Sleep(2 * time.Millisecond)
		if err := s.PutPlan("p", put.version, put.spec); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutPlan("other", 6, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.Plans("p")
	if err != nil || len(got) != 3 {
		t.Fatalf("Plans = %+v, %v; want 3 records", got, err)
	}
	if got[0].Version != 5 || got[1].Version != 6 || got[2].Version != 6 {
		t.Errorf("order (latest first): versions %d %d %d, want 5 6 6", got[0].Version, got[1].Version, got[2].Version)
	}
	again := got[2] // spec a, version 6, recorded twice
	if string(again.Spec) != `{"kind":"layerwise","sigmas":[0.1,1]}` || again.SpecHash != first[0].SpecHash {
		t.Errorf("record %+v, want spec a with hash %s", again, first[0].SpecHash)
	}
	if !again.CreatedAt.Equal(first[0].CreatedAt) || !again.UpdatedAt.After(first[0].UpdatedAt) {
		t.Errorf("re-recorded: created %v updated %v; first created %v updated %v", again.CreatedAt, again.UpdatedAt, first[0].CreatedAt, first[0].UpdatedAt)
	}
	if h, _ := HashConfig(a); h != again.SpecHash {
		t.Errorf("spec hash %s, HashConfig gives %s", again.SpecHash, h)
	}
	if all, _ := s.Plans(""); len(all) != 4 || all[3].Name != "p" || all[0].Name != "other" {
		t.Errorf("Plans(\"\") = %d records (first %s), want 4, other first", len(all), all[0].Name)
	}
	for _, bad := range []func() error{
		func() error { return s.PutPlan("", 6, a) },
		func() error { return s.PutPlan("p", 0, a) },
		func() error { return s.PutPlan("p", 6, func() {}) },
	} {
		if err := bad(); err == nil {
			t.Error("an invalid plan record was stored")
		}
	}
}

// TestPlansExportImportMerge: plan records survive an export to a folder and an import into a fresh store
// exactly, a second import adds nothing, a tampered spec is refused naming its line, and Merge carries them.
func TestPlansExportImportMerge(t *testing.T) {
	s, path := openTemp(t, "src.db")
	for i := range 4 {
		mustPut(t, s, makeRecord(t, []string{"p,1", "p 2"}[i%2], i))
	}
	for _, p := range []string{"p,1", "p 2"} {
		if err := s.PutPlan(p, 6, testSpec{Kind: p, Sigmas: []float64{1e-2, 1e10}}); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "export")
	if err := s.ExportDir(dir); err != nil {
		t.Fatal(err)
	}
	d, _ := openTemp(t, "dst.db")
	for round, want := range []int{2, 0} {
		points, plans, err := d.ImportDir(dir)
		if err != nil || plans != want || points != 2*want {
			t.Fatalf("import %d: %d points, %d plans, %v; want %d, %d", round, points, plans, err, 2*want, want)
		}
	}
	for _, name := range []string{"", "p 2"} {
		want, _ := s.Plans(name)
		got, err := d.Plans(name)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("imported Plans(%q) = %+v, %v\nwant %+v", name, got, err, want)
		}
	}
	want, _ := s.List("")
	if got, _ := d.List(""); len(got) != len(want) {
		t.Errorf("imported %d points, want %d", len(got), len(want))
	}

	// Export of one plan holds its record only.
	var one bytes.Buffer
	if err := s.ExportPlansCSV(&one, "p 2"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(one.String(), "\n"); n != 2 || !strings.HasPrefix(one.String(), "name,version,spec_hash,created_at,updated_at,spec\n") {
		t.Errorf("export of one plan:\n%s", one.String())
	}
	tampered := strings.Replace(one.String(), "0.01", "0.02", 1)
	if _, err := d.ImportPlansCSV(strings.NewReader(tampered)); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("import of a tampered spec: %v, want an error naming line 2", err)
	}

	// Merge: the same spec recorded in two shards keeps the earliest creation and the latest update.
	time.Sleep(2 * time.Millisecond)
	shard, shardPath := openTemp(t, "shard.db")
	if err := shard.PutPlan("p 2", 6, testSpec{Kind: "p 2", Sigmas: []float64{1e-2, 1e10}}); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(t.TempDir(), "merged.db")
	if _, err := Merge(merged, path, shardPath); err != nil {
		t.Fatal(err)
	}
	m, err := OpenExisting(merged)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	orig, _ := s.Plans("p 2")
	later, _ := shard.Plans("p 2")
	got, _ := m.Plans("p 2")
	if len(got) != 1 || !got[0].CreatedAt.Equal(orig[0].CreatedAt) || !got[0].UpdatedAt.Equal(later[0].UpdatedAt) {
		t.Errorf("merged %+v; want created %v, updated %v", got, orig[0].CreatedAt, later[0].UpdatedAt)
	}
	if all, _ := m.Plans(""); len(all) != 2 {
		t.Errorf("merged store has %d plan records, want 2", len(all))
	}
}

// TestSchemaOneStore: a store of schema version 1 (points only) reads as one without plan records, and Open
// upgrades it, keeping its points.
func TestSchemaOneStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schema + `PRAGMA user_version = 1;`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := makeRecord(t, "old", 1)
	ro, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := ro.Plans(""); err != nil || len(p) != 0 {
		t.Errorf("Plans of a version-1 store: %v, %v; want none", p, err)
	}
	ro.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustPut(t, s, r)
	if err := s.PutPlan("old", 6, testSpec{Kind: "x"}); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != schemaVersion {
		t.Errorf("upgraded store has schema version %d (%v), want %d", v, err, schemaVersion)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
