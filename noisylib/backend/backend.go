// Package backend selects the GoMLX compute backend for noisylib.
//
// The pure-Go backend ("go") is the default, so nothing needs to be downloaded or compiled with cgo:
//
//	b, err := backend.New()          // "go" unless $GOMLX_BACKEND says otherwise
//
// Users who have an XLA PJRT plugin installed can build with `-tags xla` and select it at run time with
// GOMLX_BACKEND=xla:cpu (or xla:cuda). This package never imports GoMLX's backends/default package, whose
// XLA auto-installer would try to download a plugin on first use.
package backend

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend "go".
)

// EnvVar is the environment variable GoMLX reads to choose a backend, e.g. "go" or "xla:cpu".
const EnvVar = compute.ConfigEnvVar

// DefaultConfig is the backend configuration used when EnvVar is not set: GoMLX's pure-Go backend.
const DefaultConfig = "go"

var (
	sharedMu sync.Mutex
	shared   compute.Backend
	training compute.Backend
)

// New creates a new backend: the configuration in $GOMLX_BACKEND if set, otherwise DefaultConfig, with one
// executor per core for the Go backend (ExecutorsConfig). It never panics: a backend that is not compiled into
// this binary (e.g. "xla:cpu" without `-tags xla`, or a misspelled name) is an error naming the backends the
// binary has, and so is a backend whose constructor fails or panics (e.g. a missing PJRT plugin).
func New() (compute.Backend, error) {
	return NewWithConfig(config())
}

// config returns the configuration in $GOMLX_BACKEND if set, otherwise DefaultConfig, with ExecutorsConfig's
// executor count.
func config() string {
	if v, ok := os.LookupEnv(EnvVar); ok && v != "" {
		return ExecutorsConfig(v)
	}
	return ExecutorsConfig(DefaultConfig)
}

// maxExecutors is the Go backend's default number of goroutines that execute a graph's ops
// (gobackend.DefaultNumExecutors in github.com/gomlx/compute v0.1.14, an internal package).
const maxExecutors = 8

// ExecutorsConfig returns the configuration New uses for a backend configuration: for GoMLX's pure-Go backend
// without a num_executors option, the same with "num_executors=N", N = min(GOMAXPROCS, 8): one goroutine
// executing ops per core; any other configuration unchanged.
//
// The Go backend runs a graph's independent ops on up to num_executors goroutines (default 8), each of which
// takes one of its 2·GOMAXPROCS workers, and splits large products over the workers left. On 2 cores the
// default is 4 executors: more goroutines than cores, which then contend for the cores and leave the products
// fewer workers. With one executor per core, a step at batch 128 on a 2-core AMD EPYC on 2026-12-01 ran at these
// ratios of img/s to the default's (paired rounds; 6 rounds, then 4): LeNet-5 training, clean and noise at one
// site, noBN 1.01–1.27 (medians 1.12–1.18), BN 0.92–1.22 (medians 1.05–1.10); LeNet-5 with noise at every site
// 0.89–1.26; evaluation with noise at every site, LeNet-5 (BN) 1.00–1.09, MLP-TFC (BN) 0.94–1.20 (median 1.15).
// MLP-TFC training alone on this backend is unchanged (medians 1.00–1.02), and stays faster on SharedTraining,
// where parallelism=1 leaves one executor. The order of every sum is unchanged, so are the values
// (TestTrainingBackendSameValues). From 8 cores on the option is the default.
func ExecutorsConfig(config string) string {
	return withGoOption(config, "num_executors", strconv.Itoa(min(runtime.GOMAXPROCS(0), maxExecutors)))
}

// withGoOption returns config with the option key=value appended when config is GoMLX's pure-Go backend ("go" or
// "go:options") and sets no key; any other configuration unchanged.
func withGoOption(config, key, value string) string {
	name, opts, _ := strings.Cut(config, ":")
	if name != "go" {
		return config
	}
	for _, o := range strings.Split(opts, ",") {
		if k, _, _ := strings.Cut(o, "="); k == key {
			return config
		}
	}
	if opts == "" {
		return "go:" + key + "=" + value
	}
	return config + "," + key + "=" + value
}

// NewWithConfig creates the backend of a GoMLX configuration "name[:options]", e.g. "go" or "xla:cpu", with
// New's errors.
func NewWithConfig(config string) (b compute.Backend, err error) {
	name, _, _ := strings.Cut(config, ":")
	have := Available()
	if !slices.Contains(have, name) {
		hint := ""
		if name == "xla" {
			hint = "; XLA needs a binary built with `-tags xla` and an installed PJRT plugin"
		}
		return nil, fmt.Errorf("backend %q (%s=%s) is not in this binary, which has: %s%s; unset %s or set %s=go for the pure-Go backend",
			name, EnvVar, config, strings.Join(have, ", "), hint, EnvVar, EnvVar)
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("creating GoMLX backend %q failed: %v (set %s=go for the pure-Go backend)", config, r, EnvVar)
		}
	}()
	b, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("creating GoMLX backend %q (set %s=go for the pure-Go backend): %w", config, EnvVar, err)
	}
	return b, nil
}

