package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// variant is what method.md §2 says about one model variant on one input.
type variant struct {
	name   string
	in     models.InputSpec
	sites  []string // "index:op" in order.
	shapes map[int][]int
	params int
}

// Site lists of method.md §2 (tables for RL_TFC, LeNet5 and CNN-S).
var (
	mlpNoBN = []string{"0:input", "1:fc1", "2:relu1", "3:fc2", "4:relu2", "5:fc3", "6:relu3", "7:logits"}
	mlpBN   = []string{"0:input", "1:fc1", "2:bn1", "3:relu1", "4:fc2", "5:bn2", "6:relu2", "7:fc3", "8:bn3",
		"9:relu3", "10:logits"}
	lenetNoBN = []string{"0:input", "1:conv1", "2:relu1", "3:pool1", "4:conv2", "5:relu2", "6:pool2", "7:fc1",
		"8:relu3", "9:fc2", "10:relu4", "11:logits"}
	lenetBN = []string{"0:input", "1:conv1", "2:bn1", "3:relu1", "4:pool1", "5:conv2", "6:bn2", "7:relu2",
		"8:pool2", "9:fc1", "10:bn3", "11:relu3", "12:fc2", "13:bn4", "14:relu4", "15:logits"}
	cnnNoBN = []string{"0:input", "1:conv1", "2:relu1", "3:conv2", "4:relu2", "5:fc1", "6:relu3", "7:logits"}
	cnnBN   = []string{"0:input", "1:conv1", "2:bn1", "3:relu1", "4:conv2", "5:bn2", "6:relu2", "7:fc1", "8:bn3",
		"9:relu3", "10:logits"}
)

// oddInput is an input whose sizes exercise the floor of MaxPool2x2.
var oddInput = models.InputSpec{H: 29, W: 31, C: 2, NumClasses: 3}

// Per-example shapes are H, W, C (NHWC) for images.
var variants = []variant{
	{"mlp-tfc-nobn", models.MNIST, mlpNoBN, map[int][]int{0: {784}, 1: {64}, 6: {64}, 7: {10}}, 59210},
	{"mlp-tfc-bn", models.MNIST, mlpBN, map[int][]int{0: {784}, 2: {64}, 8: {64}, 10: {10}}, 59210 + 384},
	{"mlp-tfc-bn-nonoise", models.MNIST, mlpNoBN, map[int][]int{0: {784}, 5: {64}, 7: {10}}, 59210 + 384},
	{"mlp-tfc-nobn", models.CIFAR10, mlpNoBN, map[int][]int{0: {3072}, 7: {10}}, 205642},
	{"mlp-tfc-bn", models.CIFAR10, mlpBN, map[int][]int{0: {3072}, 10: {10}}, 205642 + 384},
	{"mlp-tfc-nobn", models.GSC2, mlpNoBN, map[int][]int{0: {490}, 7: {12}}, 40524},
	{"mlp-tfc-bn", models.GSC2, mlpBN, map[int][]int{0: {490}, 10: {12}}, 40524 + 384},
	{"lenet5-nobn", models.MNIST, lenetNoBN, map[int][]int{
		0: {28, 28, 1}, 1: {24, 24, 6}, 2: {24, 24, 6}, 3: {12, 12, 6}, 4: {8, 8, 16}, 6: {4, 4, 16},
		7: {120}, 9: {84}, 11: {10}}, 44426},
	{"lenet5-bn", models.MNIST, lenetBN, map[int][]int{
		0: {28, 28, 1}, 1: {24, 24, 6}, 2: {24, 24, 6}, 3: {24, 24, 6}, 4: {12, 12, 6}, 5: {8, 8, 16},
		6: {8, 8, 16}, 8: {4, 4, 16}, 9: {120}, 10: {120}, 12: {84}, 13: {84}, 15: {10}}, 44426 + 452},
	{"lenet5-bn-nonoise", models.MNIST, lenetNoBN, map[int][]int{1: {24, 24, 6}, 2: {24, 24, 6}, 6: {4, 4, 16}}, 44426 + 452},
	{"lenet5-nobn", models.CIFAR10, lenetNoBN, map[int][]int{
		0: {32, 32, 3}, 1: {28, 28, 6}, 3: {14, 14, 6}, 4: {10, 10, 16}, 6: {5, 5, 16}, 7: {120}}, 62006},
	{"lenet5-bn", models.CIFAR10, lenetBN, map[int][]int{1: {28, 28, 6}, 4: {14, 14, 6}, 5: {10, 10, 16}, 8: {5, 5, 16}}, 62006 + 452},
	// Odd sizes: 29×31×2 → conv1 25×27 → pool1 12×13 (floor) → conv2 8×9 → pool2 4×4; 3 classes.
	{"lenet5-nobn", oddInput, lenetNoBN, map[int][]int{
		0: {29, 31, 2}, 1: {25, 27, 6}, 3: {12, 13, 6}, 4: {8, 9, 16}, 6: {4, 4, 16}, 11: {3}},
		(5*5*2*6 + 6) + (5*5*6*16 + 16) + (256*120 + 120) + (120*84 + 84) + (84*3 + 3)},
	{"cnn-s-nobn", models.GSC2, cnnNoBN, map[int][]int{
		0: {10, 49, 1}, 1: {7, 20, 28}, 2: {7, 20, 28}, 3: {4, 11, 30}, 5: {128}, 7: {12}}, 205414},
	{"cnn-s-bn", models.GSC2, cnnBN, map[int][]int{
		1: {7, 20, 28}, 2: {7, 20, 28}, 4: {4, 11, 30}, 5: {4, 11, 30}, 7: {128}, 8: {128}, 10: {12}}, 205414 + 2*(28+30+128)},
	{"cnn-s-bn-nonoise", models.GSC2, cnnNoBN, map[int][]int{1: {7, 20, 28}, 3: {4, 11, 30}}, 205414 + 2*(28+30+128)},
}

