package results

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestImportCSVRoundTrip: a store exported and imported into a fresh store reads back bit for bit (floats of
// arbitrary bits, NaN, ±Inf, subnormals, quoted text), and importing again adds nothing.
func TestImportCSVRoundTrip(t *testing.T) {
	src, _ := openTemp(t, "src.db")
	rng := rand.New(rand.NewPCG(1, 2))
	var want []Record
	for i := range 40 {
		r := makeRecord(t, []string{"plan,a", "plan \"b\""}[i%2], i)
		// Values that a decimal format with fixed digits would not round-trip.
		r.Accuracy = rng.Float64() * 100
		r.Loss = math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | 0x3ff<<52) // random mantissa in [1, 2)
		r.DurationSec = 0.1 + 0.2
		switch i {
		case 1:
			r.Accuracy, r.Loss, r.DurationSec = math.NaN(), math.Inf(1), math.Inf(-1)
			r.Status = StatusCollapsed
		case 2:
			r.Loss, r.DurationSec = 5e-324, math.MaxFloat64 // smallest subnormal, largest float
			r.Metrics = nil
		case 3:
			r.Status, r.Host = StatusFailed, "a \"quoted\", host\nwith a newline"
		}
		mustPut(t, src, r)
		want = append(want, r)
	}
	var csv bytes.Buffer
	if err := src.ExportCSV(&csv, ""); err != nil {
		t.Fatal(err)
	}
	dst, _ := openTemp(t, "dst.db")
	added, err := dst.ImportCSV(bytes.NewReader(csv.Bytes()))
	if err != nil || added != len(want) {
		t.Fatalf("import: %d added, %v; want %d", added, err, len(want))
	}
	a, _ := src.List("")
	b, _ := dst.List("")
	if len(a) != len(b) {
		t.Fatalf("%d records imported, want %d", len(b), len(a))
	}
	for i := range a {
		if d := equalRecords(a[i], b[i]); d != "" {
			t.Errorf("record %d differs after the round trip: %s", i, d)
		}
		for _, f := range [][2]float64{{a[i].Accuracy, b[i].Accuracy}, {a[i].Loss, b[i].Loss}, {a[i].DurationSec, b[i].DurationSec}} {
			if !math.IsNaN(f[0]) && math.Float64bits(f[0]) != math.Float64bits(f[1]) {
				t.Errorf("record %d: %v (%#x) read back as %v (%#x)", i, f[0], math.Float64bits(f[0]), f[1], math.Float64bits(f[1]))
			}
		}
	}
	if added, err := dst.ImportCSV(bytes.NewReader(csv.Bytes())); err != nil || added != 0 {
		t.Errorf("second import: %d added, %v; want 0", added, err)
	}
	var again bytes.Buffer
	if err := dst.ExportCSV(&again, ""); err != nil {
		t.Fatal(err)
	}
	if again.String() != csv.String() {
		t.Error("the imported store exports a different CSV")
	}
}

// TestImportCSVRejects: a wrong header, a tampered row (its config no longer hashes to its key) or a bad number
// is an error naming the line, and nothing of the file is stored.
func TestImportCSVRejects(t *testing.T) {
	src, _ := openTemp(t, "src.db")
	for i := range 3 {
		mustPut(t, src, makeRecord(t, "p", i))
	}
	var buf bytes.Buffer
	if err := src.ExportCSV(&buf, ""); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	lines := strings.SplitAfter(good, "\n")
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"header", strings.Replace(good, "accuracy", "acc", 1), "header"},
		{"tampered config", lines[0] + lines[1] + strings.Replace(lines[2], `""site"":1`, `""site"":2`, 1), "line 3"},
		{"bad float", lines[0] + lines[1] + strings.Replace(lines[2], ",0.501,", ",0.5x,", 1), "line 3: loss"},
	} {
		if c.in == good {
			t.Fatalf("%s: the edit did not apply", c.name)
		}
		dst, _ := openTemp(t, c.name+".db")
		_, err := dst.ImportCSV(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if n, _ := dst.Count(""); n != 0 {
			t.Errorf("%s: %d records stored from an invalid file, want none", c.name, n)
		}
	}
}
