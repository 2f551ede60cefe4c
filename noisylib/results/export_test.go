package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"
)

func TestExportCSVParsesBack(t *testing.T) {
	s, _ := openTemp(t, "export.db")
	var in []Record
	for i := range 6 {
		r := makeRecord(t, []string{"plan,one", "plan two"}[i%2], i)
		switch i {
		case 1:
			r.Host = `host "quoted", with comma`
			r.Metrics = nil
		case 2:
			r.Accuracy, r.Loss, r.DurationSec = math.NaN(), math.Inf(1), math.Inf(-1)
			r.Status = StatusCollapsed
		case 3:
			r.Metrics = json.RawMessage("{\"note\":\"line\\nbreak, \\\"q\\\"\"}")
		}
		mustPut(t, s, r)
		in = append(in, r)
	}
	var buf bytes.Buffer
	if err := s.ExportCSV(&buf, ""); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll() // also checks every row has the header's field count
	if err != nil {
		t.Fatalf("export is not valid CSV: %v\n%s", err, buf.String())
	}
	wantHeader := []string{"hash", "plan", "status", "seed", "accuracy", "loss", "duration_sec", "host",
		"created_at", "config", "metrics"}
	if len(rows) != 7 || len(rows[0]) != len(wantHeader) {
		t.Fatalf("got %d rows of %d fields, want 7 of %d", len(rows), len(rows[0]), len(wantHeader))
	}
	for k, h := range wantHeader {
		if rows[0][k] != h {
			t.Errorf("header[%d] = %q, want %q", k, rows[0][k], h)
		}
	}
	byHash := map[string]Record{}
	for _, r := range in {
		byHash[r.Hash] = r
	}
	for _, row := range rows[1:] {
		want, ok := byHash[row[0]]
		if !ok {
			t.Fatalf("unknown hash %q in export", row[0])
		}
		seed, err := strconv.ParseInt(row[3], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		var f [3]float64
		for k := range f {
			if f[k], err = strconv.ParseFloat(row[4+k], 64); err != nil {
				t.Fatalf("column %s: %v", wantHeader[4+k], err)
			}
		}
		created, err := time.Parse(time.RFC3339Nano, row[8])
		if err != nil {
			t.Fatal(err)
		}
		got := Record{Hash: row[0], Plan: row[1], Status: row[2], Seed: seed, Accuracy: f[0], Loss: f[1],
			DurationSec: f[2], Host: row[7], CreatedAt: created, Config: json.RawMessage(row[9])}
		if row[10] != "" {
			got.Metrics = json.RawMessage(row[10])
		}
		want.Config, _ = CanonicalJSON(want.Config)
		if d := equalRecords(got, want); d != "" {
			t.Errorf("row %s: %s", row[0], d)
		}
	}
	// One plan only, in List order.
	buf.Reset()
	if err := s.ExportCSV(&buf, "plan two"); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("export of one plan: %d rows, %v; want header + 3", len(rows), err)
	}
	list, _ := s.List("plan two")
	for k, r := range list {
		if rows[k+1][0] != r.Hash {
			t.Errorf("row %d is %s, want %s (List order)", k+1, rows[k+1][0], r.Hash)
		}
	}
	// An empty store exports the header only.
	empty, _ := openTemp(t, "empty.db")
	buf.Reset()
	if err := empty.ExportCSV(&buf, ""); err != nil || buf.String() != "hash,plan,status,seed,accuracy,loss,duration_sec,host,created_at,config,metrics\n" {
		t.Errorf("empty export = %q, %v", buf.String(), err)
	}
}
