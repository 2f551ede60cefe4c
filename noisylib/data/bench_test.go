package data

import "testing"

func BenchmarkLoadMNIST(b *testing.B) {
	for b.Loop() {
		if _, _, err := Load("mnist", Dir()); err != nil {
			b.Skip(err)
		}
	}
}
