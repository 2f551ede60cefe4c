// Package nanjson encodes and decodes JSON whose float64 values may be NaN or infinite, which encoding/json
// refuses: such a value is written as the string "NaN", "+Inf" or "-Inf" (the spelling of
// strconv.FormatFloat), and read back from it. Finite values use the shortest representation that round-trips,
// so a value encoded and decoded again is bit-identical (NaN payloads aside). Decoding is strict: a JSON key
// that matches no field of the target is an error, as in the project's strictjson.
package nanjson

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// nonFinite writes NaN and ±Inf as strings and leaves every finite value to the default encoding.
var nonFinite = json.MarshalToFunc(func(enc *jsontext.Encoder, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return enc.WriteToken(jsontext.String(strconv.FormatFloat(f, 'g', -1, 64)))
	}
	return errors.ErrUnsupported
})

// fromString reads "NaN", "+Inf", "Inf" and "-Inf" strings as floats and leaves numbers to the default decoding.
var fromString = json.UnmarshalFromFunc(func(dec *jsontext.Decoder, f *float64) error {
	if dec.PeekKind() != '"' {
		return errors.ErrUnsupported
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch s := tok.String(); s {
	case "NaN", "+Inf", "Inf", "-Inf":
		*f, _ = strconv.ParseFloat(s, 64)
		return nil
	default:
		return fmt.Errorf("nanjson: float64 field holds the string %q; want a number, \"NaN\", \"+Inf\" or \"-Inf\"", s)
	}
})

// Marshal returns the JSON encoding of v (as encoding/json/v2 writes it: struct fields by their json tag or Go
// name), with non-finite float64 values as strings. The output is compact.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v, json.WithMarshalers(nonFinite), json.Deterministic(true))
}

// Unmarshal decodes data into v (a non-nil pointer), reading the strings Marshal writes for non-finite float64
// values. A key that matches no field, and a duplicate key, are errors.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v, json.WithUnmarshalers(fromString), json.RejectUnknownMembers(true))
}
