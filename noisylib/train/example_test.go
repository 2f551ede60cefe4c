package train_test

import (
	"fmt"
	"io"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

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
	// A small synthetic MNIST-shaped data set; real runs use data.LoadN("mnist", data.Dir(), 0, 0).
	trainSet, testSet := datatest.Stripes(1280), datatest.Stripes(200)
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
