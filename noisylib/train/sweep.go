package train

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// SweepPoint is one noise setting of an evaluation sweep.
type SweepPoint struct {
	// Noise is the noise of every site.
	Noise noise.Config
	// Seed starts the point's noise stream, as ReseedNoise(Seed) would.
	Seed uint64
}

// DefaultSweepMemory is the default memory budget, in bytes, of the activations of one stacked sweep pass
// (see SweepSize).
const DefaultSweepMemory = 1 << 30

// sweepLiveCopies is how many stacked activations of the widest site a pass is assumed to hold at once
// (the stacked value, its noise, draws and temporaries of the next op).
const sweepLiveCopies = 8

// SweepSize returns how many of points (which must share one noise structure, see EvaluateSweep) EvaluateSweep
// should stack into one pass so that the activations of a pass, with batches of batchSize examples (≤ 0:
// DefaultEvalBatchSize), stay within budget bytes (≤ 0: DefaultSweepMemory). A pass holds, per point, the values
// of every site from the first noisy one on; when the points also share one seed and their noise passes through
// the Dense layer after that site (the linear-sweep shortcut of EvaluateSweep), they share that site's draws and
// hold their own values only from the layer's site on. It is at least 1 and at most len(points) (1 for none).
// It returns an error if the points' noise does not resolve for the model or differs in structure.
func (t *Trainer) SweepSize(points []SweepPoint, batchSize int, budget int64) (int, error) {
	if len(points) == 0 {
		return 1, nil
	}
	if budget <= 0 {
		budget = DefaultSweepMemory
	}
	if batchSize <= 0 {
		batchSize = DefaultEvalBatchSize
	}
	specs, err := t.resolvePoints(points)
	if err != nil {
		return 0, err
	}
	from := max(0, FirstNoisySite(specs[0]))
	shared := true
	for _, p := range points {
		shared = shared && p.Seed == points[0].Seed
	}
	if _, next, ok := t.Model.LinearAfter(nil, from); ok && shared && linearSweep(specs, from) {
		from = next
	}
	widest := 1
	for _, s := range t.Model.Sites[from:] {
		widest = max(widest, s.Size())
	}
	return min(len(points), max(1, int(budget/int64(sweepLiveCopies*4*batchSize*widest)))), nil
}

// resolvePoints resolves the noise of sweep points that are to share one graph (see resolveAlike).
func (t *Trainer) resolvePoints(points []SweepPoint) ([][]noise.Spec, error) {
	cfgs := make([]noise.Config, len(points))
	for j, p := range points {
		cfgs[j] = p.Noise
	}
	return resolveAlike(t.Model, cfgs, "sweep point")
}

// resolveAlike resolves the noise of several points (what names them in errors) that are to share one graph:
// they must have the same noise structure (noise.StructureKey).
func resolveAlike(m *models.Model, cfgs []noise.Config, what string) ([][]noise.Spec, error) {
	specs := make([][]noise.Spec, len(cfgs))
	for j, c := range cfgs {
		var err error
		if specs[j], err = c.Resolve(m.NumSites()); err != nil {
			return nil, fmt.Errorf("model %s: %s %d: %w", m.Name, what, j, err)
		}
		if len(c.Weights) > 0 {
			return nil, fmt.Errorf("model %s: %s %d has weight noise, which does not run in stacked graphs: "+
				"use Trainer.SetNoise with Evaluate or Fit", m.Name, what, j)
		}
		if key, key0 := noise.StructureKey(specs[j]), noise.StructureKey(specs[0]); key != key0 {
			return nil, fmt.Errorf("model %s: %s %d has a different noise structure than %s 0 (%s vs %s): only "+
				"noise of the same kinds at the same sites can share a graph; group by noise.StructureKey",
				m.Name, what, j, what, key, key0)
		}
	}
	return specs, nil
}

// FirstNoisySite returns the first site whose noise is active in evaluation, or −1 if there is none.
func FirstNoisySite(specs []noise.Spec) int {
	for i, s := range specs {
		if s.ActiveIn(false) {
			return i
		}
	}
	return -1
}

