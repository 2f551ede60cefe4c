package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// CanonicalJSON returns the canonical JSON encoding of cfg, the bytes that [HashConfig] hashes and
// that the store keeps as a record's Config.
//
// cfg is marshalled with encoding/json, decoded into generic values (map[string]any, []any, …) and
// marshalled again, so object keys come out sorted and the Go struct field order does not matter.
// Numbers are kept exactly: an integer literal stays as written (so int64 and uint64 values beyond 2^53
// stay distinct), and any other number is re-encoded as encoding/json encodes a float64, that is with
// Go's shortest representation that round-trips (strconv 'g'-like, e.g. 0.1, 1e-7, 1e+21). A
// json.RawMessage holding "1.0" and a float64 field holding 1 therefore both canonicalise to 1.
// Strings are escaped as encoding/json does (including <, > and & as \u003c, \u003e, \u0026).
// Canonicalising canonical JSON returns it unchanged.
//
// It fails when cfg cannot be marshalled (for example a NaN or infinite float, a channel or a func).
func CanonicalJSON(cfg any) ([]byte, error) {
	raw, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("results: config of type %T is not JSON-marshalable: %w", cfg, err)
	}
	return canonicalize(raw)
}

// canonicalize turns valid JSON text into its canonical form.
func canonicalize(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("results: config is not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("results: config holds more than one JSON value")
	}
	v, err := normalizeNumbers(v)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("results: re-encoding config: %w", err)
	}
	return out, nil
}

// normalizeNumbers rewrites every json.Number in v to its canonical literal (see CanonicalJSON).
func normalizeNumbers(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			n, err := normalizeNumbers(e)
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
	case []any:
		for i, e := range x {
			n, err := normalizeNumbers(e)
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
	case json.Number:
		return canonicalNumber(x)
	}
	return v, nil
}

// canonicalNumber keeps integer literals and re-encodes other numbers as encoding/json encodes float64.
func canonicalNumber(n json.Number) (json.Number, error) {
	s := string(n)
	if !bytes.ContainsAny([]byte(s), ".eE") {
		return n, nil // an integer literal: JSON forbids leading zeros and '+', so it is already canonical
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", fmt.Errorf("results: config number %s does not fit a float64: %w", s, err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("results: config number %s: %w", s, err)
	}
	return json.Number(b), nil
}

// HashConfig returns the key of a point: the lowercase hex SHA-256 (64 digits) of [CanonicalJSON](cfg).
//
// Equal configurations get equal hashes whatever the order of struct fields or map keys; changing any
// value, key or array element changes the hash. Floats are formatted with Go's shortest repr (see
// CanonicalJSON), so 0.1 and 0.1000000000000000055 (the same float64) hash alike, while 0.1 and
// 0.10000000000000002 (the next float64) do not.
func HashConfig(cfg any) (string, error) {
	c, err := CanonicalJSON(cfg)
	if err != nil {
		return "", err
	}
	return hashCanonical(c), nil
}

// hashCanonical hashes canonical JSON bytes.
func hashCanonical(c []byte) string {
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:])
}
