package study

import (
	"reflect"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// IsQuick reports whether the environment's preset is "quick".
func IsQuick() bool { return Preset() == "quick" }

// Quick returns quick when the environment's preset is "quick" and paper otherwise: the notebooks' switch
// between their small default and the published setting, e.g. study.Quick(3, 100) epochs.
func Quick[T any](quick, paper T) T {
	if IsQuick() {
		return quick
	}
	return paper
}

// Spec returns spec with the non-zero fields of quick copied over it when the preset is "quick" (fields of
// the embedded walk.Setup one by one). With the paper preset spec is returned unchanged, so its zero fields
// take the paper preset's published values when the plan is built.
func Spec(spec, quick walk.PlanSpec) walk.PlanSpec {
	if !IsQuick() {
		return spec
	}
	overlay(reflect.ValueOf(&spec).Elem(), reflect.ValueOf(quick))
	return spec
}

// overlay copies the non-zero fields of src into dst, recursing into struct fields.
func overlay(dst, src reflect.Value) {
	for i := range src.NumField() {
		f := src.Field(i)
		if f.Kind() == reflect.Struct {
			overlay(dst.Field(i), f)
			continue
		}
		if !f.IsZero() {
			dst.Field(i).Set(f)
		}
	}
}
