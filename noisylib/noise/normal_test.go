package noise_test

import (
	"math"
	"slices"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// backendOf returns the process-wide backend (for tests and benchmarks alike).
func backendOf(testing.TB) (compute.Backend, error) { return backend.Shared() }

// drawExec returns an executor that draws one tensor of the given shape from gen built on a store seeded
// with seed (gen nil: noise.StoreNormal).
func drawExec(t testing.TB, seed int64, shape shapes.Shape, gen func(*model.Store) noise.Normal) *model.Exec {
	t.Helper()
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(seed); err != nil {
		t.Fatalf("seeding RNG: %v", err)
	}
	if gen == nil {
		gen = noise.StoreNormal
	}
	b, err := backendOf(t)
	if err != nil {
		t.Fatalf("backend: %v", err)
	}
	return model.MustNewExec(b, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		// x is only a dependency anchor; the output is the noise.
		return graph.Add(gen(scope.Store())(x.Graph(), shape), graph.ConvertDType(graph.ReduceAllSum(graph.MulScalar(x, 0)), shape.DType))
	})
}

// draw executes e once and returns the values as float64.
func draw(t testing.TB, e *model.Exec, dtype dtypes.DType) []float64 {
	t.Helper()
	out, err := e.Call1(tensors.FromScalarAndDimensions(float32(0), 1))
	if err != nil {
		t.Fatalf("executing: %v", err)
	}
	if dtype == dtypes.Float64 {
		return tensors.MustCopyFlatData[float64](out)
	}
	v := tensors.MustCopyFlatData[float32](out)
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return f
}

// stdMoments returns mean, variance, skewness and kurtosis of v.
func stdMoments(v []float64) (mean, variance, skew, kurt float64) {
	n := float64(len(v))
	for _, x := range v {
		mean += x / n
	}
	var m2, m3, m4 float64
	for _, x := range v {
		d := x - mean
		m2 += d * d / n
		m3 += d * d * d / n
		m4 += d * d * d * d / n
	}
	return mean, m2, m3 / math.Pow(m2, 1.5), m4 / (m2 * m2)
}

// pearson returns the correlation of a and b.
func pearson(a, b []float64) float64 {
	ma, va, _, _ := stdMoments(a)
	mb, vb, _, _ := stdMoments(b)
	var c float64
	for i := range a {
		c += (a[i] - ma) * (b[i] - mb)
	}
	return c / float64(len(a)) / math.Sqrt(va*vb)
}

func squares(v []float64) []float64 {
	s := make([]float64, len(v))
	for i, x := range v {
		s[i] = x * x
	}
	return s
}

// checkStandardNormal asserts v looks like an i.i.d. N(0, 1) sample: mean, variance, skewness and kurtosis
// within 5 standard errors (1/√n, √(2/n), √(6/n), √(24/n)), the frequencies of 16 bins of the normal CDF
// (chi-square with 15 degrees of freedom below 50, p ≈ 1e-5), and neither the values nor their squares
// correlated with the neighbour at each of the given lags.
func checkStandardNormal(t *testing.T, name string, v []float64, lags ...int) {
	t.Helper()
	n := float64(len(v))
	mean, variance, skew, kurt := stdMoments(v)
	for _, c := range []struct {
		what      string
		got, want float64
		se        float64
	}{
		{"mean", mean, 0, 1 / math.Sqrt(n)},
		{"variance", variance, 1, math.Sqrt(2 / n)},
		{"skewness", skew, 0, math.Sqrt(6 / n)},
		{"kurtosis", kurt, 3, math.Sqrt(24 / n)},
	} {
		if d := math.Abs(c.got - c.want); d > 5*c.se {
			t.Errorf("%s: %s = %.5f, want %g ± %.5f", name, c.what, c.got, c.want, 5*c.se)
		}
	}
	// Bins with equal probability 1/16 under N(0, 1): edges at the normal quantiles.
	const bins = 16
	edges := make([]float64, bins-1)
	for i := range edges {
		edges[i] = math.Sqrt2 * math.Erfinv(2*float64(i+1)/bins-1)
	}
	counts := make([]float64, bins)
	for _, x := range v {
		k, _ := slices.BinarySearch(edges, x)
		counts[k]++
	}
	chi2 := 0.0
	for _, c := range counts {
		e := n / bins
		chi2 += (c - e) * (c - e) / e
	}
	if chi2 > 50 {
		t.Errorf("%s: chi-square over %d normal-quantile bins = %.1f > 50 (counts %v)", name, bins, chi2, counts)
	}
	limit := 5 / math.Sqrt(n)
	sq := squares(v)
	for _, lag := range lags {
		m := len(v) - lag
		if r := pearson(v[:m], v[lag:]); math.Abs(r) > limit*math.Sqrt(n/float64(m)) {
			t.Errorf("%s: correlation at lag %d = %.4f", name, lag, r)
		}
		if r := pearson(sq[:m], sq[lag:]); math.Abs(r) > limit*math.Sqrt(n/float64(m)) {
			t.Errorf("%s: correlation of squares at lag %d = %.4f (dependent values)", name, lag, r)
		}
	}
}

