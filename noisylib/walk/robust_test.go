package walk

import (
	"strings"
	"testing"
)

// TestPresetPartialModelName: a model name without its variant is an error listing the valid names in
// every preset, never a panic (issue 14, fault 6).
func TestPresetPartialModelName(t *testing.T) {
	for _, preset := range Presets {
		for _, name := range []string{"lenet5", "mlp-tfc", "", "-", "bn", "x-bn-nonoise", "lenet5-nonoise"} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Preset(%s, model %q) panicked: %v", preset, name, r)
					}
				}()
				_, err := Preset(preset, PlanSpec{Model: name, Data: "mnist"})
				if err == nil || !strings.Contains(err.Error(), "valid models are") {
					t.Errorf("Preset(%s, model %q): error %v, want one listing the valid models", preset, name, err)
				}
			}()
		}
	}
}
