package catalogue_test

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/catalogue"
)

// Build one experiment's plan and see its size.
func Example() {
	e, err := catalogue.Lookup("gsc2/cnn-s-bn/layerwise-add")
	if err != nil {
		panic(err)
	}
	plan, err := e.Plan("paper")
	if err != nil {
		panic(err)
	}
	fmt.Println(len(plan.Points), plan.Spec.Reps, plan.Spec.Epochs, plan.Spec.BatchSize, len(plan.Spec.Sigmas))
	fmt.Println(catalogue.Estimate(plan) > 0)
	// Output:
	// 3237 3 150 512 49
	// true
}
