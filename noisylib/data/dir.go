package data

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// EnvDataDir is the environment variable that, when set, names the data folder returned by Dir.
const EnvDataDir = "WALKINGNOISE_DATA"

// ModulePath is the Go module path of this repository; Dir looks for a go.mod declaring it.
const ModulePath = "github.com/walkingnoise/walkingnoise"

// EnvDataDirDefault names the data folder used when EnvDataDir is not set. The project's Jupyter kernel
// sets it to the folder chosen at install time, so that a caller's own $WALKINGNOISE_DATA still wins.
const EnvDataDirDefault = "WALKINGNOISE_DATA_DEFAULT"

// Dir returns the data folder: the value of the environment variable EnvDataDir if it is set; otherwise that
// of EnvDataDirDefault; otherwise the folder "data" next to the go.mod of this repository (module
// ModulePath), found by walking up from the current working directory (the folder need not exist yet);
// otherwise "./data".
func Dir() string {
	if d := os.Getenv(EnvDataDir); d != "" {
		return d
	}
	if d := os.Getenv(EnvDataDirDefault); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err == nil {
		if root, ok := findModuleRoot(wd); ok {
			return filepath.Join(root, "data")
		}
	}
	return filepath.Join(".", "data")
}

// findModuleRoot walks up from dir to the first folder whose go.mod declares ModulePath.
func findModuleRoot(dir string) (string, bool) {
	for {
		if moduleOf(filepath.Join(dir, "go.mod")) == ModulePath {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// moduleOf returns the module path declared in the go.mod file at path, or "" if there is none.
func moduleOf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			if i := strings.Index(rest, "//"); i >= 0 {
				rest = rest[:i]
			}
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
