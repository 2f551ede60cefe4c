//go:build xla

package backend

// Built with -tags xla: register the XLA backend (without its auto-installer) so that
// GOMLX_BACKEND=xla:cpu or xla:cuda can select an already installed PJRT plugin.
import _ "github.com/gomlx/go-xla/compute/xla"
