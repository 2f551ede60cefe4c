// Package datatest gives tests the real data sets: they fail under CI (where scripts/setup.sh fetched
// them) and skip elsewhere when the files are missing.
//
//	train, test := datatest.Load(t, "mnist")
package datatest

import (
	"os"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
)

// Load loads the named data set from data.Dir(). If it is missing it fails the test when $CI is set and skips
// it otherwise, naming the fetch command.
func Load(t testing.TB, name string) (train, test *data.Dataset) {
	t.Helper()
	train, test, err := data.Load(name, data.Dir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not available (run bash scripts/fetch-data.sh): %v", name, err)
	}
	return train, test
}
