package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// runIn runs the binary with the data folder set to dataDir.
func runIn(t *testing.T, dataDir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "WALKINGNOISE_DATA="+dataDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walkingnoise %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestExperimentGSC2Fixture runs the catalogue's CNN-S-BN layer-wise additive experiment with the quick preset
// end to end on a generated Speech Commands folder (the true layout, tones per class): MFCC features, the
// 12-class model, the class-weighted loss, 11 sites × 17 σ in both modes. A re-run does no work. With 30
// epochs the fixture is learnt (clean accuracy far above chance, 100/12 %) and additive noise σ = 1e4 at the
// input brings it down to chance.
func TestExperimentGSC2Fixture(t *testing.T) {
	dir := t.TempDir()
	if _, err := datatest.WriteGSC2(dir, 3, 2); err != nil {
		t.Fatal(err)
	}
	store, cache := filepath.Join(dir, "r.db"), filepath.Join(dir, "cache")
	args := []string{"walk", "-experiment", "gsc2/cnn-s-bn/layerwise-add", "-preset", "quick", "-store", store,
		"-cache", cache, "-quiet"}
	out := runIn(t, dir, args...)
	if !strings.Contains(out, "375 points planned") || !strings.Contains(out, "375 run") {
		t.Fatalf("first run: want 375 points (1 clean + 2 modes × 11 sites × 17 σ) run:\n%s", out)
	}
	if n := len(records(t, store)); n != 375 {
		t.Errorf("%d records stored, want 375", n)
	}
	if out := runIn(t, dir, args...); !strings.Contains(out, "375 already stored, 0 run") {
		t.Errorf("re-run did work:\n%s", out)
	}

	store2 := filepath.Join(dir, "learn.db")
	runIn(t, dir, "walk", "-experiment", "gsc2/cnn-s-bn/layerwise-add", "-preset", "quick", "-epochs", "30",
		"-mode", "inference", "-sites", "0", "-sigmas", "0.01,1e4", "-store", store2, "-cache", cache)
	st, err := results.Open(store2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.List("gsc2/cnn-s-bn/layerwise-add@quick")
	if err != nil {
		t.Fatal(err)
	}
	var clean, loud float64
	for _, r := range recs {
		switch {
		case strings.Contains(string(r.Config), `"mode":"clean"`):
			clean = r.Accuracy
			if !strings.Contains(string(r.Metrics), `"val_acc":`) {
				t.Errorf("the clean GSC2 point stores no validation accuracy: %s", r.Metrics)
			}
		case strings.Contains(string(r.Config), `"x":10000`):
			loud = r.Accuracy
		}
	}
	// The train command follows GSC2's protocol (Adam 5e-4, cosine: 2.5e-4 in the second of two epochs).
	if out := runIn(t, dir, "train", "-data", "gsc2", "-model", "cnn-s-bn", "-epochs", "2"); !strings.Contains(out, "epoch 2: lr 2.50e-04") {
		t.Errorf("train -data gsc2: want GSC2's learning rate 5e-4 annealed to 2.5e-4 in epoch 2:\n%s", out)
	}
	if len(recs) != 3 || clean < 75 || loud > 30 {
		t.Errorf("%d records; clean accuracy %.1f%% (want ≥ 75%%, chance 8.3%%), at σ = 1e4 on the input %.1f%% (want near chance)",
			len(recs), clean, loud)
	}
}

// TestExperimentsCommand lists the catalogue and checks names, sizes and errors.
func TestExperimentsCommand(t *testing.T) {
	out := run(t, "experiments")
	for _, want := range []string{"gsc2/cnn-s-bn/layerwise-add", "mnist/mlp-tfc-bn/layerwise-mul-log",
		"cifar10/lenet5-bn/site5-combined", "259 experiments"} {
		if !strings.Contains(out, want) {
			t.Errorf("experiments output lacks %q", want)
		}
	}
	out = run(t, "experiments", "-match", "gsc2/cnn-s-bn/layerwise-add-", "-v")
	if !strings.Contains(out, "gsc2/cnn-s-bn/layerwise-add-clamped  3237") || !strings.Contains(out, "1 experiments") ||
		!strings.Contains(out, "clamped to [−1, 1]") {
		t.Errorf("experiments -match: want the clamped experiment with 3237 points and its description:\n%s", out)
	}
	cmd := exec.Command(binary, "walk", "-experiment", "gsc2/cnn-s-bn/layerwise-sub", "-store", filepath.Join(t.TempDir(), "r.db"))
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "gsc2/cnn-s-bn/layerwise-add") {
		t.Errorf("unknown experiment: err %v, output %s; want the experiments of gsc2/cnn-s-bn listed", err, b)
	}
	cmd = exec.Command(binary, "walk", "-experiment", "mnist/mlp-tfc-bn/multiexec", "-store", filepath.Join(t.TempDir(), "r.db"))
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "mnist/mlp-tfc-bn/global-add") {
		t.Errorf("multiexec without its dependencies: err %v, output %s; want the experiment to run first named", err, b)
	}
}
