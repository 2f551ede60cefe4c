package dynamics

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// Activations are the clean values of one site over a data set: eval mode (BatchNorm running statistics),
// all noise off, before the site's noise operator.
type Activations struct {
	// Site is the site index.
	Site int
	// Units is the number of values per example at the site (its features; H·W·C at an image site): each
	// element of the per-example value is one unit.
	Units int
	// Values holds Examples()×Units values, example-major (example i's units at [i·Units, (i+1)·Units)).
	Values []float32
}

// Examples returns the number of examples.
func (a *Activations) Examples() int { return len(a.Values) / max(1, a.Units) }

// Unit returns a copy of unit u's value in every example.
func (a *Activations) Unit(u int) []float32 {
	out := make([]float32, a.Examples())
	for i := range out {
		out[i] = a.Values[i*a.Units+u]
	}
	return out
}

// checkSite reports a site index out of the model's range or a data set that does not fit the model.
// noWeightNoise refuses a trainer with noise on weights: the probes build their graphs from its activation noise
// (Trainer.Noise) and would silently leave the weight noise out.
func noWeightNoise(t *train.Trainer) error {
	if t.HasWeightNoise() {
		return fmt.Errorf("dynamics: model %s has noise on weights: the probes measure activation noise only (set the weight noise off first)", t.Model.Name)
	}
	return nil
}

func checkSite(m *models.Model, ds *data.Dataset, site int) error {
	if site < 0 || site >= m.NumSites() {
		return fmt.Errorf("dynamics: model %s has sites 0..%d, not %d", m.Name, m.NumSites()-1, site)
	}
	if ds == nil || ds.Len() == 0 {
		return fmt.Errorf("dynamics: model %s: empty data set", m.Name)
	}
	if in := m.Input; ds.H != in.H || ds.W != in.W || ds.C != in.C || ds.NumClasses != in.NumClasses {
		return fmt.Errorf("dynamics: model %s expects %dx%dx%d inputs with %d classes, data set %s has %dx%dx%d with %d classes",
			m.Name, in.H, in.W, in.C, in.NumClasses, ds.Name, ds.H, ds.W, ds.C, ds.NumClasses)
	}
	return nil
}

// SiteActivations returns the clean values at a site over ds (see Activations). It draws no noise.
func SiteActivations(t *train.Trainer, ds *data.Dataset, site int) (a *Activations, err error) {
	if err := checkSite(t.Model, ds, site); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dynamics: model %s: activations at site %d: %v", t.Model.Name, site, r)
		}
	}()
	m := t.Model
	// A fresh graph per call: the pure-Go backend embeds variable values in evaluation graphs as constants.
	e := model.MustNewExec(t.Backend, t.Store, func(scope *model.Scope, x *Node) *Node {
		scope.Store().SetTraining(x.Graph(), false)
		return m.ForwardTo(scope.In(train.ModelScope), x, site)
	})
	defer e.Finalize()
	a = &Activations{Site: site, Units: m.Sites[site].Size()}
	a.Values = make([]float32, 0, a.Units*ds.Len())
	if _, err := train.Batches(t.Backend, ds, 0, func(x, _ *tensors.Tensor) error {
		outs, err := e.Exec(x)
		if err != nil {
			return err
		}
		a.Values = append(a.Values, tensors.MustCopyFlatData[float32](outs[0])...)
		return outs[0].FinalizeAll()
	}); err != nil {
		return nil, fmt.Errorf("dynamics: model %s: activations at site %d: %w", m.Name, site, err)
	}
	return a, nil
}

// Code is a per-unit two-level (on/off) code of a site: each unit's own clean values split into two levels
// by analysis.TwoLevels (exact 1-D 2-means, Otsu's threshold).
type Code struct {
	// Site is the site the code was extracted at.
	Site int
	// Units holds each unit's two levels, in the order of Activations' units.
	Units []analysis.TwoLevel
}

// TwoLevelCode extracts the per-unit two-level code of a site's activations.
func TwoLevelCode(a *Activations) *Code {
	c := &Code{Site: a.Site, Units: make([]analysis.TwoLevel, a.Units)}
	for u := range c.Units {
		c.Units[u] = analysis.TwoLevels(a.Unit(u))
	}
	return c
}

