package study

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestThreePresets: the notebooks' Quick/Spec calls keep their two-way meaning (standard takes the paper value
// and leaves the spec to its preset), PerPreset and SpecPerPreset pick the standard value, and a plan built
// under standard states its reductions.
func TestThreePresets(t *testing.T) {
	base := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist"}, Modes: []walk.Mode{walk.Inference, walk.Training}}
	quick := walk.PlanSpec{Setup: walk.Setup{TrainN: 100}}
	std := walk.PlanSpec{Setup: walk.Setup{Epochs: 30}}
	for _, c := range []struct {
		preset           string
		quick, perPreset string
		epochs, trainN   int
	}{
		{"quick", "q", "q", 0, 100},
		{"standard", "p", "s", 30, 0},
		{"paper", "p", "p", 0, 0},
	} {
		t.Setenv(EnvPreset, c.preset)
		if got := Quick("q", "p"); got != c.quick {
			t.Errorf("%s: Quick = %q, want %q", c.preset, got, c.quick)
		}
		if got := PerPreset("q", "s", "p"); got != c.perPreset {
			t.Errorf("%s: PerPreset = %q, want %q", c.preset, got, c.perPreset)
		}
		if IsStandard() != (c.preset == "standard") || IsQuick() != (c.preset == "quick") {
			t.Errorf("%s: IsStandard %v IsQuick %v", c.preset, IsStandard(), IsQuick())
		}
		s := SpecPerPreset(base, quick, std)
		if s.Epochs != c.epochs || s.TrainN != c.trainN || s.Model != "mlp-tfc-bn" {
			t.Errorf("%s: SpecPerPreset epochs %d train %d, want %d and %d", c.preset, s.Epochs, s.TrainN, c.epochs, c.trainN)
		}
		if s := Spec(base, quick); c.preset != "quick" && (s.Epochs != 0 || s.TrainN != 0) {
			t.Errorf("%s: Spec changed the spec: %+v", c.preset, s.Setup)
		}
	}
	t.Setenv(EnvPreset, "standard")
	p, err := Plan(base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.Reps != 3 || p.Spec.Epochs != 20 || len(p.Spec.Sigmas) != 21 {
		t.Errorf("standard plan: reps %d epochs %d σ %d, want 3, 20, 21", p.Spec.Reps, p.Spec.Epochs, len(p.Spec.Sigmas))
	}
	r, err := Reductions(p)
	if err != nil || !strings.Contains(r, "epochs 20 (paper 100: noisy training)") || !strings.HasPrefix(r, "reduced from the paper's protocol: ") {
		t.Errorf("Reductions = %q, %v", r, err)
	}
	t.Setenv(EnvPreset, "paper")
	if p, err = Plan(base); err != nil {
		t.Fatal(err)
	}
	if r, err := Reductions(p); err != nil || r != "the paper's protocol" {
		t.Errorf("paper Reductions = %q, %v", r, err)
	}
}

// TestRenderFromImportedStore: under the standard preset, a walk and an adaptive noisy-training search run into
// one output folder, exported and imported into a fresh one, give identical curves and midpoints there without
// computing anything: how notebooks render from shipped results.
func TestRenderFromImportedStore(t *testing.T) {
	datatest.RegisterStripes()
	t.Setenv(EnvPreset, "standard")
	setup := walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2}
	inf := walk.PlanSpec{Setup: setup, Modes: []walk.Mode{walk.Inference}, Sites: []int{2, 4}, Sigmas: analysis.Logspace(0.01, 1000, 11)}
	tr := walk.PlanSpec{Setup: setup, Modes: []walk.Mode{walk.Training}, Sites: []int{4}, Sigmas: analysis.Logspace(0.01, 1000, 11), Reps: 2}
	render := func() ([]walk.SiteCurve, []walk.AdaptiveCurve) {
		t.Helper()
		_, curves, err := Walk(inf)
		if err != nil {
			t.Fatal(err)
		}
		_, adaptive, err := Adaptive(tr)
		if err != nil {
			t.Fatal(err)
		}
		return curves, adaptive
	}
	first := t.TempDir()
	t.Setenv(EnvOut, first)
	curves, adaptive := render()
	if reps, _ := curves[0].Curve.Reps(); len(curves) != 2 || len(adaptive) != 1 || reps != 3 {
		t.Fatalf("%d curves, %d adaptive curves, %d repetitions; want 2, 1, 3 (the standard preset's)", len(curves), len(adaptive), reps)
	}
	src, err := results.OpenExisting(StorePath())
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := src.ExportCSV(&csv); err != nil {
		t.Fatal(err)
	}
	n, _ := src.Count("")
	src.Close()

	t.Setenv(EnvOut, t.TempDir())
	dst, err := results.Open(StorePath())
	if err != nil {
		t.Fatal(err)
	}
	if added, err := dst.ImportCSV(&csv); err != nil || added != n {
		t.Fatalf("import: %d of %d points, %v", added, n, err)
	}
	dst.Close()
	again, againAdaptive := render()
	// %#v prints every float in its shortest exact form; reflect.DeepEqual would call the NaNs of censoring
	// bounds unequal.
	if fmt.Sprintf("%#v", curves) != fmt.Sprintf("%#v", again) || fmt.Sprintf("%#v", adaptive) != fmt.Sprintf("%#v", againAdaptive) {
		t.Errorf("curves from the imported store differ:\n%+v\n%+v\nvs\n%+v\n%+v", curves, adaptive, again, againAdaptive)
	}
	st, _ := results.OpenExisting(StorePath())
	defer st.Close()
	if m, _ := st.Count(""); m != n {
		t.Errorf("rendering from the imported store computed %d new points", m-n)
	}
	if _, err := os.Stat(filepath.Join(OutDir(), "cache")); err == nil {
		t.Error("rendering from the imported store trained a clean model (its cache folder exists)")
	}
}
