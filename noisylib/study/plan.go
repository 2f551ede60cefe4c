package study

import "github.com/walkingnoise/walkingnoise/noisylib/walk"

// Plan builds a plan from the environment's preset and seed (fields set in spec win), as Walk does, without
// running it: for plans that are not read as per-site curves (mixed, direct, multi-execution).
func Plan(spec walk.PlanSpec) (*walk.Plan, error) {
	if _, err := seedFromEnv(); err != nil {
		return nil, err
	}
	if spec.BaseSeed == 0 {
		spec.BaseSeed = Seed()
	}
	return walk.Preset(Preset(), spec)
}
