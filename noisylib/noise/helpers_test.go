package noise_test

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// testBackend returns the process-wide backend, failing the test if it cannot be created.
func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatalf("backend: %v", err)
	}
	return b
}

// applyExec builds an executor that applies the injector's operator at `site` to its input x, with the
// parameters fed as the second input. With grad=true it also returns d(sum y)/dx computed in the same graph.
func applyExec(t *testing.T, specs []noise.Spec, site int, training bool, seed int64, grad bool) *model.Exec {
	t.Helper()
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(seed); err != nil {
		t.Fatalf("seeding RNG: %v", err)
	}
	return model.MustNewExec(testBackend(t), store, func(scope *model.Scope, x, params *graph.Node) []*graph.Node {
		scope.Store().SetTraining(x.Graph(), training)
		inj := &noise.Injector{Specs: specs, Params: params, Training: training, Random: scope.RandomNormal}
		// AddScalar(·, 0) keeps values exact; it works around a GoMLX pure-Go backend failure ("index out of
		// range") when an output is an input parameter itself while another input is unused.
		y := graph.AddScalar(inj.Apply(site, x), 0)
		if !grad {
			return []*graph.Node{y}
		}
		return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(y), x)[0]}
	})
}

// run executes e on x with the parameters of specs and returns the flat float32 outputs.
func run(t *testing.T, e *model.Exec, specs []noise.Spec, x *tensors.Tensor) [][]float32 {
	t.Helper()
	outs, err := e.Call(x, noise.ParamsTensor(specs))
	if err != nil {
		t.Fatalf("executing graph: %v", err)
	}
	flat := make([][]float32, len(outs))
	for i, o := range outs {
		if !o.Shape().Equal(x.Shape()) {
			t.Fatalf("output %d has shape %s, want the input shape %s", i, o.Shape(), x.Shape())
		}
		flat[i] = tensors.MustCopyFlatData[float32](o)
	}
	return flat
}

// sample applies a single Spec (at site 0) to a constant tensor of value x shaped dims and returns the
// flat output.
func sample(t *testing.T, s noise.Spec, x float32, training bool, seed int64, dims ...int) []float32 {
	t.Helper()
	specs := []noise.Spec{s}
	return run(t, applyExec(t, specs, 0, training, seed, false), specs, constTensor(x, dims...))[0]
}

// constTensor returns a float32 tensor filled with v.
func constTensor(v float32, dims ...int) *tensors.Tensor {
	return tensors.FromScalarAndDimensions(v, dims...)
}

// moments holds the sample mean and (biased) variance of a sample, with their standard errors.
type moments struct {
	n              int
	mean, variance float64
	seMean, seVar  float64
}

// momentsOf computes the moments of v. The standard error of the variance uses the sample's fourth central
// moment, so it is valid for the non-Gaussian products of combined noise too.
func momentsOf(v []float32) moments {
	n := float64(len(v))
	var sum float64
	for _, x := range v {
		sum += float64(x)
	}
	mean := sum / n
	var m2, m4 float64
	for _, x := range v {
		d := float64(x) - mean
		m2 += d * d
		m4 += d * d * d * d
	}
	m2 /= n
	m4 /= n
	return moments{n: len(v), mean: mean, variance: m2, seMean: math.Sqrt(m2 / n), seVar: math.Sqrt(max(m4-m2*m2, 0) / n)}
}

// checkMoments asserts the mean and variance of v are within 5 standard errors of the expected values.
func checkMoments(t *testing.T, name string, v []float32, wantMean, wantVar float64) {
	t.Helper()
	m := momentsOf(v)
	if d := math.Abs(m.mean - wantMean); d > 5*m.seMean+1e-6 {
		t.Errorf("%s: mean = %.5f, want %.5f (|diff| %.2g > 5 SE = %.2g)", name, m.mean, wantMean, d, 5*m.seMean)
	}
	if d := math.Abs(m.variance - wantVar); d > 5*m.seVar+1e-9 {
		t.Errorf("%s: variance = %.5f (std %.5f), want %.5f (std %.5f) (|diff| %.2g > 5 SE = %.2g)",
			name, m.variance, math.Sqrt(m.variance), wantVar, math.Sqrt(wantVar), d, 5*m.seVar)
	}
}

// correlation returns the Pearson correlation of a and b.
func correlation(a, b []float32) float64 {
	ma, mb := momentsOf(a), momentsOf(b)
	var c float64
	for i := range a {
		c += (float64(a[i]) - ma.mean) * (float64(b[i]) - mb.mean)
	}
	return c / float64(len(a)) / math.Sqrt(ma.variance*mb.variance)
}