// Apply returns the code of example-major values (as Activations.Values): each value replaced by its unit's
// nearer level (TwoLevel.Code).
func (c *Code) Apply(values []float32) []float32 {
	out := make([]float32, len(values))
	for i, v := range values {
		out[i] = float32(c.Units[i%len(c.Units)].Code(float64(v)))
	}
	return out
}

// Transform is Apply inside a graph, for noise.Injector.Transforms: x holds the site's values with any leading
// axes ([batch, site shape...]); each is replaced by its unit's level (Hi where x ≥ Threshold, else Lo).
func (c *Code) Transform(x *Node) *Node {
	lo, hi, thr := make([]float32, len(c.Units)), make([]float32, len(c.Units)), make([]float32, len(c.Units))
	for u, l := range c.Units {
		lo[u], hi[u], thr[u] = float32(l.Lo), float32(l.Hi), float32(l.Threshold)
	}
	return perUnit(x, len(c.Units), func(v *Node) *Node {
		g, dims := v.Graph(), v.Shape().Dimensions
		b := func(w []float32) *Node { return BroadcastPrefix(ConvertDType(Const(g, w), v.DType()), dims[0]) }
		return Where(GreaterOrEqual(v, b(thr)), b(hi), b(lo))
	})
}

// perUnit applies f to x reshaped to [rest, units] and restores x's shape.
func perUnit(x *Node, units int, f func(v *Node) *Node) *Node {
	return Reshape(f(Reshape(x, -1, units)), x.Shape().Dimensions...)
}

// MeanEta returns the mean over units of Otsu's η (the fraction of a unit's variance its two levels explain:
// 1 for an exact on/off code, 2/π for a Gaussian unit), skipping constant units; NaN if all are constant.
func (c *Code) MeanEta() float64 {
	var s float64
	n := 0
	for _, u := range c.Units {
		if !math.IsNaN(u.Eta) {
			s += u.Eta
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// MedianLevelRatio returns the median over units of the on/off level ratio (TwoLevel.LevelRatio; +Inf for a
// unit whose off level is exactly 0), skipping units whose both levels are 0; NaN if none is left.
func (c *Code) MedianLevelRatio() float64 {
	var r []float64
	for _, u := range c.Units {
		if v := u.LevelRatio(); !math.IsNaN(v) {
			r = append(r, v)
		}
	}
	if len(r) == 0 {
		return math.NaN()
	}
	slices.Sort(r)
	if n := len(r); n%2 == 0 {
		if math.IsInf(r[n/2-1], 1) {
			return math.Inf(1)
		}
		return (r[n/2-1] + r[n/2]) / 2
	}
	return r[len(r)/2]
}

// SignCopy returns the sign probe of a site, for noise.Injector.Transforms: x ↦ sign(x)·mean|x| with the mean
// taken per unit over a's examples (sign(0) = 0), the activation analogue of Binarize's weight copy.
func SignCopy(a *Activations) func(x *Node) *Node {
	m := make([]float32, a.Units)
	for u := range m {
		m[u] = float32(analysis.WeightStats(a.Unit(u)).MeanAbs)
	}
	return func(x *Node) *Node {
		return perUnit(x, a.Units, func(v *Node) *Node {
			return Mul(Sign(v), BroadcastPrefix(ConvertDType(Const(v.Graph(), m), v.DType()), v.Shape().Dimensions[0]))
		})
	}
}

// TransformedAccuracy returns the accuracy (%) on ds of the trainer's model in eval mode with its current
// noise, the value of `site` replaced by f(value) before the site's noise operator (see
// noise.Injector.Transforms), in batches of batchSize (≤ 0: train.DefaultEvalBatchSize). It draws exactly the
// noise Evaluate(ds, batchSize) draws, so the two accuracies are paired, and like Evaluate it leaves the
// trainer's noise stream as it was.
func TransformedAccuracy(t *train.Trainer, ds *data.Dataset, site int, f func(x *Node) *Node, batchSize int) (acc float64, err error) {
	if err := checkSite(t.Model, ds, site); err != nil {
		return 0, err
	}
	if batchSize <= 0 {
		batchSize = train.DefaultEvalBatchSize
	}
	if err := noWeightNoise(t); err != nil {
		return 0, err
	}
	specs := t.Noise()
	m := t.Model
	err = t.Observe(func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("dynamics: model %s: transformed site %d: %v", m.Name, site, r)
			}
		}()
		e := model.MustNewExec(t.Backend, t.Store, func(scope *model.Scope, x, y, params *Node) *Node {
			scope.Store().SetTraining(x.Graph(), false)
			inj := &noise.Injector{Specs: specs, Params: params, Random: noise.StoreNormal(scope.Store()),
				Transforms: map[int]func(*Node) *Node{site: f}}
			logits := m.Forward(scope.In(train.ModelScope), x, inj, nil)
			return ReduceAllSum(ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), y), dtypes.Int32))
		})
		defer e.Finalize()
		params := noise.ParamsTensor(specs)
		correct := 0
		n, err := train.Batches(t.Backend, ds, batchSize, func(x, y *tensors.Tensor) error {
			outs, err := e.Exec(x, y, params)
			if err != nil {
				return err
			}
			correct += int(tensors.ToScalar[int32](outs[0]))
			return outs[0].FinalizeAll()
		})
		if err != nil {
			return fmt.Errorf("dynamics: model %s: transformed site %d: %w", m.Name, site, err)
		}
		acc = 100 * float64(correct) / float64(n)
		return nil
	})
	return acc, err
}

