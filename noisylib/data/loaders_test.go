package data

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var skip = func(dir string) Loader { return Loader{Dir: dir, SkipChecksums: true} }

// wantPixel checks the HWC pixel (r, c, ch) of example k against the fixture byte pixelByte(src, r, c, ch).
func wantPixel(t *testing.T, d *Dataset, k, r, c, ch, src int) {
	t.Helper()
	got := d.Images[k*d.H*d.W*d.C+(r*d.W+c)*d.C+ch]
	if want := float32(pixelByte(src, r, c, ch)) / 255; got != want {
		t.Errorf("%s example %d pixel (row %d, col %d, ch %d) = %v, want %v", d.Name, k, r, c, ch, got, want)
	}
}

func TestLoadIDXFixture(t *testing.T) {
	for _, name := range []string{"mnist", "fashion-mnist"} {
		dir := t.TempDir()
		writeIDXSet(t, dir, name, 5, 3) // train as .gz, test raw
		tr, te, err := skip(dir).Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Name != name || tr.N != 5 || te.N != 3 || tr.InputShape() != [3]int{28, 28, 1} || tr.NumClasses != 10 {
			t.Fatalf("%s: got train %d %v, test %d", name, tr.N, tr.InputShape(), te.N)
		}
		for k, d := range map[int]*Dataset{4: tr, 2: te} {
			wantPixel(t, d, k, 27, 0, 0, k)
			wantPixel(t, d, k, 3, 19, 0, k)
			if _, l := d.Example(k); l != int32((k*3+1)%10) {
				t.Errorf("%s label %d = %d, want %d", name, k, l, (k*3+1)%10)
			}
		}
		if v := tr.Images[0]; v != 0 { // pixelByte(0,0,0,0) = 0
			t.Errorf("first pixel %v, want 0", v)
		}
	}
}

// TestLoadIDXPrefersDecompressed checks that a decompressed IDX file next to its .gz is the one loaded (it
// loads without gunzip; scripts/fetch-data.sh writes both).
func TestLoadIDXPrefersDecompressed(t *testing.T) {
	dir := t.TempDir()
	writeIDXSet(t, dir, "mnist", 5, 3) // train as .gz
	white := make([]byte, 5*28*28)
	for i := range white {
		white[i] = 255
	}
	writeFile(t, dir, "mnist/train-images-idx3-ubyte", idxBytes([]int{5, 28, 28}, white))
	tr, _, err := skip(dir).Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Images[0] != 1 || tr.Images[len(tr.Images)-1] != 1 {
		t.Errorf("train pixels %v … %v, want 1 (the decompressed file's)", tr.Images[0], tr.Images[len(tr.Images)-1])
	}
}

func TestLoadCIFARFixture(t *testing.T) {
	dir := t.TempDir()
	writeCIFAR(t, dir, 2, 3)
	tr, te, err := skip(dir).Load("cifar10")
	if err != nil {
		t.Fatal(err)
	}
	if tr.N != 10 || te.N != 3 || tr.InputShape() != [3]int{32, 32, 3} {
		t.Fatalf("got train %d %v, test %d", tr.N, tr.InputShape(), te.N)
	}
	// Train example 7 is record 1 of data_batch_4 (files are concatenated in order).
	for _, p := range [][3]int{{0, 0, 0}, {3, 7, 2}, {31, 30, 1}, {12, 31, 0}} {
		wantPixel(t, tr, 7, p[0], p[1], p[2], 4*100+1)
		wantPixel(t, te, 2, p[0], p[1], p[2], 0*100+2)
	}
	// Hand-computed: record 1 of batch 4 (fixture n = 401), (row 3, col 7, B):
	// (3·7 + 7·3 + 2·50 + 401·11) mod 256 = 4553 mod 256 = 201.
	if got, want := tr.Images[7*3072+(3*32+7)*3+2], float32(201)/255; got != want {
		t.Errorf("pixel = %v, want %v", got, want)
	}
	if tr.Labels[7] != int32(cifarLabel(4, 1)) || te.Labels[2] != int32(cifarLabel(0, 2)) {
		t.Errorf("labels %d %d, want %d %d", tr.Labels[7], te.Labels[2], cifarLabel(4, 1), cifarLabel(0, 2))
	}
}

