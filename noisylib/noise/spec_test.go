package noise_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

func TestResolve(t *testing.T) {
	cfg := noise.Global(noise.Add(0.1)).With(2, noise.Mul(0.3))
	specs, err := cfg.Resolve(4)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	want := []noise.Spec{noise.Add(0.1), noise.Add(0.1), noise.Mul(0.3), noise.Add(0.1)}
	if !reflect.DeepEqual(specs, want) {
		t.Errorf("Resolve = %v, want %v", specs, want)
	}

	walk, err := noise.At(3, noise.Add(0.5)).Resolve(5)
	if err != nil {
		t.Fatalf("At(3).Resolve: %v", err)
	}
	for i, s := range walk {
		if wantType := map[bool]noise.Type{true: noise.Additive, false: noise.None}[i == 3]; s.Type != wantType {
			t.Errorf("At(3): site %d has type %s, want %s", i, s.Type, wantType)
		}
	}

	// With must not modify the receiver's map.
	base := noise.At(1, noise.Add(1))
	_ = base.With(2, noise.Mul(1))
	if _, ok := base.Sites[2]; ok {
		t.Error("With modified the original Config")
	}

	if specs, err := (noise.Config{}).Resolve(3); err != nil || len(specs) != 3 || specs[0].Type != noise.None {
		t.Errorf("zero Config.Resolve(3) = %v, %v; want 3 None specs", specs, err)
	}

	errCases := []struct {
		name    string
		cfg     noise.Config
		n       int
		wantMsg string
	}{
		{"site = numSites", noise.At(5, noise.Add(1)), 5, "0..4"},
		{"negative site", noise.At(-1, noise.Add(1)), 8, "0..7"},
		{"no sites", noise.Global(noise.Add(1)), 0, "at least one site"},
		{"invalid default", noise.Global(noise.Add(-1)), 3, "default"},
		{"invalid override", noise.At(1, noise.Mul(math.NaN())), 3, "site 1"},
	}
	for _, c := range errCases {
		_, err := c.cfg.Resolve(c.n)
		if err == nil {
			t.Errorf("%s: Resolve(%d) succeeded, want an error", c.name, c.n)
			continue
		}
		if !strings.Contains(err.Error(), c.wantMsg) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.wantMsg)
		}
	}
}

func TestValidate(t *testing.T) {
	valid := []noise.Spec{
		{}, noise.NoNoise(), noise.Add(0), noise.Mul(1e10), noise.Combine(1, 0), noise.Combine(1, 1),
		noise.CombineDirect(0.1, 0.2).WithAddFirst(), noise.Add(1).InferenceOnly().WithRepetitions(3).Normalized(),
		{Type: noise.Additive, Sigma: 1, TrainOnly: true},
	}
	for _, s := range valid {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: Validate() = %v, want nil", s, err)
		}
	}
	invalid := []struct {
		name    string
		spec    noise.Spec
		wantMsg string
	}{
		{"negative sigma", noise.Add(-0.1), "-0.1"},
		{"NaN sigma", noise.Mul(math.NaN()), "NaN"},
		{"infinite sigma", noise.Add(math.Inf(1)), "Inf"},
		{"negative amplitude", noise.Combine(-1, 0.5), "amplitude"},
		{"ratio above 1", noise.Combine(1, 1.5), "[0,1]"},
		{"negative ratio", noise.Combine(1, -0.1), "[0,1]"},
		{"NaN ratio", noise.Combine(1, math.NaN()), "[0,1]"},
		{"negative sigma_mul", noise.CombineDirect(-1, 0), "sigma_mul"},
		{"negative sigma_add", noise.CombineDirect(0, -1), "sigma_add"},
		{"NaN mean", noise.Spec{Type: noise.Additive, Sigma: 1, MeanAdd: math.NaN()}, "mean"},
		{"negative repetitions", noise.Add(1).WithRepetitions(-2), "-2"},
		{"eval-only and train-only", noise.Spec{Type: noise.Additive, Sigma: 1, EvalOnly: true, TrainOnly: true}, "eval_only"},
		{"unknown type", noise.Spec{Type: noise.Type(9)}, "valid types"},
		{"negative type", noise.Spec{Type: noise.Type(-1)}, "valid types"},
	}
	for _, c := range invalid {
		err := c.spec.Validate()
		if err == nil {
			t.Errorf("%s: Validate() = nil, want an error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.wantMsg) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.wantMsg)
		}
	}
}

