package data

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// MAT-file (level 5) data types and array classes used by the reader.
const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15

	mxDOUBLE = 6
	mxUINT64 = 15
)

// matTypeSize is the byte size of each numeric MAT data type.
var matTypeSize = map[uint32]int{miINT8: 1, miUINT8: 1, miINT16: 2, miUINT16: 2, miINT32: 4, miUINT32: 4,
	miSINGLE: 4, miDOUBLE: 8, miINT64: 8, miUINT64: 8}

// matArray is a real numeric array read from a MAT-file. Its data is kept in the storage type of the file
// (MATLAB may store a double array as bytes), in column-major (MATLAB) order.
type matArray struct {
	name  string
	class uint8
	dims  []int
	dtype uint32
	data  []byte
	order binary.ByteOrder
}

// len returns the number of elements.
func (a matArray) len() int { return len(a.data) / matTypeSize[a.dtype] }

// at returns element i (column-major index) converted to float64.
func (a matArray) at(i int) float64 {
	o, b := a.order, a.data
	switch a.dtype {
	case miINT8:
		return float64(int8(b[i]))
	case miUINT8:
		return float64(b[i])
	case miINT16:
		return float64(int16(o.Uint16(b[2*i:])))
	case miUINT16:
		return float64(o.Uint16(b[2*i:]))
	case miINT32:
		return float64(int32(o.Uint32(b[4*i:])))
	case miUINT32:
		return float64(o.Uint32(b[4*i:]))
	case miSINGLE:
		return float64(math.Float32frombits(o.Uint32(b[4*i:])))
	case miDOUBLE:
		return math.Float64frombits(o.Uint64(b[8*i:]))
	case miINT64:
		return float64(int64(o.Uint64(b[8*i:])))
	default: // miUINT64
		return float64(o.Uint64(b[8*i:]))
	}
}

// readMAT reads the numeric variables named in want from a MATLAB level-5 MAT-file, supporting
// uncompressed (miMATRIX) and zlib-compressed (miCOMPRESSED) variables in either byte order. Other
// variables are skipped; a wanted variable that is not a real numeric array is an error.
func readMAT(r io.Reader, want ...string) (map[string]matArray, error) {
	var hdr [128]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("reading the 128-byte MAT-file header: %w", err)
	}
	var order binary.ByteOrder
	switch string(hdr[126:128]) {
	case "IM":
		order = binary.LittleEndian
	case "MI":
		order = binary.BigEndian
	default:
		return nil, fmt.Errorf("not a MATLAB level-5 MAT-file (endian indicator %q, want \"IM\" or \"MI\")", hdr[126:128])
	}
	if v := order.Uint16(hdr[124:]); v != 0x0100 {
		text := strings.TrimRight(string(hdr[:116]), " \x00")
		return nil, fmt.Errorf("unsupported MAT-file version %#04x (only level 5, 0x0100; v7.3 files are HDF5, "+
			"re-save them with MATLAB's -v7 or scipy.io.savemat): %q", v, text)
	}
	out := map[string]matArray{}
	for {
		var tag [8]byte
		if _, err := io.ReadFull(r, tag[:]); err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("reading a data element tag: %w", err)
		}
		typ, n := order.Uint32(tag[:]), int64(order.Uint32(tag[4:]))
		var body []byte
		var err error
		switch typ {
		case miMATRIX:
			body, err = readN(r, n)
		case miCOMPRESSED:
			body, err = readCompressed(r, n, order)
		default:
			if _, err := io.CopyN(io.Discard, r, n); err != nil {
				return nil, fmt.Errorf("skipping a %d-byte element of type %d: %w", n, typ, err)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		a, err := parseMatrix(body, order, want)
		if err != nil {
			return nil, err
		}
		if a != nil {
			out[a.name] = *a
		}
	}
	for _, w := range want {
		if _, ok := out[w]; !ok {
			return nil, fmt.Errorf("MAT-file has no variable %q", w)
		}
	}
	return out, nil
}

// readN reads exactly n bytes, growing the buffer as data arrives so a corrupt size cannot force a huge
// allocation up front.
func readN(r io.Reader, n int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(n, 64<<20)))
	if _, err := io.CopyN(&buf, r, n); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("reading a %d-byte data element: %w", n, err)
	}
	return buf.Bytes(), nil
}

