# goenv.sh — the Go environment every script of this project builds and runs with. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/goenv.sh"
#
# - PATH: adds /usr/local/go/bin when no `go` is on PATH (Debian machines with Go from go.dev).
# - GOTOOLCHAIN=go1.27.3: GoMLX v0.28.16 and github.com/gomlx/compute v0.1.14 need Go >= 1.27. A Go 1.26 (or
#   newer) `go` command downloads this toolchain once from the Go module proxy (about 76 MB) and runs it. A caller's
#   own GOTOOLCHAIN wins (e.g. GOTOOLCHAIN=local with an installed Go 1.27.3 or newer).
# - GOEXPERIMENT=simd: turns on the pure-Go backend's AVX2/AVX-512 kernels (several times faster); a caller's own
#   GOEXPERIMENT wins. Without it everything works, only slower.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
export GOEXPERIMENT=${GOEXPERIMENT:-simd}
