package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// img3 is a 3×3×2 image: channel 0 holds 1..9 row by row (scaled by 0.1), channel 1 holds 10× that.
func img3() []float32 {
	var px []float32
	for v := 1; v <= 9; v++ {
		px = append(px, float32(v)/10, float32(v))
	}
	return px
}

// channel extracts channel ch of an HWC image as a flat row-major slice.
func channel(px []float32, c, ch int) []float32 {
	var out []float32
	for i := ch; i < len(px); i += c {
		out = append(out, px[i])
	}
	return out
}

func TestAugmentCropFlip(t *testing.T) {
	tf := Transform{CropPad: 1}
	// Padded channel-1 image (5×5):  0 0 0 0 0 / 0 1 2 3 0 / 0 4 5 6 0 / 0 7 8 9 0 / 0 0 0 0 0.
	cases := []struct {
		top, left int
		flip      bool
		want      []float32
	}{
		{1, 1, false, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}}, // centre: unchanged
		{0, 0, false, []float32{0, 0, 0, 0, 1, 2, 0, 4, 5}},
		{2, 1, false, []float32{4, 5, 6, 7, 8, 9, 0, 0, 0}},
		{2, 1, true, []float32{6, 5, 4, 9, 8, 7, 0, 0, 0}},
		{1, 2, false, []float32{2, 3, 0, 5, 6, 0, 8, 9, 0}},
		{1, 2, true, []float32{0, 3, 2, 0, 6, 5, 0, 9, 8}},
		{1, 1, true, []float32{3, 2, 1, 6, 5, 4, 9, 8, 7}},
	}
	for _, tc := range cases {
		dst := make([]float32, 18)
		if err := tf.Augment(dst, img3(), 3, 3, 2, tc.top, tc.left, tc.flip); err != nil {
			t.Fatal(err)
		}
		if got := channel(dst, 2, 1); !slices.Equal(got, tc.want) {
			t.Errorf("crop (%d,%d) flip %v: channel 1 = %v, want %v", tc.top, tc.left, tc.flip, got, tc.want)
		}
		for i := range 9 { // channel 0 moves with channel 1
			if math.Abs(float64(dst[2*i]*10-dst[2*i+1])) > 1e-5 {
				t.Errorf("crop (%d,%d): channels out of step at pixel %d: %v vs %v", tc.top, tc.left, i, dst[2*i], dst[2*i+1])
			}
		}
	}
	if err := tf.Augment(make([]float32, 18), img3(), 3, 3, 2, 3, 0, false); err == nil {
		t.Error("offset 3 > 2·CropPad accepted")
	}
}

// TestAugmentWithoutCrop: with no padding and no flip the crop is the whole image (the copy fast path); it
// equals the general path's centre crop (offset CropPad, no flip) and then normalises like Eval.
func TestAugmentWithoutCrop(t *testing.T) {
	for _, norm := range []Transform{{}, {Mean: []float32{0.5}, Std: []float32{2}},
		{Mean: []float32{0.1, 3}, Std: []float32{0.3, 7}}} {
		fast := norm
		padded := norm
		padded.CropPad = 1
		got, centre, eval := make([]float32, 18), make([]float32, 18), make([]float32, 18)
		if err := fast.Augment(got, img3(), 3, 3, 2, 0, 0, false); err != nil {
			t.Fatal(err)
		}
		if err := padded.Augment(centre, img3(), 3, 3, 2, 1, 1, false); err != nil {
			t.Fatal(err)
		}
		if err := norm.Eval(eval, img3(), 3, 3, 2); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, centre) || !slices.Equal(got, eval) {
			t.Errorf("transform %+v: whole-image Augment = %v, centre crop of the padded image = %v, Eval = %v",
				norm, got, centre, eval)
		}
	}
	if err := (Transform{}).Augment(make([]float32, 17), img3(), 3, 3, 2, 0, 0, false); err == nil {
		t.Error("a 17-value destination for an 18-value image was accepted")
	}
}