func TestVariants(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name+"/"+inputName(v.in), func(t *testing.T) {
			m, err := models.New(v.name, v.in)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if m.NumSites() != len(v.sites) {
				t.Errorf("NumSites() = %d, want %d", m.NumSites(), len(v.sites))
			}
			if got := m.SiteNames(); !slices.Equal(got, v.sites) {
				t.Errorf("SiteNames() = %v, want %v", got, v.sites)
			}
			for i, s := range m.Sites {
				if s.Index != i {
					t.Errorf("site %d has Index %d", i, s.Index)
				}
			}
			for i, want := range v.shapes {
				if got := m.Sites[i].Shape; !slices.Equal(got, want) {
					t.Errorf("site %s has shape %v, want %v", m.Sites[i].Name(), got, want)
				}
			}
			if got := m.NumParams(); got != v.params {
				t.Errorf("NumParams() = %d, want %d", got, v.params)
			}
			last := m.Sites[len(m.Sites)-1]
			if last.Op != "logits" || last.Kind != models.KindDense || !slices.Equal(last.Shape, []int{v.in.NumClasses}) {
				t.Errorf("last site is %v (%s), want the logits [%d]", last, last.Kind, v.in.NumClasses)
			}
		})
	}
}

func inputName(in models.InputSpec) string {
	switch in {
	case models.MNIST:
		return "MNIST"
	case models.CIFAR10:
		return "CIFAR10"
	case models.GSC2:
		return "GSC2"
	}
	return "custom"
}