func TestParseType(t *testing.T) {
	for _, typ := range []noise.Type{noise.None, noise.Additive, noise.Multiplicative, noise.Combined, noise.CombinedDirect} {
		got, err := noise.ParseType(typ.String())
		if err != nil || got != typ {
			t.Errorf("ParseType(%q) = %v, %v; want %v", typ.String(), got, err, typ)
		}
	}
	if got, err := noise.ParseType("MUL"); err != nil || got != noise.Multiplicative {
		t.Errorf(`ParseType("MUL") = %v, %v; want mul (case-insensitive)`, got, err)
	}
	_, err := noise.ParseType("gauss")
	if err == nil {
		t.Fatal(`ParseType("gauss") succeeded, want an error`)
	}
	for _, name := range []string{`"gauss"`, "none", "add", "mul", "combined", "combined-direct"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not mention %s", err, name)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	specs := []noise.Spec{
		noise.NoNoise(), noise.Add(0.5), noise.Mul(1e10).InferenceOnly(), noise.Combine(2, 0.25).WithAddFirst(),
		noise.CombineDirect(0.1, 0.2).WithRepetitions(4).Normalized(),
		{Type: noise.Additive, Sigma: 1, MeanAdd: -0.5, MeanMul: 1, TrainOnly: true},
	}
	for _, s := range specs {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal(%v): %v", s, err)
		}
		if want := `"type":"` + s.Type.String() + `"`; !strings.Contains(string(b), want) {
			t.Errorf("JSON %s does not hold the type by name (%s)", b, want)
		}
		var back noise.Spec
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("round trip of %s gave %+v, want %+v", b, back, s)
		}
	}

	cfg := noise.Global(noise.Mul(0.1)).With(3, noise.Add(0.5)).With(10, noise.Combine(1, 0.9))
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatalf("Marshal(config): %v", err)
	}
	var back noise.Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("config round trip of %s gave %+v, want %+v", b, back, cfg)
	}

	var bad noise.Spec
	if err := json.Unmarshal([]byte(`{"type":"dropout","sigma":1}`), &bad); err == nil {
		t.Error(`Unmarshal of type "dropout" succeeded, want an error`)
	}
}

func TestStructureKey(t *testing.T) {
	key := func(s ...noise.Spec) string { return noise.StructureKey(s) }
	base := noise.Add(0.1)
	if key(base, noise.NoNoise()) != key(noise.Add(7), noise.NoNoise()) {
		t.Error("StructureKey differs for specs that differ only in σ")
	}
	if key(noise.Combine(1, 0.2)) != key(noise.Combine(3, 0.9)) {
		t.Error("StructureKey differs for combined specs that differ only in amplitude and ratio")
	}
	if key(noise.Spec{Type: noise.None, Sigma: 1}) != key(noise.NoNoise()) {
		t.Error("StructureKey differs for two None specs")
	}
	different := map[string]noise.Spec{
		"type":        noise.Mul(0.1),
		"none":        noise.NoNoise(),
		"eval-only":   base.InferenceOnly(),
		"train-only":  {Type: noise.Additive, Sigma: 0.1, TrainOnly: true},
		"normalized":  base.Normalized(),
		"repetitions": base.WithRepetitions(2),
	}
	for name, s := range different {
		if key(base) == key(s) {
			t.Errorf("StructureKey equal for add and %s (%v)", name, s)
		}
	}
	if key(noise.Combine(1, 0.5)) == key(noise.Combine(1, 0.5).WithAddFirst()) {
		t.Error("StructureKey equal for the two orders of combined noise")
	}
	if key(base, noise.NoNoise()) == key(noise.NoNoise(), base) {
		t.Error("StructureKey equal for noise at different sites")
	}
}

