package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

type cfgAB struct {
	Model string             `json:"model"`
	Sigma float64            `json:"sigma"`
	Site  int                `json:"site"`
	Seed  uint64             `json:"seed"`
	Extra map[string]float64 `json:"extra"`
}

// cfgBA has the fields of cfgAB in another order.
type cfgBA struct {
	Extra map[string]float64 `json:"extra"`
	Seed  uint64             `json:"seed"`
	Site  int                `json:"site"`
	Sigma float64            `json:"sigma"`
	Model string             `json:"model"`
}

func mustHash(t *testing.T, v any) string {
	t.Helper()
	h, err := HashConfig(v)
	if err != nil {
		t.Fatalf("HashConfig(%#v): %v", v, err)
	}
	return h
}

func TestHashConfigKnownValue(t *testing.T) {
	// The canonical form of this struct, written by hand: keys sorted, floats in shortest repr.
	cfg := cfgBA{Extra: map[string]float64{"b": 2, "a": 0.1}, Seed: 7, Site: 3, Sigma: 1e-7, Model: "mlp"}
	want := `{"extra":{"a":0.1,"b":2},"model":"mlp","seed":7,"sigma":1e-7,"site":3}`
	got, err := CanonicalJSON(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("CanonicalJSON = %s, want %s", got, want)
	}
	sum := sha256.Sum256([]byte(want))
	if h := mustHash(t, cfg); h != hex.EncodeToString(sum[:]) || len(h) != 64 {
		t.Fatalf("HashConfig = %s, want sha256 of %s", h, want)
	}
}

func TestHashConfigStability(t *testing.T) {
	ab := cfgAB{Model: "lenet5-bn", Sigma: 0.31622776601683794, Site: 5, Seed: 1, Extra: map[string]float64{"x": 1, "y": 2, "z": 3}}
	ba := cfgBA{Model: "lenet5-bn", Sigma: 0.31622776601683794, Site: 5, Seed: 1, Extra: map[string]float64{"z": 3, "y": 2, "x": 1}}
	h := mustHash(t, ab)
	if h2 := mustHash(t, ba); h2 != h {
		t.Errorf("field order changes the hash: %s vs %s", h, h2)
	}
	// The same data as raw JSON with keys in another order, other spacing and 2.0 written as a float.
	raw := json.RawMessage(` { "site":5, "extra": {"z":3,"x":1.0,"y":2e0}, "sigma":0.31622776601683794,"seed":1,"model":"lenet5-bn"} `)
	if h3 := mustHash(t, raw); h3 != h {
		t.Errorf("raw JSON with other key order hashes to %s, want %s", h3, h)
	}
	m := map[string]any{"seed": 1, "model": "lenet5-bn", "site": 5, "sigma": 0.31622776601683794,
		"extra": map[string]any{"y": 2.0, "z": 3, "x": 1}}
	if h4 := mustHash(t, m); h4 != h {
		t.Errorf("map config hashes to %s, want %s", h4, h)
	}
	// Canonicalising is idempotent.
	c, _ := CanonicalJSON(ab)
	if h5 := mustHash(t, json.RawMessage(c)); h5 != h {
		t.Errorf("hash of the canonical JSON %s differs: %s vs %s", c, h5, h)
	}
}

func TestHashConfigSensitivity(t *testing.T) {
	base := cfgAB{Model: "mlp", Sigma: 0.1, Site: 2, Seed: 1, Extra: map[string]float64{"a": 1}}
	h := mustHash(t, base)
	variants := map[string]cfgAB{
		"model":     {Model: "mlp-bn", Sigma: 0.1, Site: 2, Seed: 1, Extra: map[string]float64{"a": 1}},
		"sigma ulp": {Model: "mlp", Sigma: 0.10000000000000002, Site: 2, Seed: 1, Extra: map[string]float64{"a": 1}},
		"site":      {Model: "mlp", Sigma: 0.1, Site: 3, Seed: 1, Extra: map[string]float64{"a": 1}},
		"seed":      {Model: "mlp", Sigma: 0.1, Site: 2, Seed: 2, Extra: map[string]float64{"a": 1}},
		"map value": {Model: "mlp", Sigma: 0.1, Site: 2, Seed: 1, Extra: map[string]float64{"a": 1.5}},
		"map key":   {Model: "mlp", Sigma: 0.1, Site: 2, Seed: 1, Extra: map[string]float64{"b": 1}},
		"nil map":   {Model: "mlp", Sigma: 0.1, Site: 2, Seed: 1},
	}
	seen := map[string]string{h: "base"}
	for name, v := range variants {
		hv := mustHash(t, v)
		if prev, dup := seen[hv]; dup {
			t.Errorf("variant %q hashes like %q: %s", name, prev, hv)
		}
		seen[hv] = name
	}
	// Large integers stay exact: 2^53 and 2^53+1 are one float64 but distinct configs.
	a := mustHash(t, json.RawMessage(`{"seed":9007199254740992}`))
	b := mustHash(t, json.RawMessage(`{"seed":9007199254740993}`))
	if a == b {
		t.Error("seeds 2^53 and 2^53+1 hash alike")
	}
	if x, y := mustHash(t, []int{1, 2}), mustHash(t, []int{2, 1}); x == y {
		t.Error("array order does not change the hash")
	}
}

func TestHashConfigErrors(t *testing.T) {
	for name, v := range map[string]any{
		"NaN":       map[string]float64{"sigma": nan()},
		"chan":      make(chan int),
		"bad raw":   json.RawMessage(`{"a":`),
		"two items": json.RawMessage(`{} {}`),
	} {
		if _, err := HashConfig(v); err == nil {
			t.Errorf("%s: HashConfig succeeded, want an error", name)
		} else if !strings.Contains(err.Error(), "results:") {
			t.Errorf("%s: error %q lacks the package context", name, err)
		}
	}
}
