package results

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRoundTripEveryField(t *testing.T) {
	s, _ := openTemp(t, "rt.db")
	in := makeRecord(t, "plan-a", 4)
	in.Status = StatusCollapsed
	in.Seed = math.MinInt64 + 3
	in.Host = "gpu-07 ünïcode"
	in.CreatedAt = time.Date(2024, 12, 31, 23, 59, 59, 123456789, time.FixedZone("CET", 3600))
	in.Metrics = json.RawMessage(`{ "snr" : [1.5, 2], "w":{"max":3} }`)
	mustPut(t, s, in)
	got, ok, err := s.Get(in.Hash)
	if err != nil || !ok {
		t.Fatalf("Get = ok %v, err %v", ok, err)
	}
	want := in
	want.Config = json.RawMessage(`{"model":"mlp-tfc-bn","plan":"plan-a","rep":0,"sigma":0.1,"site":4}`) // sorted keys
	want.Metrics = json.RawMessage(`{"snr":[1.5,2],"w":{"max":3}}`)
	if d := equalRecords(got, want); d != "" {
		t.Fatalf("round trip differs: %s", d)
	}
	if got.CreatedAt.Location() != time.UTC || got.CreatedAt.Nanosecond() != 123456789 {
		t.Errorf("CreatedAt = %v, want UTC with nanoseconds kept", got.CreatedAt)
	}
	if got.CreatedAt.Hour() != 22 {
		t.Errorf("CreatedAt hour = %d, want 22 (23:59 CET is 22:59 UTC)", got.CreatedAt.Hour())
	}
}

func TestRoundTripSpecialValues(t *testing.T) {
	s, _ := openTemp(t, "special.db")
	r := makeRecord(t, "p", 1)
	r.Accuracy, r.Loss, r.DurationSec = math.NaN(), math.Inf(1), math.Inf(-1)
	r.Metrics = nil
	r.Status = StatusFailed
	// A config given in non-canonical form is stored canonically.
	sigma := strconv.FormatFloat(math.Pow(10, -1.75), 'e', -1, 64) // e.g. 1.778279410038923e-02
	r.Config = json.RawMessage(`{"site":1, "sigma":` + sigma + `, "rep":0,"plan":"p","model":"mlp-tfc-bn"}`)
	mustPut(t, s, r)
	got, _, err := s.Get(r.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.Accuracy) || !math.IsInf(got.Loss, 1) || !math.IsInf(got.DurationSec, -1) {
		t.Errorf("special floats = %v %v %v, want NaN +Inf -Inf", got.Accuracy, got.Loss, got.DurationSec)
	}
	if got.Metrics != nil {
		t.Errorf("Metrics = %q, want nil", got.Metrics)
	}
	wantCfg := `{"model":"mlp-tfc-bn","plan":"p","rep":0,"sigma":` + strconv.FormatFloat(math.Pow(10, -1.75), 'f', -1, 64) + `,"site":1}`
	if string(got.Config) != wantCfg {
		t.Errorf("Config = %s, want %s", got.Config, wantCfg)
	}
}

func TestPutZeroCreatedAtIsNow(t *testing.T) {
	s, _ := openTemp(t, "now.db")
	r := makeRecord(t, "p", 2)
	r.CreatedAt = time.Time{}
	before := time.Now()
	mustPut(t, s, r)
	after := time.Now()
	got, _, _ := s.Get(r.Hash)
	if got.CreatedAt.Before(before.Truncate(time.Microsecond)) || got.CreatedAt.After(after) {
		t.Errorf("CreatedAt = %v, want between %v and %v", got.CreatedAt, before, after)
	}
}

