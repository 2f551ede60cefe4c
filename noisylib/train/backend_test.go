package train

import (
	"math"
	"slices"
	"testing"

	"github.com/gomlx/compute"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestTrainingBackendSameValues trains each model a few steps (batch 128, additive noise at one site, the
// same seed) on backend.Shared and on backend.SharedTraining, whose Go backend runs one worker per op, and
// requires the same losses and weights bit for bit: the training backend may change speed, not results.
func TestTrainingBackendSameValues(t *testing.T) {
	shared, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	training, err := backend.SharedTraining()
	if err != nil {
		t.Fatal(err)
	}
	if shared == training {
		t.Skipf("%s=%q: the training backend is the shared one", backend.EnvVar, backend.TrainingConfig(backend.DefaultConfig))
	}
	for _, c := range []struct{ name, site string }{{"mlp-tfc-bn", "fc2"}, {"lenet5-nobn", "conv1"}, {"lenet5-bn", "conv2"}} {
		t.Run(c.name, func(t *testing.T) {
			run := func(b compute.Backend) ([]float64, Checkpoint) {
				m, err := models.New(c.name, models.MNIST)
				if err != nil {
					t.Fatal(err)
				}
				site := slices.IndexFunc(m.Sites, func(s models.Site) bool { return s.Op == c.site })
				tr, err := NewTrainer(b, m, 7)
				if err != nil {
					t.Fatal(err)
				}
				if err := tr.SetNoise(noise.At(site, noise.Add(0.3))); err != nil {
					t.Fatal(err)
				}
				var losses []float64
				for step := range 3 {
					x, y := randomBatch(128, uint64(step+1))
					loss, _, err := tr.Step(x, y)
					if err != nil {
						t.Fatal(err)
					}
					losses = append(losses, loss)
				}
				ck, err := tr.Checkpoint()
				if err != nil {
					t.Fatal(err)
				}
				return losses, *ck
			}
			lossA, ckA := run(shared)
			lossB, ckB := run(training)
			if !slices.Equal(lossA, lossB) {
				t.Errorf("losses %v on %s, %v on the training backend", lossA, shared.Name(), lossB)
			}
			if len(ckA.Vars) == 0 || len(ckA.Vars) != len(ckB.Vars) {
				t.Fatalf("%d and %d variables", len(ckA.Vars), len(ckB.Vars))
			}
			for path, va := range ckA.Vars {
				vb := ckB.Vars[path]
				if len(va.Data) != len(vb.Data) {
					t.Fatalf("%s: %d and %d values", path, len(va.Data), len(vb.Data))
				}
				for i := range va.Data {
					if math.Float32bits(va.Data[i]) != math.Float32bits(vb.Data[i]) {
						t.Fatalf("%s[%d] = %g on %s, %g on the training backend", path, i, va.Data[i], shared.Name(), vb.Data[i])
					}
				}
			}
		})
	}
}
