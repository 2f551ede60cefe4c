package datatest

import (
	"sync"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
)

// StripesName is the registry name of the synthetic data set that RegisterStripes adds.
const StripesName = "stripes"

// Stripes returns n synthetic 28×28×1 images of 10 classes, MNIST-shaped: class k is a bright horizontal
// band over rows 2k … 2k+2 on a dim deterministic texture, a problem the MLP-TFC and LeNet-5 models learn in a
// few epochs. It lets examples and tests train and walk real models anywhere in seconds.
func Stripes(n int) *data.Dataset {
	d := &data.Dataset{Name: StripesName, N: n, H: 28, W: 28, C: 1, NumClasses: 10,
		Images: make([]float32, n*28*28), Labels: make([]int32, n)}
	for i := range n {
		k := i % 10
		d.Labels[i] = int32(k)
		img := d.Images[i*784 : (i+1)*784]
		for p := range img {
			img[p] = float32((p*7+i*13)%17) / 64
		}
		for row := 2 * k; row < 2*k+3; row++ {
			for col := range 28 {
				img[row*28+col] = 1
			}
		}
	}
	return d
}

var registerOnce sync.Once

// RegisterStripes registers Stripes as the data set "stripes" (1 280 training and 200 test examples), once
// per process, so that plans, walks and the CLI code can name it like "mnist".
func RegisterStripes() {
	registerOnce.Do(func() {
		err := data.Register(data.Source{Name: StripesName, InputShape: [3]int{28, 28, 1}, NumClasses: 10,
			Obtain: "generated in memory by datatest.Stripes",
			Load: func(data.Loader) (train, test *data.Dataset, err error) {
				return Stripes(1280), Stripes(200), nil
			}})
		if err != nil {
			panic(err)
		}
	})
}
