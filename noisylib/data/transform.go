package data

import (
	"fmt"
	"math/rand/v2"
)

// Transform is the per-example preprocessing of a data set, applied to H×W×C pixels in torchvision order:
// for training RandomCrop(H×W, padding CropPad, zero fill) → RandomHorizontalFlip(p = 0.5, if Flip) →
// Normalize(Mean, Std); for evaluation Normalize only. The zero value is the identity (MNIST).
//
// Padding happens before normalisation, as in torchvision: a padded pixel becomes (0 − mean)/std.
type Transform struct {
	// CropPad is the zero padding added on every side before a random H×W crop; 0 means no crop.
	CropPad int
	// Flip mirrors the image left-right with probability 0.5.
	Flip bool
	// Mean and Std are the per-channel normalisation (x − Mean[c]) / Std[c]; a single value applies to all
	// channels, and nil (both) means no normalisation.
	Mean, Std []float32
}

// Validate checks the transform against an image with c channels: CropPad ≥ 0, and Mean and Std both nil
// or both of length 1 or c, with every Std > 0.
func (t Transform) Validate(c int) error {
	if t.CropPad < 0 {
		return fmt.Errorf("data: Transform.CropPad = %d, want ≥ 0", t.CropPad)
	}
	if len(t.Mean) != len(t.Std) {
		return fmt.Errorf("data: Transform has %d means but %d standard deviations", len(t.Mean), len(t.Std))
	}
	if n := len(t.Mean); n != 0 && n != 1 && n != c {
		return fmt.Errorf("data: Transform has %d normalisation channels, the image has %d (want 1 or %d)", n, c, c)
	}
	for i, s := range t.Std {
		if !(s > 0) {
			return fmt.Errorf("data: Transform.Std[%d] = %v, want > 0", i, s)
		}
	}
	return nil
}

// IsIdentity reports whether the transform leaves every image unchanged, in training and evaluation.
func (t Transform) IsIdentity() bool { return t.CropPad == 0 && !t.Flip && len(t.Mean) == 0 }

// Train writes the training-time version of the image src (H×W×C) to dst (same size), drawing the crop
// offsets (top, then left, each uniform in [0, 2·CropPad]) and the flip (rng.Float64() < 0.5) from rng.
// rng is not used when the transform has no crop and no flip.
func (t Transform) Train(dst, src []float32, h, w, c int, rng *rand.Rand) error {
	top, left, flip := t.CropPad, t.CropPad, false
	if t.CropPad > 0 || t.Flip {
		if rng == nil {
			return fmt.Errorf("data: Transform.Train needs a random generator (got nil)")
		}
	}
	if t.CropPad > 0 {
		top, left = rng.IntN(2*t.CropPad+1), rng.IntN(2*t.CropPad+1)
	}
	if t.Flip {
		flip = rng.Float64() < 0.5
	}
	return t.Augment(dst, src, h, w, c, top, left, flip)
}

// Augment is Train with the random choices given: the crop window starts at (top, left) of the padded
// (H+2·CropPad)×(W+2·CropPad) image, each in [0, 2·CropPad], and flip mirrors the crop left-right.
// The result is then normalised.
func (t Transform) Augment(dst, src []float32, h, w, c, top, left int, flip bool) error {
	if err := t.check(dst, src, h, w, c); err != nil {
		return err
	}
	p := t.CropPad
	if top < 0 || top > 2*p || left < 0 || left > 2*p {
		return fmt.Errorf("data: crop offset (%d, %d) outside [0, %d]", top, left, 2*p)
	}
	if p == 0 && !flip { // the crop is the whole image
		copy(dst, src)
		t.normalize(dst, c)
		return nil
	}
	for y := range h {
		sy := top + y - p
		for x := range w {
			xx := x
			if flip {
				xx = w - 1 - x
			}
			sx := left + xx - p
			out := dst[(y*w+x)*c : (y*w+x+1)*c]
			if sy < 0 || sy >= h || sx < 0 || sx >= w {
				clear(out) // zero fill before normalisation
			} else {
				copy(out, src[(sy*w+sx)*c:(sy*w+sx+1)*c])
			}
		}
	}
	t.normalize(dst, c)
	return nil
}

// Eval writes the evaluation-time version of src (normalisation only) to dst; dst and src may be the same
// slice.
func (t Transform) Eval(dst, src []float32, h, w, c int) error {
	if err := t.check(dst, src, h, w, c); err != nil {
		return err
	}
	copy(dst, src)
	t.normalize(dst, c)
	return nil
}

// check validates the transform and the buffer sizes.
func (t Transform) check(dst, src []float32, h, w, c int) error {
	if err := t.Validate(c); err != nil {
		return err
	}
	if h <= 0 || w <= 0 || c <= 0 || len(src) != h*w*c || len(dst) != h*w*c {
		return fmt.Errorf("data: transform of a %d×%d×%d image needs src and dst of %d values, got %d and %d",
			h, w, c, h*w*c, len(src), len(dst))
	}
	return nil
}

// normalize applies (x − mean)/std in place to HWC pixels with c channels.
func (t Transform) normalize(px []float32, c int) {
	switch len(t.Mean) {
	case 0:
	case 1:
		m, s := t.Mean[0], t.Std[0]
		for i, v := range px {
			px[i] = (v - m) / s
		}
	default:
		for i := 0; i < len(px); i += c {
			for ch := range c {
				px[i+ch] = (px[i+ch] - t.Mean[ch]) / t.Std[ch]
			}
		}
	}
}
