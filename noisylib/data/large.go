package data

import "unsafe"

// hugePage is the size of a transparent huge page on x86-64 and arm64 Linux (2 MiB).
const hugePage = 2 << 20

// makeLarge returns make([]T, n). Where the OS supports it (Linux with transparent huge pages in "madvise" or
// "always" mode), the slice's memory is advised to be backed by huge pages before it is first written: a data
// set's arrays are hundreds of MB written once at load time, and faulting them in 4 KiB pages costs more than
// decoding them (a page fault per 1024 pixels). The values are those of make: only the paging changes.
func makeLarge[T any](n int) []T {
	s := make([]T, n)
	if size := uintptr(n) * unsafe.Sizeof(*new(T)); size >= 2*hugePage {
		// Only the whole huge pages inside the slice: the memory around it belongs to other objects.
		p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
		start, end := (p+hugePage-1)&^(hugePage-1), (p+size)&^(hugePage-1)
		if end > start {
			adviseHugePages(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), start-p)), end-start))
		}
	}
	return s
}
