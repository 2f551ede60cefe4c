package backend

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/gomlx/compute"
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

// TestTrainingConfig: the Go backend without a parallelism option gets one worker per op; any other
// configuration (another backend, or a parallelism the user chose) is kept.
func TestTrainingConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		"go":                              "go:parallelism=1",
		"go:ops_parallel":                 "go:ops_parallel,parallelism=1",
		"go:parallelism=4":                "go:parallelism=4",
		"go:ops_sequential,parallelism=2": "go:ops_sequential,parallelism=2",
		"xla:cpu":                         "xla:cpu",
	} {
		if got := TrainingConfig(cfg); got != want {
			t.Errorf("TrainingConfig(%q) = %q, want %q", cfg, got, want)
		}
	}
}

// TestExecutorsConfig: the Go backend without a num_executors option gets one executor per core (at most 8);
// any other configuration (another backend, or an executor count the user chose) is kept. The configuration
// New uses, from $GOMLX_BACKEND or the default (""), gets the same.
func TestExecutorsConfig(t *testing.T) {
	n := min(runtime.GOMAXPROCS(0), 8)
	for _, c := range []struct{ cfg, want string }{
		{"", fmt.Sprintf("go:num_executors=%d", n)},
		{"go", fmt.Sprintf("go:num_executors=%d", n)},
		{"go:parallelism=1", fmt.Sprintf("go:parallelism=1,num_executors=%d", n)},
		{"go:num_executors=5", "go:num_executors=5"},
		{"go:ops_parallel,num_executors=3", "go:ops_parallel,num_executors=3"},
		{"xla:cpu", "xla:cpu"},
	} {
		if c.cfg != "" {
			if got := ExecutorsConfig(c.cfg); got != c.want {
				t.Errorf("ExecutorsConfig(%q) = %q, want %q", c.cfg, got, c.want)
			}
		}
		t.Setenv(EnvVar, c.cfg)
		if got := config(); got != c.want {
			t.Errorf("%s=%q: config() = %q, want %q", EnvVar, c.cfg, got, c.want)
		}
	}
	prev := runtime.GOMAXPROCS(12)
	defer runtime.GOMAXPROCS(prev)
	if got := ExecutorsConfig("go"); got != "go:num_executors=8" {
		t.Errorf("with GOMAXPROCS 12: ExecutorsConfig(\"go\") = %q, want the backend's default, 8", got)
	}
	runtime.GOMAXPROCS(1)
	if got := ExecutorsConfig("go"); got != "go:num_executors=1" {
		t.Errorf("with GOMAXPROCS 1: ExecutorsConfig(\"go\") = %q, want 1", got)
	}
}

// TestSharedTraining: with the default configuration the training backend is a second Go backend, created
// once, and creating it prints nothing on stdout (the Go backend announces a parallelism option there).
func TestSharedTraining(t *testing.T) {
	t.Setenv(EnvVar, "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	a, errA := SharedTraining()
	b, errB := SharedTraining()
	os.Stdout = stdout
	w.Close()
	printed, _ := io.ReadAll(r)
	if errA != nil || errB != nil {
		t.Fatalf("SharedTraining: %v, %v", errA, errB)
	}
	if len(printed) > 0 {
		t.Errorf("SharedTraining printed %q on stdout", printed)
	}
	if a != b {
		t.Errorf("SharedTraining returned two backends")
	}
	if s, err := Shared(); err != nil || s == a {
		t.Errorf("Shared() = %v, %v: want a backend other than the training one", s, err)
	}
}

// TestForSolo: a model of SoloMACs or more trains alone on Shared, a smaller one on SharedTraining.
func TestForSolo(t *testing.T) {
	t.Setenv(EnvVar, "")
	shared, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	training, err := SharedTraining()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		macs int
		want compute.Backend
	}{{SoloMACs, shared}, {10 * SoloMACs, shared}, {SoloMACs - 1, training}, {0, training}} {
		got, err := ForSolo(c.macs)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("ForSolo(%d): got the backend %p, want %p (Shared %p, SharedTraining %p)", c.macs, got, c.want, shared, training)
		}
	}
}
