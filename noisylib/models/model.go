package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// Site is a noise site of a model.
type Site struct {
	// Index is the site number: 0 is the input, the last one the logits.
	Index int
	// Op is the name of the operation the site follows, e.g. "relu1".
	Op string
	// Kind is the kind of that operation.
	Kind Kind
	// Shape is the per-example shape of the value at the site (H, W, C for images; features otherwise).
	Shape []int
}

// Name returns the readable site name, e.g. "3:relu1".
func (s Site) Name() string { return fmt.Sprintf("%d:%s", s.Index, s.Op) }

// Size returns the number of values at the site for one example: the product of Shape.
func (s Site) Size() int { return prod(s.Shape) }

// String implements fmt.Stringer with Name and the per-example shape.
func (s Site) String() string { return fmt.Sprintf("%s %v", s.Name(), s.Shape) }

// Model is one of the paper's network variants for a given input.
type Model struct {
	// Name is the variant name, e.g. "mlp-tfc-bn".
	Name string
	// Input is the example shape and number of classes.
	Input InputSpec
	// Ops lists the operations in order.
	Ops []Op
	// Sites lists the noise sites in order.
	Sites []Site

	// bnValues is the smallest number of values per channel and example a BatchNorm normalises over (0
	// without BatchNorm), at op bnOp.
	bnValues int
	bnOp     string
}

// CheckTrainBatches reports whether training on n examples in batches of batchSize (the last one holding
// the n mod batchSize left) gives every BatchNorm more than one value per channel in every batch, as batch
// statistics need: with one value the batch variance is 0 and every output is β, so the model trains
// silently to chance (PyTorch refuses it too: "Expected more than 1 value per channel when training"). For
// BatchNorm after a Dense layer this means no batch of a single example. The error names the fix.
func (m *Model) CheckTrainBatches(n, batchSize int) error {
	if m.bnValues == 0 || m.bnValues > 1 || n < 1 || batchSize < 1 {
		return nil
	}
	switch {
	case batchSize == 1:
		return fmt.Errorf("model %s: batch size 1 gives BatchNorm %s one value per channel in training (batch variance 0, "+
			"every output β): use a batch size of at least 2, or a variant without BatchNorm (%s)", m.Name, m.bnOp, noBN(m.Name))
	case n%batchSize == 1:
		return fmt.Errorf("model %s: %d training examples in batches of %d leave a last batch of one example, which gives "+
			"BatchNorm %s one value per channel: change the batch size or the number of training examples", m.Name, n, batchSize, m.bnOp)
	}
	return nil
}

// noBN names the variant of a model without BatchNorm.
func noBN(name string) string {
	if v, err := ParseName(name); err == nil {
		return v.Family + "-nobn"
	}
	return "the -nobn variant"
}

// New builds the named model variant (see Names) for the given input.
func New(name string, in InputSpec) (*Model, error) {
	v, err := ParseName(name)
	if err != nil {
		return nil, err
	}
	b, bn, bnSite := families[v.Family], v.BN, v.BNSite
	if in.H <= 0 || in.W <= 0 || in.C <= 0 || in.NumClasses < 2 {
		return nil, fmt.Errorf("model %s: invalid input %+v", name, in)
	}
	m := &Model{Name: name, Input: in, Ops: b(in, bn, bnSite)}
	if err := m.computeSites(); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}

// NumSites returns the number of noise sites.
func (m *Model) NumSites() int { return len(m.Sites) }

// SiteNames returns the readable names of all sites, e.g. "0:input", "1:fc1".
func (m *Model) SiteNames() []string {
	names := make([]string, len(m.Sites))
	for i, s := range m.Sites {
		names[i] = s.Name()
	}
	return names
}

