package walk

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// checkSchedule validates a plan's training-noise schedule against its epochs, kind and noise, and stores a
// constant schedule as nil (so a plan that asks for "constant" has the points, and hashes, of one that does
// not). A schedule needs training points (mode training, or a MAX or mismatch plan); per-example σ needs add or
// mul noise; multi-execution plans train no noisy model.
func checkSchedule(spec *PlanSpec) error {
	s := spec.Schedule
	if s == nil {
		return nil
	}
	if err := s.Validate(spec.Epochs); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if s.IsConstant() {
		spec.Schedule = nil
		return nil
	}
	switch {
	case spec.Kind == MultiExec:
		return fmt.Errorf("plan: a multiexec plan trains no model with noise, so it has no noise schedule: remove it")
	case !slices.Contains(spec.Modes, Training):
		return fmt.Errorf("plan: the noise schedule %s shapes noisy training, and the plan's modes %v have none: add mode training", s, spec.Modes)
	case s.Kind == train.PerExample && (spec.Kind == Mixed || spec.Kind == Direct || spec.Noise == noise.Combined || spec.Noise == noise.CombinedDirect):
		return fmt.Errorf("plan: per-example σ needs add or mul noise (one σ_train per site), the plan walks %s noise", spec.Noise)
	}
	return nil
}

// scheduleName is the part of a default plan name that names a schedule, e.g. "ramp3", "overshoot2",
// "perexample-a1-t0.1".
func scheduleName(s train.Schedule) string {
	switch s.Kind {
	case train.Ramp, train.Overshoot:
		return fmt.Sprintf("%s%d", s.Kind, s.Epochs)
	case train.PerExample:
		return "perexample-a" + strconv.FormatFloat(s.Alpha, 'g', -1, 64) + "-t" + strconv.FormatFloat(s.Theta, 'g', -1, 64)
	}
	return string(s.Kind)
}