// FeedingReLU returns the last ReLU site at or before `site` (the ReLU whose zeros feed the site: relu1 for
// the sites of fc2 and bn2), or −1 if there is none.
func FeedingReLU(m *models.Model, site int) int {
	for s := min(site, m.NumSites()-1); s >= 0; s-- {
		if m.Sites[s].Kind == models.KindReLU {
			return s
		}
	}
	return -1
}

// CodeStats locates self-binarization at one site: how much of the model's accuracy under its noise survives
// when the site's activation is replaced by its per-unit two-level code, against the sign probe. Under
// multiplicative noise of very large σ the noise's sign is random and only |x| survives, so the sign copy
// (one magnitude per unit) is at chance by construction there, and the code's accuracy rests on its levels'
// magnitudes differing (MedianLevelRatio ≫ 1).
type CodeStats struct {
	// Site is the site index and Name its readable name.
	Site int    `json:"site"`
	Name string `json:"name"`
	// Acc is the model's accuracy (%) with its noise; CodeAcc with the site replaced by its two-level code
	// (then the noise applied as usual), SignAcc by its sign copy sign(x)·mean|x|; all three with the same
	// noise draws.
	Acc     float64 `json:"acc"`
	CodeAcc float64 `json:"code_acc"`
	SignAcc float64 `json:"sign_acc"`
	// MeanEta is the units' mean Otsu η (Code.MeanEta); MedianLevelRatio their median on/off level ratio.
	MeanEta          float64 `json:"mean_eta"`
	MedianLevelRatio float64 `json:"median_level_ratio"`
	// Sparsity is the fraction of zeros of the ReLU feeding the site (FeedingReLU) on the test set; NaN if
	// none does.
	Sparsity float64 `json:"sparsity"`
}

// MeasureCode extracts the two-level code and the sign copy of a site from its clean activations on `levels`
// and measures them on test (both may be the same data set; a few thousand examples suffice), with the
// trainer's current noise. It never changes the trainer's noise stream.
func MeasureCode(t *train.Trainer, levels, test *data.Dataset, site int) (CodeStats, error) {
	cs := CodeStats{Site: site, Sparsity: math.NaN()}
	a, err := SiteActivations(t, levels, site)
	if err != nil {
		return cs, err
	}
	cs.Name = t.Model.Sites[site].Name()
	code := TwoLevelCode(a)
	cs.MeanEta, cs.MedianLevelRatio = code.MeanEta(), code.MedianLevelRatio()
	identity := func(x *Node) *Node { return x }
	for _, p := range []struct {
		f   func(*Node) *Node
		out *float64
	}{{identity, &cs.Acc}, {code.Transform, &cs.CodeAcc}, {SignCopy(a), &cs.SignAcc}} {
		if *p.out, err = TransformedAccuracy(t, test, site, p.f, 0); err != nil {
			return cs, err
		}
	}
	if r := FeedingReLU(t.Model, site); r >= 0 {
		z, err := SiteActivations(t, test, r)
		if err != nil {
			return cs, err
		}
		cs.Sparsity = analysis.FractionZeros(z.Values)
	}
	return cs, nil
}
