package data

import "syscall"

// adviseHugePages asks Linux to back b with transparent huge pages (madvise MADV_HUGEPAGE). It is advice: an
// error (e.g. a kernel without THP) changes nothing but speed and is ignored.
func adviseHugePages(b []byte) { _ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) }
