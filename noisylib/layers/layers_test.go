package layers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/layers"
)

func TestDense(t *testing.T) {
	const batch, in, out = 3, 4, 5
	x := randFlat(1, batch*in, -2, 2)
	w := randFlat(2, in*out, -1, 1)
	b := randFlat(3, out, -1, 1)
	store := model.NewStore()
	setVar(t, store, "fc", layers.WeightsName, w, in, out)
	setVar(t, store, "fc", layers.BiasesName, b, out)
	got, dims := runLayer(t, store, false, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.Dense(scope.In("fc"), x, out)
	}, x, batch, in)
	if !equalDims(dims, []int{batch, out}) {
		t.Fatalf("Dense output shape %v, want [%d %d]", dims, batch, out)
	}
	want := make([]float32, batch*out)
	for n := range batch {
		for o := range out {
			s := float64(b[o])
			for i := range in {
				s += float64(x[n*in+i]) * float64(w[i*out+o])
			}
			want[n*out+o] = float32(s)
		}
	}
	checkClose(t, "Dense", got, want, 1e-5)
}

// naiveConv is PyTorch's Conv2d (cross-correlation, no padding) on NHWC x with weights wt[o][c][i][j] (PyTorch
// layout) and bias.
func naiveConv(x []float32, batch, h, w, c int, wt func(o, c, i, j int) float32, bias []float32, out int, k, s [2]int) ([]float32, []int) {
	oh, ow := (h-k[0])/s[0]+1, (w-k[1])/s[1]+1
	y := make([]float32, batch*oh*ow*out)
	for n := range batch {
		for oy := range oh {
			for ox := range ow {
				for o := range out {
					sum := float64(bias[o])
					for i := range k[0] {
						for j := range k[1] {
							for ch := range c {
								xv := x[((n*h+oy*s[0]+i)*w+ox*s[1]+j)*c+ch]
								sum += float64(xv) * float64(wt(o, ch, i, j))
							}
						}
					}
					y[((n*oh+oy)*ow+ox)*out+o] = float32(sum)
				}
			}
		}
	}
	return y, []int{batch, oh, ow, out}
}

func TestConv2D(t *testing.T) {
	cases := []struct {
		name          string
		batch, h, w   int
		c, out        int
		kernel, strid [2]int
	}{
		{"LeNet 5x5", 2, 8, 9, 3, 4, [2]int{5, 5}, [2]int{1, 1}},
		{"CNN-S conv1 (4,10) stride (1,2)", 2, 6, 25, 1, 3, [2]int{4, 10}, [2]int{1, 2}},
		{"CNN-S conv2 (4,10) multi-channel", 1, 7, 20, 4, 3, [2]int{4, 10}, [2]int{1, 1}},
		{"stride (1,2) with a dropped column", 1, 5, 15, 2, 2, [2]int{4, 10}, [2]int{1, 2}},
		{"stride (2,1) non-square", 1, 7, 6, 2, 3, [2]int{3, 2}, [2]int{2, 1}},
	}
	for ci, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			seed := uint64(10 * ci)
			x := randFlat(seed+1, cs.batch*cs.h*cs.w*cs.c, -1, 1)
			kh, kw := cs.kernel[0], cs.kernel[1]
			torchW := randFlat(seed+2, cs.out*cs.c*kh*kw, -1, 1) // [out, C, kh, kw]
			bias := randFlat(seed+3, cs.out, -1, 1)
			wt := func(o, c, i, j int) float32 { return torchW[((o*cs.c+c)*kh+i)*kw+j] }
			// The layer's layout: [kh·kw·C, out] ordered (kernel row, kernel column, channel).
			ours := make([]float32, kh*kw*cs.c*cs.out)
			for i := range kh {
				for j := range kw {
					for c := range cs.c {
						for o := range cs.out {
							ours[((i*kw+j)*cs.c+c)*cs.out+o] = wt(o, c, i, j)
						}
					}
				}
			}
			store := model.NewStore()
			setVar(t, store, "conv", layers.WeightsName, ours, kh*kw*cs.c, cs.out)
			setVar(t, store, "conv", layers.BiasesName, bias, cs.out)
			got, dims := runLayer(t, store, false, func(scope *model.Scope, x *graph.Node) *graph.Node {
				return layers.Conv2D(scope.In("conv"), x, cs.out, cs.kernel, cs.strid)
			}, x, cs.batch, cs.h, cs.w, cs.c)
			want, wantDims := naiveConv(x, cs.batch, cs.h, cs.w, cs.c, wt, bias, cs.out, cs.kernel, cs.strid)
			if !equalDims(dims, wantDims) {
				t.Fatalf("output shape %v, want %v", dims, wantDims)
			}
			checkClose(t, "Conv2D", got, want, 1e-5)
		})
	}
}

func TestMaxPool2x2(t *testing.T) {
	for _, dims := range [][]int{{2, 4, 6, 3}, {2, 5, 7, 3}, {1, 3, 3, 1}} {
		b, h, w, c := dims[0], dims[1], dims[2], dims[3]
		x := randFlat(uint64(h*w), b*h*w*c, -3, -1) // All negative: a max with 0 somewhere would show.
		got, gotDims := runLayer(t, model.NewStore(), false, func(_ *model.Scope, x *graph.Node) *graph.Node {
			return layers.MaxPool2x2(x)
		}, x, dims...)
		oh, ow := h/2, w/2
		if !equalDims(gotDims, []int{b, oh, ow, c}) {
			t.Fatalf("MaxPool2x2 of %v has shape %v, want [%d %d %d %d]", dims, gotDims, b, oh, ow, c)
		}
		want := make([]float32, b*oh*ow*c)
		for n := range b {
			for i := range oh {
				for j := range ow {
					for ch := range c {
						m := float32(math.Inf(-1))
						for di := range 2 {
							for dj := range 2 {
								m = max(m, x[((n*h+2*i+di)*w+2*j+dj)*c+ch])
							}
						}
						want[((n*oh+i)*ow+j)*c+ch] = m
					}
				}
			}
		}
		checkClose(t, "MaxPool2x2", got, want, 1e-7)
	}
}

func TestFlattenAndReLU(t *testing.T) {
	x := []float32{-1, 2, -3, 4, 0, 6, -7, 8}
	got, dims := runLayer(t, model.NewStore(), false, func(_ *model.Scope, x *graph.Node) *graph.Node {
		return layers.ReLU(layers.Flatten(x))
	}, x, 2, 2, 2, 1)
	if !equalDims(dims, []int{2, 4}) {
		t.Fatalf("Flatten of [2 2 2 1] has shape %v, want [2 4]", dims)
	}
	checkClose(t, "ReLU", got, []float32{0, 2, 0, 4, 0, 6, 0, 8}, 0)
}