func TestParamsTensor(t *testing.T) {
	specs := []noise.Spec{
		noise.NoNoise(), noise.Add(0.5), noise.Mul(0.3), noise.Combine(2, 0.25), noise.CombineDirect(0.2, 0.7),
		{Type: noise.Additive, Sigma: 1, MeanAdd: -0.5, MeanMul: 3},
	}
	want := [][noise.NumParams]float32{ // σ_add, σ_mul, μ_add, μ_mul
		{0, 0, 0, 1}, {0.5, 0, 0, 1}, {0, 0.3, 0, 1}, {0.5, 1.5, 0, 1}, {0.7, 0.2, 0, 1}, {1, 0, -0.5, 3},
	}
	p := noise.ParamsTensor(specs)
	if dims := p.Shape().Dimensions; !reflect.DeepEqual(dims, []int{len(specs), noise.NumParams}) {
		t.Fatalf("ParamsTensor shape %v, want [%d %d]", dims, len(specs), noise.NumParams)
	}
	flat := tensors.MustCopyFlatData[float32](p)
	for i, w := range want {
		for k := range w {
			if got := flat[i*noise.NumParams+k]; got != w[k] {
				t.Errorf("site %d (%v) param %d = %g, want %g", i, specs[i], k, got, w[k])
			}
		}
	}
}

func TestStrings(t *testing.T) {
	cases := map[string]string{
		noise.Add(0.5).String():                                      "add σ=0.5",
		noise.Combine(1, 0.9).String():                               "combined A=1 r=0.9 (mul-then-add)",
		noise.CombineDirect(0.1, 0.2).WithAddFirst().String():        "combined σmul=0.1 σadd=0.2 (add-then-mul)",
		noise.Mul(0.1).InferenceOnly().WithRepetitions(3).String():   "mul σ=0.1 eval-only ×3",
		noise.At(3, noise.Add(0.5)).String():                         "site 3: add σ=0.5",
		noise.Global(noise.Mul(0.1)).String():                        "all sites: mul σ=0.1",
		(noise.Config{}).String():                                    "no noise",
		noise.Global(noise.Add(1)).With(2, noise.NoNoise()).String(): "default: add σ=1; site 2: none",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	if a, m := noise.Combine(2, 0.25).Sigmas(); a != 0.5 || m != 1.5 {
		t.Errorf("Combine(2, 0.25).Sigmas() = %g, %g; want σ_add 0.5, σ_mul 1.5", a, m)
	}
	if r := noise.Add(1).Reps(); r != 1 {
		t.Errorf("Reps() of a spec without repetitions = %d, want 1", r)
	}
}

// TestMeanMulDefault: a Spec decoded from JSON without mean_mul gets μ_m = 1, and a literal multiplicative
// Spec with μ_m = 0 (which would erase the signal) is rejected.
func TestMeanMulDefault(t *testing.T) {
	var s noise.Spec
	if err := json.Unmarshal([]byte(`{"type":"mul","sigma":0.1}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.MeanMul != 1 || s.Validate() != nil {
		t.Errorf("decoded %+v: want mean_mul 1 and valid", s)
	}
	for _, typ := range []noise.Type{noise.Multiplicative, noise.Combined, noise.CombinedDirect} {
		if err := (noise.Spec{Type: typ, Sigma: 0.1}).Validate(); err == nil || !strings.Contains(err.Error(), "mean_mul") {
			t.Errorf("literal %s Spec with mean_mul 0: err = %v, want a mean_mul error", typ, err)
		}
	}
	if err := (noise.Spec{Type: noise.Additive, Sigma: 0.1}).Validate(); err != nil {
		t.Errorf("additive Spec literal without mean_mul: %v", err)
	}
}
