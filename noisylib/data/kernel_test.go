package data

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDirPrecedence: $WALKINGNOISE_DATA wins over the kernel's install-time default, which wins over the
// repository's data folder.
func TestDirPrecedence(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	t.Setenv(EnvDataDirDefault, "/install/time")
	if d := Dir(); d != "/install/time" {
		t.Errorf("Dir() = %q with only the default set, want /install/time", d)
	}
	t.Setenv(EnvDataDir, "/elsewhere")
	if d := Dir(); d != "/elsewhere" {
		t.Errorf("Dir() = %q with %s=/elsewhere, want the caller's folder", d, EnvDataDir)
	}
}

// TestKernelKeepsCallersDataFolder renders the project's kernelspec as setup.sh does and asks the real
// jupyter_client which environment it would start the kernel with: the caller's WALKINGNOISE_DATA must reach
// the kernel, and without it the install-time folder is only the default (issue 14, fault 8: the kernelspec
// fixed WALKINGNOISE_DATA, so `WALKINGNOISE_DATA=/elsewhere jupyter nbconvert --execute` was ignored).
func TestKernelKeepsCallersDataFolder(t *testing.T) {
	py := jupyterPython(t)
	root := filepath.Join("..", "..")
	dir := t.TempDir()
	kdir := filepath.Join(dir, "kernels", "walkingnoise")
	if err := os.MkdirAll(kdir, 0o755); err != nil {
		t.Fatal(err)
	}
	render := exec.Command(py, filepath.Join(root, "scripts", "render_kernel.py"),
		filepath.Join(root, "kernels", "walkingnoise", "kernel.json.in"), filepath.Join(kdir, "kernel.json"),
		"/opt/gonb", "/opt/gobin", "/opt/goroot/bin", "/install/time/data", "/repo")
	if out, err := render.CombinedOutput(); err != nil {
		t.Fatalf("render_kernel.py: %v\n%s", err, out)
	}
	probe := `
import sys
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
ksm = KernelSpecManager(kernel_dirs=[sys.argv[1]])
km = KernelManager(kernel_spec_manager=ksm, kernel_name="walkingnoise")
_, kw = km.pre_start_kernel()
env = kw["env"]
print("DATA=" + env.get("WALKINGNOISE_DATA", "<unset>"))
print("DEFAULT=" + env.get("WALKINGNOISE_DATA_DEFAULT", "<unset>"))
`
	kenv := func(data string) string {
		cmd := exec.Command(py, "-c", probe, filepath.Join(dir, "kernels"))
		cmd.Env = append(os.Environ(), "WALKINGNOISE_DATA="+data)
		if data == "" {
			cmd.Env = append(cmd.Env, "WALKINGNOISE_DATA=")
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jupyter_client probe: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := kenv("/elsewhere"); !strings.Contains(out, "DATA=/elsewhere\n") || !strings.Contains(out, "DEFAULT=/install/time/data") {
		t.Errorf("kernel environment with WALKINGNOISE_DATA=/elsewhere:\n%s", out)
	}
	if out := kenv(""); strings.Contains(out, "DATA=/install") || !strings.Contains(out, "DEFAULT=/install/time/data") {
		t.Errorf("kernel environment without WALKINGNOISE_DATA:\n%s", out)
	}
}

// jupyterPython returns the Python interpreter of the installed `jupyter` command (its #! line), the one that
// has jupyter_client; it skips the test when Jupyter is not installed.
func jupyterPython(t *testing.T) string {
	t.Helper()
	j, err := exec.LookPath("jupyter")
	if err != nil {
		t.Skip("jupyter not installed (scripts/setup.sh installs it)")
	}
	b, err := os.ReadFile(j)
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	py := strings.TrimSpace(strings.TrimPrefix(line, "#!"))
	if f := strings.Fields(py); len(f) > 0 {
		py = f[len(f)-1]
		if len(f) == 2 && strings.HasSuffix(f[0], "env") {
			py, _ = exec.LookPath(f[1])
		}
	}
	if py == "" || exec.Command(py, "-c", "import jupyter_client").Run() != nil {
		t.Fatalf("jupyter is installed but its Python (%q) has no jupyter_client", py)
	}
	return py
}
