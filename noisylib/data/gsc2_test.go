package data_test

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
)

func writeGSC2(t *testing.T, perWord, perTest int) (string, datatest.GSC2Fixture) {
	t.Helper()
	dir := t.TempDir()
	fx, err := datatest.WriteGSC2(dir, perWord, perTest)
	if err != nil {
		t.Fatal(err)
	}
	return dir, fx
}

func TestLoadGSC2Fixture(t *testing.T) {
	dir, fx := writeGSC2(t, 3, 2)
	tr, val, te, err := data.Loader{Dir: dir}.LoadGSC2()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		d    *data.Dataset
		n    int
	}{{"train", tr, fx.Train}, {"validation", val, fx.Validation}, {"test", te, fx.Test}} {
		if c.d.N != c.n || c.d.H != 10 || c.d.W != 49 || c.d.C != 1 || c.d.NumClasses != 12 {
			t.Errorf("%s: N=%d %dx%dx%d, %d classes; want N=%d 10x49x1, 12 classes", c.name, c.d.N, c.d.H, c.d.W, c.d.C,
				c.d.NumClasses, c.n)
		}
		if err := c.d.Validate(); err != nil {
			t.Error(err)
		}
		if got := c.d.Chance(); math.Abs(got-100.0/12) > 1e-12 {
			t.Errorf("%s: chance %v, want 100/12", c.name, got)
		}
	}
	// Train: 3 clips per word, the two unknown words → class 11, 4 background chunks → silence (10).
	want := []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 6}
	for c, n := range tr.ClassCounts() {
		if n != want[c] {
			t.Errorf("train class %d (%s): %d examples, want %d", c, data.GSC2Classes[c], n, want[c])
		}
	}
	// Validation: one clip per word, 2 chunks of running_tap.wav as silence.
	if got := val.ClassCounts(); got[10] != 2 || got[11] != 2 || got[0] != 1 {
		t.Errorf("validation class counts %v, want 1 per word, 2 silence, 2 unknown", got)
	}
	if got := te.ClassCounts(); got[10] != 2 || got[11] != 2 || got[9] != 2 {
		t.Errorf("test class counts %v, want 2 per class", got)
	}
	// The features of a training clip are MFCC of its file. Folders are read in name order
	// (_background_noise_, bed, cat, down, ...), files sorted: examples 0–3 are the chunks of white_noise.wav,
	// example 4 is bed/000000aa_nohash_0.wav.
	x, err := data.ReadWAV(filepath.Join(dir, "gsc2/speech_commands_v0.02/bed/000000aa_nohash_0.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if _, label := tr.Example(0); label != data.GSC2Silence {
		t.Errorf("example 0 label %d, want silence (10)", label)
	}
	img, label := tr.Example(4)
	if label != data.GSC2Unknown {
		t.Errorf("example 4 label %d, want unknown (11)", label)
	}
	for i, v := range data.MFCC(nil, x) {
		if img[i] != v {
			t.Fatalf("example 4 value %d = %v, MFCC of its file gives %v", i, img[i], v)
		}
	}
	// Class weights: w_c = 1 − p_c, unknown / 3.6, normalised (method.md §3), from the training counts.
	var raw [12]float64
	var sum float64
	for c, n := range want {
		raw[c] = 1 - float64(n)/float64(fx.Train)
		if c == 11 {
			raw[c] /= 3.6
		}
		sum += raw[c]
	}
	for c, w := range tr.ClassWeights {
		if math.Abs(float64(w)-raw[c]/sum) > 1e-6 {
			t.Errorf("class weight %d = %v, want %v", c, w, raw[c]/sum)
		}
	}
	if len(te.ClassWeights) != 12 {
		t.Errorf("the test split carries %d class weights, want the training split's 12", len(te.ClassWeights))
	}
	// Through the registry: train and test, shape checked against the Source.
	rtr, rte, err := data.Load("gsc2", dir)
	if err != nil {
		t.Fatal(err)
	}
	if rtr.N != fx.Train || rte.N != fx.Test {
		t.Errorf("data.Load(gsc2): %d/%d examples, want %d/%d", rtr.N, rte.N, fx.Train, fx.Test)
	}
}

func TestLoadGSC2Errors(t *testing.T) {
	_, _, _, err := data.Loader{Dir: t.TempDir()}.LoadGSC2()
	var missing *data.MissingFileError
	if !errors.As(err, &missing) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "speech_commands_v0.02") {
		t.Errorf("empty folder: got %v, want a MissingFileError naming speech_commands_v0.02", err)
	}

	dir, _ := writeGSC2(t, 1, 1)
	root := filepath.Join(dir, "gsc2/speech_commands_v0.02")
	if err := os.Remove(filepath.Join(root, "yes/000000a9_nohash_1.wav")); err != nil { // named in validation_list
		t.Fatal(err)
	}
	if _, _, _, err := (data.Loader{Dir: dir}).LoadGSC2(); err == nil || !strings.Contains(err.Error(), "yes/000000a9_nohash_1.wav") {
		t.Errorf("a listed file missing: got %v, want an error naming it", err)
	}

	dir, _ = writeGSC2(t, 1, 1)
	if err := os.RemoveAll(filepath.Join(dir, "gsc2/speech_commands_test_set_v0.02/_silence_")); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := (data.Loader{Dir: dir}).LoadGSC2(); !errors.As(err, &missing) || !strings.Contains(err.Error(), "_silence_") {
		t.Errorf("test class folder missing: got %v, want a MissingFileError naming _silence_", err)
	}

	dir, _ = writeGSC2(t, 1, 1)
	p := filepath.Join(dir, "gsc2/speech_commands_v0.02/go/000000a1_nohash_0.wav")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[24] = 0x44 // sample rate 16000 (0x3e80) → 0x3e44 = 15940 Hz
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := (data.Loader{Dir: dir}).LoadGSC2(); err == nil || !strings.Contains(err.Error(), "want 16000 Hz mono 16-bit PCM") {
		t.Errorf("15940 Hz file: got %v, want a format error", err)
	}
}
