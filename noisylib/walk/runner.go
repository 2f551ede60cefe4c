package walk

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gomlx/compute"
	"github.com/schollz/progressbar/v3"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// Runner runs the points of plans that are not yet in its store.
type Runner struct {
	// Store receives one record per point.
	Store *results.Store
	// Backend runs the models.
	Backend compute.Backend
	// TrainBackend, when not nil, trains the models of training points while two or more trainings run at the
	// same time (Workers), except with noise at every site (backend.SharedTraining: the same values, one worker
	// per op, so that concurrent trainings share the cores without contention). A training that runs alone (a
	// clean model, or the only training task of a run) trains there too if its model is smaller than
	// backend.SoloMACs, on Backend and its workers otherwise.
	TrainBackend compute.Backend
	// CacheDir holds the clean models' checkpoints (default "out/cache").
	CacheDir string
	// Shard restricts the run to the points this shard owns (zero value: all points).
	Shard results.Shard
	// Progress receives the progress bar and log lines (default os.Stderr).
	Progress io.Writer
	// NewBar, when not nil, makes the progress display of a run (name: the plan's, total: the points to
	// run) in place of the terminal bar written to Progress — in a notebook, an HTML bar updated in place.
	NewBar func(name string, total int) ProgressBar
	// SweepMemory bounds, in bytes, the activations of one stacked pass of inference points (0:
	// train.DefaultSweepMemory); it sets how many noise levels are evaluated together (see
	// train.Trainer.SweepSize).
	SweepMemory int64
	// Workers is how many trainings (stacks or single points) run at the same time (0: DefaultWorkers). Each
	// uses every core through the backend, but not fully: two at a time keep a 2-core machine busier.
	Workers int
	// NoStack runs every point alone: no stacked evaluation of inference points and no stacked training
	// (train.FitStack) of training points. Results are the same up to floating-point rounding; it is there
	// for comparisons and as a fallback.
	NoStack bool
	// StackTraining trains the training points of one setup, seed and noise structure (the σ of a site) as one
	// stack (train.FitStack) instead of one at a time. It is off by default: on GoMLX v0.28.16's vectorised
	// backend a single model's step costs about half the CPU of a stacked copy's (MLP-TFC (BN), 128 images:
	// 1.2 vs 2.4 cpu-ms) and runs its ops on both cores, while a stack runs on one; 8 σ at one site, 1 epoch on
	// all of MNIST, one worker: 25.7 s stacked, 16.0 s one at a time. Results are the same up to rounding.
	StackTraining bool
	// StoredOnly computes nothing: Run (and so Adaptive) fails, naming the plan and how many of its points are
	// missing, when the store lacks any point it would run — for rendering shipped results, where a missing
	// point means the results do not match the code.
	StoredOnly bool

	mu       sync.Mutex                  // Guards datasets and signals.
	datasets map[[3]any][3]*data.Dataset // train, test, validation (nil without one)
	cleans   map[string]cleanModel
	signals  map[string]signals // clean signal statistics per clean model, for σ units (units.go)
}

// DefaultWorkers is the default Runner.Workers: 2, or 1 where the process may use only one core
// (GOMAXPROCS, e.g. a SLURM task with one CPU).
func DefaultWorkers() int { return min(2, runtime.GOMAXPROCS(0)) }

// trainBackend returns the backend that trains model m with noise cfg, concurrent with other trainings
// (shared) or alone: TrainBackend, except without one, for noise at every site (cfg.Default set), whose draws
// are large ops that gain from Backend's workers (a global LeNet-5 (BN) walk, 4 σ on 12,800 images: 10.8–11.0 s
// there, 11.4–12.0 s on backend.SharedTraining), and for a model of backend.SoloMACs or more trained alone.
func (r *Runner) trainBackend(cfg noise.Config, m *models.Model, shared bool) compute.Backend {
	if r.TrainBackend == nil || cfg.Default.Type != noise.None || !shared && m.MACs() >= backend.SoloMACs {
		return r.Backend
	}
	return r.TrainBackend
}

func (r *Runner) workers() int {
	if r.Workers > 0 {
		return r.Workers
	}
	return DefaultWorkers()
}

