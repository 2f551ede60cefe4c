package data

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Writers of tiny files in the true on-disk formats, written from the format specifications (not from the
// readers) so that the loaders are tested against independent encoders.

// pixelByte is the fixture pixel value of example n at (row, col, channel).
func pixelByte(n, r, c, ch int) byte { return byte((r*7 + c*3 + ch*50 + n*11) % 256) }

// writeFile writes b to dir/rel, creating folders.
func writeFile(t *testing.T, dir, rel string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// idxBytes encodes an unsigned-byte IDX file: magic 0x000008NN, big-endian dims, payload.
func idxBytes(dims []int, payload []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		_ = binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(payload)
	return b.Bytes()
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// idxImages returns the 28×28 image payload of n fixture examples and their labels (n*3+1) % 10.
func idxImages(n int) (images, labels []byte) {
	for k := range n {
		for r := range 28 {
			for c := range 28 {
				images = append(images, pixelByte(k, r, c, 0))
			}
		}
		labels = append(labels, byte((k*3+1)%10))
	}
	return images, labels
}

// writeIDXSet writes a 28×28 IDX set of nTrain/nTest examples to dir/name: train files gzipped, test raw.
// It returns the payloads (decompressed files) by base name.
func writeIDXSet(t *testing.T, dir, name string, nTrain, nTest int) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	trI, trL := idxImages(nTrain)
	teI, teL := idxImages(nTest)
	files["train-images-idx3-ubyte"] = idxBytes([]int{nTrain, 28, 28}, trI)
	files["train-labels-idx1-ubyte"] = idxBytes([]int{nTrain}, trL)
	files["t10k-images-idx3-ubyte"] = idxBytes([]int{nTest, 28, 28}, teI)
	files["t10k-labels-idx1-ubyte"] = idxBytes([]int{nTest}, teL)
	for base, b := range files {
		if base[:5] == "train" {
			writeFile(t, dir, name+"/"+base+".gz", gzipBytes(t, b))
		} else {
			writeFile(t, dir, name+"/"+base, b)
		}
	}
	return files
}

// cifarLabel is the label of record k of batch file f in the fixtures.
func cifarLabel(f, k int) byte { return byte((f*5 + k*3) % 10) }

// cifarBytes encodes n CIFAR-10 records of batch file f: label byte, then the R, G, B 32×32 planes.
func cifarBytes(f, n int) []byte {
	var b []byte
	for k := range n {
		b = append(b, cifarLabel(f, k))
		for ch := range 3 {
			for r := range 32 {
				for c := range 32 {
					b = append(b, pixelByte(f*100+k, r, c, ch))
				}
			}
		}
	}
	return b
}

// writeCIFAR writes data_batch_1..5 (perBatch records each) and test_batch (nTest records).
func writeCIFAR(t *testing.T, dir string, perBatch, nTest int) {
	t.Helper()
	for f := 1; f <= 5; f++ {
		writeFile(t, dir, cifarDir+"/data_batch_"+string(rune('0'+f))+".bin", cifarBytes(f, perBatch))
	}
	writeFile(t, dir, cifarDir+"/test_batch.bin", cifarBytes(0, nTest))
}

// matWriter builds a MATLAB level-5 MAT-file in byte order o from the format description.
type matWriter struct {
	buf bytes.Buffer
	o   binary.ByteOrder
}

func newMATWriter(o binary.ByteOrder) *matWriter {
	w := &matWriter{o: o}
	text := make([]byte, 116)
	copy(text, "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: test fixture")
	for i := len("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: test fixture"); i < 116; i++ {
		text[i] = ' '
	}
	w.buf.Write(text)
	w.buf.Write(make([]byte, 8)) // subsystem data offset
	_ = binary.Write(&w.buf, o, uint16(0x0100))
	_ = binary.Write(&w.buf, o, uint16('M')<<8|'I') // reads "IM" little-endian, "MI" big-endian
	return w
}

// element encodes one data element (tag + data + padding to 8 bytes), in the small format when possible.
func (w *matWriter) element(typ uint32, data []byte) []byte {
	var b bytes.Buffer
	if len(data) <= 4 && len(data) > 0 {
		_ = binary.Write(&b, w.o, uint32(len(data))<<16|typ)
		b.Write(data)
		b.Write(make([]byte, 4-len(data)))
		return b.Bytes()
	}
	_ = binary.Write(&b, w.o, typ)
	_ = binary.Write(&b, w.o, uint32(len(data)))
	b.Write(data)
	b.Write(make([]byte, (8-len(data)%8)%8))
	return b.Bytes()
}

// matrix encodes a miMATRIX element of a real array: flags, dims, name, real part (storage type typ).
func (w *matWriter) matrix(class uint8, dims []int, name string, typ uint32, data []byte) []byte {
	var body bytes.Buffer
	flags := make([]byte, 8)
	w.o.PutUint32(flags, uint32(class))
	body.Write(w.element(miUINT32, flags))
	dimBytes := make([]byte, 4*len(dims))
	for i, d := range dims {
		w.o.PutUint32(dimBytes[4*i:], uint32(d))
	}
	body.Write(w.element(miINT32, dimBytes))
	body.Write(w.element(miINT8, []byte(name)))
	body.Write(w.element(typ, data))
	return w.element(miMATRIX, body.Bytes())
}

// add appends a variable, zlib-compressed inside a miCOMPRESSED element if compress is set.
func (w *matWriter) add(t *testing.T, elem []byte, compress bool) {
	t.Helper()
	if !compress {
		w.buf.Write(elem)
		return
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(elem); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_ = binary.Write(&w.buf, w.o, uint32(miCOMPRESSED))
	_ = binary.Write(&w.buf, w.o, uint32(z.Len()))
	w.buf.Write(z.Bytes()) // compressed elements are not padded
}

// svhnMAT encodes an SVHN-style file: a char variable to skip, X (32×32×3×n uint8, column-major) and y
// (n×1 labels, class double stored as doubles or, as MATLAB often does, as bytes).
func svhnMAT(t *testing.T, labels []float64, compress, yAsBytes bool) []byte {
	return svhnMATOrder(t, binary.LittleEndian, labels, compress, yAsBytes)
}

// svhnMATOrder is svhnMAT in byte order o.
func svhnMATOrder(t *testing.T, o binary.ByteOrder, labels []float64, compress, yAsBytes bool) []byte {
	t.Helper()
	n := len(labels)
	w := newMATWriter(o)
	w.add(t, w.matrix(4 /* mxCHAR */, []int{1, 5}, "note", 16 /* miUTF8 */, []byte("hello")), compress)
	x := make([]byte, 32*32*3*n)
	for k := range n {
		for ch := range 3 {
			for c := range 32 {
				for r := range 32 {
					x[r+32*c+1024*ch+3072*k] = pixelByte(k, r, c, ch)
				}
			}
		}
	}
	w.add(t, w.matrix(9 /* mxUINT8 */, []int{32, 32, 3, n}, "X", miUINT8, x), compress)
	var y []byte
	typ := uint32(miDOUBLE)
	if yAsBytes {
		typ = miUINT8
		for _, v := range labels {
			y = append(y, byte(v))
		}
	} else {
		y = make([]byte, 8*n)
		for i, v := range labels {
			o.PutUint64(y[8*i:], math.Float64bits(v))
		}
	}
	w.add(t, w.matrix(mxDOUBLE, []int{n, 1}, "y", typ, y), compress)
	return w.buf.Bytes()
}
