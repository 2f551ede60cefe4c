package train

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/schollz/progressbar/v3"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/internal/strictjson"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Options configure Fit. Zero values select the reference protocol's defaults.
type Options struct {
	// Epochs to train (default 1).
	Epochs int
	// BatchSize for training (default 128, the reference's).
	BatchSize int
	// EvalBatchSize for evaluation (default DefaultEvalBatchSize). Evaluation is per example (BatchNorm uses its
	// running statistics, noise is i.i.d. per element), so it only changes speed and which draws fall where.
	EvalBatchSize int
	// LR is Adam's initial learning rate (default 1e-3), annealed per epoch by a cosine schedule to 0.
	LR float64
	// Clamp clamps Linear/Conv weights to [−1, 1] after every step.
	Clamp bool
	// Seed is the run seed: initial weights, noise draws, shuffling and augmentation all derive from it.
	Seed uint64
	// Noise is the noise configuration used in training and evaluation (see noise.Spec.EvalOnly for
	// clean training with noisy evaluation): its σ are the σ_train of Schedule.
	Noise noise.Config
	// Schedule is the training-noise schedule (zero: constant, σ_train at every step; see Schedule).
	Schedule Schedule
	// EvalNoise, if set, is the noise of the final evaluation (Result.NoisyAcc, TestLoss) and of
	// EvalEveryEpoch's, instead of Noise: evaluation at σ_eval ≠ σ_train. nil evaluates with Noise.
	EvalNoise *noise.Config
	// Progress receives the progress bar and the summary line (default os.Stderr; io.Discard silences).
	Progress io.Writer
	// EvalEveryEpoch evaluates on the test set after every epoch (default: only after the last one).
	EvalEveryEpoch bool
	// OnEpoch, if set, is called after every epoch with the trainer, e.g. to record weight statistics; the
	// trainer's noise is then σ_train, whatever the Schedule.
	OnEpoch func(t *Trainer, e EpochStats) error
}

// check reports options that are not a choice of defaults but invalid: negative epochs or batch sizes, a
// negative or non-finite learning rate. Zero values select the defaults.
func (o Options) check() error {
	switch {
	case o.Epochs < 0:
		return fmt.Errorf("train: Epochs = %d, want ≥ 1 (or 0 for 1)", o.Epochs)
	case o.BatchSize < 0 || o.EvalBatchSize < 0:
		return fmt.Errorf("train: BatchSize = %d, EvalBatchSize = %d: want ≥ 1 (or 0 for the default)", o.BatchSize, o.EvalBatchSize)
	case o.LR < 0 || math.IsNaN(o.LR) || math.IsInf(o.LR, 0):
		return fmt.Errorf("train: LR = %g, want a finite learning rate > 0 (or 0 for 1e-3)", o.LR)
	}
	if err := o.Schedule.Validate(o.Epochs); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Epochs <= 0 {
		o.Epochs = 1
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 128
	}
	if o.EvalBatchSize <= 0 {
		o.EvalBatchSize = DefaultEvalBatchSize
	}
	if o.LR <= 0 {
		o.LR = 1e-3
	}
	if o.Progress == nil {
		o.Progress = os.Stderr
	}
	return o
}

// EpochStats summarises one epoch.
type EpochStats struct {
	Epoch     int     `json:"epoch"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"` // mean over batches
	TrainAcc  float64 `json:"train_acc"`  // %, in training mode (with training noise)
	TestLoss  float64 `json:"test_loss"`  // mean over examples; NaN if not evaluated
	TestAcc   float64 `json:"test_acc"`   // %; NaN if not evaluated
	Seconds   float64 `json:"seconds"`
}

// epochJSON is EpochStats in JSON, with null for values that are not finite.
type epochJSON struct {
	Epoch     int      `json:"epoch"`
	LR        *float64 `json:"lr"`
	TrainLoss *float64 `json:"train_loss"`
	TrainAcc  *float64 `json:"train_acc"`
	TestLoss  *float64 `json:"test_loss"`
	TestAcc   *float64 `json:"test_acc"`
	Seconds   *float64 `json:"seconds"`
}

