package train

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	g "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// StackTrainer trains K copies of a model that differ only in their noise as one program: parameters carry a
// leading model axis, every step feeds the same batch to all K (as K separate runs with the same seed
// would see it) and Adam updates each copy from its own loss. All copies start from the weights a Trainer
// with the same seed starts from. Small models fill the machine better this way than one at a time.
type StackTrainer struct {
	// Model is the network; Model.CanStack() must be true.
	Model *models.Model
	// Backend runs the graphs.
	Backend compute.Backend
	// Store holds the stacked parameters, optimizer state and the noise RNG.
	Store *model.Store
	// Seed is the run seed shared by all copies.
	Seed uint64
	// K is the number of copies.
	K int
	// Clamp clamps Linear weights to [−1, 1] after every step.
	Clamp bool
	// ClassWeights weight every copy's training loss as Trainer.ClassWeights does.
	ClassWeights []float32

	specs   [][]noise.Spec
	params  *tensors.Tensor
	lrValue float64
	lrVar   *model.Variable
	execs   map[execKey]*model.Exec
}

// NewStackTrainer creates a StackTrainer of k copies of m, initialised as NewTrainer(b, m, seed) would initialise one,
// without noise and with learning rate 1e-3.
func NewStackTrainer(b compute.Backend, m *models.Model, seed uint64, k int) (*StackTrainer, error) {
	if !m.CanStack() {
		return nil, fmt.Errorf("model %s cannot be stacked: only dense models can so far", m.Name)
	}
	if k < 1 {
		return nil, fmt.Errorf("model %s: a stack needs at least 1 copy, got %d", m.Name, k)
	}
	store, lrVar, err := newStore(seed)
	if err != nil {
		return nil, err
	}
	s := &StackTrainer{Model: m, Backend: b, Store: store, Seed: seed, K: k, lrVar: lrVar, lrValue: 1e-3,
		execs: map[execKey]*model.Exec{}}
	if err := s.SetNoise(make([]noise.Config, k)); err != nil {
		return nil, err
	}
	return s, nil
}

// SetNoise sets the noise of each copy (one Config per copy, all with the same structure, see
// noise.StructureKey: e.g. one site and K values of σ).
func (s *StackTrainer) SetNoise(cfgs []noise.Config) error {
	if len(cfgs) != s.K {
		return fmt.Errorf("model %s: stack of %d needs %d noise configurations, got %d", s.Model.Name, s.K, s.K, len(cfgs))
	}
	specs, err := resolveAlike(s.Model, cfgs, "copy")
	if err != nil {
		return err
	}
	s.specs, s.params = specs, noise.StackParams(specs)
	return nil
}

// SetLearningRate sets Adam's learning rate of every copy for the following steps.
func (s *StackTrainer) SetLearningRate(lr float64) error {
	if s.lrValue == lr {
		return nil
	}
	s.lrValue = lr
	return s.lrVar.SetValue(tensors.FromScalar(float32(lr)))
}

// exec returns the compiled train step (train) or evaluation step for the given noise specs (of copy 0; the
// others have the same structure): it returns per-copy mean losses (train) or loss sums (evaluation) and
// numbers of correct predictions.
func (s *StackTrainer) exec(train bool, specs []noise.Spec) *model.Exec {
	key := execKey{train: train, structure: noise.StructureKey(specs), clamp: train && s.Clamp}
	if e, ok := s.execs[key]; ok {
		return e
	}
	m, k := s.Model, s.K
	fn := func(scope *model.Scope, x, y, params *g.Node) (losses, corrects *g.Node) {
		gr := x.Graph()
		scope.Store().SetTraining(gr, train)
		inj := &noise.Injector{Specs: specs, Params: params, Training: train, Random: noise.StoreNormal(scope.Store())}
		logits := m.ForwardStack(scope.In(ModelScope), x, k, inj) // [K, batch, classes]
		n, classes := logits.Shape().Dimensions[1], logits.Shape().Dimensions[2]
		labels := g.Reshape(g.BroadcastPrefix(y, k), k*n)
		perExample := g.Reshape(crossEntropy(g.Reshape(logits, k*n, classes), labels), k, n)
		hits := g.Equal(g.ArgMax(logits, -1, dtypes.Int32), g.BroadcastPrefix(y, k))
		corrects = g.ReduceSum(g.ConvertDType(hits, dtypes.Int32), 1)
		if !train {
			return g.ReduceSum(perExample, 1), corrects
		}
		losses = meanLoss(perExample, g.BroadcastPrefix(y, k), s.ClassWeights)
		// The sum of the K mean losses: each copy's parameters get the gradient of its own loss.
		update(scope, gr, g.ReduceAllSum(losses), key.clamp)
		return losses, corrects
	}
	e := model.MustNewExec(s.Backend, s.Store, fn)
	s.execs[key] = e
	return e
}