// computeSites walks the ops with per-example shapes, checking they fit the input.
func (m *Model) computeSites() error {
	shape := []int{m.Input.H, m.Input.W, m.Input.C}
	for _, op := range m.Ops {
		switch op.Kind {
		case KindFlatten:
			n := 1
			for _, d := range shape {
				n *= d
			}
			shape = []int{n}
		case KindDense:
			if len(shape) != 1 {
				return fmt.Errorf("%s needs a flat input, got %v", op.Name, shape)
			}
			shape = []int{op.Out}
		case KindConv:
			oh := (shape[0]-op.Kernel[0])/op.Stride[0] + 1
			ow := (shape[1]-op.Kernel[1])/op.Stride[1] + 1
			if oh < 1 || ow < 1 {
				return fmt.Errorf("%s: kernel %v does not fit input %v", op.Name, op.Kernel, shape)
			}
			shape = []int{oh, ow, op.Out}
		case KindMaxPool:
			shape = []int{shape[0] / 2, shape[1] / 2, shape[2]}
		case KindBatchNorm:
			if per := prod(shape[:len(shape)-1]); m.bnValues == 0 || per < m.bnValues {
				m.bnValues, m.bnOp = per, op.Name
			}
		}
		if op.Site {
			m.Sites = append(m.Sites, Site{Index: len(m.Sites), Op: op.Name, Kind: op.Kind, Shape: append([]int(nil), shape...)})
		}
	}
	return nil
}

// NumParams returns the number of trainable parameters (weights, biases, BatchNorm γ and β), as PyTorch
// counts them.
func (m *Model) NumParams() int {
	n := 0
	m.eachOp(func(op Op, in, out []int) {
		switch op.Kind {
		case KindDense:
			n += in[0]*op.Out + op.Out
		case KindConv:
			n += op.Kernel[0]*op.Kernel[1]*in[2]*op.Out + op.Out
		case KindBatchNorm:
			n += 2 * in[len(in)-1]
		}
	})
	return n
}

// MACs returns the multiply-accumulates of one example's forward pass through the Dense and Conv layers (the
// bulk of the work; a cost measure for estimating run times).
func (m *Model) MACs() int {
	n := 0
	m.eachOp(func(op Op, in, out []int) {
		switch op.Kind {
		case KindDense:
			n += in[0] * op.Out
		case KindConv:
			n += prod(out) * op.Kernel[0] * op.Kernel[1] * in[2]
		}
	})
	return n
}

