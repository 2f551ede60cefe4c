package walk_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/catalogue"
)

// TestSchedulesLeaveStoredPointsAlone: every point of every experiment of the paper under the standard preset
// (the shipped store's) encodes without the fields schedules and mismatch plans (schedule, eval, eval_sigmas), σ
// units and weight noise (unit, weights, static) added, so its JSON and hash are those of the code before them
// (the hashes of all 843 659 points of the three presets were compared with commits 8098a5c's and 81fc7b9's when
// they were added).
func TestSchedulesLeaveStoredPointsAlone(t *testing.T) {
	keys := [][]byte{[]byte(`"schedule"`), []byte(`"eval"`), []byte(`"eval_sigmas"`), []byte(`"unit"`), []byte(`"weights"`),
		[]byte(`"static"`)}
	check := func(what string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if bytes.Contains(b, k) {
				t.Fatalf("%s encodes %s: %s", what, k, b)
			}
		}
	}
	n := 0
	for _, e := range catalogue.All() {
		p, err := e.Sketch("standard")
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		check(p.Name+" spec", p.Spec)
		for _, pt := range p.Points {
			check(p.Name+" point "+pt.String(), pt)
			n++
		}
	}
	if n < 100_000 {
		t.Errorf("%d points checked: the catalogue's standard plans have more", n)
	}
}
