// Package walk plans and runs Walking Noise sweeps: noise at one site at a time (or everywhere), swept over
// a σ grid, with repetitions, either on a clean model at inference only or trained with the noise.
//
//	plan, _ := walk.Preset("quick", walk.PlanSpec{Model: "mlp-tfc-bn", Data: "mnist", Mode: walk.Inference})
//	st, _ := results.Open("out/results.db")
//	r := &walk.Runner{Store: st, Backend: b}
//	sum, err := r.Run(plan)                       // runs only the points not yet in the store
//	mids, _ := walk.Midpoints(st, plan)           // per (mode, site): midpoint noise level with CI
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
// (Draws). The catalogue package names every experiment of the paper as a PlanSpec.
package walk
