// Package dynamics measures the learning dynamics the Walking Noise paper explains: weight growth and the
// signal-to-noise ratio under additive noise, and self-binarization under multiplicative noise.
//
// Self-binarization is looked for where it is: besides the weights' sign copy (SignCopyAccuracy, per layer
// LayerSignCopyAccuracies) it measures whether the pre-noise activation of a site has become a per-unit
// on/off code: TwoLevelCode splits each unit's clean values into two levels (exact 1-D 2-means, Otsu's
// threshold), and MeasureCode compares the model's accuracy under its noise with the site replaced by that
// code and by its sign copy sign(x)·mean|x|, with the same noise draws. Params summarises every parameter
// tensor (biases and BatchNorm γ/β too), with center-relative metrics (η, NearExtremes) that read γ ≈ 1
// honestly, and the fraction of weights a clamp holds at ±1. A Tracker records all of it after every epoch
// (or the epochs Tracker.Record selects) without changing the training (see ExampleTracker).
package dynamics
