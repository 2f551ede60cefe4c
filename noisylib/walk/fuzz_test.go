package walk

import (
	"strings"
	"testing"
)

// FuzzPlanSpec feeds arbitrary text to the plan-file parser and the presets: no input may panic, and every
// plan that builds is valid (sorted, duplicate-free grids; sites in range; a known spacing). The seed corpus
// holds the plan files of issue 14.
func FuzzPlanSpec(f *testing.F) {
	for _, s := range []string{
		`{"model": "mlp-tfc-bn", "sigma": [0.1, 1], "mode": ["inference"], "site": [3]}`,        // fault 3
		`{"model": "mlp-tfc-bn", "sigmas": [0.01, 0.1, 1, 1, 10, 100], "modes": ["inference"]}`, // fault 2
		`{"model": "mlp-tfc-bn", "sigmas": [0, 0.01, 0.1, 1, 10, 100], "modes": ["inference"]}`, // fault 1
		`{"model": "lenet5", "data": "mnist"}`,                                                  // fault 6
		`{"kind": "mixed", "model": "mlp-tfc-bn", "modes": ["inference"], "ratios": [0.01, 0.5, 0.99]}`,
		`{"kind": "direct", "model": "mlp-tfc-bn", "sigmas": [0, 1], "ratios": [0, 0.5]}`,
		`{"kind": "max", "model": "lenet5-bn"}`,
		`{"kind": "multiexec", "model": "mlp-tfc-bn", "sigmas": [0.35]}`,
		`{"kind": "multiexec", "model": "mlp-tfc-bn", "sigmas": [0.35], "site_midpoints": [1,2,3,4,5,6,7,8,9,10,11]}`,
		`{"model": "mlp-tfc-bn", "reps": 1000000000}`,
		`{"model": "mlp-tfc-bn", "spacing": "logarithmic"}`,
		`{"model": "mlp-tfc-bn", "sigmas": [1e300, -0, 0]}`,
		`{"model": "cnn-s-bn", "data": "cifar10", "sites": [-1, 99]}`,
		`{"model": "mlp-tfc-bn"} trailing`, `[]`, `null`, `{"modes": ["sideways"]}`, `{"noise": "pink"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, paper bool) {
		spec, err := ParsePlanSpec(b)
		if err != nil {
			return
		}
		preset := "quick"
		if paper {
			preset = "paper"
		}
		if spec.Reps > 20 || len(spec.Sigmas) > 64 || len(spec.Ratios) > 16 || len(spec.Budgets) > 16 || spec.Epochs > 1000 {
			return // valid but large plans take long to expand; their size is checked by checkSize
		}
		p, err := Preset(preset, spec)
		if err != nil {
			if err.Error() == "" || strings.Contains(err.Error(), "panic") {
				t.Fatalf("unclear error %q", err)
			}
			return
		}
		if _, err := p.Spec.Grid(); err != nil {
			t.Fatalf("built plan with spacing %q: %v", p.Spec.Spacing, err)
		}
		for i := 1; i < len(p.Spec.Sigmas); i++ {
			if !(p.Spec.Sigmas[i] > p.Spec.Sigmas[i-1]) {
				t.Fatalf("grid not a sorted set: %v", p.Spec.Sigmas)
			}
		}
		seen := map[string]bool{}
		for _, pt := range p.Points {
			h, err := Hash(pt)
			if err != nil {
				t.Fatal(err)
			}
			if seen[h] {
				t.Fatalf("plan %s lists point %s twice", p.Name, pt)
			}
			seen[h] = true
		}
	})
}
