package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// TestWalkWeightsAndUnits runs `walkingnoise walk -weights -static` and `-unit rms` walks twice, into two
// stores that share the clean-model cache: the records are identical, and the stored points name their weight
// layer and unit.
func TestWalkWeightsAndUnits(t *testing.T) {
	needMNIST(t)
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	for _, extra := range [][]string{
		{"-weights", "-static", "-sites", "1,3", "-sigmas", "0.01,1"},
		{"-unit", "rms", "-sites", "3", "-sigmas", "0.1,1"},
	} {
		var got []map[string]float64
		for i := range 2 {
			store := filepath.Join(dir, strings.Join(extra[:2], "")+string(rune('a'+i))+".db")
			run(t, walkArgs(store, cache, extra...)...) // extra's -sites and -sigmas replace walkArgs' (the last wins)
			got = append(got, records(t, store))
			if i == 0 {
				st, err := results.Open(store)
				if err != nil {
					t.Fatal(err)
				}
				recs, err := st.List("")
				st.Close()
				if err != nil {
					t.Fatal(err)
				}
				want := `"weights":{"1":`
				if extra[0] == "-unit" {
					want = `"unit":"rms"`
				}
				found := false
				for _, r := range recs {
					found = found || strings.Contains(string(r.Config), want)
				}
				if !found {
					t.Errorf("walk %v: no stored point holds %s", extra, want)
				}
			}
		}
		sameRecords(t, strings.Join(extra, " "), got[1], got[0])
	}
}
