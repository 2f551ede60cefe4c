package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDatasetExampleAndSubset(t *testing.T) {
	d := toySet("toy", 5)
	px, l := d.Example(3)
	if len(px) != 4 || px[0] != 0.03 || l != 3 {
		t.Errorf("Example(3) = %v, %d", px, l)
	}
	s := d.Subset(2)
	if s.Len() != 2 || len(s.Images) != 8 || len(s.Labels) != 2 || s.InputShape() != [3]int{2, 2, 1} || s.Name != "toy" {
		t.Fatalf("Subset(2) = %+v", s)
	}
	s.Images[0], s.Labels[0] = 9, 4
	if d.Images[0] != 0 || d.Labels[0] != 0 {
		t.Error("changing the subset changed the original")
	}
	if d.Subset(99).Len() != 5 || d.Subset(-1).Len() != 0 {
		t.Error("Subset does not clamp n to [0, Len()]")
	}
	if err := d.Subset(0).Validate(); err != nil {
		t.Errorf("empty subset invalid: %v", err)
	}
}

func TestDir(t *testing.T) {
	t.Setenv(EnvDataDir, "/some/where")
	if Dir() != "/some/where" {
		t.Errorf("Dir() = %q, want the env var", Dir())
	}
	t.Setenv(EnvDataDir, "")
	root := t.TempDir()
	deep := filepath.Join(root, "notebooks", "sub")
	other := filepath.Join(root, "notebooks")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, "go.mod", []byte("// comment\nmodule github.com/walkingnoise/walkingnoise // the repo\n\ngo 1.26\n"))
	writeFile(t, other, "go.mod", []byte("module example.com/other\n")) // a different module in between
	t.Chdir(deep)
	if got, want := Dir(), filepath.Join(root, "data"); got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
	t.Chdir(t.TempDir()) // no go.mod above a fresh temp dir
	if got := Dir(); got != "data" {
		t.Errorf("Dir() outside the repo = %q, want \"data\"", got)
	}
}

func TestRegistry(t *testing.T) {
	if got := strings.Join(Names(), ","); !strings.HasPrefix(got, "mnist,fashion-mnist,cifar10,svhn,gsc2") {
		t.Errorf("Names() = %s", got)
	}
	for _, s := range Sources() {
		want := 10
		if s.Name == "gsc2" {
			want = 12 // 10 words + silence + unknown
		}
		if len(s.Files) == 0 || s.Obtain == "" || s.NumClasses != want {
			t.Errorf("source %s incomplete: %+v", s.Name, s)
		}
	}
	toy := Source{Name: "toy-registry-test", InputShape: [3]int{2, 2, 1}, NumClasses: 4,
		Load: func(Loader) (*Dataset, *Dataset, error) {
			d := toySet("toy-registry-test", 4)
			return d, d.Subset(2), nil
		}}
	if err := Register(toy); err != nil {
		t.Fatal(err)
	}
	if err := Register(toy); err == nil {
		t.Error("duplicate registration accepted")
	}
	if err := Register(Source{Name: "no-loader"}); err == nil {
		t.Error("source without Load accepted")
	}
	tr, te, err := Load("TOY-registry-test", t.TempDir())
	if err != nil || tr.N != 4 || te.N != 2 {
		t.Errorf("Load of a registered source: %v", err)
	}
	toy.Name, toy.NumClasses = "toy-wrong-shape", 3
	_ = Register(toy)
	if _, _, err := Load("toy-wrong-shape", ""); err == nil {
		t.Error("a loader whose data disagrees with its Source passed")
	}
}

func TestLoadN(t *testing.T) {
	if _, _, err := LoadN("mnist", t.TempDir(), -1, 0); err == nil || !strings.Contains(err.Error(), "≥ 0") {
		t.Errorf("negative count: err = %v", err)
	}
	tr, te, err := LoadN("mnist", Dir(), 100, 50)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	full, _, _ := Load("mnist", Dir())
	if tr.Len() != 100 || te.Len() != 50 || tr.Labels[99] != full.Labels[99] {
		t.Errorf("LoadN(100, 50): %d/%d examples, label 99 = %d (full set: %d)", tr.Len(), te.Len(), tr.Labels[99], full.Labels[99])
	}
	if tr, _, _ := LoadN("mnist", Dir(), 0, 1e9); tr.Len() != 60000 {
		t.Errorf("LoadN(0, …) kept %d training examples, want all 60000", tr.Len())
	}
}