func TestLoadSVHNFixture(t *testing.T) {
	labels := []float64{10, 1, 5, 9}
	for _, tc := range []struct {
		name               string
		compress, yAsBytes bool
	}{{"plain", false, false}, {"compressed", true, false}, {"compressed-y-bytes", true, true}, {"plain-y-bytes", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "svhn/train_32x32.mat", svhnMAT(t, labels, tc.compress, tc.yAsBytes))
			writeFile(t, dir, "svhn/test_32x32.mat", svhnMAT(t, labels[:2], tc.compress, tc.yAsBytes))
			tr, te, err := skip(dir).Load("svhn")
			if err != nil {
				t.Fatal(err)
			}
			if tr.N != 4 || te.N != 2 || tr.InputShape() != [3]int{32, 32, 3} {
				t.Fatalf("got train %d %v, test %d", tr.N, tr.InputShape(), te.N)
			}
			want := []int32{0, 1, 5, 9} // 10 means the digit 0
			for i, l := range tr.Labels {
				if l != want[i] {
					t.Errorf("label %d = %d, want %d", i, l, want[i])
				}
			}
			// X(row 2, col 5, channel 1, example 3) in MATLAB order lands at HWC (2, 5, 1) of example 3.
			for _, p := range [][3]int{{2, 5, 1}, {5, 2, 1}, {31, 0, 2}, {0, 31, 0}} {
				wantPixel(t, tr, 3, p[0], p[1], p[2], 3)
				wantPixel(t, te, 1, p[0], p[1], p[2], 1)
			}
			if got, want := tr.Images[3*3072+(2*32+5)*3+1], float32((14+15+50+33)%256)/255; got != want {
				t.Errorf("pixel = %v, want %v", got, want)
			}
		})
	}
}

func TestLoadUnknownName(t *testing.T) {
	_, _, err := Load("imagenet", t.TempDir())
	if err == nil {
		t.Fatal("no error for an unknown data set")
	}
	for _, s := range []string{`"imagenet"`, "mnist", "fashion-mnist", "cifar10", "svhn"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
}

func TestLoadMissingFiles(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string][]string{
		"mnist":         {filepath.Join(dir, "mnist", "train-images-idx3-ubyte.gz"), "bash scripts/fetch-data.sh " + dir},
		"fashion-mnist": {filepath.Join(dir, "fashion-mnist", "train-images-idx3-ubyte.gz"), "bash scripts/fetch-data.sh " + dir},
		"cifar10":       {filepath.Join(dir, "cifar10", "cifar-10-batches-bin", "data_batch_1.bin"), "cifar-10-binary.tar.gz"},
		"svhn":          {filepath.Join(dir, "svhn", "train_32x32.mat"), "place them in " + dir + "/svhn/"},
	} {
		_, _, err := Load(name, dir)
		var miss *MissingFileError
		if !errors.As(err, &miss) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s: error %v is not a *MissingFileError", name, err)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", name, err, w)
			}
		}
	}
	// Only one IDX file missing: the error names that one.
	writeIDXSet(t, dir, "mnist", 2, 2)
	if err := os.Remove(filepath.Join(dir, "mnist", "t10k-labels-idx1-ubyte")); err != nil {
		t.Fatal(err)
	}
	_, _, err := skip(dir).Load("mnist")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "mnist", "t10k-labels-idx1-ubyte.gz")) {
		t.Errorf("error %v does not name the missing test labels", err)
	}
}

