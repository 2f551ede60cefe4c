// Package train trains and evaluates the Walking Noise models on GoMLX with the reference protocol:
// Adam (lr 1e-3, PyTorch defaults, no weight decay), cosine learning-rate schedule stepped per epoch to 0,
// mean cross-entropy, batch size 128, optional clamping of Linear/Conv weights to [−1, 1] after each step,
// and evaluation in eval mode with noise on where enabled (one draw per example), accuracy in %.
//
//	b, _ := backend.New()
//	m, _ := models.New("mlp-tfc-bn", models.MNIST)
//	trainSet, testSet, _ := data.LoadN("mnist", data.Dir(), 0, 0) // 0: all examples
//	res, err := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: 1, Seed: 42,
//		Noise: noise.At(3, noise.Add(0.5))})
//	fmt.Println(res.Summary())
//
// ExampleFit runs this on a small synthetic data set.
//
// Everything random (initial weights, noise draws, shuffling and augmentation) derives from one run seed by
// one rule, documented at StreamNoise (seeds.go) and used by the walk and the notebooks too, so two runs with the
// same seed give bit-identical losses and accuracies. Fit and FitStack share one epoch loop, and every
// evaluation (Evaluate, StackTrainer.Evaluate, EvaluateSweep, SiteStats) one batch loop (loops.go).
//
// Training noise need not be σ_train at every step: Options.Schedule ramps it up, overshoots it, or draws a σ per
// example (schedule.go, after variance-aware noisy training, arXiv 2503.16183), and Options.EvalNoise evaluates
// at another σ than the training's. The zero Schedule (constant) trains as Fit always did.
//
// Sweeps have two faster paths that give the same results as running each noise level alone:
// Trainer.EvaluateSweep evaluates K noise settings of one model in one pass per batch (the noise-free ops
// before the first noisy site run once), and FitStack / StackTrainer train K copies of a dense model that
// differ only in noise as one program, with parameters stacked along a leading model axis.
package train
