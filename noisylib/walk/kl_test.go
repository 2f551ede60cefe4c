package walk

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestKLCurves: an inference walk stores each point's KL sensitivity; the reader returns it per site and
// repetition, positive and growing with σ, still growing where the accuracy has reached chance.
func TestKLCurves(t *testing.T) {
	needMNIST(t)
	r, st := newRunner(t)
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2000, TestN: 500},
		Modes: []Mode{Inference}, Noise: noise.Additive, Sites: []int{0, 10}, Sigmas: []float64{0.1, 1, 10, 1000, 1e5}, Reps: 2, BaseSeed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	kl, err := KLCurves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	curves, err := Curves(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(kl) != 2 || kl[0].Name != "0:input" || kl[1].Name != "10:logits" {
		t.Fatalf("KL curves %+v: want sites 0:input and 10:logits", kl)
	}
	for i, c := range kl {
		for rep := range 2 {
			for k := 1; k < len(c.Sigmas); k++ {
				a, b := c.KL[k-1][rep], c.KL[k][rep]
				if !(a > 0 && b > a) {
					t.Errorf("%s rep %d: KL %g at σ=%g, %g at σ=%g: want positive and growing", c.Name, rep, a, c.Sigmas[k-1], b, c.Sigmas[k])
				}
			}
		}
		acc := curves[i].Curve.Mean()
		last := len(acc) - 1
		if math.Abs(acc[last]-acc[last-1]) < 3 && !(c.Mean()[last] > 2*c.Mean()[last-1]) {
			t.Errorf("%s: accuracy flat at %v but KL %v does not keep growing", c.Name, acc[last-1:], c.Mean()[last-1:])
		}
		if v, ok := c.At(1); !ok || len(v) != 2 {
			t.Errorf("%s: At(1) = %v, %v", c.Name, v, ok)
		}
	}
	training := *p
	training.Spec.Modes = []Mode{Training}
	if _, err := KLCurves(st, &training); err == nil {
		t.Error("KLCurves of a plan without inference: want an error")
	}
}
