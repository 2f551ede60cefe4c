package data

import (
	"fmt"
	"sync"
)

// Dataset is a labelled data set held in memory.
//
// Images are stored example by example in N×H×W×C order (channels last): for the image data sets raw pixel
// values scaled to [0, 1] (byte/255), with no normalisation at load time (see [Transform] for that); for GSC2
// the MFCC features (H = 10 coefficients × W = 49 frames, C = 1, see MFCC).
type Dataset struct {
	// Name is the registry name of the data set, e.g. "mnist" or "cifar10".
	Name string
	// Images holds N·H·W·C pixel values; example i starts at i·H·W·C.
	Images []float32
	// Labels holds the N class indices, each in [0, NumClasses).
	Labels []int32
	// N is the number of examples.
	N int
	// H is the image height in pixels.
	H int
	// W is the image width in pixels.
	W int
	// C is the number of channels (1 for grey-scale, 3 for RGB).
	C int
	// NumClasses is the number of classes.
	NumClasses int
	// ClassWeights, if set, are the per-class weights of the reference's weighted cross-entropy for this data
	// set (GSC2, see GSC2ClassWeights); nil means the plain mean cross-entropy.
	ClassWeights []float32
}

// Chance returns the chance accuracy in percent, 100/NumClasses: the a_min of the midpoint (method.md §5.4).
func (d Dataset) Chance() float64 { return Chance(d.NumClasses) }

// Chance returns the chance accuracy in percent of a task with the given number of classes, 100/classes.
func Chance(classes int) float64 { return 100 / float64(classes) }

// Len returns the number of examples.
func (d Dataset) Len() int { return d.N }

// InputShape returns the shape of one example as (H, W, C).
func (d Dataset) InputShape() [3]int { return [3]int{d.H, d.W, d.C} }

// ExampleSize returns the number of values of one example, H·W·C.
func (d Dataset) ExampleSize() int { return d.H * d.W * d.C }

// Example returns the pixels (H·W·C values, a view into Images, not a copy) and the label of example i.
// Like slice indexing, it panics if i is not in [0, Len()).
func (d Dataset) Example(i int) ([]float32, int32) {
	if i < 0 || i >= d.N {
		panic(fmt.Sprintf("data: %s: example index %d out of range [0, %d)", d.Name, i, d.N))
	}
	sz := d.ExampleSize()
	return d.Images[i*sz : (i+1)*sz : (i+1)*sz], d.Labels[i]
}

// Subset returns a new data set holding copies of the first n examples, so that changing either data set
// does not affect the other. n is clamped to [0, Len()].
func (d Dataset) Subset(n int) *Dataset {
	n = max(0, min(n, d.N))
	sz := d.ExampleSize()
	s := d
	s.N = n
	s.Images = makeLarge[float32](n * sz)
	copy(s.Images, d.Images[:n*sz])
	s.Labels = append([]int32(nil), d.Labels[:n]...)
	return &s
}

// Validate checks that the fields are consistent: positive sizes, slice lengths matching N·H·W·C and N,
// and every label in [0, NumClasses).
func (d Dataset) Validate() error {
	if d.N < 0 || d.H <= 0 || d.W <= 0 || d.C <= 0 || d.NumClasses <= 0 {
		return fmt.Errorf("data: %s: invalid sizes N=%d H=%d W=%d C=%d NumClasses=%d (need N ≥ 0, the rest ≥ 1)",
			d.Name, d.N, d.H, d.W, d.C, d.NumClasses)
	}
	if len(d.Images) != d.N*d.ExampleSize() {
		return fmt.Errorf("data: %s: len(Images) = %d, want N·H·W·C = %d·%d·%d·%d = %d",
			d.Name, len(d.Images), d.N, d.H, d.W, d.C, d.N*d.ExampleSize())
	}
	if len(d.Labels) != d.N {
		return fmt.Errorf("data: %s: len(Labels) = %d, want N = %d", d.Name, len(d.Labels), d.N)
	}
	for i, l := range d.Labels {
		if l < 0 || int(l) >= d.NumClasses {
			return fmt.Errorf("data: %s: label %d of example %d is outside [0, %d)", d.Name, l, i, d.NumClasses)
		}
	}
	return nil
}

// ClassCounts returns how many examples each class has.
func (d Dataset) ClassCounts() []int {
	counts := make([]int, max(d.NumClasses, 0))
	for _, l := range d.Labels {
		if l >= 0 && int(l) < len(counts) {
			counts[l]++
		}
	}
	return counts
}

// byteScale maps a pixel byte b to float32(b)/255, the value torchvision's ToTensor produces.
var byteScale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// bytesToFloats sets dst[i] = src[i]/255 for all i (dst must be at least as long as src), splitting large
// inputs across goroutines.
func bytesToFloats(dst []float32, src []byte) {
	const chunk = 1 << 22
	if len(src) <= chunk {
		convertBytes(dst, src)
		return
	}
	var wg sync.WaitGroup
	for start := 0; start < len(src); start += chunk {
		end := min(start+chunk, len(src))
		wg.Go(func() { convertBytes(dst[start:end], src[start:end]) })
	}
	wg.Wait()
}

// convertBytes is the serial loop of bytesToFloats.
func convertBytes(dst []float32, src []byte) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = byteScale[v]
	}
}