// Step runs one training step of every copy on the batch (x: [n, H, W, C] float32, y: [n] int32) and
// returns each copy's mean loss and number of correct predictions (training mode, with training noise).
func (s *StackTrainer) Step(x, y *tensors.Tensor) (losses []float64, corrects []int, err error) {
	if n := batchLen(x); n > 0 {
		if err := s.Model.CheckTrainBatches(n, n); err != nil {
			return nil, nil, err
		}
	}
	losses, corrects, err = s.run(s.exec(true, s.specs[0]), s.params, x, y)
	dropEvalExecs(s.execs) // the step changed the weights, statistics and noise stream
	return losses, corrects, err
}

func (s *StackTrainer) run(e *model.Exec, params, x, y *tensors.Tensor) (losses []float64, corrects []int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s: stack: %v", s.Model.Name, r)
		}
	}()
	outs, err := e.Exec(x, y, params)
	if err != nil {
		return nil, nil, fmt.Errorf("model %s: stack: %w", s.Model.Name, err)
	}
	ls, cs := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[int32](outs[1])
	for _, o := range outs {
		o.FinalizeAll()
	}
	losses, corrects = make([]float64, s.K), make([]int, s.K)
	for j := range s.K {
		losses[j], corrects[j] = float64(ls[j]), int(cs[j])
	}
	return losses, corrects, nil
}

// Evaluate evaluates every copy on ds in eval mode (BatchNorm running statistics) with its evaluation noise
// (clean: with all noise off) and returns each copy's accuracy (%) and mean loss: what Trainer.Evaluate (or
// EvaluateClean) gives for the copy alone, drawing from a copy of the same noise stream and leaving the
// stream as it was.
func (s *StackTrainer) Evaluate(ds *data.Dataset, batchSize int, clean bool) (accs, losses []float64, err error) {
	err = observe(s.Store, func() error {
		accs, losses, err = s.evaluate(ds, batchSize, clean)
		return err
	})
	return accs, losses, err
}

func (s *StackTrainer) evaluate(ds *data.Dataset, batchSize int, clean bool) (accs, losses []float64, err error) {
	specs, params := s.specs[0], s.params
	if clean {
		none := make([][]noise.Spec, s.K)
		for j := range none {
			none[j] = make([]noise.Spec, s.Model.NumSites())
		}
		specs, params = none[0], noise.StackParams(none)
	}
	e := s.exec(false, specs)
	return evalLoop(s.Backend, s.Model, ds, batchSize, s.K, func(x, y *tensors.Tensor) ([]float64, []int, error) {
		return s.run(e, params, x, y)
	})
}

// Checkpoint returns copy j's parameters as the checkpoint of a single model, e.g. to Restore it into a
// Trainer for evaluation.
func (s *StackTrainer) Checkpoint(j int) (*Checkpoint, error) {
	if j < 0 || j >= s.K {
		return nil, fmt.Errorf("model %s: copy %d out of range 0..%d", s.Model.Name, j, s.K-1)
	}
	vars, err := modelVars(s.Store)
	if err != nil {
		return nil, err
	}
	ck := &Checkpoint{Model: s.Model.Name, Input: s.Model.Input, Seed: s.Seed, Clamp: s.Clamp, Vars: map[string]Var{}}
	for path, v := range vars { // Every stacked variable has the copies along its first axis.
		per := len(v.Data) / v.Dims[0]
		ck.Vars[path] = Var{Dims: v.Dims[1:], Data: v.Data[j*per : (j+1)*per]}
	}
	if len(ck.Vars) == 0 {
		return nil, fmt.Errorf("model %s has no parameters yet: run a train step first", s.Model.Name)
	}
	return ck, nil
}