// readCompressed inflates an n-byte miCOMPRESSED element, which must hold one miMATRIX element, and returns
// that element's body.
func readCompressed(r io.Reader, n int64, order binary.ByteOrder) ([]byte, error) {
	lr := io.LimitReader(r, n)
	zr, err := zlib.NewReader(lr)
	if err != nil {
		return nil, fmt.Errorf("miCOMPRESSED element: %w", err)
	}
	var tag [8]byte
	if _, err := io.ReadFull(zr, tag[:]); err != nil {
		return nil, fmt.Errorf("miCOMPRESSED element: reading the inner tag: %w", err)
	}
	if typ := order.Uint32(tag[:]); typ != miMATRIX {
		return nil, fmt.Errorf("miCOMPRESSED element holds a type-%d element, want miMATRIX (%d)", typ, miMATRIX)
	}
	body, err := readN(zr, int64(order.Uint32(tag[4:])))
	if err != nil {
		return nil, fmt.Errorf("miCOMPRESSED element: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("miCOMPRESSED element: %w", err)
	}
	if _, err := io.Copy(io.Discard, lr); err != nil { // skip any trailing bytes of the element
		return nil, fmt.Errorf("miCOMPRESSED element: %w", err)
	}
	return body, nil
}

// subElements iterates over the sub-elements of a miMATRIX body, handling the small-element format.
type subElements struct {
	b     []byte
	order binary.ByteOrder
}

// next returns the type and data of the next sub-element.
func (s *subElements) next() (uint32, []byte, error) {
	if len(s.b) < 8 {
		return 0, nil, errors.New("truncated miMATRIX element")
	}
	first := s.order.Uint32(s.b)
	if small := first >> 16; small != 0 { // small format: 2-byte size, 2-byte type, ≤ 4 data bytes
		if small > 4 {
			return 0, nil, fmt.Errorf("bad small data element size %d", small)
		}
		data := s.b[4 : 4+small]
		s.b = s.b[8:]
		return first & 0xffff, data, nil
	}
	n := int(s.order.Uint32(s.b[4:]))
	if n > len(s.b)-8 {
		return 0, nil, fmt.Errorf("sub-element of %d bytes overruns its miMATRIX element", n)
	}
	data := s.b[8 : 8+n]
	s.b = s.b[min(len(s.b), 8+(n+7)/8*8):]
	return first, data, nil
}

// parseMatrix parses a miMATRIX body. It returns nil for a variable not in want.
func parseMatrix(body []byte, order binary.ByteOrder, want []string) (*matArray, error) {
	s := &subElements{b: body, order: order}
	typ, flags, err := s.next()
	if err != nil || typ != miUINT32 || len(flags) != 8 {
		return nil, fmt.Errorf("miMATRIX element without array flags (type %d, %d bytes): %v", typ, len(flags), err)
	}
	class := uint8(order.Uint32(flags) & 0xff)
	complexFlag := order.Uint32(flags)&0x0800 != 0
	typ, dimsData, err := s.next()
	if err != nil || typ != miINT32 || len(dimsData)%4 != 0 {
		return nil, fmt.Errorf("miMATRIX element without dimensions (type %d): %v", typ, err)
	}
	a := &matArray{class: class, order: order}
	count := 1
	for i := 0; i < len(dimsData); i += 4 {
		d := int(int32(order.Uint32(dimsData[i:])))
		if d < 0 {
			return nil, fmt.Errorf("negative MAT array dimension %d", d)
		}
		a.dims = append(a.dims, d)
		count *= d
	}
	typ, name, err := s.next()
	if err != nil || typ != miINT8 {
		return nil, fmt.Errorf("miMATRIX element without a name (type %d): %v", typ, err)
	}
	a.name = string(name)
	wanted := false
	for _, w := range want {
		wanted = wanted || w == a.name
	}
	if !wanted {
		return nil, nil
	}
	if class < mxDOUBLE || class > mxUINT64 || complexFlag {
		return nil, fmt.Errorf("MAT variable %q has class %d (complex %v); only real numeric arrays are supported",
			a.name, class, complexFlag)
	}
	if a.dtype, a.data, err = s.next(); err != nil {
		return nil, fmt.Errorf("MAT variable %q: %w", a.name, err)
	}
	size, ok := matTypeSize[a.dtype]
	if !ok {
		return nil, fmt.Errorf("MAT variable %q: unsupported data type %d", a.name, a.dtype)
	}
	if len(a.data) != count*size {
		return nil, fmt.Errorf("MAT variable %q: %d data bytes, dimensions %v of type %d need %d",
			a.name, len(a.data), a.dims, a.dtype, count*size)
	}
	return a, nil
}
