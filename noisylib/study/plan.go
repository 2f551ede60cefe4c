package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// Plan builds a plan from the environment's preset and seed (fields set in spec win), as Walk does, without
// running it: for plans that are not read as per-site curves (mixed, direct, multi-execution).
func Plan(spec walk.PlanSpec) (*walk.Plan, error) {
	var err error
	if spec.BaseSeed, err = resolveSeed(spec.BaseSeed); err != nil {
		return nil, err
	}
	return walk.Preset(Preset(), spec)
}

// SeedFromEnv, as a PlanSpec's BaseSeed or a DynamicsSpec's Seed, takes the seed of the environment
// ($WALKINGNOISE_SEED, default 1; see Seed). It is the zero value, so a spec that names no seed takes the
// environment's; seed 0 itself runs with WALKINGNOISE_SEED=0.
const SeedFromEnv uint64 = 0

// resolveSeed returns seed, or for SeedFromEnv the environment's; an invalid $WALKINGNOISE_SEED is an error
// (also when seed is given, so a typo never goes unnoticed).
func resolveSeed(seed uint64) (uint64, error) {
	env, err := seedFromEnv()
	if err != nil || seed != SeedFromEnv {
		return seed, err
	}
	return env, nil
}