// MarshalJSON writes NaN and infinite values (TestLoss and TestAcc of an epoch without evaluation, the loss of a
// diverged training) as null, which JSON cannot otherwise hold (encoding/json refuses them).
func (e EpochStats) MarshalJSON() ([]byte, error) {
	finite := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(epochJSON{Epoch: e.Epoch, LR: finite(e.LR), TrainLoss: finite(e.TrainLoss),
		TrainAcc: finite(e.TrainAcc), TestLoss: finite(e.TestLoss), TestAcc: finite(e.TestAcc), Seconds: finite(e.Seconds)})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (e *EpochStats) UnmarshalJSON(b []byte) error {
	var j epochJSON
	if err := strictjson.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("epoch statistics: %w", err)
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*e = EpochStats{Epoch: j.Epoch, LR: val(j.LR), TrainLoss: val(j.TrainLoss), TrainAcc: val(j.TrainAcc),
		TestLoss: val(j.TestLoss), TestAcc: val(j.TestAcc), Seconds: val(j.Seconds)}
	return nil
}

// Result is the outcome of Fit.
type Result struct {
	Model    string       `json:"model"`
	Seed     uint64       `json:"seed"`
	Noise    string       `json:"noise"`
	Epochs   []EpochStats `json:"epochs"`
	CleanAcc float64      `json:"clean_acc"` // % on the test set with all noise off
	NoisyAcc float64      `json:"noisy_acc"` // % on the test set with the evaluation noise
	TestLoss float64      `json:"test_loss"` // mean loss with the evaluation noise
	// Diverged is true if the training loss became NaN or infinite.
	Diverged bool `json:"diverged"`
	// Warning is non-empty when the training loss never fell below the chance-level loss ln C or exploded
	// (see LossWarning): the run did not learn, whatever its accuracy says. It changes no accuracy.
	Warning      string  `json:"warning,omitempty"`
	TrainSeconds float64 `json:"train_seconds"`
	ImgPerSec    float64 `json:"img_per_sec"` // training throughput
	// Trainer holds the trained model, e.g. for Checkpoint or further evaluation.
	Trainer *Trainer `json:"-"`
}

// Summary returns the one-line summary printed at the end of Fit.
func (r *Result) Summary() string {
	div := ""
	if r.Diverged {
		div = " DIVERGED"
	}
	if r.Warning != "" {
		div += " WARNING: " + r.Warning
	}
	return fmt.Sprintf("%s seed=%d noise=[%s]: clean acc %.2f%%, noisy acc %.2f%%, train %.1fs, %.0f img/s%s",
		r.Model, r.Seed, r.Noise, r.CleanAcc, r.NoisyAcc, r.TrainSeconds, r.ImgPerSec, div)
}

// ExplodeFactor is how many times the chance-level loss ln C an epoch's mean training loss must exceed for
// LossWarning to call the training exploded.
const ExplodeFactor = 100

// LossWarning returns why a training did not learn, or "" if it did. A training of a classifier over C
// classes is flagged when its mean training loss of some epoch exceeds ExplodeFactor·ln C (the loss
// exploded, e.g. ~1e7 with multiplicative σ = 1e10) or no epoch's mean loss fell below ln C, the loss of a
// uniform guess (it never learned). NaN and infinite losses are Result.Diverged, not a warning.
func LossWarning(epochs []EpochStats, classes int) string {
	if len(epochs) == 0 || classes < 2 {
		return ""
	}
	lnC := math.Log(float64(classes))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range epochs {
		if math.IsNaN(e.TrainLoss) || math.IsInf(e.TrainLoss, 0) {
			return ""
		}
		lo, hi = math.Min(lo, e.TrainLoss), math.Max(hi, e.TrainLoss)
	}
	switch {
	case hi > ExplodeFactor*lnC:
		return fmt.Sprintf("training loss exploded: an epoch's mean loss reached %.3g, more than %d× the chance-level loss ln %d = %.3g",
			hi, ExplodeFactor, classes, lnC)
	case lo >= lnC:
		return fmt.Sprintf("training never learned: its mean loss never fell below the chance-level loss ln %d = %.3g (lowest %.3g)",
			classes, lnC, lo)
	}
	return ""
}

// CosineLR is the learning rate of epoch e (0-based) of T under PyTorch's CosineAnnealingLR(T, eta_min=0)
// stepped per epoch: lr0·(1 + cos(π·e/T))/2.
func CosineLR(lr0 float64, e, T int) float64 {
	return lr0 * (1 + math.Cos(math.Pi*float64(e)/float64(T))) / 2
}

// Fit builds a Trainer for m seeded by opts.Seed, trains it on trainSet and evaluates on testSet.
func Fit(b compute.Backend, m *models.Model, trainSet, testSet *data.Dataset, opts Options) (*Result, error) {
	t, err := NewTrainer(b, m, opts.Seed)
	if err != nil {
		return nil, err
	}
	return t.Fit(trainSet, testSet, opts)
}

// Fit trains the model for opts.Epochs epochs (the trainer's seed is used, not opts.Seed) and evaluates it.
func (t *Trainer) Fit(trainSet, testSet *data.Dataset, opts Options) (*Result, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := t.checkData(trainSet); err != nil {
		return nil, err
	}
	if err := t.Model.CheckTrainBatches(trainSet.Len(), opts.BatchSize); err != nil {
		return nil, err
	}
	if err := t.SetNoise(opts.Noise); err != nil {
		return nil, err
	}
	var evalSpecs []noise.Spec
	if opts.EvalNoise != nil {
		var err error
		if evalSpecs, err = opts.EvalNoise.Resolve(t.Model.NumSites()); err != nil {
			return nil, fmt.Errorf("model %s: evaluation noise: %w", t.Model.Name, err)
		}
	}
	begin, end, err := t.schedule(opts.Schedule)
	if err != nil {
		return nil, err
	}
	defer func() { end(); t.examples = nil }()
	t.Clamp = opts.Clamp
	if t.ClassWeights == nil {
		t.ClassWeights = trainSet.ClassWeights
	}
	res := &Result{Model: t.Model.Name, Seed: t.Seed, Noise: opts.Noise.String(), Trainer: t}
	start := time.Now()
	step := func(x, y *tensors.Tensor) ([]float64, []int, error) {
		loss, c, err := t.Step(x, y)
		return []float64{loss}, []int{c}, err
	}
	evaluate := func() (float64, float64, error) {
		if evalSpecs == nil {
			return t.Evaluate(testSet, opts.EvalBatchSize)
		}
		return t.evaluateWith(testSet, evalSpecs, opts.EvalBatchSize)
	}
	after := func(stats []EpochStats) error {
		end() // evaluations and the hook see σ_train; begin sets the next epoch's σ
		if opts.EvalEveryEpoch && testSet != nil {
			acc, loss, err := evaluate()
			if err != nil {
				return err
			}
			stats[0].TestAcc, stats[0].TestLoss = acc, loss
		}
		if opts.OnEpoch != nil {
			return opts.OnEpoch(t, stats[0])
		}
		return nil
	}
	epochs, diverged, images, err := epochLoop(t.Backend, t.Model, trainSet, opts, t.Seed, 1, fmt.Sprintf("%s [%s]", t.Model.Name, res.Noise),
		begin, step, after)
	if err != nil {
		return nil, err
	}
	res.Epochs, res.Diverged = epochs[0], diverged[0]
	res.Warning = LossWarning(res.Epochs, t.Model.Input.NumClasses)
	res.TrainSeconds = time.Since(start).Seconds()
	res.ImgPerSec = float64(images) / res.TrainSeconds
	if testSet != nil {
		if res.NoisyAcc, res.TestLoss, err = evaluate(); err != nil {
			return nil, err
		}
		if res.CleanAcc, err = t.EvaluateClean(testSet, opts.EvalBatchSize); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(opts.Progress, res.Summary())
	return res, nil
}

func (t *Trainer) checkData(ds *data.Dataset) error { return checkData(t.Model, ds) }

// checkData reports a data set that is empty or does not fit the model's input.
func checkData(m *models.Model, ds *data.Dataset) error {
	in := m.Input
	if ds == nil || ds.Len() == 0 {
		return fmt.Errorf("model %s: empty data set", m.Name)
	}
	if ds.H != in.H || ds.W != in.W || ds.C != in.C || ds.NumClasses != in.NumClasses {
		return fmt.Errorf("model %s expects %dx%dx%d inputs with %d classes, data set %s has %dx%dx%d with %d classes",
			m.Name, in.H, in.W, in.C, in.NumClasses, ds.Name, ds.H, ds.W, ds.C, ds.NumClasses)
	}
	return nil
}

// DefaultEvalBatchSize is the evaluation batch size used when none is given: large batches run the pure-Go
// backend's kernels about 1.5× faster than the training batch of 128.
const DefaultEvalBatchSize = 1000

// Evaluate returns the accuracy (%) and mean loss on ds in eval mode with the current noise (one draw per
// example), in batches of batchSize (≤ 0: DefaultEvalBatchSize). It draws its noise from a copy of the
// trainer's noise stream and leaves the stream as it was: an evaluation never changes the training steps
// that follow it, and two evaluations in a row draw the same noise (call ReseedNoise for other draws).
func (t *Trainer) Evaluate(ds *data.Dataset, batchSize int) (acc, meanLoss float64, err error) {
	err = observe(t.Store, func() error {
		acc, meanLoss, err = t.evaluate(ds, batchSize)
		return err
	})
	return acc, meanLoss, err
}

func (t *Trainer) evaluate(ds *data.Dataset, batchSize int) (acc, meanLoss float64, err error) {
	if err := t.checkData(ds); err != nil {
		return 0, 0, err
	}
	accs, losses, err := evalLoop(t.Backend, t.Model, ds, batchSize, 1, func(x, y *tensors.Tensor) ([]float64, []int, error) {
		l, c, err := t.EvalBatch(x, y)
		return []float64{l}, []int{c}, err
	})
	if err != nil {
		return 0, 0, err
	}
	return accs[0], losses[0], nil
}

// EvaluateClean returns the accuracy (%) on ds with all noise off (weights too), restoring the noise afterwards.
func (t *Trainer) EvaluateClean(ds *data.Dataset, batchSize int) (float64, error) {
	acc, _, err := t.evaluateWith(ds, make([]noise.Spec, len(t.specs)), batchSize)
	return acc, err
}

// evaluateWith evaluates with the given specs and no weight noise and restores the trainer's own noise
// afterwards.
func (t *Trainer) evaluateWith(ds *data.Dataset, specs []noise.Spec, batchSize int) (float64, float64, error) {
	saved, savedW := t.specs, t.weights
	defer func() {
		t.specs, t.weights, t.params = saved, savedW, noise.WeightsParamsTensor(saved, savedW)
	}()
	t.specs, t.weights, t.params = specs, nil, noise.ParamsTensor(specs)
	return t.Evaluate(ds, batchSize)
}

// newBar returns a progress bar on w (throttled, so notebooks and logs are not flooded).
func newBar(w io.Writer, steps int, desc string) *progressbar.ProgressBar {
	return progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("batch"),
		progressbar.OptionThrottle(500*time.Millisecond),
		progressbar.OptionSetWidth(20),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}
