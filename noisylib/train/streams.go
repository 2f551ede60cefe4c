package train

import (
	"fmt"
	"maps"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// observe runs an observation (an evaluation, statistics, a probe) on a store without letting it advance the
// store's noise stream: the observation draws from a copy of the stream's current state and the training
// stream is restored afterwards. So evaluating after every epoch, or from an OnEpoch hook, leaves a training's
// batches, noise draws, losses and weights exactly as without it; and an evaluation right after training
// draws what it always drew (the state the training left), so stored results do not change.
func observe(store *model.Store, f func() error) (err error) {
	path := model.JoinPath("/", model.RNGStateVariableName)
	v := store.GetVariable(path)
	if v == nil || !v.HasValue() {
		return f()
	}
	val, err := v.Value()
	if err != nil {
		return fmt.Errorf("saving the noise stream: %w", err)
	}
	state, err := tensors.CopyFlatData[uint64](val)
	if err != nil {
		return fmt.Errorf("saving the noise stream: %w", err)
	}
	dims := val.Shape().Dimensions
	defer func() {
		if rerr := store.GetVariable(path).SetValue(tensors.FromFlatDataAndDimensions(state, dims...)); rerr != nil && err == nil {
			err = fmt.Errorf("restoring the noise stream: %w", rerr)
		}
	}()
	return f()
}

// dropEvalExecs forgets the compiled evaluation graphs of an exec cache. The pure-Go backend embeds the values
// of variables as constants in graphs that do not train (compute's Capabilities.PreferConstantsForVariables),
// so an evaluation graph compiled before a training step, a Restore or a ReseedNoise would keep evaluating
// the old weights, BatchNorm statistics and noise stream. Call it whenever those change.
func dropEvalExecs(execs map[execKey]*model.Exec) {
	maps.DeleteFunc(execs, func(k execKey, _ *model.Exec) bool { return !k.train })
}

// Observe runs f, an observation of the trainer's model built outside this package (a probe evaluation whose
// graph draws from the store's noise stream, see noise.StoreNormal), on a copy of the noise stream: the
// stream is restored afterwards, as Evaluate does, so the observation never changes a training's draws.
func (t *Trainer) Observe(f func() error) error { return observe(t.Store, f) }
