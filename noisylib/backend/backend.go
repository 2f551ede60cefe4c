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

// New creates a new backend: the configuration in $GOMLX_BACKEND if set, otherwise DefaultConfig.
func New() (compute.Backend, error) {
	config := DefaultConfig
	if v, ok := os.LookupEnv(EnvVar); ok && v != "" {
		config = v
	}
	b, err := compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("creating GoMLX backend %q (set %s=go for the pure-Go backend): %w", config, EnvVar, err)
	}
	return b, nil
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
