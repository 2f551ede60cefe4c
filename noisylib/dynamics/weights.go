package dynamics

import (
	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// LayerStats summarises the weights of one Linear/Conv layer.
type LayerStats struct {
	// Op is the layer's name, e.g. "fc1" or "conv2".
	Op string `json:"op"`
	analysis.WStats
	// Bimodality is the bimodality coefficient of the weights (> 5/9 suggests two modes).
	Bimodality float64 `json:"bimodality"`
	// NearMax is the fraction of weights within 10% of ±max|w| (Linear/Conv weights are centered on 0; for
	// any parameter tensor, ParamStats.NearExtremes measures from the tensor's own center).
	NearMax float64 `json:"near_max"`
	// AtBound is the fraction of weights with |w| ≥ 1: those a training with Clamp holds at its bound.
	AtBound float64 `json:"at_bound"`
	// GammaMeanAbs is the mean |γ| of the BatchNorm that follows the layer (NaN-free 0 if none).
	GammaMeanAbs float64 `json:"gamma_mean_abs,omitempty"`
}

// Weights returns the statistics of every Linear/Conv layer of a checkpoint, in model order.
func Weights(ck *train.Checkpoint, m *models.Model) []LayerStats {
	ops, ws := ck.Weights(m, layers.WeightsName)
	gammaOps, gammas := ck.Weights(m, layers.GammaName)
	gammaOf := map[string][]float32{}
	for i, op := range gammaOps {
		gammaOf[op] = gammas[i]
	}
	// The BatchNorm following layer k is named bn<k> in every model; map by position instead of by name.
	next := map[string]string{}
	for i, op := range m.Ops {
		if (op.Kind == models.KindDense || op.Kind == models.KindConv) && i+1 < len(m.Ops) && m.Ops[i+1].Kind == models.KindBatchNorm {
			next[op.Name] = m.Ops[i+1].Name
		}
	}
	out := make([]LayerStats, len(ops))
	for i, op := range ops {
		w := ws[i]
		out[i] = LayerStats{Op: op, WStats: analysis.WeightStats(w), Bimodality: analysis.BimodalityCoefficient(w),
			NearMax: analysis.FractionNearMax(w, 0.1), AtBound: analysis.FractionAtBound(w, 1)}
		if g, ok := gammaOf[next[op]]; ok {
			out[i].GammaMeanAbs = analysis.WeightStats(g).MeanAbs
		}
	}
	return out
}

// Binarized returns a copy of the checkpoint whose Linear/Conv weights are replaced, per layer, by
// sign(w)·mean|w| (biases and BatchNorm untouched): the self-binarization probe.
func Binarized(ck *train.Checkpoint) *train.Checkpoint {
	return binarized(ck, func(string) bool { return true })
}
