package data

import (
	"fmt"
	"os"
)

// cifarSHA256 are the sha256 digests of the members of cifar-10-binary.tar.gz (data.md §6).
var cifarSHA256 = map[string]string{
	"data_batch_1.bin": "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5",
	"data_batch_2.bin": "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed",
	"data_batch_3.bin": "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67",
	"data_batch_4.bin": "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48",
	"data_batch_5.bin": "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add",
	"test_batch.bin":   "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b",
}

var (
	cifarTrainFiles = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
		"data_batch_5.bin"}
	cifarTestFiles = []string{"test_batch.bin"}
)

const (
	cifarDir    = "cifar10/cifar-10-batches-bin"
	cifarSide   = 32
	cifarRecord = 1 + 3*cifarSide*cifarSide
	cifarObtain = "no registry reachable here ships CIFAR-10: download cifar-10-binary.tar.gz (the binary " +
		"version, sha256 c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd) from " +
		"https://www.cs.toronto.edu/~kriz/cifar.html and extract it inside <data>/cifar10/, so that " +
		"<data>/cifar10/cifar-10-batches-bin/data_batch_1.bin exists"
)

// cifarMeanStd are the CIFAR-10 channel statistics the reference uses for CIFAR-10 and SVHN alike.
var cifarTransform = Transform{CropPad: 4, Flip: true,
	Mean: []float32{0.4914, 0.4822, 0.4465}, Std: []float32{0.2023, 0.1994, 0.2010}}

func cifar10Source() Source {
	var files []string
	for _, f := range append(append([]string(nil), cifarTrainFiles...), cifarTestFiles...) {
		files = append(files, cifarDir+"/"+f)
	}
	return Source{Name: "cifar10", InputShape: [3]int{32, 32, 3}, NumClasses: 10, Files: files,
		Obtain: cifarObtain, Transform: cifarTransform, Load: loadCIFAR10}
}

// loadCIFAR10 reads the five training batches and the test batch of the CIFAR-10 binary version.
func loadCIFAR10(l Loader) (train, test *Dataset, err error) {
	if train, err = readCIFARFiles(l, cifarTrainFiles); err != nil {
		return nil, nil, err
	}
	if test, err = readCIFARFiles(l, cifarTestFiles); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// readCIFARFiles concatenates the records of the given batch files into one Dataset.
func readCIFARFiles(l Loader, names []string) (*Dataset, error) {
	paths := make([]string, len(names))
	total := 0
	for i, f := range names {
		path, err := findFile("cifar10", l.hint(cifarObtain), l.path(cifarDir+"/"+f))
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("data: cifar10: %w", err)
		}
		if st.Size() == 0 || st.Size()%cifarRecord != 0 {
			return nil, fmt.Errorf("data: cifar10: %s is %d bytes, not a whole number of %d-byte records",
				path, st.Size(), cifarRecord)
		}
		paths[i] = path
		total += int(st.Size() / cifarRecord)
	}
	const size = cifarRecord - 1
	d := &Dataset{Name: "cifar10", N: total, H: cifarSide, W: cifarSide, C: 3, NumClasses: 10,
		Images: makeLarge[float32](total * size), Labels: make([]int32, total)}
	at := 0
	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("data: cifar10: %w", err)
		}
		if err := l.check(path, "sha256", "file", cifarSHA256[names[i]], b); err != nil {
			return nil, err
		}
		n := len(b) / cifarRecord
		if len(b)%cifarRecord != 0 || at+n > total {
			return nil, fmt.Errorf("data: cifar10: %s changed size while being read", path)
		}
		if err := decodeCIFAR(d.Images[at*size:(at+n)*size], d.Labels[at:at+n], b, path); err != nil {
			return nil, err
		}
		at += n
	}
	return d, nil
}

// decodeCIFAR converts records (1 label byte, then the 32×32 R, G and B planes, each row-major) to HWC
// float32 pixels in images and labels in labels.
func decodeCIFAR(images []float32, labels []int32, b []byte, path string) error {
	const plane = cifarSide * cifarSide
	for r := range labels {
		rec := b[r*cifarRecord : (r+1)*cifarRecord]
		if rec[0] >= 10 {
			return fmt.Errorf("data: cifar10: %s: label %d of record %d is outside [0, 10)", path, rec[0], r)
		}
		labels[r] = int32(rec[0])
		out := images[r*3*plane : (r+1)*3*plane]
		for ch := range 3 {
			for p, v := range rec[1+ch*plane : 1+(ch+1)*plane] {
				out[p*3+ch] = byteScale[v]
			}
		}
	}
	return nil
}
