package data

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"
)

// loadReal loads a data set shipped by scripts/fetch-data.sh from Dir(), verified. If its files are
// missing the test fails on CI (CI=true) and is skipped otherwise.
func loadReal(t *testing.T, name string) (train, test *Dataset) {
	t.Helper()
	start := time.Now()
	train, test, err := Load(name, Dir())
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI=true: the data must be present)", err)
		}
		t.Skipf("%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s loaded and verified in %v", name, time.Since(start))
	return train, test
}

// meanPixel returns the mean of all pixel values.
func meanPixel(d *Dataset) float64 {
	var s float64
	for _, v := range d.Images {
		s += float64(v)
	}
	return s / float64(len(d.Images))
}

// checkReal compares a real data set with the published facts (data.md §2).
func checkReal(t *testing.T, d *Dataset, n int, counts []int, first []int32, mean float64) {
	t.Helper()
	if d.N != n || d.InputShape() != [3]int{28, 28, 1} || d.NumClasses != 10 || len(d.Images) != n*784 {
		t.Fatalf("%s: N=%d shape %v classes %d, want %d×28×28×1 and 10", d.Name, d.N, d.InputShape(), d.NumClasses, n)
	}
	if got := d.ClassCounts(); !slices.Equal(got, counts) {
		t.Errorf("%s: class counts %v, want %v", d.Name, got, counts)
	}
	if got := d.Labels[:len(first)]; !slices.Equal(got, first) {
		t.Errorf("%s: first labels %v, want %v", d.Name, got, first)
	}
	if m := meanPixel(d); mean > 0 && (m < mean-5e-5 || m > mean+5e-5) {
		t.Errorf("%s: mean pixel %.5f, want %.4f", d.Name, m, mean)
	}
	lo, hi := slices.Min(d.Images), slices.Max(d.Images)
	if lo != 0 || hi != 1 {
		t.Errorf("%s: pixel range [%v, %v], want [0, 1]", d.Name, lo, hi)
	}
}

func TestRealMNIST(t *testing.T) {
	tr, te := loadReal(t, "mnist")
	checkReal(t, tr, 60000, []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
		[]int32{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, 0.1307)
	checkReal(t, te, 10000, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, nil, 0.1325)
}

func TestRealFashionMNIST(t *testing.T) {
	tr, te := loadReal(t, "fashion-mnist")
	checkReal(t, tr, 60000, slices.Repeat([]int{6000}, 10), []int32{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, 0.2860)
	checkReal(t, te, 10000, slices.Repeat([]int{1000}, 10), []int32{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, 0)
}