// eachOp calls f for every op with the per-example shapes of its input and output (the model's shapes are
// valid: computeSites checked them).
func (m *Model) eachOp(f func(op Op, in, out []int)) {
	shape := []int{m.Input.H, m.Input.W, m.Input.C}
	for _, op := range m.Ops {
		in := shape
		switch op.Kind {
		case KindFlatten:
			shape = []int{prod(shape)}
		case KindDense:
			shape = []int{op.Out}
		case KindConv:
			shape = []int{(shape[0]-op.Kernel[0])/op.Stride[0] + 1, (shape[1]-op.Kernel[1])/op.Stride[1] + 1, op.Out}
		case KindMaxPool:
			shape = []int{shape[0] / 2, shape[1] / 2, shape[2]}
		}
		f(op, in, shape)
	}
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Forward builds the model's graph for a batch of NHWC images x ([batch, H, W, C]) and returns the logits
// [batch, NumClasses]. The injector applies the noise of each site (nil: no noise). Parameters live in
// sub-scopes named after the ops. BatchNorm uses batch statistics when scope.IsTraining.
//
// If observe is not nil it is called with every site's index and its value before noise is applied.
func (m *Model) Forward(scope *model.Scope, x *Node, inj *noise.Injector, observe func(site int, value *Node)) *Node {
	return m.forward(scope, -1, len(m.Sites), x, inj, observe == nil, observe)
}

// Noise applies the noise of a model's sites during a forward pass; a noise.Injector is a Noise.
type Noise interface {
	// Apply returns x after the noise operator of the site.
	Apply(site int, x *Node) *Node
	// Active reports whether the site's noise changes anything: ops around a silent site may be fused.
	Active(site int) bool
}

// silent is the Noise of a noise-free pass.
type silent struct{}

func (silent) Apply(_ int, x *Node) *Node { return x }
func (silent) Active(int) bool            { return false }

// ForwardTo builds the noise-free graph up to site `to` and returns the value at that site before its noise
// operator (for site 0 of the MLP, the flattened input): the part of the model that ForwardFrom(to) omits.
func (m *Model) ForwardTo(scope *model.Scope, x *Node, to int) *Node {
	if to < 0 || to >= len(m.Sites) {
		panic(fmt.Sprintf("model %s: site %d out of range 0..%d", m.Name, to, len(m.Sites)-1))
	}
	var v *Node
	m.forward(scope, -1, to, x, silent{}, true, func(_ int, value *Node) { v = value })
	return v
}

// ForwardFrom builds the part of the graph from site `from` on: x is the value at that site before its noise
// operator, as Forward's observe sees it (its leading axis may hold any number of examples), and n applies
// the noise of every site from `from` on (e.g. a noise.Injector). It returns the logits. The
// ops before the site are not built, so a sweep can compute them once and reuse them for every noise level.
func (m *Model) ForwardFrom(scope *model.Scope, from int, x *Node, n Noise) *Node {
	if from < 0 || from >= len(m.Sites) {
		panic(fmt.Sprintf("model %s: site %d out of range 0..%d", m.Name, from, len(m.Sites)-1))
	}
	return m.forward(scope, from, len(m.Sites), x, n, true, nil)
}

// CanStack reports whether ForwardStack supports the model: only dense models (Flatten, Dense, BatchNorm,
// ReLU) can be stacked so far.
func (m *Model) CanStack() bool {
	for _, op := range m.Ops {
		if op.Kind == KindConv || op.Kind == KindMaxPool {
			return false
		}
	}
	return true
}

// ForwardStack builds the graph of k copies of the model side by side (e.g. k noise levels trained at once)
// for one shared batch of NHWC images x and returns the logits [k, batch, NumClasses]. Values carry a
// leading model axis and parameters are stacked (see layers.DenseStack); inj must hold stacked noise
// parameters ([k, sites, NumParams]). It panics (GoMLX graph-building convention) if !CanStack().
func (m *Model) ForwardStack(scope *model.Scope, x *Node, k int, inj *noise.Injector) *Node {
	if !m.CanStack() {
		panic(fmt.Sprintf("model %s cannot be stacked: only dense models can", m.Name))
	}
	if len(inj.Weights) > 0 {
		panic(fmt.Sprintf("model %s: weight noise does not run in stacked graphs", m.Name))
	}
	x = BroadcastPrefix(Reshape(x, x.Shape().Dimensions[0], -1), k)
	site := 0
	for _, op := range m.Ops {
		switch op.Kind {
		case KindDense:
			x = layers.DenseStack(scope.In("%s", op.Name), x, op.Out)
		case KindBatchNorm:
			x = layers.BatchNormStack(scope.In("%s", op.Name), x)
		case KindReLU:
			x = relu(scope, x)
		}
		if op.Site {
			x = inj.Apply(site, x)
			site++
		}
	}
	return x
}

// relu is layers.ReLU in training and the one-pass layers.ReLUNoGrad in evaluation, where no gradient is
// taken: the same values.
func relu(scope *model.Scope, x *Node) *Node {
	if scope.IsTraining(x.Graph()) {
		return layers.ReLU(x)
	}
	return layers.ReLUNoGrad(x)
}

// forward runs the ops; with from ≥ 0 it starts at the op that site `from` follows, without applying it, and
// it stops after observing site `to`. With fuse, in evaluation, a Dense followed by a BatchNorm runs as one
// product (layers.DenseBatchNorm) when the Dense's site is silent and not `to`: the same function. The first
// weight layer, when it is a convolution followed by ReLU (or BatchNorm and ReLU) and MaxPool, whose sites
// before the MaxPool's are silent and not `to` and nothing observes, runs with them as one
// layers.Conv2DMaxPool (in training too): the same values and gradients bit for bit, faster.
func (m *Model) forward(scope *model.Scope, from, to int, x *Node, n Noise, fuse bool,
	observe func(site int, value *Node)) *Node {
	start, site := 0, 0
	if from >= 0 {
		for start, site = 0, 0; ; start++ {
			if m.Ops[start].Site {
				if site == from {
					break
				}
				site++
			}
		}
	}
	fuse = fuse && !scope.IsTraining(x.Graph())
	layer := 0 // the weight layer of the next Linear/Conv op
	for _, op := range m.Ops[:start] {
		if hasWeights(op) {
			layer++
		}
	}
	ops := m.Ops[start:]
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		wf := layers.WeightsFunc(nil)
		if hasWeights(op) {
			wf = weightsFunc(n, layer)
			layer++
		}
		convPool := 0 // ops computed as one layers.Conv2DMaxPool
		if op.Kind == KindConv && layer == 1 && observe == nil {
			convPool = convPoolOps(ops[i:], site, to, n)
		}
		switch {
		case from >= 0 && i == 0: // The value at site `from` is given.
		case fuse && op.Kind == KindDense && wf == nil && i+1 < len(ops) && ops[i+1].Kind == KindBatchNorm &&
			silentSite(op, site, to, n):
			x = layers.DenseBatchNorm(scope.In("%s", op.Name), scope.In("%s", ops[i+1].Name), x, op.Out)
			site += sites(op) // Silent: nothing to apply.
			i++
			op = ops[i]
		case convPool > 0: // The first weight layer: no gradient reaches its input (see layers.Conv2DMaxPool).
			var bn *model.Scope
			if ops[i+1].Kind == KindBatchNorm {
				bn = scope.In("%s", ops[i+1].Name)
			}
			x = layers.Conv2DMaxPool(scope.In("%s", op.Name), x, op.Out, op.Kernel, op.Stride, wf, bn,
				func(y *Node) *Node { return relu(scope, y) })
			last := i + convPool - 1
			for _, o := range ops[i:last] {
				site += sites(o) // Silent: nothing to apply.
			}
			i = last
			op = ops[i]
		default:
			x = m.apply(scope, op, x, wf)
		}
		if op.Site {
			if observe != nil {
				observe(site, x)
			}
			if site == to {
				return x
			}
			x = n.Apply(site, x)
			site++
		}
	}
	return x
}

