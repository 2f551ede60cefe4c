package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
)

// idxFiles are the four IDX base names shared by MNIST and Fashion-MNIST (train images/labels, test
// images/labels).
var idxFiles = [4]string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
	"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}

// idxSHA256 are the sha256 digests of the decompressed IDX files (data.md §3); Debian re-gzipped
// Fashion-MNIST, so the payload, not the .gz file, is what is verified.
var idxSHA256 = map[string]string{
	"mnist/train-images-idx3-ubyte":         "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
	"mnist/train-labels-idx1-ubyte":         "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
	"mnist/t10k-images-idx3-ubyte":          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
	"mnist/t10k-labels-idx1-ubyte":          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
	"fashion-mnist/train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
	"fashion-mnist/train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
	"fashion-mnist/t10k-images-idx3-ubyte":  "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
	"fashion-mnist/t10k-labels-idx1-ubyte":  "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

const idxObtain = "run: " + FetchCommand + " <data> (or bash scripts/setup.sh) from the repository root"

func mnistSource() Source {
	return Source{Name: "mnist", InputShape: [3]int{28, 28, 1}, NumClasses: 10, Files: idxFileList("mnist"),
		Obtain: idxObtain, Load: func(l Loader) (*Dataset, *Dataset, error) { return loadIDXSet(l, "mnist") }}
}

func fashionSource() Source {
	return Source{Name: "fashion-mnist", InputShape: [3]int{28, 28, 1}, NumClasses: 10,
		Files: idxFileList("fashion-mnist"), Obtain: idxObtain,
		Transform: Transform{CropPad: 4, Flip: true, Mean: []float32{0.5}, Std: []float32{0.5}},
		Load:      func(l Loader) (*Dataset, *Dataset, error) { return loadIDXSet(l, "fashion-mnist") }}
}

func idxFileList(name string) []string {
	var fs []string
	for _, f := range idxFiles {
		fs = append(fs, name+"/"+f+".gz")
	}
	return fs
}

// loadIDXSet reads the four IDX files of MNIST or Fashion-MNIST from l's folder, in parallel.
func loadIDXSet(l Loader, name string) (train, test *Dataset, err error) {
	var parts [4]idxArray
	var errs [4]error
	var wg sync.WaitGroup
	for i, base := range idxFiles {
		wg.Go(func() { parts[i], errs[i] = readIDXFile(l, name, base) })
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, nil, e
		}
	}
	if train, err = idxDataset(name, parts[0], parts[1]); err != nil {
		return nil, nil, err
	}
	if test, err = idxDataset(name, parts[2], parts[3]); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// idxArray is a parsed IDX file: its dimensions and its uint8 payload.
type idxArray struct {
	path    string
	dims    []int
	payload []byte
}

// readIDXFile finds dir/name/base(.gz), reads and decompresses it, verifies the payload and parses it.
func readIDXFile(l Loader, name, base string) (idxArray, error) {
	rel := name + "/" + base
	// The decompressed file, when present (scripts/fetch-data.sh writes one next to each .gz), loads in a
	// fraction of the time: gunzip is most of the time of loading MNIST. Both verify by the payload's sha256.
	path, err := findFile(name, l.hint(idxObtain), l.path(rel), l.path(rel+".gz"))
	if err != nil {
		return idxArray{}, err
	}
	b, err := readMaybeGzip(path)
	if err != nil {
		return idxArray{}, fmt.Errorf("data: %s: %w", name, err)
	}
	if err := l.check(path, "sha256", "decompressed IDX payload", idxSHA256[rel], b); err != nil {
		return idxArray{}, err
	}
	dims, payload, err := parseIDX(b)
	if err != nil {
		return idxArray{}, fmt.Errorf("data: %s: %s: %w", name, path, err)
	}
	return idxArray{path: path, dims: dims, payload: payload}, nil
}

// readMaybeGzip returns the content of path, decompressed if it starts with the gzip magic bytes.
func readMaybeGzip(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// The gzip trailer holds the uncompressed size (mod 2³²): use it to allocate once.
	hint := int(binary.LittleEndian.Uint32(raw[len(raw)-4:]))
	buf := bytes.NewBuffer(makeLarge[byte](min(hint, 1<<30) + bytes.MinRead)[:0])
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("%s: decompressing: %w", path, err)
	}
	return buf.Bytes(), nil
}

// parseIDX parses an IDX file holding unsigned bytes: a big-endian magic 0x000008NN (NN = number of
// dimensions), NN big-endian uint32 dimensions, then the payload, whose size must match exactly.
func parseIDX(b []byte) (dims []int, payload []byte, err error) {
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("IDX file too short (%d bytes)", len(b))
	}
	if b[0] != 0 || b[1] != 0 || b[2] != 0x08 {
		return nil, nil, fmt.Errorf("not an unsigned-byte IDX file: magic %#08x, want 0x000008NN",
			binary.BigEndian.Uint32(b))
	}
	nd := int(b[3])
	if nd < 1 || len(b) < 4+4*nd {
		return nil, nil, fmt.Errorf("bad IDX header: %d dimensions in a %d-byte file", nd, len(b))
	}
	size := 1
	for i := range nd {
		d := int(binary.BigEndian.Uint32(b[4+4*i:]))
		dims = append(dims, d)
		if d > 0 && size > (1<<40)/d {
			return nil, nil, fmt.Errorf("IDX dimensions %v too large", dims)
		}
		size *= d
	}
	payload = b[4+4*nd:]
	if len(payload) != size {
		return nil, nil, fmt.Errorf("IDX payload is %d bytes, dimensions %v need %d", len(payload), dims, size)
	}
	return dims, payload, nil
}

// idxDataset combines an images file (N×H×W) and a labels file (N) into a Dataset with 10 classes.
func idxDataset(name string, images, labels idxArray) (*Dataset, error) {
	if len(images.dims) != 3 {
		return nil, fmt.Errorf("data: %s: %s: images have dimensions %v, want 3 (N×H×W, magic 0x00000803)",
			name, images.path, images.dims)
	}
	if len(labels.dims) != 1 {
		return nil, fmt.Errorf("data: %s: %s: labels have dimensions %v, want 1 (N, magic 0x00000801)",
			name, labels.path, labels.dims)
	}
	n, h, w := images.dims[0], images.dims[1], images.dims[2]
	if labels.dims[0] != n {
		return nil, fmt.Errorf("data: %s: %s has %d labels but %s has %d images",
			name, labels.path, labels.dims[0], images.path, n)
	}
	d := &Dataset{Name: name, N: n, H: h, W: w, C: 1, NumClasses: 10,
		Images: makeLarge[float32](len(images.payload)), Labels: make([]int32, n)}
	bytesToFloats(d.Images, images.payload)
	for i, v := range labels.payload {
		if v >= 10 {
			return nil, fmt.Errorf("data: %s: %s: label %d of example %d is outside [0, 10)", name, labels.path, v, i)
		}
		d.Labels[i] = int32(v)
	}
	return d, nil
}
