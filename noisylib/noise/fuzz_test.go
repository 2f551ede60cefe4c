package noise

import (
	"encoding/json"
	"testing"
)

// FuzzConfigJSON feeds arbitrary JSON to the noise configuration decoder (part of every stored point and plan
// file): no input may panic; an accepted configuration that validates re-encodes and decodes to itself.
func FuzzConfigJSON(f *testing.F) {
	for _, s := range []string{
		`{"default": {"type": "add", "sigma": 0.5}}`,
		`{"default": {"type": "add", "sigm": 0.5}}`, // misspelled key (fault 3)
		`{"sites": {"3": {"type": "mul", "sigma": 1e10}}}`,
		`{"sites": {"-1": {"type": "combined", "amplitude": 1, "ratio": 0.5}}}`,
		`{"default": {"type": "combined-direct", "sigma_mul": 1, "sigma_add": 2, "add_first": true}}`,
		`{"default": {"type": "pink"}}`, `{"default": {"type": "add", "sigma": -1}}`, `{"default": null}`, `{}`,
		`{"default": {"type": "add", "sigma": 1e300, "repetitions": -5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Config
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		if _, err := c.Resolve(12); err != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a valid configuration %+v does not encode: %v", c, err)
		}
		var back Config
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if back.String() != c.String() {
			t.Fatalf("round trip changed %s into %s", c, back)
		}
	})
}
