package models_test

import (
	"slices"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// FuzzParseName feeds arbitrary model names to the one model-name parser and to New: no input may panic, and
// an accepted name is one of Names() (issue 14, fault 6: "lenet5" panicked the paper preset).
func FuzzParseName(f *testing.F) {
	for _, s := range append(models.Names(), "lenet5", "mlp-tfc", "cnn-s", "", "-", "bn", "lenet5-", "lenet5-nonoise",
		"LeNet5-bn", "mlp-tfc-bn-nonoise-bn", "mlp-tfc-bn\x00") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v, err := models.ParseName(name)
		if err != nil {
			if _, err2 := models.New(name, models.MNIST); err2 == nil {
				t.Fatalf("New accepts %q that ParseName refuses", name)
			}
			return
		}
		if !slices.Contains(models.Names(), name) {
			t.Fatalf("ParseName accepts %q (%+v), which is not among Names()", name, v)
		}
		for _, in := range []models.InputSpec{models.MNIST, models.CIFAR10, models.GSC2} {
			if m, err := models.New(name, in); err == nil && m.NumSites() == 0 {
				t.Fatalf("%s on %+v has no sites", name, in)
			}
		}
	})
}
