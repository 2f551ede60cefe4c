// Package walk plans and runs Walking Noise sweeps: noise at one site at a time (or everywhere), swept over
// a σ grid, with repetitions, either on a clean model at inference only or trained with the noise.
//
//	plan, err := walk.Build(walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1},
//		Modes: []walk.Mode{walk.Inference}, Noise: noise.Additive, Sigmas: analysis.Logspace(0.01, 1e4, 25),
//		Reps: 1, BaseSeed: 1})                       // or walk.Preset("quick", spec) for the preset's grids
//	st, err := results.Open("out/results.db")
//	r := &walk.Runner{Store: st, Backend: b}
//	sum, err := r.Run(plan)                            // runs only the points not yet in the store
//	curves, err := walk.Curves(st, plan)               // per (mode, site): the curve, its midpoint and CI
//
// The package Example runs these lines on a small synthetic data set.
//
// The runner records each plan's spec in the store under its name, so a store reads alone, in another process or
// after an import, without re-deriving the plan from code, flags or the environment's preset:
// walk.LoadPlan(st, name) rebuilds the plan (the same points), and any reader takes it (ExampleLoadPlan).
//
// Beyond the paper, a plan's training points may follow a training-noise schedule (PlanSpec.Schedule, see
// train.Schedule: ramp, overshoot, per-example σ), and a mismatch plan (Kind Mismatch) trains at σ_a and
// evaluates at σ_b over both grids, at one site or at every site (site −1); its diagonal is the noisy-training
// walk's points, bit for bit (mismatch.go):
//
//	plan, err := walk.Build(walk.PlanSpec{Kind: walk.Mismatch, Setup: walk.Setup{Model: "mlp-tfc-bn", Data: "mnist",
//		Epochs: 3}, Noise: noise.Additive, Sites: []int{-1}, Sigmas: []float64{0.1, 1}, EvalSigmas: []float64{0, 0.1, 1, 10},
//		Schedule: &train.Schedule{Kind: train.Ramp, Epochs: 2}, Reps: 2, BaseSeed: 1})
//	sum, err := r.Run(plan)                            // one training per (rep, σ_a), evaluated at every σ_b
//	maps, err := walk.MismatchMaps(st, plan)           // per site: σ_a × σ_b accuracy, per repetition too
//
// ExampleMismatchMaps runs these lines on the synthetic data set.
// Reading results is one place, next to the plans: a reader per plan kind (Curves, MixedCurves, DirectMaps,
// ExecResults, MismatchMaps) and the findings a notebook checks over what they return (Spread, BatchNormPairs, MidpointShift,
// Sensitivity, Global, Smallest, AllocationMidpoints, CountAbove, OrderGaps, CurveGap, AccuracyGaps, TailoredGain, MixedMidpoint, ShareGap, ByPolicy), which
// treat a censored midpoint as a bound and count what it leaves undecided (analysis.Tally).
//
// Seeds follow train's one rule (see train.StreamNoise): a repetition r runs with seed BaseSeed + r, and an
// inference point draws its noise from NoiseSeed.
//
// Every point is stored with the hash of its full configuration, which is also the cache key: re-running
// a plan computes only missing points, and a killed sweep loses no finished point. Inference-only points
// reuse one clean model per (model, data, epochs, seed, ...), trained once and cached as a checkpoint.
//
// The runner stacks points that share a setup, a seed and a noise structure (e.g. all σ of one site):
// inference points are evaluated together (train.Trainer.EvaluateSweep), and, with Runner.StackTraining,
// training points of dense models train together (train.FitStack); trainings run on Runner.Workers
// goroutines. Results do not depend on
// the grouping, the order or the shard: each point's weights, batches and noise draws are what it gets alone.
//
// The presets hold the reference's protocol: Preset("paper", …) fills epochs, repetitions (PaperReps) and grids
// by plan kind, noise, model and data set (method.md §4–§5), including the multiplicative log grid
// (PlanSpec.LogGrid), combined noise in global and MAX plans, and independent noise draws per inference point
// (Draws). Preset("standard", …) keeps that protocol on the full data with 3 repetitions, every other grid point
// and fewer epochs for noisy training (StandardEpochs); Plan.Reductions states how any plan departs from the
// paper's. The catalogue package names every experiment of the paper as a PlanSpec.
//
// Stored points can be recomputed from their stored configurations and compared (Runner.Verify, Sample), e.g. to
// check shipped results (walkingnoise verify).
package walk
