package data

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestReadMATBigEndian(t *testing.T) {
	for _, compress := range []bool{false, true} {
		b := svhnMATOrder(t, binary.BigEndian, []float64{2, 10, 7}, compress, false)
		if string(b[126:128]) != "MI" {
			t.Fatalf("fixture endian indicator %q", b[126:128])
		}
		vars, err := readMAT(bytes.NewReader(b), "X", "y")
		if err != nil {
			t.Fatal(err)
		}
		d, err := svhnDataset(vars["X"], vars["y"])
		if err != nil {
			t.Fatal(err)
		}
		if d.Labels[0] != 2 || d.Labels[1] != 0 || d.Labels[2] != 7 {
			t.Errorf("compress=%v: labels %v, want [2 0 7]", compress, d.Labels)
		}
		wantPixel(t, d, 2, 17, 4, 2, 2)
	}
}

func TestReadMATNumericTypes(t *testing.T) {
	// y stored as int16 and as single inside a double array, both decoded to the same values.
	for _, tc := range []struct {
		typ  uint32
		data []byte
	}{
		{miINT16, []byte{3, 0, 0xfe, 0xff}},                 // 3, −2 (little-endian)
		{miSINGLE, []byte{0, 0, 0x40, 0x40, 0, 0, 0, 0xc0}}, // 3.0, −2.0
		{miINT32, []byte{3, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff}},
	} {
		w := newMATWriter(binary.LittleEndian)
		w.add(t, w.matrix(mxDOUBLE, []int{2, 1}, "v", tc.typ, tc.data), false)
		vars, err := readMAT(bytes.NewReader(w.buf.Bytes()), "v")
		if err != nil {
			t.Fatal(err)
		}
		v := vars["v"]
		if v.len() != 2 || v.at(0) != 3 || v.at(1) != -2 {
			t.Errorf("type %d: got len %d values %v %v, want 3 −2", tc.typ, v.len(), v.at(0), v.at(1))
		}
	}
}

func TestReadMATErrors(t *testing.T) {
	w := newMATWriter(binary.LittleEndian)
	w.add(t, w.matrix(mxDOUBLE, []int{1, 1}, "a", miUINT8, []byte{1}), true)
	good := w.buf.Bytes()

	v73 := bytes.Clone(good)
	copy(v73, "MATLAB 7.3 MAT-file")
	binary.LittleEndian.PutUint16(v73[124:], 0x0200)
	complexVar := newMATWriter(binary.LittleEndian)
	m := complexVar.matrix(mxDOUBLE, []int{1, 1}, "a", miUINT8, []byte{1})
	m[8+8+1] |= 0x08 // the complex bit 0x0800 of the little-endian array flags word
	complexVar.add(t, m, false)

	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"not a MAT-file":   {bytes.Repeat([]byte{'x'}, 200), "not a MATLAB level-5"},
		"v7.3 (HDF5)":      {v73, "v7.3"},
		"missing variable": {good, `no variable "b"`},
		"truncated":        {good[:len(good)-3], ""},
		"complex":          {complexVar.buf.Bytes(), "only real numeric"},
		"short header":     {good[:60], "header"},
	} {
		want := "b"
		if name == "complex" {
			want = "a"
		}
		_, err := readMAT(bytes.NewReader(tc.b), want)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, tc.want)
		}
	}
}
