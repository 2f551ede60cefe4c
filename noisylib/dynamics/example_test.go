package dynamics_test

import (
	"fmt"
	"io"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// A Tracker records, after every epoch, the weights, every parameter tensor, the sites' clean statistics and
// the two-level code of chosen sites, here under multiplicative noise of σ = 1e10 at site 4:fc2.
func ExampleTracker() {
	b, err := backend.New()
	if err != nil {
		panic(err)
	}
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		panic(err)
	}
	// A small synthetic MNIST-shaped data set; real runs use data.LoadN("mnist", data.Dir(), 0, 0).
	trainSet, testSet := datatest.Stripes(1280), datatest.Stripes(200)
	tk := &dynamics.Tracker{Test: testSet, CodeSites: []int{4}}
	res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: 2, Seed: 1, Progress: io.Discard,
		Noise: noise.At(4, noise.Mul(1e10)), OnEpoch: tk.Hook()})
	if err != nil {
		panic(err)
	}
	last := tk.Epochs[len(tk.Epochs)-1]
	c := last.Codes[0]
	fmt.Printf("%d epochs, %d parameter tensors, code measured at %s\n", len(tk.Epochs), len(last.Params), c.Name)
	fmt.Println("the code's accuracy is a percentage:", c.CodeAcc >= 0 && c.CodeAcc <= 100)
	_ = res // res.Trainer is the trained model, e.g. for dynamics.LayerSignCopyAccuracies(res.Trainer, testSet)
	// Output:
	// 2 epochs, 14 parameter tensors, code measured at 4:fc2
	// the code's accuracy is a percentage: true
}
