package data

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
)

// svhnMD5 are the md5 digests of the SVHN cropped-digit files (data.md §6; no sha256 is published).
var svhnMD5 = map[string]string{
	"train_32x32.mat": "e26dedcc434d2e4c54c9b2d4a06d8373",
	"test_32x32.mat":  "eb5a983be6a315427106f1b164d9cef3",
}

const svhnObtain = "no registry reachable here ships SVHN: download train_32x32.mat and test_32x32.mat " +
	"(format 2, cropped digits) from http://ufldl.stanford.edu/housenumbers/ and place them in <data>/svhn/"

func svhnSource() Source {
	return Source{Name: "svhn", InputShape: [3]int{32, 32, 3}, NumClasses: 10,
		Files: []string{"svhn/train_32x32.mat", "svhn/test_32x32.mat"}, Obtain: svhnObtain,
		Transform: cifarTransform, Load: loadSVHN}
}

// loadSVHN reads the train and test splits of SVHN (the "extra" split is not used by the reference).
func loadSVHN(l Loader) (train, test *Dataset, err error) {
	if train, err = readSVHNFile(l, "train_32x32.mat"); err != nil {
		return nil, nil, err
	}
	if test, err = readSVHNFile(l, "test_32x32.mat"); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// readSVHNFile reads one SVHN MAT-file, hashing it (md5) while it is parsed.
func readSVHNFile(l Loader, name string) (*Dataset, error) {
	path, err := findFile("svhn", l.hint(svhnObtain), l.path("svhn/"+name))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: svhn: %w", err)
	}
	defer f.Close()
	h := md5.New()
	r := io.TeeReader(bufio.NewReaderSize(f, 1<<20), h)
	vars, err := readMAT(r, "X", "y")
	if _, cerr := io.Copy(io.Discard, r); cerr != nil && err == nil { // hash the rest of the file
		err = cerr
	}
	// Check the hash first: a corrupt file is best reported as a checksum mismatch.
	if got := hex.EncodeToString(h.Sum(nil)); !l.SkipChecksums && got != svhnMD5[name] {
		return nil, &ChecksumError{Path: path, Algorithm: "md5", What: "file", Want: svhnMD5[name], Got: got}
	}
	if err != nil {
		return nil, fmt.Errorf("data: svhn: %s: %w", path, err)
	}
	d, err := svhnDataset(vars["X"], vars["y"])
	if err != nil {
		return nil, fmt.Errorf("data: svhn: %s: %w", path, err)
	}
	return d, nil
}

// svhnDataset converts X (32×32×3×N, column-major: X(row, col, channel, n)) to HWC pixels and y (N×1, digits
// 1..10 with 10 meaning 0) to labels.
func svhnDataset(x, y matArray) (*Dataset, error) {
	if len(x.dims) != 4 || x.dims[2] != 3 {
		return nil, fmt.Errorf("X has dimensions %v, want H×W×3×N", x.dims)
	}
	h, w, n := x.dims[0], x.dims[1], x.dims[3]
	if y.len() != n || len(y.dims) != 2 || (y.dims[0] != 1 && y.dims[1] != 1) {
		return nil, fmt.Errorf("y has dimensions %v, want %d×1 to match X's %d examples", y.dims, n, n)
	}
	d := &Dataset{Name: "svhn", N: n, H: h, W: w, C: 3, NumClasses: 10,
		Images: makeLarge[float32](n * h * w * 3), Labels: make([]int32, n)}
	for i := range n {
		v := y.at(i)
		if v != math.Trunc(v) || v < 1 || v > 10 {
			return nil, fmt.Errorf("label y(%d) = %v is not an integer in [1, 10]", i+1, v)
		}
		d.Labels[i] = int32(v) % 10 // SVHN stores the digit 0 as 10
	}
	plane := h * w
	for i := range n {
		out := d.Images[i*3*plane : (i+1)*3*plane]
		for ch := range 3 {
			base := (i*3 + ch) * plane
			for c := range w {
				for r := range h {
					k := base + c*h + r // column-major source index
					var px float32
					if x.dtype == miUINT8 {
						px = byteScale[x.data[k]]
					} else {
						v := x.at(k)
						if v < 0 || v > 255 {
							return nil, fmt.Errorf("pixel X(%d,%d,%d,%d) = %v is outside [0, 255]", r+1, c+1, ch+1, i+1, v)
						}
						px = float32(v) / 255
					}
					out[(r*w+c)*3+ch] = px
				}
			}
		}
	}
	return d, nil
}