func TestStoreNormalIsStandardNormal(t *testing.T) {
	const rowsN, colsN = 300, 1001 // Odd total: the last pair is cut.
	n := rowsN * colsN
	for _, dtype := range []dtypes.DType{dtypes.Float32, dtypes.Float64} {
		t.Run(dtype.String(), func(t *testing.T) {
			e := drawExec(t, 11, shapes.Make(dtype, rowsN, colsN), nil)
			v := draw(t, e, dtype)
			if len(v) != n {
				t.Fatalf("got %d values, want %d", len(v), n)
			}
			// Lag (n+1)/2 pairs the cos and sin output of the same uniform pair; lag colsN is the batch axis.
			checkStandardNormal(t, "StoreNormal", v, 1, 2, colsN, (n+1)/2)
			w := draw(t, e, dtype)
			if r := pearson(v, w); math.Abs(r) > 5/math.Sqrt(float64(n)) {
				t.Errorf("correlation between two executions = %.4f", r)
			}
			if slices.Equal(v, w) {
				t.Error("two executions drew the same values: the RNG state does not advance")
			}
		})
	}
}

// TestStoreNormalTails checks the tails, where Box–Muller is most sensitive to the radius: P(|z| > 3) and
// P(|z| > 4) within 5 standard errors of the normal values.
func TestStoreNormalTails(t *testing.T) {
	e := drawExec(t, 5, shapes.Make(dtypes.Float32, 1000, 1000), nil)
	v := draw(t, e, dtypes.Float32)
	n := float64(len(v))
	for _, k := range []float64{1, 2, 3, 4} {
		p := math.Erfc(k / math.Sqrt2)
		c := 0.0
		for _, x := range v {
			if math.Abs(x) > k {
				c++
			}
		}
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(c/n-p) > 5*se {
			t.Errorf("P(|z| > %g) = %.6f, want %.6f ± %.6f", k, c/n, p, 5*se)
		}
	}
}

func TestStoreNormalSeeded(t *testing.T) {
	shape := shapes.Make(dtypes.Float32, 7, 9)
	a := draw(t, drawExec(t, 3, shape, nil), dtypes.Float32)
	b := draw(t, drawExec(t, 3, shape, nil), dtypes.Float32)
	c := draw(t, drawExec(t, 4, shape, nil), dtypes.Float32)
	if !slices.Equal(a, b) {
		t.Error("same seed gave different values")
	}
	if slices.Equal(a, c) {
		t.Error("seeds 3 and 4 gave identical values")
	}
}

// TestStoreNormalUnseededStore checks a store without an RNG state gets one on first use, like
// Store.RandomNormal.
func TestStoreNormalUnseededStore(t *testing.T) {
	store := model.NewStore()
	b, err := backendOf(t)
	if err != nil {
		t.Fatal(err)
	}
	e := model.MustNewExec(b, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.Add(x, noise.StoreNormal(scope.Store())(x.Graph(), x.Shape()))
	})
	out, err := e.Call1(tensors.FromScalarAndDimensions(float32(0), 1000))
	if err != nil {
		t.Fatal(err)
	}
	m, v, _, _ := stdMoments(func() []float64 {
		f := tensors.MustCopyFlatData[float32](out)
		d := make([]float64, len(f))
		for i, x := range f {
			d[i] = float64(x)
		}
		return d
	}())
	if math.Abs(m) > 0.2 || math.Abs(v-1) > 0.3 {
		t.Errorf("unseeded store: mean %.3f variance %.3f, want ≈ 0 and 1", m, v)
	}
}

