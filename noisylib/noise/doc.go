// Package noise describes and injects the Gaussian noise of the Walking Noise method
// (Borras, Klein, Fröning, arXiv 2212.10430).
//
// A model has numbered noise sites (0 = its input, the last = its logits). A [Config] gives every site a
// [Spec]: a default plus per-site overrides. Walking noise through a network means a Config with
// default [None] and one override at a time:
//
//	cfg := noise.At(3, noise.Add(0.5))            // x + N(0, 0.5²) after site 3 only
//	cfg  = noise.Global(noise.Mul(0.1))           // x · N(1, 0.1²) at every site
//	cfg  = noise.At(5, noise.Combine(1, 0.9))    // x·N(1, 0.1²) + N(0, 0.9²)
//	specs, err := cfg.Resolve(model.NumSites())   // one Spec per site, validated
//
// The operators follow the reference implementation exactly:
//
//	Additive:       y = x + a,            a ~ N(μ_a, σ²)          (μ_a defaults to 0)
//	Multiplicative: y = x · m,            m ~ N(μ_m, σ²)          (μ_m defaults to 1)
//	Combined:       y = x·m + a  or  y = (x + a)·m,  σ_add = A·r,  σ_mul = A·(1−r)
//	CombinedDirect: the same two orders with σ_mul and σ_add given directly.
//
// Noise is drawn i.i.d. per element (batch included) and per forward pass from the model's seeded RNG
// inside the GoMLX graph (see [Injector] and the fast generator [StoreNormal]). No gradient flows to σ.
//
// A Spec's σ may be given in a [Unit] other than absolute σ: relative to the clean signal's RMS or max|x| at
// its site, or as an SNR in dB; [Config.Absolute] converts it from the clean model's statistics before the
// noise runs ([ToSigma], [FromSigma]). Noise on the weights of Linear and Conv layers ([Config.Weights],
// [Injector.ApplyWeights]) uses the same operators on W, drawn per forward pass or once per model
// (Spec.Static, [StaticNormal]).
package noise
