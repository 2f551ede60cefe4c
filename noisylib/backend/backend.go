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
	"slices"
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
)

// New creates a new backend: the configuration in $GOMLX_BACKEND if set, otherwise DefaultConfig. It never
// panics: a backend that is not compiled into this binary (e.g. "xla:cpu" without `-tags xla`, or a
// misspelled name) is an error naming the backends the binary has, and so is a backend whose constructor
// fails or panics (e.g. a missing PJRT plugin).
func New() (compute.Backend, error) {
	config := DefaultConfig
	if v, ok := os.LookupEnv(EnvVar); ok && v != "" {
		config = v
	}
	return NewWithConfig(config)
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
