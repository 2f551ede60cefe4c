package results

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"
)

func nan() float64 { return math.NaN() }

// testPoint is a walk point as the walk engine might describe it.
type testPoint struct {
	Plan  string  `json:"plan"`
	Model string  `json:"model"`
	Site  int     `json:"site"`
	Sigma float64 `json:"sigma"`
	Rep   int     `json:"rep"`
}

// makeRecord builds a valid record for point i of plan, with values derived from i.
func makeRecord(t testing.TB, plan string, i int) Record {
	t.Helper()
	pt := testPoint{Plan: plan, Model: "mlp-tfc-bn", Site: i % 11, Sigma: math.Pow(10, -2+float64(i)/4), Rep: i / 11}
	h, err := HashConfig(pt)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(pt)
	return Record{
		Hash: h, Plan: plan, Config: cfg, Seed: int64(1000 + i), Status: StatusDone,
		Accuracy: 10 + float64(i%90), Loss: 0.5 + float64(i)/1000, DurationSec: 1.25 * float64(i+1),
		Metrics: json.RawMessage(fmt.Sprintf(`{"snr":[%d,%d.5]}`, i, i)), Host: "node-" + fmt.Sprint(i%3),
		CreatedAt: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
	}
}

func openTemp(t testing.TB, name string) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func mustPut(t testing.TB, s *Store, r Record) {
	t.Helper()
	if err := s.Put(r); err != nil {
		t.Fatalf("Put(%s): %v", r.Hash, err)
	}
}

// sameFloat reports whether a and b are equal or both NaN.
func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// equalRecords compares two records field by field; it returns a description of the first difference.
func equalRecords(a, b Record) string {
	switch {
	case a.Hash != b.Hash:
		return fmt.Sprintf("hash %q vs %q", a.Hash, b.Hash)
	case a.Plan != b.Plan:
		return fmt.Sprintf("plan %q vs %q", a.Plan, b.Plan)
	case string(a.Config) != string(b.Config):
		return fmt.Sprintf("config %s vs %s", a.Config, b.Config)
	case a.Seed != b.Seed:
		return fmt.Sprintf("seed %d vs %d", a.Seed, b.Seed)
	case a.Status != b.Status:
		return fmt.Sprintf("status %q vs %q", a.Status, b.Status)
	case !sameFloat(a.Accuracy, b.Accuracy):
		return fmt.Sprintf("accuracy %v vs %v", a.Accuracy, b.Accuracy)
	case !sameFloat(a.Loss, b.Loss):
		return fmt.Sprintf("loss %v vs %v", a.Loss, b.Loss)
	case !sameFloat(a.DurationSec, b.DurationSec):
		return fmt.Sprintf("duration %v vs %v", a.DurationSec, b.DurationSec)
	case string(a.Metrics) != string(b.Metrics):
		return fmt.Sprintf("metrics %s vs %s", a.Metrics, b.Metrics)
	case a.Host != b.Host:
		return fmt.Sprintf("host %q vs %q", a.Host, b.Host)
	case !a.CreatedAt.Equal(b.CreatedAt):
		return fmt.Sprintf("created %v vs %v", a.CreatedAt, b.CreatedAt)
	}
	return ""
}
