package train

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// SiteStat describes the clean signal at one noise site over a data set (eval mode, all noise off).
type SiteStat struct {
	// Site is the site index and Name its readable name.
	Site int
	Name string
	// MeanSquare is E[x²] (the signal power), Mean is E[x] and Var the population variance of x, over every
	// element of every example.
	MeanSquare, Mean, Var float64
	// ZeroFrac is the fraction of elements that are exactly zero (e.g. after ReLU).
	ZeroFrac float64
	// Elements is the number of elements per example at the site.
	Elements int
	// MaxAbs is max|x| over every element of every example. It is left out of JSON (json:"-"), so stored
	// records that hold SiteStats (dynamics runs) keep their form; a SiteStat read back has MaxAbs 0.
	MaxAbs float64 `json:"-"`
}

// Signal returns the site's clean signal as the noise unit conversions read it (noise.ToSigma): E[x²] and
// max|x|.
func (s SiteStat) Signal() noise.Signal {
	return noise.Signal{MeanSquare: s.MeanSquare, MaxAbs: s.MaxAbs}
}

// Signals returns the Signal of every SiteStat, in order.
func Signals(stats []SiteStat) []noise.Signal {
	out := make([]noise.Signal, len(stats))
	for i, s := range stats {
		out[i] = s.Signal()
	}
	return out
}

// SNRdB returns the signal-to-noise ratio at the site for the given noise Spec in dB:
// 10·log10(E[x²] / (σ_add² + σ_mul²·E[x²])) with σ divided by Elements when the Spec is normalised and by
// √repetitions for averaged executions. It is +Inf without noise.
func (s SiteStat) SNRdB(spec noise.Spec) float64 {
	sa, sm := spec.Sigmas()
	if spec.NormalizeToInputSize {
		sa, sm = sa/float64(s.Elements), sm/float64(s.Elements)
	}
	noisePower := (sa*sa + sm*sm*s.MeanSquare) / float64(spec.Reps())
	if spec.Type == noise.None || noisePower == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(s.MeanSquare/noisePower)
}

// SiteStats measures the clean signal at every site over ds: the model runs in eval mode with all noise
// off, and each site's value is summarised before its (disabled) noise operator. Like Evaluate, it never
// advances the trainer's noise stream.
func (t *Trainer) SiteStats(ds *data.Dataset, batchSize int) (stats []SiteStat, err error) {
	err = observe(t.Store, func() error {
		stats, err = t.siteStats(ds, batchSize)
		return err
	})
	return stats, err
}

func (t *Trainer) siteStats(ds *data.Dataset, batchSize int) (stats []SiteStat, err error) {
	if err := t.checkData(ds); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s: site stats: %v", t.Model.Name, r)
		}
	}()
	ns := t.Model.NumSites()
	m := t.Model
	clean := make([]noise.Spec, ns)
	fn := func(scope *model.Scope, x, params *Node) (sums *Node) {
		g := x.Graph()
		scope.Store().SetTraining(g, false)
		inj := &noise.Injector{Specs: clean, Params: params, Training: false, Random: scope.RandomNormal}
		rows := make([]*Node, ns)
		m.Forward(scope.In(ModelScope), x, inj, func(site int, v *Node) {
			v = ConvertDType(v, dtypes.Float64)
			zeros := ConvertDType(Equal(v, ZerosLike(v)), dtypes.Float64)
			rows[site] = Stack([]*Node{ReduceAllSum(v), ReduceAllSum(Square(v)), ReduceAllSum(zeros), ReduceAllMax(Abs(v))}, 0)
		})
		return Stack(rows, 0)
	}
	e := model.MustNewExec(t.Backend, t.Store, fn)
	defer e.Finalize()
	params := noise.ParamsTensor(clean)
	const cols = 4 // Σx, Σx², zeros, max|x|
	acc := make([]float64, ns*cols)
	if _, err := Batches(t.Backend, ds, batchSize, func(x, _ *tensors.Tensor) error {
		outs, err := e.Exec(x, params)
		if err != nil {
			return err
		}
		for i, v := range tensors.MustCopyFlatData[float64](outs[0]) {
			if i%cols == cols-1 {
				acc[i] = max(acc[i], v)
			} else {
				acc[i] += v
			}
		}
		outs[0].FinalizeAll()
		return nil
	}); err != nil {
		return nil, err
	}
	for i, s := range m.Sites {
		n := s.Size()
		total := float64(n * ds.Len())
		mean, ms := acc[i*cols]/total, acc[i*cols+1]/total
		stats = append(stats, SiteStat{Site: i, Name: s.Name(), MeanSquare: ms, Mean: mean, Var: ms - mean*mean,
			ZeroFrac: acc[i*cols+2] / total, Elements: n, MaxAbs: acc[i*cols+3]})
	}
	return stats, nil
}
