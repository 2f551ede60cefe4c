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

// A ramp over K = 2 epochs and an overshoot over K = 1 epoch, as multiples of σ_train per epoch; Options.Schedule
// takes either (Fit(b, m, trainSet, testSet, train.Options{Epochs: 4, Noise: …, Schedule: ramp})).
func ExampleSchedule() {
	ramp := train.Schedule{Kind: train.Ramp, Epochs: 2}
	overshoot := train.Schedule{Kind: train.Overshoot, Epochs: 1}
	for e := range 4 {
		fmt.Printf("epoch %d: %s ×%g, %s ×%g\n", e, ramp, ramp.Factor(e), overshoot, overshoot.Factor(e))
	}
	fmt.Println(ramp.Validate(2)) // a 2-epoch training never reaches σ_train under this ramp
	// Output:
	// epoch 0: ramp K=2 ×0, overshoot K=1 ×0
	// epoch 1: ramp K=2 ×0.5, overshoot K=1 ×1.5
	// epoch 2: ramp K=2 ×1, overshoot K=1 ×1
	// epoch 3: ramp K=2 ×1, overshoot K=1 ×1
	// noise schedule ramp over K = 2 epochs needs a training of at least 3 epochs (it has 2), so that its last epoch trains at σ_train: train longer or shorten K
}
