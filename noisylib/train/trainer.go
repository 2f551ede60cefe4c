package train

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// ModelScope is the store scope under which the model's parameters live.
const ModelScope = "model"

// Trainer holds a model's variables (in a GoMLX store) and the compiled train and evaluation steps.
type Trainer struct {
	// Model is the network being trained.
	Model *models.Model
	// Backend runs the graphs.
	Backend compute.Backend
	// Store holds the parameters, BatchNorm statistics, optimizer state and noise RNG state.
	Store *model.Store
	// Seed is the run seed the initial weights and the noise RNG derive from.
	Seed uint64
	// Clamp clamps Linear/Conv weights (not biases, not BatchNorm) to [−1, 1] after every step.
	Clamp bool
	// ClassWeights, if set (one per class), weight the training loss as PyTorch's CrossEntropyLoss(weight)
	// does: Σ w_y·CE / Σ w_y over the batch (GSC2's protocol). Fit takes them from the training set
	// (data.Dataset.ClassWeights). Set them before the first step.
	ClassWeights []float32

	specs   []noise.Spec
	weights []noise.Spec // weight noise per weight layer; nil without (see weightnoise.go)
	// noiseSeed is the seed of the current evaluation noise stream (the run seed until ReseedNoise): static
	// weight noise draws from it.
	noiseSeed uint64
	params    *tensors.Tensor
	lrValue   float64
	lrVar     *model.Variable
	execs     map[execKey]*model.Exec
	// examples, while Fit trains with per-example σ, draws the θ·|z_i| of every training batch (schedule.go).
	examples *exampleSigmas
}

type execKey struct {
	train      bool
	structure  string
	clamp      bool
	perExample bool
}

// NewTrainer creates a Trainer with freshly initialised weights (PyTorch defaults, seeded by seed), no noise
// and learning rate 1e-3.
func NewTrainer(b compute.Backend, m *models.Model, seed uint64) (*Trainer, error) {
	store, lrVar, err := newStore(seed)
	if err != nil {
		return nil, err
	}
	t := &Trainer{Model: m, Backend: b, Store: store, Seed: seed, lrVar: lrVar, lrValue: 1e-3,
		execs: map[execKey]*model.Exec{}, noiseSeed: seed}
	if err := t.SetNoise(noise.Config{}); err != nil {
		return nil, err
	}
	return t, nil
}

// newStore returns a store whose initial weights and noise RNG derive from seed (the seed rule, seeds.go), and its learning-rate
// variable, set to 1e-3.
func newStore(seed uint64) (*model.Store, *model.Variable, error) {
	store := model.NewStore()
	if err := seedStore(store, seed); err != nil {
		return nil, nil, fmt.Errorf("seeding the noise RNG: %w", err)
	}
	return store, optimizer.LearningRateVar(store.RootScope(), dtypes.Float32, 1e-3), nil
}

// SetNoise sets the noise of every site and weight layer, used by the following train steps and evaluations.
// Changing only numeric values (σ, A, r, means) reuses the compiled graphs.
func (t *Trainer) SetNoise(cfg noise.Config) error {
	specs, err := cfg.Resolve(t.Model.NumSites())
	if err != nil {
		return fmt.Errorf("model %s: %w", t.Model.Name, err)
	}
	weights, err := cfg.ResolveWeights(len(t.Model.WeightLayers()))
	if err != nil {
		return fmt.Errorf("model %s: %w", t.Model.Name, err)
	}
	t.specs = specs
	return t.setWeights(weights)
}

// Noise returns the resolved noise Spec of every site.
func (t *Trainer) Noise() []noise.Spec { return append([]noise.Spec(nil), t.specs...) }

// SetLearningRate sets Adam's learning rate for the following steps.
func (t *Trainer) SetLearningRate(lr float64) error {
	if t.lrValue == lr {
		return nil
	}
	t.lrValue = lr
	return t.lrVar.SetValue(tensors.FromScalar(float32(lr)))
}

func (t *Trainer) exec(train bool) *model.Exec {
	key := execKey{train: train, structure: noise.StructureKey(t.specs) + noise.WeightsStructureKey(t.weights), clamp: train && t.Clamp,
		perExample: train && t.examples != nil}
	if e, ok := t.execs[key]; ok {
		return e
	}
	specs := append([]noise.Spec(nil), t.specs...)
	weights, static := t.weightInjection()
	m := t.Model
	// exSigma is the [batch] per-example σ increment of a per-example schedule, nil otherwise (the graph is
	// then the one trainings always had).
	body := func(scope *model.Scope, x, y, params, exSigma *Node) (loss, correct *Node) {
		g := x.Graph()
		scope.Store().SetTraining(g, train)
		inj := &noise.Injector{Specs: specs, Params: params, Training: train, Random: noise.StoreNormal(scope.Store()),
			Weights: weights, Static: static, ExampleSigma: exSigma}
		logits := m.Forward(scope.In(ModelScope), x, inj, nil)
		perExample := crossEntropy(logits, y)
		correct = ReduceAllSum(ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), y), dtypes.Int32))
		if !train {
			return ReduceAllSum(perExample), correct
		}
		loss = meanLoss(perExample, y, t.ClassWeights)
		update(scope, g, loss, key.clamp)
		return loss, correct
	}
	var e *model.Exec
	if key.perExample {
		e = model.MustNewExec(t.Backend, t.Store, body)
	} else {
		e = model.MustNewExec(t.Backend, t.Store, func(scope *model.Scope, x, y, params *Node) (loss, correct *Node) {
			return body(scope, x, y, params, nil)
		})
	}
	t.execs[key] = e
	return e
}

