//go:build !linux

package data

// adviseHugePages does nothing outside Linux.
func adviseHugePages([]byte) {}