func TestSiteKinds(t *testing.T) {
	m, err := models.New("lenet5-bn", models.MNIST)
	if err != nil {
		t.Fatal(err)
	}
	want := []models.Kind{models.KindInput, models.KindConv, models.KindBatchNorm, models.KindReLU, models.KindMaxPool,
		models.KindConv, models.KindBatchNorm, models.KindReLU, models.KindMaxPool, models.KindDense,
		models.KindBatchNorm, models.KindReLU, models.KindDense, models.KindBatchNorm, models.KindReLU, models.KindDense}
	for i, s := range m.Sites {
		if s.Kind != want[i] {
			t.Errorf("site %s has kind %s, want %s", s.Name(), s.Kind, want[i])
		}
	}
	if got := m.Sites[3].String(); got != "3:relu1 [24 24 6]" {
		t.Errorf("Site.String() = %q, want %q", got, "3:relu1 [24 24 6]")
	}
	// Values per example: input 28·28, conv1/bn1/relu1 24·24·6, pool1 12·12·6, conv2/bn2/relu2 8·8·16,
	// pool2 4·4·16, fc1/bn3/relu3 120, fc2/bn4/relu4 84, logits 10.
	sizes := []int{784, 3456, 3456, 3456, 864, 1024, 1024, 1024, 256, 120, 120, 120, 84, 84, 84, 10}
	for i, s := range m.Sites {
		if s.Size() != sizes[i] {
			t.Errorf("site %s has Size() %d, want %d", s.Name(), s.Size(), sizes[i])
		}
	}
}

func TestNames(t *testing.T) {
	want := []string{"cnn-s-bn", "cnn-s-bn-nonoise", "cnn-s-nobn", "lenet5-bn", "lenet5-bn-nonoise", "lenet5-nobn",
		"mlp-tfc-bn", "mlp-tfc-bn-nonoise", "mlp-tfc-nobn"}
	got := slices.Clone(models.Names())
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want the 9 variants %v", models.Names(), want)
	}
}

func TestNewErrors(t *testing.T) {
	for _, name := range []string{"resnet18", "lenet5", "lenet5-xbn", "mlp-tfc-bn-", ""} {
		_, err := models.New(name, models.MNIST)
		if err == nil {
			t.Errorf("New(%q) succeeded, want an error", name)
			continue
		}
		for _, valid := range models.Names() {
			if !strings.Contains(err.Error(), valid) {
				t.Errorf("New(%q): error %q does not list the valid model %q", name, err, valid)
			}
		}
	}
	bad := []struct {
		name string
		in   models.InputSpec
	}{
		{"mlp-tfc-nobn", models.InputSpec{H: 28, W: 28, C: 1, NumClasses: 1}},
		{"mlp-tfc-nobn", models.InputSpec{H: 0, W: 28, C: 1, NumClasses: 10}},
		{"lenet5-nobn", models.GSC2},                                      // 10×49: the second conv does not fit.
		{"cnn-s-bn", models.InputSpec{H: 3, W: 49, C: 1, NumClasses: 12}}, // Shorter than the (4,10) kernel.
	}
	for _, b := range bad {
		if _, err := models.New(b.name, b.in); err == nil {
			t.Errorf("New(%q, %+v) succeeded, want an error", b.name, b.in)
		}
	}
}

// TestMACs checks the forward multiply-accumulates against hand counts: MLP-TFC on MNIST
// 784·64 + 64·64 + 64·64 + 64·10; LeNet-5 on MNIST conv1 24·24·6·25, conv2 8·8·16·150, fc 256·120 + 120·84 +
// 84·10; CNN-S on GSC2 conv1 7·20·28·40, conv2 4·11·30·1120, fc 1320·128 + 128·12. BatchNorm adds none.
func TestMACs(t *testing.T) {
	for _, c := range []struct {
		model string
		in    models.InputSpec
		want  int
	}{
		{"mlp-tfc-bn", models.MNIST, 784*64 + 2*64*64 + 64*10},
		{"lenet5-nobn", models.MNIST, 24*24*6*25 + 8*8*16*150 + 256*120 + 120*84 + 84*10},
		{"cnn-s-bn", models.GSC2, 7*20*28*40 + 4*11*30*1120 + 1320*128 + 128*12},
	} {
		m, err := models.New(c.model, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.MACs(); got != c.want {
			t.Errorf("%s: MACs() = %d, want %d", c.model, got, c.want)
		}
	}
}