func TestNormalizeAfterPadding(t *testing.T) {
	// Fashion-MNIST: (x − 0.5)/0.5; a padded pixel becomes (0 − 0.5)/0.5 = −1.
	fm, err := TransformFor("fashion-mnist")
	if err != nil {
		t.Fatal(err)
	}
	src := []float32{0.25, 1, 0, 0.75} // 2×2×1
	dst := make([]float32, 4)
	if err := fm.Augment(dst, src, 2, 2, 1, 0, 0, false); err != nil { // window shifted up-left by 4: all padding
		t.Fatal(err)
	}
	if want := []float32{-1, -1, -1, -1}; !slices.Equal(dst, want) {
		t.Errorf("all-padding crop = %v, want %v", dst, want)
	}
	if err := fm.Eval(dst, src, 2, 2, 1); err != nil {
		t.Fatal(err)
	}
	if want := []float32{-0.5, 1, -1, 0.5}; !slices.Equal(dst, want) {
		t.Errorf("eval = %v, want %v", dst, want)
	}

	// CIFAR-10 / SVHN statistics, per channel.
	mean, std := []float64{0.4914, 0.4822, 0.4465}, []float64{0.2023, 0.1994, 0.2010}
	for _, name := range []string{"cifar10", "svhn"} {
		tf, _ := TransformFor(name)
		src := []float32{1, 0.5, 0, 1, 0.5, 0, 1, 0.5, 0, 1, 0.5, 0} // 2×2×3, the same pixel 4 times
		out := make([]float32, 12)
		if err := tf.Eval(out, src, 2, 2, 3); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			ch := i % 3
			want := (float64(src[i]) - mean[ch]) / std[ch]
			if math.Abs(float64(v)-want) > 1e-5 {
				t.Errorf("%s eval[%d] = %v, want %v", name, i, v, want)
			}
		}
		// Window at (0, 0) of the 4-padded 10×10 image: the 2×2 crop is all padding.
		if err := tf.Augment(out, src, 2, 2, 3, 0, 0, false); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			ch := i % 3
			if want := -mean[ch] / std[ch]; math.Abs(float64(v)-want) > 1e-5 {
				t.Errorf("%s padded[%d] = %v, want %v", name, i, v, want)
			}
		}
	}
	// MNIST: the identity.
	mn, _ := TransformFor("mnist")
	if !mn.IsIdentity() {
		t.Errorf("mnist transform %+v is not the identity", mn)
	}
}

func TestTrainDrawsFromRNG(t *testing.T) {
	tf := Transform{CropPad: 1, Flip: true, Mean: []float32{0.5}, Std: []float32{2}}
	rng, replay := rand.New(rand.NewPCG(7, 9)), rand.New(rand.NewPCG(7, 9))
	tops, flips := map[int]int{}, 0
	const trials = 2000
	for range trials {
		got, want := make([]float32, 18), make([]float32, 18)
		if err := tf.Train(got, img3(), 3, 3, 2, rng); err != nil {
			t.Fatal(err)
		}
		top, left, flip := replay.IntN(3), replay.IntN(3), replay.Float64() < 0.5
		if err := tf.Augment(want, img3(), 3, 3, 2, top, left, flip); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Train = %v, want Augment(top %d, left %d, flip %v) = %v", got, top, left, flip, want)
		}
		tops[top]++
		if flip {
			flips++
		}
	}
	// Uniform offsets and p = 0.5 flips: allow 5 standard deviations.
	for v := range 3 {
		if math.Abs(float64(tops[v])-trials/3.0) > 5*math.Sqrt(trials*(1/3.0)*(2/3.0)) {
			t.Errorf("offset %d drawn %d times of %d", v, tops[v], trials)
		}
	}
	if math.Abs(float64(flips)-trials/2.0) > 5*math.Sqrt(trials/4.0) {
		t.Errorf("%d flips in %d trials", flips, trials)
	}
}

func TestTransformValidate(t *testing.T) {
	bad := map[string]Transform{
		"negative pad":    {CropPad: -1},
		"mean/std counts": {Mean: []float32{0.5}},
		"channel count":   {Mean: []float32{0, 0}, Std: []float32{1, 1}},
		"zero std":        {Mean: []float32{0, 0, 0}, Std: []float32{1, 0, 1}},
		"NaN std":         {Mean: []float32{0}, Std: []float32{float32(math.NaN())}},
	}
	for name, tf := range bad {
		if err := tf.Validate(3); err == nil {
			t.Errorf("%s: %+v accepted", name, tf)
		}
	}
	if err := (Transform{CropPad: 4, Flip: true}).Train(make([]float32, 4), make([]float32, 4), 2, 2, 1, nil); err == nil ||
		!strings.Contains(err.Error(), "random generator") {
		t.Errorf("nil rng: error %v", err)
	}
	if err := (Transform{}).Eval(make([]float32, 3), make([]float32, 4), 2, 2, 1); err == nil {
		t.Error("size mismatch accepted")
	}
}