// silentSite reports whether op's site, if it has one (its index is site), leaves the value as it is and is not
// the last site (to) forward observes.
func silentSite(op Op, site, to int, n Noise) bool {
	return !op.Site || !n.Active(site) && site != to
}

// convPoolOps returns the number of ops at the start of ops (the first of which is a convolution whose site,
// if any, is site) that layers.Conv2DMaxPool computes as one: 3 (Conv, ReLU, MaxPool) or 4 (Conv, BatchNorm,
// ReLU, MaxPool), when every site but the MaxPool's is silent (silentSite); 0 otherwise.
func convPoolOps(ops []Op, site, to int, n Noise) int {
	want := []Kind{KindConv, KindReLU, KindMaxPool}
	if len(ops) > 1 && ops[1].Kind == KindBatchNorm {
		want = []Kind{KindConv, KindBatchNorm, KindReLU, KindMaxPool}
	}
	if len(ops) < len(want) {
		return 0
	}
	for j, k := range want {
		if ops[j].Kind != k {
			return 0
		}
		if j < len(want)-1 {
			if !silentSite(ops[j], site, to, n) {
				return 0
			}
			site += sites(ops[j])
		}
	}
	return len(want)
}

// sites returns the number of sites op has: 1 or 0.
func sites(op Op) int {
	if op.Site {
		return 1
	}
	return 0
}

// apply runs one op; wf (nil: none) transforms the weights of a Dense or Conv op (weight noise).
func (m *Model) apply(scope *model.Scope, op Op, x *Node, wf layers.WeightsFunc) *Node {
	switch op.Kind {
	case KindFlatten:
		return layers.Flatten(x)
	case KindDense:
		return layers.DenseWith(scope.In("%s", op.Name), x, op.Out, wf)
	case KindConv:
		return layers.Conv2DWith(scope.In("%s", op.Name), x, op.Out, op.Kernel, op.Stride, wf)
	case KindBatchNorm:
		return layers.BatchNorm(scope.In("%s", op.Name), x)
	case KindReLU:
		return relu(scope, x)
	case KindMaxPool:
		return layers.MaxPool2x2(x)
	}
	return x
}
