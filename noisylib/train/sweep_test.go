package train

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestEvaluateSweepEqualsSeparateRuns checks that a stacked sweep gives every point exactly the accuracy
// (and, up to rounding order, the loss) of evaluating it alone with the same noise seed: for noise after the
// first site (prefix computed once), at the input, with two noisy sites, with repetitions, and for a model
// whose BatchNorm has no site after it (the prefix must stop before it); points with a shared seed and
// points with their own.
//
// The linear-sweep shortcut is off here: it changes the last bits (TestLinearSweepMatchesDirect covers it).
func TestEvaluateSweepEqualsSeparateRuns(t *testing.T) {
	linearShortcut = false
	defer func() { linearShortcut = true }()
	trainSet, testSet := mnist(t)
	trainSet, testSet = trainSet.Subset(3000), testSet.Subset(1500)
	cases := []struct {
		model string
		cfg   func(s float64) noise.Config
	}{
		{"mlp-tfc-bn", func(s float64) noise.Config { return noise.At(4, noise.Add(s)) }},
		{"mlp-tfc-bn", func(s float64) noise.Config { return noise.At(0, noise.Mul(s/2)) }},
		{"mlp-tfc-bn", func(s float64) noise.Config { return noise.At(3, noise.Add(s)).With(9, noise.Mul(s/3)) }},
		{"mlp-tfc-bn", func(s float64) noise.Config { return noise.At(7, noise.Combine(s, 0.3).WithRepetitions(3)) }},
		{"lenet5-bn-nonoise", func(s float64) noise.Config { return noise.At(2, noise.Add(s)) }},
	}
	trained := fitOnce(t, trainSet, testSet)
	for _, c := range cases {
		tr, pts := trained(c.model), sweepPoints(c.cfg)
		// Batches of 1000 leave a last batch of 500: both shapes are exercised.
		accs, losses, err := tr.EvaluateSweep(testSet, pts, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for j, p := range pts {
			if err := tr.SetNoise(p.Noise); err != nil {
				t.Fatal(err)
			}
			if err := tr.ReseedNoise(p.Seed); err != nil {
				t.Fatal(err)
			}
			acc, loss, err := tr.Evaluate(testSet, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if accs[j] != acc || math.Abs(losses[j]-loss) > 1e-5*math.Max(1, math.Abs(loss)) {
				t.Errorf("%s %v: sweep gives acc %.2f%% loss %.6f, alone %.2f%% %.6f", c.model, p.Noise, accs[j], losses[j], acc, loss)
			}
		}
		if accs[0] <= accs[len(accs)-1] {
			t.Errorf("%s: accuracy does not fall with σ: %v", c.model, accs)
		}
	}
}

// fitOnce returns a function that gives each named model trained for one epoch on trainSet (seed 7), training
// it at the first call.
func fitOnce(t *testing.T, trainSet, testSet *data.Dataset) func(model string) *Trainer {
	trained := map[string]*Trainer{}
	return func(model string) *Trainer {
		if tr := trained[model]; tr != nil {
			return tr
		}
		tr, err := NewTrainer(testBackend(t), newModel(t, model), 7)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Fit(trainSet, testSet, Options{Epochs: 1, Seed: 7, Progress: io.Discard}); err != nil {
			t.Fatal(err)
		}
		trained[model] = tr
		return tr
	}
}

// sweepPoints returns the points of cfg at σ = 0.3, 1, 3 and 10: the first two share a seed (drawn once,
// SharedRNG), the others have their own.
func sweepPoints(cfg func(s float64) noise.Config) []SweepPoint {
	sigmas := []float64{0.3, 1, 3, 10}
	pts := make([]SweepPoint, len(sigmas))
	for j, s := range sigmas {
		pts[j] = SweepPoint{Noise: cfg(s), Seed: uint64(100 + max(j, 1))}
	}
	return pts
}

// TestEvaluateSweepRejectsMixedStructure checks the error for points that cannot share a graph.
func TestEvaluateSweepRejectsMixedStructure(t *testing.T) {
	_, testSet := mnist(t)
	tr, err := NewTrainer(testBackend(t), newModel(t, "mlp-tfc-bn"), 1)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = tr.EvaluateSweep(testSet.Subset(100), []SweepPoint{{Noise: noise.At(1, noise.Add(1))}, {Noise: noise.At(2, noise.Add(1))}}, 0)
	if err == nil || !strings.Contains(err.Error(), "noise structure") {
		t.Fatalf("got %v, want a noise-structure error", err)
	}
}

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSweepSize checks the pass sizes against the memory rule, sweepLiveCopies·4 bytes·batch·(the widest site a
// point holds): MLP-TFC's input is 784 wide, its other sites 64. Points with one seed and additive noise at the
// input hold only the 64-wide values after fc1 (the shortcut shares the draws); points with their own seeds,
// or with noise before a BatchNorm, hold their widest site from the noisy one on.
func TestSweepSize(t *testing.T) {
	tr, err := NewTrainer(testBackend(t), newModel(t, "mlp-tfc-bn"), 1)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 100
	budget := int64(sweepLiveCopies * 4 * batch * 64 * 5) // 5 points of 64-wide values, 0.41 of a 784-wide one
	points := func(n int, cfg func(s float64) noise.Config, ownSeeds bool) []SweepPoint {
		pts := make([]SweepPoint, n)
		for j := range pts {
			pts[j] = SweepPoint{Noise: cfg(float64(j+1) / 10), Seed: 3}
			if ownSeeds {
				pts[j].Seed += uint64(j)
			}
		}
		return pts
	}
	atInput := func(s float64) noise.Config { return noise.At(0, noise.Add(s)) }
	atFC1 := func(s float64) noise.Config { return noise.At(1, noise.Mul(s)) } // fc1 → bn1: no shortcut
	cases := []struct {
		name string
		pts  []SweepPoint
		want int
	}{
		{"input, one seed", points(12, atInput, false), 5},
		{"input, one seed, 3 points", points(3, atInput, false), 3},
		{"input, own seeds", points(12, atInput, true), 1},
		{"fc1, one seed", points(12, atFC1, false), 5},
		{"fc1, own seeds", points(12, atFC1, true), 5},
		{"none", nil, 1},
	}
	for _, c := range cases {
		got, err := tr.SweepSize(c.pts, batch, budget)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: SweepSize = %d, want %d", c.name, got, c.want)
		}
	}
	linearShortcut = false
	defer func() { linearShortcut = true }()
	if got, _ := tr.SweepSize(points(12, atInput, false), batch, budget); got != 1 {
		t.Errorf("input, one seed, shortcut off: SweepSize = %d, want 1", got)
	}
	if _, err := tr.SweepSize([]SweepPoint{{Noise: atInput(1)}, {Noise: atFC1(1)}}, batch, budget); err == nil {
		t.Error("points of two noise structures: no error")
	}
}
