package train

import (
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestScheduleFactor: the σ multiple of every epoch against hand-computed values of the formulas (schedule.go).
func TestScheduleFactor(t *testing.T) {
	cases := []struct {
		s    Schedule
		want []float64 // epochs 0, 1, 2, …
	}{
		{Schedule{}, []float64{1, 1, 1}},
		{Schedule{Kind: Constant}, []float64{1, 1, 1}},
		{Schedule{Kind: Ramp, Epochs: 4}, []float64{0, 0.25, 0.5, 0.75, 1, 1, 1}},
		{Schedule{Kind: Ramp, Epochs: 1}, []float64{0, 1, 1}},
		// Rise 0 → 1.5 over K = 2 epochs (0, 0.75, 1.5), fall 1.5 → 1 over the next 2 (1.25, 1), then 1.
		{Schedule{Kind: Overshoot, Epochs: 2}, []float64{0, 0.75, 1.5, 1.25, 1, 1}},
		{Schedule{Kind: Overshoot, Epochs: 1}, []float64{0, 1.5, 1, 1}},
		{Schedule{Kind: PerExample, Alpha: 0.5, Theta: 0.2}, []float64{1, 1}},
	}
	for _, c := range cases {
		for e, w := range c.want {
			if got := c.s.Factor(e); math.Abs(got-w) > 1e-15 {
				t.Errorf("%s: Factor(%d) = %g, want %g", c.s, e, got, w)
			}
		}
	}
	// scheduledParams scales every standard deviation, and by α for per-example σ.
	specs := []noise.Spec{noise.Add(2), noise.Mul(4), noise.Combine(1, 0.5), noise.CombineDirect(3, 5), {}}
	got := scheduledParams(specs, Schedule{Kind: Ramp, Epochs: 4}, 1)
	want := []noise.Spec{noise.Add(0.5), noise.Mul(1), noise.Combine(0.25, 0.5), noise.CombineDirect(0.75, 1.25), {}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ramp K=4, epoch 1, site %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := scheduledParams(specs[:1], Schedule{Kind: PerExample, Alpha: 0.25, Theta: 1}, 7)[0]; got != noise.Add(0.5) {
		t.Errorf("per-example α = 0.25: %+v, want σ = 0.5", got)
	}
}

func TestScheduleValidate(t *testing.T) {
	ok := []struct {
		s      Schedule
		epochs int
	}{
		{Schedule{}, 1}, {Schedule{Kind: Ramp, Epochs: 2}, 3}, {Schedule{Kind: Overshoot, Epochs: 2}, 5},
		{Schedule{Kind: PerExample, Alpha: 1}, 1}, {Schedule{Kind: PerExample, Theta: 0.1}, 1},
	}
	for _, c := range ok {
		if err := c.s.Validate(c.epochs); err != nil {
			t.Errorf("%s over %d epochs: %v", c.s, c.epochs, err)
		}
	}
	bad := []struct {
		s      Schedule
		epochs int
		msg    string
	}{
		{Schedule{Kind: Ramp, Epochs: 3}, 3, "at least 4 epochs"},
		{Schedule{Kind: Overshoot, Epochs: 2}, 4, "at least 5 epochs"},
		{Schedule{Kind: Ramp}, 3, "K ≥ 1"},
		{Schedule{Kind: Ramp, Epochs: 1, Alpha: 1}, 3, "does not read alpha"},
		{Schedule{Kind: PerExample, Epochs: 1, Alpha: 1}, 3, "does not read epochs"},
		{Schedule{Kind: PerExample}, 3, "trains without noise"},
		{Schedule{Kind: PerExample, Alpha: -1}, 3, "finite values ≥ 0"},
		{Schedule{Kind: PerExample, Theta: math.NaN()}, 3, "finite values ≥ 0"},
		{Schedule{Epochs: 2}, 3, "does not read epochs"},
		{Schedule{Kind: "cosine"}, 3, "use constant, ramp, overshoot or per-example"},
	}
	for _, c := range bad {
		if err := c.s.Validate(c.epochs); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v over %d epochs: %v, want an error containing %q", c.s, c.epochs, err, c.msg)
		}
	}
}

// TestExampleSigmaStatistics: σ_i = α·σ + θ·|z_i| has mean α·σ + θ·√(2/π) and variance θ²·(1 − 2/π) (|z| is
// half-normal), within 5 standard errors over 200 000 draws; and the draws are the seed rule's stream.
func TestExampleSigmaStatistics(t *testing.T) {
	const alpha, sigma, theta, n = 0.5, 0.8, 0.3, 200_000
	x := newExampleSigmas(theta, 42)
	var sum, sum2 float64
	for _, v := range x.next(n) {
		s := alpha*sigma + float64(v)
		sum += s
		sum2 += s * s
	}
	mean := sum / n
	variance := sum2/n - mean*mean
	wantMean := alpha*sigma + theta*math.Sqrt(2/math.Pi)
	wantVar := theta * theta * (1 - 2/math.Pi)
	// Var of the sample mean: wantVar/n; of the sample variance of a half-normal: (μ4 − σ⁴)/n, with the
	// fourth central moment of θ|z| bounded by 3θ⁴ (E z⁴ = 3).
	if se := math.Sqrt(wantVar / n); math.Abs(mean-wantMean) > 5*se {
		t.Errorf("mean σ_i = %.6f, want %.6f ± %.2g", mean, wantMean, 5*se)
	}
	if se := math.Sqrt(3 * math.Pow(theta, 4) / n); math.Abs(variance-wantVar) > 5*se {
		t.Errorf("variance of σ_i = %.6f, want %.6f ± %.2g", variance, wantVar, 5*se)
	}
	// The stream is rand.NewPCG(seed, StreamExampleSigma), in order.
	ref := rand.New(rand.NewPCG(7, StreamExampleSigma))
	for i, v := range newExampleSigmas(2, 7).next(5) {
		if w := float32(2 * math.Abs(ref.NormFloat64())); v != w {
			t.Fatalf("draw %d = %g, want %g", i, v, w)
		}
	}
}

// scheduleData is a small synthetic MNIST-shaped training and test set.
func scheduleData() (*data.Dataset, *data.Dataset) {
	return datatest.Stripes(640), datatest.Stripes(200)
}

// manualFit trains a fresh trainer of seed epoch by epoch with Step, setting the noise of epoch e to cfg(e)
// and Fit's cosine learning rate and data order, and evaluates it with eval after every epoch: what Fit with a
// schedule must give. It returns the per-epoch mean training losses and the test accuracy after the last epoch.
func manualFit(t *testing.T, epochs int, seed uint64, cfg func(e int) noise.Config, eval noise.Config) ([]float64, float64) {
	losses, accs := manualFitEpochs(t, epochs, seed, cfg, eval)
	return losses, accs[len(accs)-1]
}

// manualFitEpochs is manualFit returning the test accuracy after every epoch.
func manualFitEpochs(t *testing.T, epochs int, seed uint64, cfg func(e int) noise.Config, eval noise.Config) ([]float64, []float64) {
	t.Helper()
	tr, te := scheduleData()
	tn, err := NewTrainer(testBackend(t), newModel(t, "mlp-tfc-bn"), seed)
	if err != nil {
		t.Fatal(err)
	}
	batcher := data.NewBatcher(tr, 128, shuffleRNG(seed))
	var losses, accs []float64
	for e := range epochs {
		if err := tn.SetNoise(cfg(e)); err != nil {
			t.Fatal(err)
		}
		if err := tn.SetLearningRate(CosineLR(1e-3, e, epochs)); err != nil {
			t.Fatal(err)
		}
		var sum float64
		nb := 0
		for x, y := range batcher.Epoch(true) {
			l, _, err := tn.Step(tensors.FromFlatDataAndDimensions(x, len(y), tr.H, tr.W, tr.C), tensors.FromFlatDataAndDimensions(y, len(y)))
			if err != nil {
				t.Fatal(err)
			}
			sum += l
			nb++
		}
		losses = append(losses, sum/float64(nb))
		if err := tn.SetNoise(eval); err != nil {
			t.Fatal(err)
		}
		acc, _, err := tn.Evaluate(te, 0)
		if err != nil {
			t.Fatal(err)
		}
		accs = append(accs, acc)
	}
	return losses, accs
}

// fitLosses runs Fit on the synthetic data and returns its per-epoch training losses and noisy accuracy.
func fitLosses(t *testing.T, opts Options) ([]float64, float64) {
	t.Helper()
	tr, te := scheduleData()
	opts.Progress = io.Discard
	res, err := Fit(testBackend(t), newModel(t, "mlp-tfc-bn"), tr, te, opts)
	if err != nil {
		t.Fatal(err)
	}
	var losses []float64
	for _, e := range res.Epochs {
		losses = append(losses, e.TrainLoss)
	}
	return losses, res.NoisyAcc
}

// TestScheduleTrainsAsSpecified: Fit under the constant, ramp and overshoot schedules gives bit for bit the
// losses and accuracy of a plain loop of Steps whose epoch e trains at σ·Factor(e) (constant: σ throughout,
// the training Fit always ran), evaluated at σ; with EvalNoise, evaluated at σ_eval instead.
func TestScheduleTrainsAsSpecified(t *testing.T) {
	const site, sigma, seed = 3, 0.6, 5
	at := func(s float64) noise.Config { return noise.At(site, noise.Add(s)) }
	for _, s := range []Schedule{{}, {Kind: Ramp, Epochs: 2}, {Kind: Overshoot, Epochs: 1}} {
		got, gotAcc := fitLosses(t, Options{Epochs: 3, Seed: seed, Noise: at(sigma), Schedule: s})
		want, wantAcc := manualFit(t, 3, seed, func(e int) noise.Config { return at(sigma * s.Factor(e)) }, at(sigma))
		for e := range want {
			if got[e] != want[e] {
				t.Errorf("%s, epoch %d: loss %v, want %v (σ = %g·%g)", s, e, got[e], want[e], sigma, s.Factor(e))
			}
		}
		if gotAcc != wantAcc {
			t.Errorf("%s: accuracy %v, want %v", s, gotAcc, wantAcc)
		}
	}
	// Evaluations after every epoch are at σ, whatever the epoch's training σ.
	tr, te := scheduleData()
	ramp := Schedule{Kind: Ramp, Epochs: 2}
	res, err := Fit(testBackend(t), newModel(t, "mlp-tfc-bn"), tr, te, Options{Epochs: 3, Seed: seed, Noise: at(sigma),
		Schedule: ramp, EvalEveryEpoch: true, Progress: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	_, wantAccs := manualFitEpochs(t, 3, seed, func(e int) noise.Config { return at(sigma * ramp.Factor(e)) }, at(sigma))
	for e, st := range res.Epochs {
		if st.TestAcc != wantAccs[e] {
			t.Errorf("ramp, epoch %d: test accuracy %v, want %v (at σ = %g)", e, st.TestAcc, wantAccs[e], sigma)
		}
	}
	eval := at(2)
	_, gotAcc := fitLosses(t, Options{Epochs: 2, Seed: seed, Noise: at(sigma), EvalNoise: &eval})
	_, wantAcc := manualFit(t, 2, seed, func(int) noise.Config { return at(sigma) }, eval)
	if gotAcc != wantAcc {
		t.Errorf("EvalNoise σ = 2: accuracy %v, want %v", gotAcc, wantAcc)
	}
}

// TestPerExampleSchedule: with θ = 0 and α = 1 every σ_i is σ exactly, and the training is the constant one bit
// for bit (the per-example input leaves the noise stream and arithmetic alone); with θ > 0 it differs; α scales
// σ_train; combined noise is refused.
func TestPerExampleSchedule(t *testing.T) {
	const seed = 9
	cfg := noise.At(2, noise.Mul(0.4))
	constant, constAcc := fitLosses(t, Options{Epochs: 1, Seed: seed, Noise: cfg})
	same, sameAcc := fitLosses(t, Options{Epochs: 1, Seed: seed, Noise: cfg, Schedule: Schedule{Kind: PerExample, Alpha: 1}})
	if same[0] != constant[0] || sameAcc != constAcc {
		t.Errorf("per-example α = 1, θ = 0: loss %v, accuracy %v; constant: %v, %v", same[0], sameAcc, constant[0], constAcc)
	}
	spread, _ := fitLosses(t, Options{Epochs: 1, Seed: seed, Noise: cfg, Schedule: Schedule{Kind: PerExample, Alpha: 1, Theta: 0.5}})
	if spread[0] == constant[0] {
		t.Errorf("per-example θ = 0.5 trains exactly as the constant schedule (loss %v)", spread[0])
	}
	// α = 0.5 with θ = 0 trains at σ/2 = 0.2: the constant schedule at 0.2.
	half, _ := fitLosses(t, Options{Epochs: 1, Seed: seed, Noise: cfg, Schedule: Schedule{Kind: PerExample, Alpha: 0.5}})
	lower, _ := manualFit(t, 1, seed, func(int) noise.Config { return noise.At(2, noise.Mul(0.2)) }, cfg)
	if half[0] != lower[0] {
		t.Errorf("per-example α = 0.5, θ = 0: loss %v, want the loss at σ = 0.2, %v", half[0], lower[0])
	}
	tr, te := scheduleData()
	_, err := Fit(testBackend(t), newModel(t, "mlp-tfc-bn"), tr, te, Options{Seed: seed, Progress: io.Discard,
		Noise: noise.At(2, noise.Combine(1, 0.5)), Schedule: Schedule{Kind: PerExample, Alpha: 1, Theta: 0.1}})
	if err == nil || !strings.Contains(err.Error(), "needs additive or multiplicative noise") {
		t.Errorf("per-example σ with combined noise: %v", err)
	}
	_, err = FitStack(testBackend(t), newModel(t, "mlp-tfc-bn"), tr, te, Options{Epochs: 3, Progress: io.Discard,
		Schedule: Schedule{Kind: Ramp, Epochs: 1}}, []noise.Config{cfg})
	if err == nil || !strings.Contains(err.Error(), "Schedule") {
		t.Errorf("FitStack with a ramp: %v", err)
	}
}
