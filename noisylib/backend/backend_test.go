package backend

import (
	"strings"
	"testing"
)

// TestUnavailableBackendIsAnError: an unknown or not compiled-in backend is an error naming the available
// backends and, for XLA, the build tag, not a panic (issue 14, fault 5).
func TestUnavailableBackendIsAnError(t *testing.T) {
	for _, cfg := range []string{"nonsense", "xla:cpu", "xla:cuda", ":", "go2", "GO"} {
		t.Run(cfg, func(t *testing.T) {
			t.Setenv(EnvVar, cfg)
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("New with %s=%q panicked: %v", EnvVar, cfg, r)
					}
				}()
				_, err = New()
			}()
			if cfg == "xla:cpu" || cfg == "xla:cuda" {
				if withXLA() {
					return // a -tags xla build may have the plugin; nothing to check.
				}
				if err == nil || !strings.Contains(err.Error(), "-tags xla") {
					t.Fatalf("New with %s=%q: error %v, want one naming -tags xla", EnvVar, cfg, err)
				}
			}
			if err == nil {
				t.Fatalf("New with %s=%q succeeded", EnvVar, cfg)
			}
			if !strings.Contains(err.Error(), `has: go`) {
				t.Errorf("error %q does not list the available backends", err)
			}
		})
	}
	t.Setenv(EnvVar, "")
	b, err := New()
	if err != nil {
		t.Fatalf("New with %s empty: %v", EnvVar, err)
	}
	if b.Name() == "" {
		t.Errorf("default backend has no name")
	}
}

func withXLA() bool {
	for _, n := range Available() {
		if n == "xla" {
			return true
		}
	}
	return false
}
