package dynamics

import (
	"math"
	"slices"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/layers"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// ParamStats summarises one parameter tensor: a Linear/Conv weight or bias, a BatchNorm γ or β.
type ParamStats struct {
	// Path is the variable's path relative to the model scope, e.g. "/bn1/gamma"; Op its layer ("bn1") and
	// Name the parameter ("gamma").
	Path string `json:"path"`
	Op   string `json:"op"`
	Name string `json:"name"`
	analysis.WStats
	// Mean and Median of the values (signed: BatchNorm β around a site turning negative shows here).
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	// FracNegative is the fraction of values < 0.
	FracNegative float64 `json:"frac_negative"`
	// Bimodality is Sarle's bimodality coefficient (analysis.BimodalityCoefficient; > 5/9 suggests two modes).
	Bimodality float64 `json:"bimodality"`
	// Eta is Otsu's η of the values (analysis.TwoLevels): 1 for a two-valued tensor, 2/π for a Gaussian one.
	// It is location- and scale-free, so it also reads γ near 1 and asymmetric tensors honestly.
	Eta float64 `json:"eta"`
	// NearExtremes is the fraction of values within 10 % of the tensor's extremes measured from its own center
	// (analysis.FractionNearExtremes(w, 0.1)).
	NearExtremes float64 `json:"near_extremes"`
	// AtBound is the fraction of values with |w| ≥ 1: the weights a training with Clamp holds at its bound.
	AtBound float64 `json:"at_bound"`
}

// paramNames are the trainable parameters of the models' layers; BatchNorm running statistics are not.
var paramNames = []string{layers.WeightsName, "biases", layers.GammaName, layers.BetaName}

// Params returns the statistics of every trainable parameter tensor of a checkpoint (weights, biases,
// BatchNorm γ and β; not the running statistics), in model op order and within an op in that order.
func Params(ck *train.Checkpoint, m *models.Model) []ParamStats {
	var out []ParamStats
	for _, op := range m.Ops {
		for _, name := range paramNames {
			path := "/" + op.Name + "/" + name
			v, ok := ck.Vars[path]
			if !ok {
				continue
			}
			out = append(out, paramStats(path, op.Name, name, v.Data))
		}
	}
	return out
}

func paramStats(path, op, name string, w []float32) ParamStats {
	p := ParamStats{Path: path, Op: op, Name: name, WStats: analysis.WeightStats(w), Mean: math.NaN(), Median: math.NaN(),
		FracNegative: math.NaN(), Bimodality: analysis.BimodalityCoefficient(w), Eta: analysis.TwoLevels(w).Eta,
		NearExtremes: analysis.FractionNearExtremes(w, 0.1), AtBound: analysis.FractionAtBound(w, 1)}
	if len(w) == 0 {
		return p
	}
	s := make([]float64, len(w))
	var sum float64
	neg := 0
	for i, v := range w {
		s[i] = float64(v)
		sum += s[i]
		if v < 0 {
			neg++
		}
	}
	slices.Sort(s)
	p.Mean, p.FracNegative = sum/float64(len(w)), float64(neg)/float64(len(w))
	if n := len(s); n%2 == 1 {
		p.Median = s[n/2]
	} else {
		p.Median = (s[n/2-1] + s[n/2]) / 2
	}
	return p
}

// BinarizedLayer is Binarized for one Linear/Conv layer only (e.g. "fc2"): the per-layer sign copy.
func BinarizedLayer(ck *train.Checkpoint, op string) *train.Checkpoint {
	return binarized(ck, func(path string) bool { return path == "/"+op+"/"+layers.WeightsName })
}

// binarized returns a copy of the checkpoint with the weights whose path pick accepts replaced by
// sign(w)·mean|w| (analysis.Binarize).
func binarized(ck *train.Checkpoint, pick func(path string) bool) *train.Checkpoint {
	out := *ck
	out.Vars = make(map[string]train.Var, len(ck.Vars))
	for name, v := range ck.Vars {
		if strings.HasSuffix(name, "/"+layers.WeightsName) && pick(name) {
			v = train.Var{Dims: v.Dims, Data: analysis.Binarize(v.Data)}
		}
		out.Vars[name] = v
	}
	return &out
}

// LayerSignCopyAccuracies returns, for every Linear/Conv layer of the trainer's model in order, the accuracy
// (%) on ds with the trainer's noise of a copy whose weights of that layer alone are binarized
// (BinarizedLayer): which layer, if any, has self-binarized. Like SignCopyAccuracy, the copies draw their
// noise from the run seed's stream.
func LayerSignCopyAccuracies(t *train.Trainer, ds *data.Dataset) (ops []string, acc []float64, err error) {
	ck, err := t.Checkpoint()
	if err != nil {
		return nil, nil, err
	}
	ops, _ = ck.Weights(t.Model, layers.WeightsName)
	acc = make([]float64, len(ops))
	for i, op := range ops {
		if acc[i], err = copyAccuracy(t, BinarizedLayer(ck, op), ds); err != nil {
			return nil, nil, err
		}
	}
	return ops, acc, nil
}