// Available returns the names of the backends compiled into this binary, sorted: "go", plus "xla" in a build
// with `-tags xla`.
func Available() []string {
	names := compute.List()
	slices.Sort(names)
	return names
}

// Shared returns a process-wide backend created on first use with New. Most programs need only one.
func Shared() (compute.Backend, error) {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		return shared, nil
	}
	b, err := New()
	if err != nil {
		return nil, err
	}
	shared = b
	return b, nil
}

// TrainingConfig returns the configuration SharedTraining uses for a backend configuration: for GoMLX's pure-Go
// backend without a parallelism option ("go", "go:ops_parallel", …), the same with "parallelism=1"; any other
// configuration unchanged.
//
// The Go backend splits large ops across up to two workers per core. A training step of this project's models at
// batch 128 is a chain of ops too small for that to pay: the workers cost more CPU than they save, and two
// trainings at a time (walk.Runner.Workers) compete for them. With one worker per op (the backend still runs
// independent ops at the same time) a training step took, on a 2-core AMD EPYC on 2026-12-01 (img/s, default →
// parallelism=1): MLP-TFC (BN), noise at fc2, 104k–113k → 148k–160k at 45 % less CPU per step; LeNet-5 (noBN),
// clean, 11.6k → 12.7k–13.1k at 30 % less. Evaluation with noise at every site gains from the workers
// (LeNet-5 (BN): 7.1k–7.3k → 4.5k–5.1k with one), so Shared keeps the default. One model training alone can
// gain from them too when its products are large (see SoloMACs): on another VM of the same kind later that day,
// LeNet-5 (BN) clean, one model, trained at 10.5k–11.5k img/s with one worker and 12.1k–12.9k with the default.
func TrainingConfig(config string) string {
	return withGoOption(config, "parallelism", "1")
}

// SharedTraining returns the process-wide backend for training models: Shared's when TrainingConfig leaves the
// configuration ($GOMLX_BACKEND or DefaultConfig, after ExecutorsConfig) unchanged, otherwise a second backend
// with TrainingConfig's, created on first use. A model trains to the same values bit for bit on either
// (TestTrainingBackendSameValues): the setting changes how ops are scheduled on the cores, not the order of any
// sum.
//
// The Go backend prints a line on stdout when it reads a parallelism option; stdout points to /dev/null while
// that backend is created (output other goroutines write to os.Stdout in that moment is lost too).
func SharedTraining() (compute.Backend, error) {
	cfg := config()
	train := TrainingConfig(cfg)
	if train == cfg {
		return Shared()
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if training != nil {
		return training, nil
	}
	var b compute.Backend
	err := withoutStdout(func() error {
		var err error
		b, err = NewWithConfig(train)
		return err
	})
	if err != nil {
		return nil, err
	}
	training = b
	return b, nil
}

// SoloMACs is the model size, in multiply-accumulates per example (models.Model.MACs), from which a model that
// trains alone (no other training at the same time) trains faster on Shared's workers than on SharedTraining's
// one worker per op: its products are then large enough to split, and one worker would leave a core idle.
// Measured on a 2-core AMD EPYC on 2026-12-01, a clean model trained alone for 1 epoch on all of MNIST inside a
// walk (s, 4 runs each): LeNet-5 (BN), 281,640 MACs, 5.8–6.7 on Shared, 6.3–7.2 on SharedTraining; MLP-TFC (BN),
// 59,008 MACs, 1.04–1.08 on Shared, 0.85–0.91 on SharedTraining. Two trainings at a time take SharedTraining
// whatever their size (walk.Runner.TrainBackend).
const SoloMACs = 250_000

// ForSolo returns the process-wide backend on which a model of macs multiply-accumulates per example trains
// alone: Shared from SoloMACs on, SharedTraining below. Errors are Shared's or SharedTraining's.
func ForSolo(macs int) (compute.Backend, error) {
	if macs >= SoloMACs {
		return Shared()
	}
	return SharedTraining()
}

// withoutStdout runs f with os.Stdout pointing to the null device.
func withoutStdout(f func() error) error {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return f()
	}
	defer null.Close()
	stdout := os.Stdout
	os.Stdout = null
	defer func() { os.Stdout = stdout }()
	return f()
}