func TestChecksumMismatch(t *testing.T) {
	dir := t.TempDir()
	files := writeIDXSet(t, dir, "mnist", 3, 2)
	_, _, err := Load("mnist", dir) // verified
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a *ChecksumError", err)
	}
	sum := sha256.Sum256(files[filepath.Base(strings.TrimSuffix(ce.Path, ".gz"))])
	if ce.Got != hex.EncodeToString(sum[:]) || ce.Want != idxSHA256["mnist/"+filepath.Base(strings.TrimSuffix(ce.Path, ".gz"))] {
		t.Errorf("got %s want %s; expected got=sha256(payload) %x", ce.Got, ce.Want, sum)
	}
	for _, s := range []string{ce.Path, ce.Want, ce.Got} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}

	writeCIFAR(t, dir, 1, 1)
	if _, _, err := Load("cifar10", dir); !errors.As(err, &ce) || !strings.Contains(ce.Path, "data_batch_") {
		t.Errorf("cifar10: error %v is not a checksum error on a batch file", err)
	}

	b := svhnMAT(t, []float64{1, 2}, true, false)
	writeFile(t, dir, "svhn/train_32x32.mat", b)
	writeFile(t, dir, "svhn/test_32x32.mat", b)
	_, _, err = Load("svhn", dir)
	m := md5.Sum(b)
	if !errors.As(err, &ce) || ce.Algorithm != "md5" || ce.Got != hex.EncodeToString(m[:]) || ce.Want != svhnMD5["train_32x32.mat"] {
		t.Errorf("svhn: error %v, want an md5 mismatch with got %x", err, m)
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	writeIDXSet(t, dir, "mnist", 3, 2)
	bad := map[string][]byte{
		"bad magic":     append([]byte{0, 0, 0x0b, 3}, make([]byte, 12)...),
		"short payload": idxBytes([]int{2, 28, 28}, make([]byte, 28*28*2-1)),
		"label 10":      idxBytes([]int{3}, []byte{1, 10, 2}),
		"wrong dims":    idxBytes([]int{3, 784}, make([]byte, 3*784)),
	}
	for name, b := range bad {
		target := "mnist/train-images-idx3-ubyte"
		if name == "label 10" {
			target = "mnist/train-labels-idx1-ubyte"
		}
		writeFile(t, dir, target+".gz", gzipBytes(t, b))
		if _, _, err := skip(dir).Load("mnist"); err == nil {
			t.Errorf("%s: no error", name)
		}
		writeIDXSet(t, dir, "mnist", 3, 2) // restore
	}
	// Image and label counts that disagree.
	writeFile(t, dir, "mnist/t10k-labels-idx1-ubyte", idxBytes([]int{1}, []byte{4}))
	if _, _, err := skip(dir).Load("mnist"); err == nil || !strings.Contains(err.Error(), "1 labels but") {
		t.Errorf("count mismatch: error %v", err)
	}
	// A CIFAR file that is not a whole number of records.
	writeCIFAR(t, dir, 1, 1)
	writeFile(t, dir, cifarDir+"/test_batch.bin", make([]byte, 3073+5))
	if _, _, err := skip(dir).Load("cifar10"); err == nil || !strings.Contains(err.Error(), "3073-byte records") {
		t.Errorf("cifar partial record: error %v", err)
	}
	// An SVHN file with a label outside 1..10, and a truncated one.
	writeFile(t, dir, "svhn/train_32x32.mat", svhnMAT(t, []float64{3, 0}, true, false))
	writeFile(t, dir, "svhn/test_32x32.mat", svhnMAT(t, []float64{3}, true, false))
	if _, _, err := skip(dir).Load("svhn"); err == nil || !strings.Contains(err.Error(), "[1, 10]") {
		t.Errorf("svhn label 0: error %v", err)
	}
	good := svhnMAT(t, []float64{3, 4}, false, false)
	writeFile(t, dir, "svhn/train_32x32.mat", good[:len(good)-100])
	if _, _, err := skip(dir).Load("svhn"); err == nil {
		t.Errorf("truncated svhn: no error")
	}
}
