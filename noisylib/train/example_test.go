package train_test

import (
	"fmt"
	"io"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// stripes returns n synthetic 28×28 grey images of 10 classes: class k is a bright horizontal band at rows
// 2k…2k+2 on a dim background, a problem the MLP learns in a few epochs. It stands in for MNIST so that the
// example runs anywhere in a second.
func stripes(n int) *data.Dataset {
	d := &data.Dataset{Name: "stripes", N: n, H: 28, W: 28, C: 1, NumClasses: 10,
		Images: make([]float32, n*28*28), Labels: make([]int32, n)}
	for i := range n {
		k := i % 10
		d.Labels[i] = int32(k)
		img := d.Images[i*784 : (i+1)*784]
		for p := range img {
			img[p] = float32((p*7+i*13)%17) / 64 // dim, deterministic texture
		}
		for row := 2 * k; row < 2*k+3; row++ {
			for col := range 28 {
				img[row*28+col] = 1
			}
		}
	}
	return d
}

// Fit trains a model with additive noise at one site and evaluates it with the same noise.
func ExampleFit() {
	b, err := backend.New() // the pure-Go backend unless $GOMLX_BACKEND says otherwise
	if err != nil {
		panic(err)
	}
	m, err := models.New("mlp-tfc-bn", models.MNIST) // 28×28×1 input, 10 classes, 11 sites
	if err != nil {
		panic(err)
	}
	trainSet, testSet := stripes(1280), stripes(200) // or: data.LoadN("mnist", data.Dir(), 0, 0)
	res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: 3, Seed: 42, LR: 1e-2,
		Noise:    noise.At(4, noise.Add(0.5)), // σ = 0.5 at site 4:fc2, in training and evaluation
		Progress: io.Discard})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Model, res.Noise, "epochs:", len(res.Epochs))
	fmt.Println("noisy test accuracy above 90%:", res.NoisyAcc > 90)
	// Output:
	// mlp-tfc-bn site 4: add σ=0.5 epochs: 3
	// noisy test accuracy above 90%: true
}