// Trainer returns copy j as a Trainer (its parameters, the stack's noise RNG state and copy j's noise), e.g.
// to evaluate it: it continues exactly as a Trainer trained alone with the same seed and noise would.
func (s *StackTrainer) Trainer(j int, cfg noise.Config) (*Trainer, error) {
	ck, err := s.Checkpoint(j)
	if err != nil {
		return nil, err
	}
	t, err := NewTrainer(s.Backend, s.Model, s.Seed)
	if err != nil {
		return nil, err
	}
	if err := t.Restore(ck); err != nil {
		return nil, err
	}
	if err := t.SetNoise(cfg); err != nil {
		return nil, err
	}
	path := model.JoinPath("/", model.RNGStateVariableName)
	if v := s.Store.GetVariable(path); v != nil && v.HasValue() {
		val, err := v.Value()
		if err != nil {
			return nil, err
		}
		state, err := tensors.CopyFlatData[uint64](val)
		if err != nil {
			return nil, err
		}
		if err := t.Store.GetVariable(path).SetValue(tensors.FromFlatDataAndDimensions(state, val.Shape().Dimensions...)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// FitStack trains one copy of m per noise configuration as a single StackTrainer, with Fit's protocol, then
// evaluates the copies (stacked, see Evaluate). It reads the protocol fields of opts (Epochs, BatchSize,
// EvalBatchSize, LR, Clamp, Seed, Progress); the per-run fields are an error: Noise (the copies' noise is
// noises), OnEpoch, EvalEveryEpoch, a non-constant Schedule and EvalNoise (use Fit).
// Copy j gives what Fit with opts.Noise = noises[j] gives: the same initial weights, batches and noise draws,
// so the same results up to floating-point rounding. Diverged, accuracies and losses are per copy;
// TrainSeconds and ImgPerSec are those of the whole stack (images of all copies).
func FitStack(b compute.Backend, m *models.Model, trainSet, testSet *data.Dataset, opts Options, noises []noise.Config) ([]*Result, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := opts.checkStack(); err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	s, err := NewStackTrainer(b, m, opts.Seed, len(noises))
	if err != nil {
		return nil, err
	}
	if err := s.SetNoise(noises); err != nil {
		return nil, err
	}
	s.Clamp, s.ClassWeights = opts.Clamp, trainSet.ClassWeights
	if err := checkData(m, trainSet); err != nil {
		return nil, err
	}
	if err := m.CheckTrainBatches(trainSet.Len(), opts.BatchSize); err != nil {
		return nil, err
	}
	k := len(noises)
	res := make([]*Result, k)
	for j := range res {
		res[j] = &Result{Model: m.Name, Seed: opts.Seed, Noise: noises[j].String()}
	}
	start := time.Now()
	epochs, diverged, images, err := epochLoop(s.Backend, m, trainSet, opts, opts.Seed, k, fmt.Sprintf("%s ×%d [%s …]", m.Name, k, res[0].Noise),
		func(_ int, lr float64) error { return s.SetLearningRate(lr) }, s.Step, nil)
	if err != nil {
		return nil, err
	}
	images *= k
	for j, r := range res {
		r.Epochs, r.Diverged = epochs[j], diverged[j]
	}
	secs := time.Since(start).Seconds()
	var noisyAcc, noisyLoss, cleanAcc []float64
	if testSet != nil {
		if err := checkData(m, testSet); err != nil {
			return nil, err
		}
		if noisyAcc, noisyLoss, err = s.Evaluate(testSet, opts.EvalBatchSize, false); err != nil {
			return nil, err
		}
		if cleanAcc, _, err = s.Evaluate(testSet, opts.EvalBatchSize, true); err != nil {
			return nil, err
		}
	}
	for j, r := range res {
		r.Warning = LossWarning(r.Epochs, m.Input.NumClasses)
		r.TrainSeconds, r.ImgPerSec = secs, float64(images)/secs
		if r.Trainer, err = s.Trainer(j, noises[j]); err != nil {
			return nil, err
		}
		if testSet != nil {
			r.NoisyAcc, r.TestLoss, r.CleanAcc = noisyAcc[j], noisyLoss[j], cleanAcc[j]
		}
		fmt.Fprintln(opts.Progress, r.Summary())
	}
	return res, nil
}

// checkStack reports the options FitStack does not read: the noise of a stack is one configuration per copy,
// and its epochs have no per-copy hook or evaluation.
func (o Options) checkStack() error {
	var set []string
	if len(o.Noise.Sites) > 0 || !reflect.DeepEqual(o.Noise.Default, noise.Spec{}) {
		set = append(set, "Noise (pass one noise configuration per copy instead)")
	}
	if o.OnEpoch != nil {
		set = append(set, "OnEpoch")
	}
	if o.EvalEveryEpoch {
		set = append(set, "EvalEveryEpoch")
	}
	if !o.Schedule.IsConstant() {
		set = append(set, "Schedule")
	}
	if o.EvalNoise != nil {
		set = append(set, "EvalNoise")
	}
	if len(set) > 0 {
		return fmt.Errorf("FitStack does not read Options.%s: leave them zero, or use Fit for a single model", strings.Join(set, ", Options."))
	}
	return nil
}
