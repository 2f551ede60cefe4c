package models

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is the kind of an operation in a model.
type Kind int

// The operations the models are made of.
const (
	KindInput Kind = iota
	KindDense
	KindConv
	KindBatchNorm
	KindReLU
	KindMaxPool
	KindFlatten
)

var kindNames = []string{"input", "dense", "conv", "batchnorm", "relu", "maxpool", "flatten"}

// String returns the kind's name.
func (k Kind) String() string { return kindNames[k] }

// Op is one operation of a model.
type Op struct {
	// Kind of the operation.
	Kind Kind
	// Name is the readable name, also the variable scope of its parameters (e.g. "conv1", "bn2", "relu3").
	Name string
	// Out is the number of output features (Dense) or channels (Conv).
	Out int
	// Kernel and Stride of a Conv.
	Kernel, Stride [2]int
	// Site is true if a noise site follows the operation.
	Site bool
}

// InputSpec is the shape of one example and the number of classes.
type InputSpec struct {
	H, W, C    int
	NumClasses int
}

// Input specifications of the paper's data sets.
var (
	MNIST   = InputSpec{H: 28, W: 28, C: 1, NumClasses: 10} // MNIST and Fashion-MNIST.
	CIFAR10 = InputSpec{H: 32, W: 32, C: 3, NumClasses: 10} // CIFAR-10 and SVHN.
	GSC2    = InputSpec{H: 10, W: 49, C: 1, NumClasses: 12} // Speech Commands v2 MFCC (10 coefficients × 49 frames).
)

type builder func(in InputSpec, bn, bnSite bool) []Op

var families = map[string]builder{
	"mlp-tfc": mlpTFC,
	"lenet5":  lenet5,
	"cnn-s":   cnnS,
}

var variants = []string{"nobn", "bn", "bn-nonoise"}

// Names returns the names of every model variant, e.g. "lenet5-bn".
func Names() []string {
	var names []string
	for _, f := range Families() {
		for _, v := range variants {
			names = append(names, f+"-"+v)
		}
	}
	return names
}

// Variant is a parsed model name: a family and a BatchNorm variant.
type Variant struct {
	// Family is "mlp-tfc", "lenet5" or "cnn-s".
	Family string
	// BN is true when the model has BatchNorm; BNSite when a noise site follows each BatchNorm (variant "bn",
	// not "bn-nonoise").
	BN, BNSite bool
}

// Families returns the model family names, sorted: "cnn-s", "lenet5", "mlp-tfc".
func Families() []string {
	fams := make([]string, 0, len(families))
	for f := range families {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	return fams
}

// ParseName parses a model name such as "lenet5-bn" into its family and variant. It is the one place that
// reads model names: a family without its variant ("lenet5"), an unknown family or variant, or any other text
// is an error listing the valid names.
func ParseName(name string) (Variant, error) {
	for fam := range families {
		rest, ok := strings.CutPrefix(name, fam+"-")
		if !ok {
			continue
		}
		switch rest {
		case "nobn":
			return Variant{Family: fam}, nil
		case "bn":
			return Variant{Family: fam, BN: true, BNSite: true}, nil
		case "bn-nonoise":
			return Variant{Family: fam, BN: true}, nil
		}
	}
	hint := ""
	if _, ok := families[name]; ok {
		hint = fmt.Sprintf(" (%q is a family: add its variant, e.g. %s-bn)", name, name)
	}
	return Variant{}, fmt.Errorf("unknown model %q%s: valid models are %s", name, hint, strings.Join(Names(), ", "))
}

// block appends dense/conv → [bn] → relu with their sites.
func block(ops []Op, main Op, idx int, bn, bnSite bool) []Op {
	main.Site = true
	ops = append(ops, main)
	if bn {
		ops = append(ops, Op{Kind: KindBatchNorm, Name: fmt.Sprintf("bn%d", idx), Site: bnSite})
	}
	return append(ops, Op{Kind: KindReLU, Name: fmt.Sprintf("relu%d", idx), Site: true})
}

// mlpTFC is FINN's TFC: input → 3 × (Linear 64 [→ BN] → ReLU) → Linear C.
func mlpTFC(in InputSpec, bn, bnSite bool) []Op {
	ops := []Op{{Kind: KindFlatten, Name: "flatten"}, {Kind: KindInput, Name: "input", Site: true}}
	for i := 1; i <= 3; i++ {
		ops = block(ops, Op{Kind: KindDense, Name: fmt.Sprintf("fc%d", i), Out: 64}, i, bn, bnSite)
	}
	return append(ops, Op{Kind: KindDense, Name: "logits", Out: in.NumClasses, Site: true})
}

// lenet5 is LeNet-5 with ReLU, MaxPool(2) and no padding.
func lenet5(in InputSpec, bn, bnSite bool) []Op {
	ops := []Op{{Kind: KindInput, Name: "input", Site: true}}
	for i, ch := range []int{6, 16} {
		ops = block(ops, Op{Kind: KindConv, Name: fmt.Sprintf("conv%d", i+1), Out: ch, Kernel: [2]int{5, 5}, Stride: [2]int{1, 1}}, i+1, bn, bnSite)
		ops = append(ops, Op{Kind: KindMaxPool, Name: fmt.Sprintf("pool%d", i+1), Site: true})
	}
	ops = append(ops, Op{Kind: KindFlatten, Name: "flatten"})
	for i, n := range []int{120, 84} {
		ops = block(ops, Op{Kind: KindDense, Name: fmt.Sprintf("fc%d", i+1), Out: n}, i+3, bn, bnSite)
	}
	return append(ops, Op{Kind: KindDense, Name: "logits", Out: in.NumClasses, Site: true})
}

// cnnS is Hello Edge CNN-S without the low-rank layer: conv 28@(4,10)/(1,2) → conv 30@(4,10) → FC 128 → C.
func cnnS(in InputSpec, bn, bnSite bool) []Op {
	ops := []Op{{Kind: KindInput, Name: "input", Site: true}}
	ops = block(ops, Op{Kind: KindConv, Name: "conv1", Out: 28, Kernel: [2]int{4, 10}, Stride: [2]int{1, 2}}, 1, bn, bnSite)
	ops = block(ops, Op{Kind: KindConv, Name: "conv2", Out: 30, Kernel: [2]int{4, 10}, Stride: [2]int{1, 1}}, 2, bn, bnSite)
	ops = append(ops, Op{Kind: KindFlatten, Name: "flatten"})
	ops = block(ops, Op{Kind: KindDense, Name: "fc1", Out: 128}, 3, bn, bnSite)
	return append(ops, Op{Kind: KindDense, Name: "logits", Out: in.NumClasses, Site: true})
}
