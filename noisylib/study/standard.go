package study

import (
	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// InferenceWalk returns the layer-wise, inference-only additive walk of a model on MNIST that notebooks 02,
// 07 and 08 share (so the results store computes it once). With the quick preset, LeNet-5 variants use
// 8 000 training and 400 test examples and 9 σ (two per decade, 1e-2 … 1e2: every inference-only
// midpoint lies inside); MLP-TFC variants use the
// quick preset's defaults (10 000 / 2 000 examples, 17 σ). With the paper preset every field but the model,
// data and mode is left to the published values.
func InferenceWalk(model string) walk.PlanSpec {
	spec := walk.PlanSpec{Setup: walk.Setup{Model: model, Data: "mnist"}, Modes: []walk.Mode{walk.Inference}}
	if len(model) >= 6 && model[:6] == "lenet5" {
		return Spec(spec, walk.PlanSpec{Setup: walk.Setup{TrainN: 8000, TestN: 400},
			Sigmas: analysis.Logspace(1e-2, 1e2, 9)})
	}
	return spec
}

// GlobalWalk returns the global additive walk (the same σ at every site) of a model on MNIST in the given
// modes, shared by notebooks 07 and 08. It uses the setup (epochs, data subsets) of InferenceWalk, so both
// walks evaluate the same clean model; with the quick preset its σ grid is the quick default (9 σ from 1e-2
// to 1e2).
func GlobalWalk(model string, modes ...walk.Mode) walk.PlanSpec {
	return walk.PlanSpec{Kind: walk.GlobalAll, Setup: InferenceWalk(model).Setup, Modes: modes}
}