// runTasks runs the tasks on n goroutines and returns the first error; after an error no new task starts.
func runTasks(tasks []func() error, n int) error {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	for range min(n, len(tasks)) {
		wg.Go(func() {
			for {
				mu.Lock()
				if first != nil || next == len(tasks) {
					mu.Unlock()
					return
				}
				task := tasks[next]
				next++
				mu.Unlock()
				if err := task(); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return first
}

// Summary counts what a Run did.
type Summary struct {
	Planned, Owned, Skipped, Done, Collapsed int
	// Flagged counts the points run whose training's loss never fell below chance or exploded (Metrics.Warning):
	// one per training, except in a mismatch plan, whose training serves every σ_b point of its row.
	Flagged int
	Seconds float64
	// PeakRSSMiB is the process's peak resident memory so far (0 where unknown).
	PeakRSSMiB float64
}

// String formats the summary in one line.
func (s Summary) String() string {
	flagged := ""
	if s.Flagged > 0 {
		flagged = fmt.Sprintf(", WARNING: %d point(s) from trainings that did not learn (loss never below chance, or exploded)", s.Flagged)
	}
	return fmt.Sprintf("%d points planned, %d in this shard, %d already stored, %d run (%d collapsed%s) in %.1fs, peak RSS %.0f MiB",
		s.Planned, s.Owned, s.Skipped, s.Done, s.Collapsed, flagged, s.Seconds, s.PeakRSSMiB)
}

// Metrics are the extra values stored with a point.
type Metrics struct {
	// CleanAcc is the accuracy of the same model with all noise off.
	CleanAcc float64 `json:"clean_acc"`
	// TrainSeconds and ImgPerSec describe the training of the point (0 for inference points).
	TrainSeconds float64 `json:"train_seconds,omitempty"`
	ImgPerSec    float64 `json:"img_per_sec,omitempty"`
	// Diverged is true when the training loss became NaN or infinite.
	Diverged bool `json:"diverged,omitempty"`
	// Epochs holds the per-epoch statistics of a training.
	Epochs []train.EpochStats `json:"epochs,omitempty"`
	// ValAcc is the accuracy (%) on the validation split of data sets that have one (GSC2), with the point's
	// noise (clean points: without), for clean and training points; the reference logs it next to the test
	// accuracy.
	ValAcc *float64 `json:"val_acc,omitempty"`
	// Warning says why a training did not learn (train.LossWarning); its accuracy is stored unchanged.
	Warning string `json:"warning,omitempty"`
	// KL is, for an inference point evaluated in a stacked sweep, the mean KL divergence (nats) from the clean
	// model's output distribution to the noisy model's over the test set (train.Trainer.EvaluateSweepKL): a
	// sensitivity that keeps growing where accuracy sits at chance. Nil where not measured (training and
	// clean points, points that run alone, points stored before it was measured) or not finite.
	KL *float64 `json:"kl,omitempty"`
}

// Hash returns the results-store key of a point.
func Hash(p Point) (string, error) { return results.HashConfig(p) }

// Pending returns the points of the plan that this runner's shard owns and the store lacks, with their hashes.
func (r *Runner) Pending(p *Plan) (points []Point, hashes []string, owned int, err error) {
	all := make([]string, len(p.Points))
	for i, pt := range p.Points {
		if all[i], err = Hash(pt); err != nil {
			return nil, nil, 0, err
		}
	}
	done, err := r.Store.Done(all)
	if err != nil {
		return nil, nil, 0, err
	}
	for i, pt := range p.Points {
		if !r.owns(all[i]) {
			continue
		}
		owned++
		if !done[all[i]] {
			points = append(points, pt)
			hashes = append(hashes, all[i])
		}
	}
	return points, hashes, owned, nil
}

func (r *Runner) owns(hash string) bool {
	if r.Shard.Count <= 1 {
		return true
	}
	return r.Shard.Owns(hash)
}

// ProgressBar shows how many points of a run are done: Add(n) after n more points, Finish at the end.
// github.com/schollz/progressbar's bar (the default) and nbviz.Progress satisfy it.
type ProgressBar interface {
	Add(n int) error
	Finish() error
}

// Run computes and stores every missing point of the plan owned by the runner's shard. It first records the
// plan's spec in the store under its name (results.Store.PutPlan), which LoadPlan reads.
func (r *Runner) Run(p *Plan) (Summary, error) {
	start := time.Now()
	out := r.Progress
	if out == nil {
		out = os.Stderr
	}
	if err := record(r.Store, p); err != nil {
		return Summary{}, err
	}
	pts, hashes, owned, err := r.Pending(p)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Planned: len(p.Points), Owned: owned, Skipped: owned - len(pts)}
	if r.StoredOnly && len(pts) > 0 {
		return sum, fmt.Errorf("plan %s: %d of its %d points are not in store %s, and the runner computes nothing (StoredOnly): the stored results do not cover this plan (first missing: %s)",
			p.Name, len(pts), len(p.Points), r.Store.Path(), pts[0])
	}
	fmt.Fprintf(out, "plan %s: %d points, %d in this shard, %d to run (seed base %d)\n",
		p.Name, len(p.Points), owned, len(pts), p.Spec.BaseSeed)
	// Clean points first, then inference (grouped by clean model), then trainings.
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	rank := map[Mode]int{Clean: 0, Inference: 1, Training: 2}
	groups := make([]string, len(pts))
	for i, pt := range pts {
		switch {
		case pt.Eval != nil: // mismatch points of one training are evaluated together
			if groups[i], err = Hash(pt.trained()); err != nil {
				return sum, fmt.Errorf("point %s: %w", pt, err)
			}
		case pt.Mode != Clean:
			if groups[i], err = r.sweepKey(pt); err != nil {
				return sum, fmt.Errorf("point %s: %w", pt, err)
			}
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra, rb := rank[pts[order[a]].Mode], rank[pts[order[b]].Mode]
		return ra < rb || ra == rb && groups[order[a]] < groups[order[b]]
	})
	var bar ProgressBar
	if r.NewBar != nil {
		bar = r.NewBar(p.Name, len(pts))
	} else {
		bar = progressbar.NewOptions(len(pts), progressbar.OptionSetWriter(out), progressbar.OptionSetDescription(p.Name),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(20),
			progressbar.OptionThrottle(time.Second), progressbar.OptionOnCompletion(func() { fmt.Fprintln(out) }))
	}
	var mu sync.Mutex // Guards put's side effects when trainings run concurrently.
	// put stores records in one transaction: points computed together (a sweep, a stack) are stored together.
	put := func(recs ...results.Record) error {
		mu.Lock()
		defer mu.Unlock()
		if err := r.Store.PutAll(recs); err != nil {
			return err
		}
		for _, rec := range recs {
			sum.Done++
			if rec.Status == results.StatusCollapsed {
				sum.Collapsed++
			}
			if flagged(rec) {
				sum.Flagged++
			}
		}
		_ = bar.Add(len(recs))
		return nil
	}
	// Clean and inference points run in order (inference points of one clean model and noise structure as
	// stacked sweeps); trainings, which are independent, become tasks run by r.Workers goroutines.
	var tasks []func() error
	var shared bool // whether the tasks' trainings run concurrently, set once all tasks are known
	for at := 0; at < len(order); {
		i := order[at]
		switch {
		case pts[i].Mode == Inference:
			n, err := r.runSweep(pts, hashes, groups, order[at:], put)
			if err != nil {
				return sum, err
			}
			at += n
			continue
		case pts[i].Eval != nil:
			group := group(pts, groups, order[at:], len(order)-at)
			tasks = append(tasks, func() error { return r.runMismatch(pts, hashes, group, put, shared) })
			at += len(group)
			continue
		case pts[i].Mode == Training && r.canStack(pts[i]):
			// Points on the same setup and seed with the same noise structure train as one stack.
			group := group(pts, groups, order[at:], MaxStack)
			tasks = append(tasks, func() error { return r.runStack(pts, hashes, group, put, shared) })
			at += len(group)
			continue
		case pts[i].Mode == Training:
			if _, err := r.absoluteNoise(pts[i]); err != nil { // its clean model's statistics, here in the main loop
				return sum, fmt.Errorf("point %s: %w", pts[i], err)
			}
			tasks = append(tasks, func() error {
				rec, err := r.runPoint(pts[i], hashes[i], shared)
				if err != nil {
					return fmt.Errorf("point %s: %w", pts[i], err)
				}
				return put(rec)
			})
			at++
			continue
		}
		rec, err := r.runPoint(pts[i], hashes[i], false) // a clean point, alone
		if err != nil {
			return sum, fmt.Errorf("point %s: %w", pts[i], err)
		}
		if err := put(rec); err != nil {
			return sum, err
		}
		at++
	}
	shared = min(len(tasks), r.workers()) > 1
	if err := runTasks(tasks, r.workers()); err != nil {
		return sum, err
	}
	_ = bar.Finish()
	sum.Seconds = time.Since(start).Seconds()
	sum.PeakRSSMiB = peakRSSMiB()
	fmt.Fprintf(out, "plan %s: %s\n", p.Name, sum)
	return sum, nil
}

// runPoint runs a clean or training point (inference points run in stacked sweeps, see runSweep); shared
// tells whether other trainings run at the same time (see trainBackend).
func (r *Runner) runPoint(pt Point, hash string, shared bool) (results.Record, error) {
	start := time.Now()
	trainSet, testSet, err := r.data(pt.Setup)
	if err != nil {
		return results.Record{}, err
	}
	cfg, _ := json.Marshal(pt)
	rec := results.Record{Hash: hash, Plan: pt.Plan, Config: cfg, Seed: int64(pt.Seed), Status: results.StatusDone}
	var m Metrics
	chance := trainSet.Chance()
	switch pt.Mode {
	case Clean:
		_, acc, err := r.clean(pt, trainSet, testSet)
		if err != nil {
			return rec, err
		}
		rec.Accuracy, m.CleanAcc = acc, acc
		if m.ValAcc, err = r.validationAcc(pt, hash, nil); err != nil {
			return rec, err
		}
	case Training:
		mdl, err := pt.NewModel()
		if err != nil {
			return rec, err
		}
		cfg, err := r.absoluteNoise(pt)
		if err != nil {
			return rec, err
		}
		res, err := train.Fit(r.trainBackend(cfg, mdl, shared), mdl, trainSet, testSet, r.options(pt, cfg))
		if err != nil {
			return rec, err
		}
		rec.Accuracy, rec.Loss = res.NoisyAcc, res.TestLoss
		m.CleanAcc, m.TrainSeconds, m.ImgPerSec, m.Diverged, m.Epochs = res.CleanAcc, res.TrainSeconds, res.ImgPerSec, res.Diverged, res.Epochs
		if m.ValAcc, err = r.validationAcc(pt, hash, res.Trainer); err != nil {
			return rec, err
		}
		m.Warning = res.Warning
	}
	collapse(&rec, m.Diverged, chance)
	if rec.Metrics, err = json.Marshal(m); err != nil {
		return rec, fmt.Errorf("encoding the metrics: %w", err)
	}
	rec.DurationSec = time.Since(start).Seconds()
	rec.Host, _ = os.Hostname()
	rec.CreatedAt = time.Now()
	return rec, nil
}

// flagged reports whether a record's metrics carry a training warning.
func flagged(rec results.Record) bool {
	var m struct {
		Warning string `json:"warning"`
	}
	return json.Unmarshal(rec.Metrics, &m) == nil && m.Warning != ""
}

// collapse marks a record collapsed, at chance accuracy, when training diverged or the noise overflowed
// float32 (NaN accuracy or a NaN/infinite loss); the point is at chance by definition.
func collapse(rec *results.Record, diverged bool, chance float64) {
	if diverged || math.IsNaN(rec.Accuracy) || math.IsNaN(rec.Loss) || math.IsInf(rec.Loss, 0) {
		rec.Status, rec.Accuracy = results.StatusCollapsed, chance
		if math.IsNaN(rec.Loss) || math.IsInf(rec.Loss, 0) {
			rec.Loss = 0
		}
	}
}

// options returns the training options of a point trained with noise cfg (and, for a training point, its
// schedule).
func (r *Runner) options(pt Point, cfg noise.Config) train.Options {
	o := train.Options{Epochs: pt.Epochs, BatchSize: pt.BatchSize, LR: pt.LR, Clamp: pt.Clamp, Seed: pt.Seed,
		Noise: cfg, Progress: io.Discard}
	if pt.Mode == Training && pt.Schedule != nil {
		o.Schedule = *pt.Schedule
	}
	return o
}

type cleanModel struct {
	t   *train.Trainer
	acc float64
}

// clean returns the clean-trained model of the point's setup and seed and its clean test accuracy, training it
// (and caching its checkpoint) on first use.
func (r *Runner) clean(pt Point, trainSet, testSet *data.Dataset) (*train.Trainer, float64, error) {
	key, err := results.HashConfig(pt.cleanKey())
	if err != nil {
		return nil, 0, err
	}
	if r.cleans == nil {
		r.cleans = map[string]cleanModel{}
	}
	if c, ok := r.cleans[key]; ok {
		return c.t, c.acc, nil
	}
	mdl, err := pt.NewModel()
	if err != nil {
		return nil, 0, err
	}
	dir := r.CacheDir
	if dir == "" {
		dir = filepath.Join("out", "cache")
	}
	path := filepath.Join(dir, key[:16]+".ckpt")
	var t *train.Trainer
	ck, err := train.LoadCheckpoint(path)
	if err != nil { // not cached (or unreadable): train it, alone (see trainBackend), and cache it
		res, err := train.Fit(r.trainBackend(noise.Config{}, mdl, false), mdl, trainSet, testSet, r.options(pt, noise.Config{}))
		if err != nil {
			return nil, 0, err
		}
		if ck, err = res.Trainer.Checkpoint(); err != nil {
			return nil, 0, err
		}
		if err := ck.Save(path); err != nil {
			return nil, 0, err
		}
		if res.Trainer.Backend == r.Backend {
			t = res.Trainer
		}
	}
	if t == nil { // evaluate on Backend: a model from the cache, or one trained on TrainBackend
		if t, err = train.NewTrainer(r.Backend, mdl, pt.Seed); err != nil {
			return nil, 0, err
		}
		if err := t.Restore(ck); err != nil {
			return nil, 0, err
		}
	}
	acc, err := t.EvaluateClean(testSet, 0)
	if err != nil {
		return nil, 0, err
	}
	r.cleans[key] = cleanModel{t: t, acc: acc}
	return t, acc, nil
}

// data loads (once) the train and test sets of a setup.
func (r *Runner) data(s Setup) (*data.Dataset, *data.Dataset, error) {
	d, err := r.splits(s)
	return d[0], d[1], err
}

// setup loads (once) the train and test sets of a setup and builds its model.
func (r *Runner) setup(s Setup) (*data.Dataset, *data.Dataset, *models.Model, error) {
	trainSet, testSet, err := r.data(s)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := s.NewModel()
	return trainSet, testSet, m, err
}

// splits loads (once) the train, test and validation (nil without one) sets of a setup.
func (r *Runner) splits(s Setup) ([3]*data.Dataset, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := [3]any{s.Data, s.TrainN, s.TestN}
	if d, ok := r.datasets[key]; ok {
		return d, nil
	}
	tr, val, te, err := data.LoadSplitsN(s.Data, data.Dir(), s.TrainN, s.TestN)
	if err != nil {
		return [3]*data.Dataset{}, err
	}
	if r.datasets == nil {
		r.datasets = map[[3]any][3]*data.Dataset{}
	}
	r.datasets[key] = [3]*data.Dataset{tr, te, val}
	return r.datasets[key], nil
}

// validationAcc evaluates a clean or training point on the validation split of its data set, if there is one
// (nil otherwise): a training point with its trained model t and its noise, a clean point with its clean model
// and no noise. The noise stream is seeded from the point's hash, so the value does not depend on stacking. A
// model whose outputs overflow scores chance, as its collapsed point does.
func (r *Runner) validationAcc(pt Point, hash string, t *train.Trainer) (*float64, error) {
	d, err := r.splits(pt.Setup)
	if err != nil || d[2] == nil {
		return nil, err
	}
	if t == nil {
		if t, _, err = r.clean(pt, d[0], d[1]); err != nil {
			return nil, err
		}
	}
	if err := t.ReseedNoise(pointSeed(hash) ^ train.StreamValidation); err != nil {
		return nil, err
	}
	acc, _, err := t.Evaluate(d[2], 0)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(acc) { // diverged or overflowed: at chance, like the point (see collapse)
		acc = d[2].Chance()
	}
	return &acc, nil
}

// pointSeed derives a noise seed from a point's hash: its leading 64 bits (train's seed rule).
func pointSeed(hash string) uint64 {
	v, _ := strconv.ParseUint(hash[:16], 16, 64)
	return v
}
