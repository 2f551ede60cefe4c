package train

import (
	"io"
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph-building convention.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// TestSweepKL checks EvaluateSweepKL's KL(clean ‖ noisy) against its second-order value for small additive noise
// ε ~ N(0, σ²·I) on the logits: KL_i = ½·εᵀA_iε + O(σ³), A_i = diag(p_i) − p_i·p_iᵀ, so the mean over N examples
// has expectation ½σ²·mean_i tr(A_i) and variance Σ_i ½σ⁴·tr(A_i²) / N², computed here from the clean model's
// probabilities p_i; the measured value must lie within 5 standard errors (plus 5 % for the cubic term at
// σ = 0.03). It also checks that the accuracies and losses are EvaluateSweep's bit for bit, that a point
// without noise has KL 0, and that KL grows with σ where accuracy has stopped falling.
func TestSweepKL(t *testing.T) {
	trainSet, testSet := mnist(t)
	trainSet, testSet = trainSet.Subset(3000), testSet.Subset(1500)
	tr, err := NewTrainer(testBackend(t), newModel(t, "mlp-tfc-bn"), 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Fit(trainSet, testSet, Options{Epochs: 1, Seed: 7, Progress: io.Discard}); err != nil {
		t.Fatal(err)
	}
	logits := tr.Model.NumSites() - 1
	// The clean probabilities, from a graph of the model alone.
	clean := model.MustNewExec(tr.Backend, tr.Store, func(scope *model.Scope, x *Node) *Node {
		scope.Store().SetTraining(x.Graph(), false)
		return Softmax(tr.Model.Forward(scope.In(ModelScope), x, nil, nil), -1)
	})
	var trace, trace2 float64 // Σ_i tr(A_i), Σ_i tr(A_i²)
	n := 0
	if _, err := Batches(tr.Backend, testSet, 500, func(x, _ *tensors.Tensor) error {
		p := tensors.MustCopyFlatData[float32](clean.MustExec(x)[0])
		classes := 10
		for i := 0; i < len(p); i += classes {
			var s2, s3, s4 float64 // Σp², Σp³ (for tr(A²) = Σp² − 2Σp³ + (Σp²)²)
			for _, v := range p[i : i+classes] {
				q := float64(v)
				s2, s3 = s2+q*q, s3+q*q*q
			}
			s4 = s2 * s2
			trace += 1 - s2
			trace2 += s2 - 2*s3 + s4
			n++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sigmas := []float64{0, 0.01, 0.03, 30, 300}
	pts := make([]SweepPoint, len(sigmas))
	for j, s := range sigmas {
		pts[j] = SweepPoint{Noise: noise.At(logits, noise.Add(s)), Seed: uint64(11 + j)}
	}
	pts[0].Noise = noise.At(logits, noise.Add(1e-30)) // same structure as the others, no visible noise
	acc, loss, kl, err := tr.EvaluateSweepKL(testSet, pts, 500)
	if err != nil {
		t.Fatal(err)
	}
	acc2, loss2, err := tr.EvaluateSweep(testSet, pts, 500)
	if err != nil {
		t.Fatal(err)
	}
	for j := range pts {
		if acc[j] != acc2[j] || loss[j] != loss2[j] {
			t.Errorf("σ=%g: KL sweep acc %v loss %v, plain sweep %v %v", sigmas[j], acc[j], loss[j], acc2[j], loss2[j])
		}
	}
	if kl[0] < 0 || kl[0] > 1e-6 {
		t.Errorf("σ ≈ 0: KL %g, want ≈ 0", kl[0])
	}
	for j, s := range sigmas[1:3] {
		want := 0.5 * s * s * trace / float64(n)
		se := math.Sqrt(0.5*math.Pow(s, 4)*trace2) / float64(n)
		t.Logf("σ=%g: KL %.6g, second order %.6g ± %.2g (SE)", s, kl[j+1], want, se)
		if math.Abs(kl[j+1]-want) > 5*se+0.05*want {
			t.Errorf("σ=%g: KL %.6g, want %.6g ± %.2g (5 SE + 5%%)", s, kl[j+1], want, 5*se+0.05*want)
		}
	}
	if !(kl[4] > kl[3] && kl[3] > kl[2]) || math.Abs(acc[4]-acc[3]) > 5 {
		t.Errorf("KL %v should keep growing where accuracy (%v) has flattened", kl, acc)
	}
}

// TestKLDivergenceHandComputed: KL on small log-probabilities against hand-computed values. Clean p = (½, ½) and
// (0.9, 0.1); copy 0 equals the clean outputs (KL 0); copy 1 has q = (¼, ¾) and (0.5, 0.5):
// KL = ½·ln(½/¼) + ½·ln(½/¾) = ½·ln(4/3) ≈ 0.143841 and 0.9·ln(0.9/0.5) + 0.1·ln(0.1/0.5) ≈ 0.368064.
func TestKLDivergenceHandComputed(t *testing.T) {
	ln := func(vs ...float64) []float32 {
		out := make([]float32, len(vs))
		for i, v := range vs {
			out[i] = float32(math.Log(v))
		}
		return out
	}
	clean := tensors.FromFlatDataAndDimensions(ln(0.5, 0.5, 0.9, 0.1), 2, 2)
	copy0 := tensors.FromFlatDataAndDimensions(ln(0.5, 0.5, 0.9, 0.1), 2, 2)
	copy1 := tensors.FromFlatDataAndDimensions(ln(0.25, 0.75, 0.5, 0.5), 2, 2)
	got := tensors.MustCopyFlatData[float32](MustExecOnce(testBackend(t), func(clean, copy0, copy1 *Node) *Node {
		kl := klDivergence(clean)
		return Concatenate([]*Node{kl(copy0), kl(copy1)}, 0)
	}, clean, copy0, copy1))
	want := []float64{0, 0, 0.5 * math.Log(4.0/3), 0.9*math.Log(0.9/0.5) + 0.1*math.Log(0.1/0.5)}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1e-6 {
			t.Errorf("KL[%d] = %.7f, want %.7f", i, got[i], want[i])
		}
	}
}
