package data

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestMakeLargeAdvisesHugePages: on Linux with transparent huge pages in "madvise" mode, the memory of a large
// slice from makeLarge lies in a mapping eligible for huge pages (/proc/self/smaps THPeligible: 1), and the
// slice is zeroed like make's. Under "always" every mapping is eligible and under "never" none can be: the
// advice is not observable there, and only the values are checked.
func TestMakeLargeAdvisesHugePages(t *testing.T) {
	s := makeLarge[float32](3 * hugePage) // 12 MiB
	if len(s) != 3*hugePage {
		t.Fatalf("len = %d, want %d", len(s), 3*hugePage)
	}
	for i, v := range s {
		if v != 0 {
			t.Fatalf("s[%d] = %v, want 0", i, v)
		}
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		t.Skipf("transparent huge pages not in madvise mode (%q, %v): the advice is not observable", mode, err)
	}
	// An address inside the slice's whole huge pages.
	p := (uintptr(unsafe.Pointer(&s[0])) + hugePage - 1) &^ (hugePage - 1)
	eligible, err := thpEligible(p)
	if err != nil {
		t.Fatal(err)
	}
	if !eligible {
		t.Errorf("the mapping holding %#x (inside a %d-byte makeLarge slice) is not eligible for huge pages", p, 4*len(s))
	}
	s[len(s)/2] = 1 // keep s alive until here
}

// thpEligible reports the THPeligible field of the /proc/self/smaps mapping that contains address p.
func thpEligible(p uintptr) (bool, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) > 0 && !strings.HasSuffix(fields[0], ":") { // a mapping's header: lo-hi perms offset …
			var lo, hi uintptr
			if _, err := fmt.Sscanf(fields[0], "%x-%x", &lo, &hi); err != nil {
				return false, fmt.Errorf("smaps header %q: %w", line, err)
			}
			in = lo <= p && p < hi
			continue
		}
		if in && strings.HasPrefix(line, "THPeligible:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "THPeligible:")) == "1", nil
		}
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	return false, fmt.Errorf("no mapping of /proc/self/smaps contains %#x", p)
}
