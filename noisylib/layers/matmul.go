package layers

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
)

// matMul returns x·w for x [M, K] and w [K, N], exactly like MatMul, but with hand-written gradients laid out
// for the pure-Go backend's matrix kernels.
//
// GoMLX's generic DotGeneral gradient computes d/dw as a product contracting the first axis of both operands,
// which the backend can only run after transposing both to its "transposed" layout (and the output back),
// and d/dx in the "transposed" layout too; for this project's small layers that is up to ten times slower than
// the same products in the "non-transposed" layout (lhs [·, K] times rhs [K, ·]). Here
//
//	d/dx = v·wᵀ       as v [M, N] times the transposed weights [N, K],
//	d/dw = xᵀ·v       as xᵀ [K, M] times v [M, N], or (vᵀ·x)ᵀ, whichever transposes fewer elements,
//
// where v is the gradient arriving at the output. The forward value is the plain MatMul.
//
// The gradients are attached with IdentityWithCustomGradient: the output's custom gradient records v, and the
// custom gradients of x and w (whose nodes are created first, so GoMLX's reverse pass reaches them later) use it
// and discard the generic gradients MatMul sends them, which the backend then never computes.
func matMul(x, w *Node) *Node {
	return matMulRowsT(x, w, nil)
}

// matMulRowsT is matMul whose weight gradient, when it would transpose x, takes xᵀ from xT instead (called
// only while the reverse pass is built); xT must return exactly the values of Transpose(x, 0, 1). nil xT is
// matMul.
func matMulRowsT(x, w *Node, xT func() *Node) *Node {
	var v *Node // Gradient of the output, set during the reverse pass.
	var xs, ws *Node
	xs = IdentityWithCustomGradient(x, func(x, _ *Node) *Node {
		if v == nil {
			panic("layers: matMul's output gradient was not computed before its input's: GoMLX's reverse pass order changed")
		}
		return DotGeneral(v, []int{1}, nil, Transpose(ws, 0, 1), []int{0}, nil)
	})
	ws = IdentityWithCustomGradient(w, func(w, _ *Node) *Node {
		if v == nil {
			panic("layers: matMul's output gradient was not computed before its weights': GoMLX's reverse pass order changed")
		}
		return weightGradient(xs, v, xT)
	})
	return IdentityWithCustomGradient(MatMul(xs, ws), func(_, vy *Node) *Node {
		v = vy
		return vy
	})
}

// weightGradient returns xᵀ·v ([K, N]) for x [M, K] and v [M, N], transposing whichever is cheaper: x (M·K
// elements; xT() instead when xT is not nil), or v and the [N, K] result (M·N + K·N elements).
func weightGradient(x, v *Node, xT func() *Node) *Node {
	m, k, n := x.Shape().Dimensions[0], x.Shape().Dimensions[1], v.Shape().Dimensions[1]
	if m*k <= m*n+k*n {
		if xT == nil {
			xT = func() *Node { return transpose2D(x) }
		}
		return DotGeneral(xT(), []int{1}, nil, v, []int{0}, nil)
	}
	return Transpose(DotGeneral(transpose2D(v), []int{1}, nil, x, []int{0}, nil), 0, 1)
}

// transpose2D returns xᵀ for x [M, K]. The backend's transposition writes rows of M values in 32×32 tiles;
// when M is a multiple of 256 (as batch·rows of a convolution with a batch of 128 is) the 32 rows of a tile
// land on the same cache sets and it runs 2–4× slower. Then x gets 8 zero rows more, is transposed, and the
// padding is cropped off (two copies by runs, cheaper than the slow transposition).
func transpose2D(x *Node) *Node {
	const pad = 8
	m, k := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	if m%256 != 0 || k < 32 {
		return Transpose(x, 0, 1)
	}
	return crop(Transpose(padZeros(x, 0, 0, pad), 0, 1), 1, 0, m)
}

// batchMatMul returns x·w per model for x [K, M, D] and w [K, D, N] (a DotGeneral with batch axis 0), with
// hand-written gradients in the backend's fast layout, like matMul:
//
//	d/dx = v·wᵀ   as v [K, M, N] times the transposed weights [K, N, D],
//	d/dw = xᵀ·v   as xᵀ [K, D, M] times v [K, M, N].
func batchMatMul(x, w *Node) *Node {
	var v *Node
	var xs, ws *Node
	xs = IdentityWithCustomGradient(x, func(x, _ *Node) *Node {
		if v == nil {
			panic("layers: batchMatMul's output gradient was not computed before its input's: GoMLX's reverse pass order changed")
		}
		return DotGeneral(v, []int{2}, []int{0}, Transpose(ws, 1, 2), []int{1}, []int{0})
	})
	ws = IdentityWithCustomGradient(w, func(w, _ *Node) *Node {
		if v == nil {
			panic("layers: batchMatMul's output gradient was not computed before its weights': GoMLX's reverse pass order changed")
		}
		return DotGeneral(Transpose(xs, 1, 2), []int{2}, []int{0}, v, []int{1}, []int{0})
	})
	return IdentityWithCustomGradient(DotGeneral(xs, []int{2}, []int{0}, ws, []int{1}, []int{0}), func(_, vy *Node) *Node {
		v = vy
		return vy
	})
}
