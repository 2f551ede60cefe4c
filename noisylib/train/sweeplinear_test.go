package train

import (
	"math"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestLinearSweepMatchesDirect checks the linear-sweep shortcut (linearSweep) against the same sweep computed
// directly (noise added, then the layer): for additive, multiplicative and combined noise at sites followed by a
// Dense layer (the input, a ReLU, a pooling layer before Flatten), with shared and own seeds. The two agree up
// to float32 rounding: losses within 1e-5 relative and accuracies within one example in a thousand; where the
// shortcut does not apply (a site followed by a BatchNorm or a convolution) they are bit-identical.
func TestLinearSweepMatchesDirect(t *testing.T) {
	trainSet, testSet := mnist(t)
	trainSet, testSet = trainSet.Subset(3000), testSet.Subset(1500)
	cases := []struct {
		model    string
		shortcut bool
		cfg      func(s float64) noise.Config
	}{
		{"mlp-tfc-bn", true, func(s float64) noise.Config { return noise.At(0, noise.Add(s)) }},
		{"mlp-tfc-bn", true, func(s float64) noise.Config { return noise.At(3, noise.Mul(s/3)) }},
		{"mlp-tfc-bn", true, func(s float64) noise.Config { return noise.At(9, noise.Combine(s, 0.3)) }},
		{"mlp-tfc-bn", true, func(s float64) noise.Config { return noise.At(6, noise.Add(s)).With(8, noise.Mul(s/3)) }},
		{"mlp-tfc-bn", false, func(s float64) noise.Config { return noise.At(4, noise.Add(s)) }},
		{"lenet5-bn", true, func(s float64) noise.Config { return noise.At(8, noise.Add(s)) }},
		{"lenet5-bn", false, func(s float64) noise.Config { return noise.At(0, noise.Add(s)) }},
	}
	trained := fitOnce(t, trainSet, testSet)
	for _, c := range cases {
		tr, pts := trained(c.model), sweepPoints(c.cfg)
		specs, err := resolveAlike(tr.Model, []noise.Config{pts[0].Noise}, "point")
		if err != nil {
			t.Fatal(err)
		}
		from := FirstNoisySite(specs[0])
		_, _, applies := tr.Model.LinearAfter(nil, from)
		if got := linearSweep(specs, from) && applies; got != c.shortcut {
			t.Fatalf("%s %v: shortcut applies = %v, want %v", c.model, pts[0].Noise, got, c.shortcut)
		}
		accs, losses, kls, err := tr.EvaluateSweepKL(testSet, pts, 1000)
		if err != nil {
			t.Fatal(err)
		}
		linearShortcut = false
		accs0, losses0, kls0, err := tr.EvaluateSweepKL(testSet, pts, 1000)
		linearShortcut = true
		if err != nil {
			t.Fatal(err)
		}
		for j := range pts {
			t.Logf("%s %v: acc %.3f vs %.3f, loss %.8f vs %.8f, KL %.8f vs %.8f", c.model, pts[j].Noise, accs[j], accs0[j], losses[j], losses0[j], kls[j], kls0[j])
			if !c.shortcut && (accs[j] != accs0[j] || losses[j] != losses0[j] || kls[j] != kls0[j]) {
				t.Errorf("%s %v: without the shortcut the values changed", c.model, pts[j].Noise)
			}
			if math.Abs(accs[j]-accs0[j]) > 0.1 || math.Abs(losses[j]-losses0[j]) > 1e-5*math.Max(1, math.Abs(losses0[j])) {
				t.Errorf("%s %v: shortcut gives acc %.2f%% loss %.6f, direct %.2f%% %.6f", c.model, pts[j].Noise, accs[j], losses[j], accs0[j], losses0[j])
			}
		}
	}
}
