// Package strictjson decodes the JSON the project reads (plan files, noise configurations, stored metrics)
// strictly: an unknown or misspelled key is an error naming it and the valid keys, never silently ignored.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// Unmarshal decodes exactly one JSON value from data into v (a non-nil pointer) like json.Unmarshal, except
// that a key matching no field of the target struct is an error, e.g.
//
//	unknown field "sigma" (valid fields: base_seed, data, epochs, kind, …, sigmas, sites)
//
// and so is text after the value.
func Unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err, v)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("unexpected text after the JSON value")
	}
	return nil
}

// explain adds the valid field names to an unknown-field error of the decoder.
func explain(err error, v any) error {
	name, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return err
	}
	valid := Fields(reflect.TypeOf(v))
	if len(valid) == 0 {
		return fmt.Errorf("unknown field %s", name)
	}
	return fmt.Errorf("unknown field %s (valid fields: %s)", name, strings.Join(valid, ", "))
}

// Fields returns the sorted JSON keys of a struct type (or pointer to one), including those of embedded
// structs; nil for other types.
func Fields(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "":
			out = append(out, Fields(f.Type)...)
			continue
		case !f.IsExported():
			continue
		case name == "":
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