func TestPutTwiceIsOneRow(t *testing.T) {
	s, _ := openTemp(t, "twice.db")
	r := makeRecord(t, "p", 3)
	mustPut(t, s, r)
	r.Accuracy, r.Status = 55.5, StatusCollapsed
	mustPut(t, s, r)
	if n, err := s.Count(""); err != nil || n != 1 {
		t.Fatalf("Count = %d, %v; want 1", n, err)
	}
	got, _, _ := s.Get(r.Hash)
	if got.Accuracy != 55.5 || got.Status != StatusCollapsed {
		t.Errorf("after the second Put: accuracy %v status %q, want 55.5 collapsed", got.Accuracy, got.Status)
	}
}

func TestPutRejectsInvalid(t *testing.T) {
	s, _ := openTemp(t, "invalid.db")
	good := makeRecord(t, "p", 5)
	cases := map[string]func(*Record){
		"empty hash":   func(r *Record) { r.Hash = "" },
		"wrong hash":   func(r *Record) { r.Hash = strings.Repeat("0", 64) },
		"empty plan":   func(r *Record) { r.Plan = "" },
		"bad status":   func(r *Record) { r.Status = "ok" },
		"empty config": func(r *Record) { r.Config = nil },
		"bad config":   func(r *Record) { r.Config = json.RawMessage(`{"a":`) },
		"bad metrics":  func(r *Record) { r.Metrics = json.RawMessage(`{snr}`) },
		"year 1500":    func(r *Record) { r.CreatedAt = time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC) },
		"year 2300":    func(r *Record) { r.CreatedAt = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	for name, mutate := range cases {
		r := good
		mutate(&r)
		if err := s.Put(r); err == nil {
			t.Errorf("%s: Put succeeded, want an error", name)
		}
	}
	if n, _ := s.Count(""); n != 0 {
		t.Errorf("invalid Puts stored %d rows", n)
	}
}

// TestPutAll: records put together read back like records put one by one (the same rows), an invalid record
// stores none of the batch and its error names it, and an empty batch stores nothing.
func TestPutAll(t *testing.T) {
	together, _ := openTemp(t, "together.db")
	alone, _ := openTemp(t, "alone.db")
	var recs []Record
	for i := range 7 {
		recs = append(recs, makeRecord(t, "p", i))
	}
	if err := together.PutAll(recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		mustPut(t, alone, r)
	}
	for _, r := range recs {
		a, okA, errA := together.Get(r.Hash)
		b, okB, errB := alone.Get(r.Hash)
		if !okA || !okB || errA != nil || errB != nil {
			t.Fatalf("Get(%s): together ok %v err %v, alone ok %v err %v", r.Hash, okA, errA, okB, errB)
		}
		if d := equalRecords(a, b); d != "" {
			t.Errorf("record %s put with PutAll differs from Put: %s", r.Hash, d)
		}
	}

	s, _ := openTemp(t, "invalid.db")
	bad := slices.Clone(recs)
	bad[4].Hash = strings.Repeat("0", 64)
	err := s.PutAll(bad)
	if err == nil || !strings.Contains(err.Error(), bad[4].Hash) {
		t.Errorf("PutAll with an invalid 5th record: error %v, want one naming %s", err, bad[4].Hash)
	}
	if err := s.PutAll(nil); err != nil {
		t.Errorf("PutAll(nil) = %v", err)
	}
	if n, _ := s.Count(""); n != 0 {
		t.Errorf("a batch with an invalid record and an empty batch stored %d rows, want 0", n)
	}
}

func TestGetHasDone(t *testing.T) {
	s, _ := openTemp(t, "done.db")
	var hashes []string
	statuses := []string{StatusDone, StatusCollapsed, StatusFailed}
	for i := range 1203 { // more than two Done batches
		r := makeRecord(t, "p", i)
		hashes = append(hashes, r.Hash)
		if i%2 == 0 { // only even points are stored
			r.Status = statuses[(i/2)%3]
			mustPut(t, s, r)
		}
	}
	hashes = append(hashes, "not-a-hash")
	done, err := s.Done(hashes)
	if err != nil {
		t.Fatal(err)
	}
	wantDone := 0
	for i, h := range hashes[:1203] {
		stored := i%2 == 0
		finishedWant := stored && statuses[(i/2)%3] != StatusFailed
		if finishedWant {
			wantDone++
		}
		if done[h] != finishedWant {
			t.Fatalf("Done[%d] = %v, want %v", i, done[h], finishedWant)
		}
		if has, err := s.Has(h); err != nil || has != stored {
			t.Fatalf("Has(%d) = %v, %v; want %v", i, has, err, stored)
		}
	}
	if len(done) != wantDone {
		t.Errorf("Done returned %d hashes, want %d", len(done), wantDone)
	}
	if _, ok, err := s.Get("not-a-hash"); ok || err != nil {
		t.Errorf("Get(missing) = ok %v, err %v; want false, nil", ok, err)
	}
	if d, err := s.Done(nil); err != nil || len(d) != 0 {
		t.Errorf("Done(nil) = %v, %v", d, err)
	}
}

func TestListOrderAndCount(t *testing.T) {
	s, _ := openTemp(t, "list.db")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Insert in scrambled order; two records of plan b share a timestamp, so hash breaks the tie.
	type spec struct {
		plan string
		i    int
		at   int
	}
	specs := []spec{{"b", 1, 5}, {"a", 2, 9}, {"b", 3, 1}, {"a", 4, 2}, {"b", 5, 5}, {"c", 6, 0}}
	byHash := map[string]spec{}
	for _, sp := range specs {
		r := makeRecord(t, sp.plan, sp.i)
		r.CreatedAt = base.Add(time.Duration(sp.at) * time.Minute)
		mustPut(t, s, r)
		byHash[r.Hash] = sp
	}
	all, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(specs) {
		t.Fatalf("List(\"\") has %d records, want %d", len(all), len(specs))
	}
	for k := 1; k < len(all); k++ {
		p, q := all[k-1], all[k]
		ordered := p.Plan < q.Plan || p.Plan == q.Plan && (p.CreatedAt.Before(q.CreatedAt) ||
			p.CreatedAt.Equal(q.CreatedAt) && p.Hash < q.Hash)
		if !ordered {
			t.Errorf("List order: %v (plan %s) before %v (plan %s)", byHash[p.Hash], p.Plan, byHash[q.Hash], q.Plan)
		}
	}
	b, _ := s.List("b")
	if len(b) != 3 || b[0].CreatedAt.After(b[1].CreatedAt) {
		t.Errorf("List(b) = %d records, want 3 in time order", len(b))
	}
	for plan, want := range map[string]int{"": 6, "a": 2, "b": 3, "c": 1, "zzz": 0} {
		if n, err := s.Count(plan); err != nil || n != want {
			t.Errorf("Count(%q) = %d, %v; want %d", plan, n, err, want)
		}
	}
	if none, err := s.List("zzz"); err != nil || len(none) != 0 {
		t.Errorf("List(zzz) = %v, %v", none, err)
	}
}

func TestOpenCreatesFoldersAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b?c#d", "results.db") // URI-special characters in the path
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := makeRecord(t, "p", 7)
	mustPut(t, s, r)
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var busy int
	if err := s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil || busy != int(BusyTimeout.Milliseconds()) {
		t.Errorf("busy_timeout = %d, %v; want %d", busy, err, BusyTimeout.Milliseconds())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("store file not at %s: %v", path, err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if ok, _ := s2.Has(r.Hash); !ok {
		t.Error("record lost after reopening")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("this is not sqlite\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(junk); err == nil {
		s.Close()
		t.Error("Open of a text file succeeded")
	}
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := Open(filepath.Join(junk, "sub.db")); err == nil { // parent is a file
		t.Error("Open under a file succeeded")
	}
	// A store written by a newer schema is refused.
	s, path := openTemp(t, "newer.db")
	if _, err := s.db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	if s2, err := Open(path); err == nil {
		s2.Close()
		t.Error("Open of a schema-99 store succeeded")
	} else if !strings.Contains(err.Error(), "99") {
		t.Errorf("error %q does not name the version", err)
	}
}