// TestInjectorWithStoreNormal runs the operator statistics of inject_test.go with StoreNormal as the source.
func TestInjectorWithStoreNormal(t *testing.T) {
	mtaM, mtaV := mulThenAdd(x0, 0.3, 0.9, 1, 0)
	atmM, atmV := addThenMul(x0, 0.6, 0.8, 1, 0)
	cases := []struct {
		name              string
		spec              noise.Spec
		wantMean, wantVar float64
	}{
		{"additive", noise.Add(0.5), x0, 0.25},
		{"multiplicative", noise.Mul(0.3), x0, x0 * x0 * 0.09},
		{"combined mul-then-add", noise.Combine(1.2, 0.75), mtaM, mtaV},
		{"combined add-then-mul r=4", noise.CombineDirect(0.6, 0.8).WithAddFirst().WithRepetitions(4), atmM, atmV / 4},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			specs := []noise.Spec{c.spec}
			store := model.NewStore()
			if err := store.SetRNGStateFromSeed(int64(500 + i)); err != nil {
				t.Fatal(err)
			}
			b, err := backendOf(t)
			if err != nil {
				t.Fatal(err)
			}
			e := model.MustNewExec(b, store, func(scope *model.Scope, x, params *graph.Node) *graph.Node {
				inj := &noise.Injector{Specs: specs, Params: params, Random: noise.StoreNormal(scope.Store())}
				return inj.Apply(0, x)
			})
			y := run(t, e, specs, constTensor(x0, rows, cols))[0]
			checkMoments(t, c.name, y, c.wantMean, c.wantVar)
		})
	}
}

// BenchmarkNormal compares the generators on a [128, 1370] draw (one MLP-TFC-BN batch, noise at every site):
// each call returns the values in a fresh tensor. StoreNormalInPlace instead adds StoreNormal's values to a
// tensor of that shape whose buffer it donates to the call, so the sum is written where the input was, as a
// training step adds noise to an activation: it leaves out what allocating a fresh output of 0.7 MB costs
// (scripts/bench.sh prints it next to PyTorch's x.normal_(), which fills an existing tensor).
func BenchmarkNormal(b *testing.B) {
	shape := shapes.Make(dtypes.Float32, 128, 1370)
	perValue := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(shape.Size()), "ns/normal")
	}
	for _, c := range []struct {
		name string
		gen  func(*model.Store) noise.Normal
	}{
		{"StoreRandomNormal", func(s *model.Store) noise.Normal { return s.RandomNormal }},
		{"StoreNormal", noise.StoreNormal},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := drawExec(b, 1, shape, c.gen)
			draw(b, e, dtypes.Float32) // compile
			anchor := tensors.FromScalarAndDimensions(float32(0), 1)
			for b.Loop() { // the draws only: their values stay in the backend's buffer, as in a training step
				out, err := e.Call1(anchor)
				if err != nil {
					b.Fatalf("executing: %v", err)
				}
				out.FinalizeAll()
			}
			perValue(b)
		})
	}
	b.Run("StoreNormalInPlace", func(b *testing.B) {
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(1); err != nil {
			b.Fatal(err)
		}
		be, err := backendOf(b)
		if err != nil {
			b.Fatal(err)
		}
		e := model.MustNewExec(be, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return graph.Add(x, noise.StoreNormal(scope.Store())(x.Graph(), shape))
		})
		x, err := e.Call1(tensors.FromShape(shape)) // compile
		if err != nil {
			b.Fatalf("executing: %v", err)
		}
		for b.Loop() {
			donated, err := graph.DonateTensorBuffer(x, be, 0)
			if err != nil {
				b.Fatalf("donating: %v", err)
			}
			if x, err = e.Call1(donated); err != nil {
				b.Fatalf("executing: %v", err)
			}
		}
		perValue(b)
	})
}
