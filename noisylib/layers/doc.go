// Package layers holds the PyTorch-faithful building blocks of the Walking Noise models, written with
// primitive GoMLX graph ops so they train at usable speed on GoMLX's pure-Go backend:
//
//	x = layers.Conv2D(scope.In("conv1"), x, 6, [2]int{5, 5}, [2]int{1, 1}) // one matmul, no padding
//	x = layers.BatchNorm(scope.In("bn1"), x)                               // PyTorch semantics
//	x = layers.ReLU(x)
//	x = layers.MaxPool2x2(x)
//	x = layers.Dense(scope.In("fc1"), layers.Flatten(x), 120)
//
// Where no gradient reaches a convolution's input (a model's first layer), Conv2DMaxPool computes a convolution,
// an optional BatchNorm, ReLU and MaxPool2x2 as one layer, faster, with the same values and weight gradients.
//
// Images are NHWC (channels last). Weights are created on first use with PyTorch's default initialisation
// (Kaiming-uniform with a=√5 for weights, U(±1/√fan_in) for biases), drawn from a Go RNG seeded by
// the store's ParamInitSeed and the variable's path, so initial values do not depend on creation order.
package layers
