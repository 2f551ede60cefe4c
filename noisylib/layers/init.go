package layers

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// ParamInitSeed is the store hyperparameter (uint64 or int64) that seeds the initial values of every
// layer's weights. Two stores with the same seed get identical initial weights.
const ParamInitSeed = "noisylib_init_seed"

// WeightsName and BiasesName are the variable names of Dense and Conv2D parameters.
const (
	WeightsName = "weights"
	BiasesName  = "biases"
)

// initSeed reads ParamInitSeed from the store root (0 if unset).
func initSeed(scope *model.Scope) uint64 {
	v, found := scope.Store().GetParam("/" + ParamInitSeed)
	if !found {
		return 0
	}
	switch s := v.(type) {
	case uint64:
		return s
	case int64:
		return uint64(s)
	case int:
		return uint64(s)
	}
	return 0
}

// uniformParam returns the variable `name` of the scope, creating it on first use with values drawn
// uniformly from [-bound, bound] by a RNG seeded with the init seed and the variable's full path.
func uniformParam(scope *model.Scope, name string, bound float64, dims ...int) *model.Variable {
	if v := scope.GetVariable(name); v != nil {
		return v
	}
	return scope.VariableWithValue(name, tensors.FromFlatDataAndDimensions(uniformValues(scope, name, bound, dims), dims...))
}

// uniformValues draws the initial values of uniformParam.
func uniformValues(scope *model.Scope, name string, bound float64, dims []int) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(model.JoinPath(scope.Scope(), name)))
	rng := rand.New(rand.NewPCG(initSeed(scope), h.Sum64()))
	n := 1
	for _, d := range dims {
		n *= d
	}
	flat := make([]float32, n)
	for i := range flat {
		flat[i] = float32((2*rng.Float64() - 1) * bound)
	}
	return flat
}

// stackedParam is uniformParam (bound > 0) or constParam (bound = 0, filled with value) for k models side
// by side: the variable has shape [k, dims...] and every model starts from the values the single-model
// variable of the same scope and init seed gets.
func stackedParam(scope *model.Scope, name string, k int, bound float64, value float32, trainable bool, dims ...int) *model.Variable {
	if v := scope.GetVariable(name); v != nil {
		return v
	}
	var one []float32
	if bound > 0 {
		one = uniformValues(scope, name, bound, dims)
	} else {
		one = constValues(value, dims)
	}
	flat := make([]float32, 0, k*len(one))
	for range k {
		flat = append(flat, one...)
	}
	return scope.VariableWithValue(name, tensors.FromFlatDataAndDimensions(flat, append([]int{k}, dims...)...)).SetTrainable(trainable)
}

func constValues(value float32, dims []int) []float32 {
	n := 1
	for _, d := range dims {
		n *= d
	}
	flat := make([]float32, n)
	for i := range flat {
		flat[i] = value
	}
	return flat
}

// constParam returns the variable `name`, creating it filled with value on first use.
func constParam(scope *model.Scope, name string, value float32, trainable bool, dims ...int) *model.Variable {
	if v := scope.GetVariable(name); v != nil {
		return v
	}
	return scope.VariableWithValue(name, tensors.FromFlatDataAndDimensions(constValues(value, dims), dims...)).SetTrainable(trainable)
}

// torchBound is PyTorch's default init bound for Linear/Conv weights and biases: Kaiming-uniform with
// a=√5 gives gain·√(3/fan_in) = √(1/3)·√(3/fan_in) = 1/√fan_in, the same as the bias bound.
func torchBound(fanIn int) float64 { return 1 / math.Sqrt(float64(fanIn)) }
