package study

import (
	"reflect"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// IsQuick reports whether the environment's preset is "quick".
func IsQuick() bool { return Preset() == "quick" }

// IsStandard reports whether the environment's preset is "standard".
func IsStandard() bool { return Preset() == "standard" }

// Quick returns quick when the environment's preset is "quick" and paper otherwise (standard and paper): the
// notebooks' switch between their small default and the published setting, e.g. study.Quick(3, 100) epochs.
// The standard preset is the paper's protocol reduced where it must be, so it takes the paper value; where a
// notebook needs a third value for it, use PerPreset.
func Quick[T any](quick, paper T) T {
	if IsQuick() {
		return quick
	}
	return paper
}

// PerPreset returns the value of the environment's preset: quick, standard or paper (any other preset name
// gives paper; Walk and Plan reject unknown names), e.g. study.PerPreset(3, 30, 100) epochs.
func PerPreset[T any](quick, standard, paper T) T {
	switch Preset() {
	case "quick":
		return quick
	case "standard":
		return standard
	}
	return paper
}

// Spec returns spec with the non-zero fields of quick copied over it when the preset is "quick" (fields of
// the embedded walk.Setup one by one). With the standard and paper presets spec is returned unchanged, so its
// zero fields take that preset's values when the plan is built.
func Spec(spec, quick walk.PlanSpec) walk.PlanSpec {
	return SpecPerPreset(spec, quick, walk.PlanSpec{})
}

// SpecPerPreset returns spec with the non-zero fields of quick copied over it when the preset is "quick", those
// of standard when it is "standard", and spec unchanged with the paper preset (as Spec, which is SpecPerPreset
// with an empty standard).
func SpecPerPreset(spec, quick, standard walk.PlanSpec) walk.PlanSpec {
	over := PerPreset(quick, standard, walk.PlanSpec{})
	overlay(reflect.ValueOf(&spec).Elem(), reflect.ValueOf(over))
	return spec
}

// Reductions returns how a plan departs from the paper's protocol, one line (walk.Plan.Reductions), or "the
// paper's protocol" when it does not: what a notebook prints under its plan.
func Reductions(plan *walk.Plan) (string, error) {
	r, err := plan.Reductions()
	if err != nil {
		return "", err
	}
	if len(r) == 0 {
		return "the paper's protocol", nil
	}
	return "reduced from the paper's protocol: " + strings.Join(r, "; "), nil
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
