package analysis

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Levenberg–Marquardt for the 4-parameter logistic of [FitLogistic]. gonum/optimize is not used
// because it pulls in golang.org/x/tools (via stat/distmv), which the module's go.mod does not
// require; the normal equations are solved with gonum/mat instead.

const (
	lmMaxIter   = 500
	lmMaxLambda = 1e16
	lmRelTol    = 1e-14
)

// logisticResiduals fills r[i] = model(x_i) − y_i and, if jac is not nil, the Jacobian row
// ∂r_i/∂(m, s, lo, hi). It returns the residual sum of squares.
func logisticResiduals(x, y, p, r []float64, jac *mat.Dense) float64 {
	m, s, lo, hi := p[0], p[1], p[2], p[3]
	var rss float64
	for i, xi := range x {
		f := 1 / (1 + math.Exp(s*(xi-m)))
		r[i] = lo + (hi-lo)*f - y[i]
		rss += r[i] * r[i]
		if jac != nil {
			df := f * (1 - f) // −∂f/∂z with z = s(x−m).
			jac.Set(i, 0, (hi-lo)*df*s)
			jac.Set(i, 1, -(hi-lo)*df*(xi-m))
			jac.Set(i, 2, 1-f)
			jac.Set(i, 3, f)
		}
	}
	return rss
}

// levenbergMarquardt minimises the residual sum of squares of the logistic from p0 and returns the
// parameters and their RSS. Steps solve (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr (Marquardt's scaling).
func levenbergMarquardt(x, y, p0 []float64) ([]float64, float64) {
	n := len(x)
	p := append([]float64(nil), p0...)
	trial := make([]float64, 4)
	r := make([]float64, n)
	rTrial := make([]float64, n)
	jac := mat.NewDense(n, 4, nil)
	var jtj mat.SymDense
	var a mat.Dense
	var g, delta mat.VecDense
	lambda := 1e-3

	rss := logisticResiduals(x, y, p, r, jac)
	for iter := 0; iter < lmMaxIter && lambda < lmMaxLambda; iter++ {
		jtj.SymOuterK(1, jac.T())
		g.MulVec(jac.T(), mat.NewVecDense(n, r))
		maxDiag := 0.0
		for j := range 4 {
			maxDiag = math.Max(maxDiag, jtj.At(j, j))
		}
		improved := false
		for lambda < lmMaxLambda {
			a.CloneFrom(&jtj)
			for j := range 4 {
				a.Set(j, j, jtj.At(j, j)+lambda*(jtj.At(j, j)+1e-12*(1+maxDiag)))
			}
			if err := delta.SolveVec(&a, &g); err != nil {
				lambda *= 4
				continue
			}
			for j := range 4 {
				trial[j] = p[j] - delta.AtVec(j)
			}
			f := logisticResiduals(x, y, trial, rTrial, nil)
			if f < rss && !math.IsNaN(f) {
				improved = true
				done := rss-f <= lmRelTol*rss
				copy(p, trial)
				rss = logisticResiduals(x, y, p, r, jac)
				lambda = math.Max(lambda/3, 1e-12)
				if done {
					return p, rss
				}
				break
			}
			lambda *= 4
		}
		if !improved {
			break
		}
	}
	return p, rss
}