// EvaluateSweep evaluates the model on ds once per point and returns each point's accuracy (%) and mean
// loss. For every point it gives what SetNoise(p.Noise), ReseedNoise(p.Seed) and Evaluate(ds, batchSize)
// give (the same noise draws; losses may differ in the last bits from rounding order), but all points share
// one pass per batch: the noise-free ops before the first noisy site run once, the rest runs once per point
// on that shared value, side by side in one graph (memory grows with the number of points; see SweepSize).
// When the first noisy site is followed by a Dense layer (models.Model.LinearAfter) and its noise is additive,
// multiplicative or both (means 0 and 1, one repetition), the layer runs once on the clean value and once on
// each draw, and every point adds its σ-scaled images: x·W + b + σ·(z·W) for (x + σ·z)·W + b, the same in
// exact arithmetic, so values differ from Evaluate's in the last bits (accuracies by a near-tie example at most).
// All points must have the same noise structure (noise.StructureKey). The trainer's own noise setting and
// RNG are not changed.
func (t *Trainer) EvaluateSweep(ds *data.Dataset, points []SweepPoint, batchSize int) (acc, loss []float64, err error) {
	acc, loss, _, err = t.EvaluateSweepKL(ds, points, batchSize)
	return acc, loss, err
}

// EvaluateSweepKL is EvaluateSweep that also returns, per point, the mean Kullback–Leibler divergence (nats)
// from the clean model's output distribution to the noisy one's over the examples of ds,
// KL(p‖q) = Σ_c p_c·(log p_c − log q_c) with p = softmax(clean logits), q = softmax(the point's noisy logits):
// a sensitivity that keeps growing with σ where the accuracy already sits at chance (the measure of the
// authors' later code; see walk.Metrics.KL). The clean logits come from the same pass — one more noise-free
// branch of the shared graph, not a second pass over the data — and the accuracies and losses are those of
// EvaluateSweep, bit for bit. Points without noise in evaluation have KL 0.
func (t *Trainer) EvaluateSweepKL(ds *data.Dataset, points []SweepPoint, batchSize int) (acc, loss, kl []float64, err error) {
	if err := t.checkData(ds); err != nil {
		return nil, nil, nil, err
	}
	if len(points) == 0 {
		return nil, nil, nil, nil
	}
	ns := t.Model.NumSites()
	specs, err := t.resolvePoints(points)
	if err != nil {
		return nil, nil, nil, err
	}
	states := make([]uint64, 0, len(points)*3)
	for _, p := range points {
		st, err := noiseState(p.Seed)
		if err != nil {
			return nil, nil, nil, err
		}
		states = append(states, st...)
	}
	from := FirstNoisySite(specs[0])
	if from < 0 { // No noise in evaluation: every point is the clean model.
		acc, loss, kl = make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points))
		a, l, err := t.evaluateWith(ds, specs[0], batchSize)
		for j := range points {
			acc[j], loss[j] = a, l
		}
		return acc, loss, kl, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s: sweep: %v", t.Model.Name, r)
		}
	}()
	m, k := t.Model, len(points)
	// The prefix computes the value at site `from` before its noise (for site 0, the flattened input).
	prefix := model.MustNewExec(t.Backend, t.Store, func(scope *model.Scope, x *Node) (v *Node) {
		scope.Store().SetTraining(x.Graph(), false)
		return m.ForwardTo(scope.In(ModelScope), x, from)
	})
	suffix := model.MustNewExec(t.Backend, t.Store, func(scope *model.Scope, v, y, params, rngs *Node) []*Node { // loss sums, corrects, new RNG states, KL sums
		scope.Store().SetTraining(v.Graph(), false)
		// Points with the same seed draw the same values: draw them once (SharedRNG) and scale per point.
		shared := make(map[uint64]*noise.SharedRNG)
		stacked := make([]*noise.Injector, k)
		gens := make([]*noise.RNG, k)
		for j := range stacked {
			sh := shared[points[j].Seed]
			if sh == nil {
				sh = &noise.SharedRNG{RNG: noise.RNG{State: Reshape(Slice(rngs, AxisElem(j)), 3)}}
				shared[points[j].Seed] = sh
			}
			gens[j] = &sh.RNG
			stacked[j] = &noise.Injector{Specs: specs[0], Params: Reshape(Slice(params, AxisElem(j)), ns, noise.NumParams),
				Random: sh.Normal()}
		}
		// With a linear layer after the noisy site, the layer runs on v (giving clean) and on the draws apart
		// (linearSweep); the points then go on from the layer's site, on clean plus their σ-scaled images of
		// the draws.
		visited := false
		modelScope := func() *model.Scope { // In the first time, Shared after
			if visited {
				return scope.Shared(ModelScope)
			}
			visited = true
			return scope.In(ModelScope)
		}
		var layer func(x *Node, bias bool) *Node
		next, clean := from, v
		if linearSweep(specs, from) {
			if l, n, ok := m.LinearAfter(modelScope(), from); ok {
				layer, next, clean = l, n, l(v, true)
			}
		}
		images := make(map[*Node]*Node)
		// v is shared: every point runs the rest of the model on it with its own noise, in one graph (the
		// backend runs the points' branches side by side). Stacking the points' noisy copies into one
		// batch instead costs a copy of the widest value per point.
		parts := make([]*Node, k)
		for j, inj := range stacked {
			ms := modelScope()
			if layer == nil {
				parts[j] = m.ForwardFrom(ms, from, v, inj)
				continue
			}
			parts[j] = m.ForwardFrom(ms, next, linearNoisy(inj, from, v, clean, params, j, layer, images), inj)
		}
		// The loss, hits and KL of each point come from its own [n, classes] logits: small values that stay
		// in cache, where one [k·n, classes] stack of all points costs copies and fresh buffers per batch. The
		// per-example values are the same either way; their sums over the batch run on the stacked [k, n].
		oneHot := OneHot(y, parts[0].Shape().Dimensions[1], parts[0].DType())
		// KL(clean ‖ noisy) per example, from one more noise-free branch on the shared value (v at site from,
		// or the layer's clean value at site next).
		kl := klDivergence(LogSoftmax(m.ForwardFrom(scope.Shared(ModelScope), next, clean, (*noise.Injector)(nil)), -1))
		nlls, hits, kls := make([]*Node, k), make([]*Node, k), make([]*Node, k)
		for j, logits := range parts {
			logProbs := LogSoftmax(logits, -1) // shared by the loss and the KL
			nlls[j] = nllOneHot(logProbs, oneHot)
			hits[j] = ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), y), dtypes.Int32)
			kls[j] = kl(logProbs)
		}
		out := make([]*Node, k)
		for j, gen := range gens {
			out[j] = gen.State
		}
		return []*Node{ReduceSum(Stack(nlls, 0), 1), ReduceSum(Stack(hits, 0), 1), Stack(out, 0), ReduceSum(Stack(kls, 0), 1)}
	})
	ok := false
	defer func() {
		if ok { // Finalizing an Exec whose graph failed to build blocks in GoMLX v0.28.8.
			prefix.Finalize()
			suffix.Finalize()
		}
	}()
	paramsT := noise.StackParams(specs)
	rngT := tensors.FromFlatDataAndDimensions(states, k, 3)
	klSums, examples := make([]float64, k), 0
	acc, loss, err = evalLoop(t.Backend, t.Model, ds, batchSize, k, func(x, y *tensors.Tensor) ([]float64, []int, error) {
		outs, err := prefix.Exec(x)
		if err != nil {
			return nil, nil, fmt.Errorf("model %s: sweep: %w", t.Model.Name, err)
		}
		v := outs[0]
		outs, err = suffix.Exec(v, y, paramsT, rngT)
		v.FinalizeAll()
		if err != nil {
			return nil, nil, fmt.Errorf("model %s: sweep: %w", t.Model.Name, err)
		}
		ls, cs, ks := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[int32](outs[1]), tensors.MustCopyFlatData[float32](outs[3])
		losses, corrects := make([]float64, k), make([]int, k)
		for j := range k {
			losses[j], corrects[j] = float64(ls[j]), int(cs[j])
			klSums[j] += float64(ks[j])
		}
		examples += y.Shape().Dimensions[0]
		outs[0].FinalizeAll()
		outs[1].FinalizeAll()
		outs[3].FinalizeAll()
		rngT.FinalizeAll()
		rngT = outs[2]
		return losses, corrects, nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	ok = true
	kl = make([]float64, k)
	for j := range k {
		kl[j] = klSums[j] / float64(max(1, examples))
	}
	return acc, loss, kl, nil
}

// klDivergence returns, for the clean log-probabilities cleanLogP [n, classes], a function that gives
// KL(p ‖ q) = Σ_c p_c·(log p_c − log q_c) of every example for noisy log-probabilities noisyLogP [n, classes]:
// shape [n], in nats. The clean terms (p and Σ_c p_c·log p_c) are computed once, for all the calls.
func klDivergence(cleanLogP *Node) func(noisyLogP *Node) *Node {
	p := Exp(cleanLogP)
	negEntropy := ReduceSum(Mul(p, cleanLogP), -1)
	return func(noisyLogP *Node) *Node {
		return Sub(negEntropy, ReduceSum(Mul(p, noisyLogP), -1))
	}
}
