package train

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// Checkpoint is the saved state of a trained model: its variant, input, seed and parameter values
// (weights, biases, BatchNorm γ, β and running statistics). Optimizer state is not saved: checkpoints are
// for evaluation (inference-only sweeps) and analysis.
type Checkpoint struct {
	// Model is the variant name, e.g. "lenet5-bn".
	Model string
	// Input is the example shape and number of classes the model was built for.
	Input models.InputSpec
	// Seed is the run seed of the training.
	Seed uint64
	// Clamp records whether weights were clamped to [−1, 1] during training.
	Clamp bool
	// Vars maps each variable path (relative to the model scope, e.g. "/fc1/weights") to its values.
	Vars map[string]Var
}

// Var is a saved variable: its dimensions and values.
type Var struct {
	Dims []int
	Data []float32
}

// Checkpoint returns the current parameter values of the model.
func (t *Trainer) Checkpoint() (*Checkpoint, error) {
	vars, err := modelVars(t.Store)
	if err != nil {
		return nil, err
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("model %s has no parameters yet: run a train or eval step first", t.Model.Name)
	}
	return &Checkpoint{Model: t.Model.Name, Input: t.Model.Input, Seed: t.Seed, Clamp: t.Clamp, Vars: vars}, nil
}

// modelVars reads every variable under the model scope of a store, keyed by its path relative to that scope.
func modelVars(store *model.Store) (map[string]Var, error) {
	vars := map[string]Var{}
	prefix := "/" + ModelScope
	for v := range store.IterVariables() {
		path := v.Path()
		if !strings.HasPrefix(path, prefix+"/") {
			continue
		}
		val, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		data, err := tensors.CopyFlatData[float32](val)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		vars[strings.TrimPrefix(path, prefix)] = Var{Dims: val.Shape().Dimensions, Data: data}
	}
	return vars, nil
}

// Restore loads parameter values from a checkpoint of the same model variant and input.
func (t *Trainer) Restore(ck *Checkpoint) error {
	if ck.Model != t.Model.Name || ck.Input != t.Model.Input {
		return fmt.Errorf("checkpoint is for %s %+v, trainer has %s %+v", ck.Model, ck.Input, t.Model.Name, t.Model.Input)
	}
	names := make([]string, 0, len(ck.Vars))
	for n := range ck.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	dropEvalExecs(t.execs)
	for _, n := range names {
		v := ck.Vars[n]
		value := tensors.FromFlatDataAndDimensions(append([]float32(nil), v.Data...), v.Dims...)
		path := "/" + ModelScope + n
		if existing := t.Store.GetVariable(path); existing != nil {
			if err := existing.SetValue(value); err != nil {
				return fmt.Errorf("restoring %s: %w", path, err)
			}
			continue
		}
		if _, err := t.Store.CreateVariable(path, value); err != nil {
			return fmt.Errorf("restoring %s: %w", path, err)
		}
	}
	t.Clamp = ck.Clamp
	return nil
}

// Save writes a checkpoint file (Go gob encoding), creating parent directories. The file is written to a
// temporary name and renamed, so a crash never leaves a truncated checkpoint.
func (ck *Checkpoint) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := gob.NewEncoder(tmp).Encode(ck); err != nil {
		tmp.Close()
		return fmt.Errorf("writing checkpoint %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadCheckpoint reads a checkpoint file written by Checkpoint.Save.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ck := &Checkpoint{}
	if err := gob.NewDecoder(f).Decode(ck); err != nil {
		return nil, fmt.Errorf("reading checkpoint %s: %w", path, err)
	}
	return ck, nil
}

// Weights returns the values of every parameter of the checkpoint whose name is name (e.g. "weights"),
// keyed by op name (e.g. "fc1"), in op order of the model.
func (ck *Checkpoint) Weights(m *models.Model, name string) (ops []string, values [][]float32) {
	for _, op := range m.Ops {
		if v, ok := ck.Vars["/"+op.Name+"/"+name]; ok {
			ops = append(ops, op.Name)
			values = append(values, v.Data)
		}
	}
	return ops, values
}