// update adds Adam's step on loss to the graph (β 0.9/0.999 and ε 1e-8, as PyTorch) and, with clamp, clips
// the Linear/Conv weights to [−1, 1] after it.
func update(scope *model.Scope, g *Graph, loss *Node, clamp bool) {
	optimizer.Adam().Epsilon(1e-8).Done().UpdateGraph(scope, g, loss)
	if !clamp {
		return
	}
	for v := range scope.Store().IterVariables() {
		if v.Trainable && v.Name() == layers.WeightsName && v.InUseByGraph(g) {
			v.SetNodeValue(ClipScalar(v.NodeValue(g), -1, 1))
		}
	}
}

// meanLoss returns the mean of the per-example losses over the last axis, or with class weights the weighted
// mean Σ w_y·l / Σ w_y of PyTorch's CrossEntropyLoss(weight, reduction="mean"). labels has perExample's shape.
func meanLoss(perExample, labels *Node, weights []float32) *Node {
	if weights == nil {
		return ReduceMean(perExample, -1)
	}
	oneHot := OneHot(labels, len(weights), perExample.DType())
	dims := oneHot.Shape().Dimensions
	w := Mul(oneHot, BroadcastPrefix(Const(perExample.Graph(), weights), dims[:len(dims)-1]...))
	wy := ReduceSum(w, -1)
	return Div(ReduceSum(Mul(perExample, wy), -1), ReduceSum(wy, -1))
}

// crossEntropy returns −log softmax(logits)[y] per example.
func crossEntropy(logits, labels *Node) *Node { return nll(LogSoftmax(logits, -1), labels) }

// nll returns the negative log-likelihood of the labels ([n] int32) under log-probabilities logProbs ([n,
// classes]) per example: crossEntropy of the logits whose LogSoftmax logProbs is.
func nll(logProbs, labels *Node) *Node {
	return nllOneHot(logProbs, OneHot(labels, logProbs.Shape().Dimensions[1], logProbs.DType()))
}

// nllOneHot is nll with the labels given one-hot ([n, classes], the dtype of logProbs), to share them between
// several outputs.
func nllOneHot(logProbs, oneHot *Node) *Node {
	return Neg(ReduceSum(Mul(logProbs, oneHot), -1))
}

// Step runs one training step on a batch (x: [n, H, W, C] float32, y: [n] int32) and returns the batch's
// mean loss and number of correct predictions (in training mode, with training noise). A batch that gives a
// BatchNorm one value per channel is an error (see models.Model.CheckTrainBatches).
func (t *Trainer) Step(x, y *tensors.Tensor) (loss float64, correct int, err error) {
	if n := batchLen(x); n > 0 {
		if err := t.Model.CheckTrainBatches(n, n); err != nil {
			return math.NaN(), 0, err
		}
	}
	return t.run(true, x, y)
}

// batchLen returns the leading dimension of a batch tensor (0 for nil or a scalar).
func batchLen(x *tensors.Tensor) int {
	if x == nil || x.Shape().Rank() == 0 {
		return 0
	}
	return x.Shape().Dimensions[0]
}

// EvalBatch evaluates a batch in eval mode (BatchNorm running statistics, evaluation noise) and returns the
// summed loss and number of correct predictions.
func (t *Trainer) EvalBatch(x, y *tensors.Tensor) (lossSum float64, correct int, err error) {
	return t.run(false, x, y)
}

func (t *Trainer) run(train bool, x, y *tensors.Tensor) (loss float64, correct int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s: %v", t.Model.Name, r)
		}
	}()
	args := []any{x, y, t.params}
	if train && t.examples != nil {
		args = append(args, tensors.FromFlatDataAndDimensions(t.examples.next(batchLen(x)), batchLen(x)))
	}
	outs, err := t.exec(train).Exec(args...)
	if train {
		dropEvalExecs(t.execs) // the step changed the weights, statistics and noise stream
	}
	if err != nil {
		return math.NaN(), 0, fmt.Errorf("model %s: %w", t.Model.Name, err)
	}
	loss = float64(tensors.ToScalar[float32](outs[0]))
	correct = int(tensors.ToScalar[int32](outs[1]))
	for _, o := range outs {
		o.FinalizeAll()
	}
	return loss, correct, nil
}
