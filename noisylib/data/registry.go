package data

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
)

// Source describes one data set the package can load.
type Source struct {
	// Name is the registry name passed to Load, e.g. "mnist".
	Name string
	// InputShape is the shape (H, W, C) of one example.
	InputShape [3]int
	// NumClasses is the number of classes.
	NumClasses int
	// Files are the data files, relative to the data folder (canonical names; some loaders also accept
	// an uncompressed variant).
	Files []string
	// Obtain says how to get the files; it is part of the error for a missing file, with "<data>"
	// replaced by the data folder.
	Obtain string
	// Transform is the preprocessing of the reference implementation for this data set.
	Transform Transform
	// Load reads the train and test splits with the given loader's folder and checksum setting.
	Load func(l Loader) (train, test *Dataset, err error)
	// LoadSplits, if set, reads a separate validation split too (GSC2); Load is then its train and test.
	LoadSplits func(l Loader) (train, validation, test *Dataset, err error)
}

var (
	registryMu sync.RWMutex
	registry   = []Source{mnistSource(), fashionSource(), cifar10Source(), svhnSource(), gsc2Source()}
)

// Sources returns the registered data sets in registration order.
func Sources() []Source {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return append([]Source(nil), registry...)
}

// Names returns the registered data set names in registration order.
func Names() []string {
	var names []string
	for _, s := range Sources() {
		names = append(names, s.Name)
	}
	return names
}

// Lookup returns the registered data set with the given name (case-insensitive).
func Lookup(name string) (Source, error) {
	for _, s := range Sources() {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("data: unknown data set %q: valid names are %s", name, strings.Join(Names(), ", "))
}

// Register adds a data set (e.g. a speech-commands loader) to the registry, so that Load, Lookup and
// NewBatcher know it. The name must be new and Load must be set.
func Register(s Source) error {
	if s.Name == "" || s.Load == nil {
		return fmt.Errorf("data: Register: a Source needs a Name and a Load function (got name %q)", s.Name)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, r := range registry {
		if strings.EqualFold(r.Name, s.Name) {
			return fmt.Errorf("data: Register: data set %q is already registered", s.Name)
		}
	}
	registry = append(registry, s)
	return nil
}

// TransformFor returns the preprocessing of the named data set (see Source.Transform).
func TransformFor(name string) (Transform, error) {
	s, err := Lookup(name)
	if err != nil {
		return Transform{}, err
	}
	return s.Transform, nil
}

// Loader loads data sets from a folder.
type Loader struct {
	// Dir is the data folder; "" means Dir().
	Dir string
	// SkipChecksums turns off the verification of the files against their published checksums. It exists
	// for test fixtures and hand-made files only; real data should always be verified.
	SkipChecksums bool
}

// Load reads the train and test splits of the named data set from dir ("" means Dir()), verifying every
// file against its published checksum. Valid names are those of Sources: "mnist", "fashion-mnist",
// "cifar10", "svhn" and "gsc2".
func Load(name, dir string) (train, test *Dataset, err error) {
	return Loader{Dir: dir}.Load(name)
}

// Load reads the train and test splits of the named data set.
func (l Loader) Load(name string) (train, test *Dataset, err error) {
	train, _, test, err = l.load(name, false)
	return train, test, err
}

// LoadSplits reads the train, validation and test splits of the named data set; validation is nil for the
// data sets without a separate one (the image sets, whose "validation" in the reference is the test set).
func (l Loader) LoadSplits(name string) (train, validation, test *Dataset, err error) {
	return l.load(name, true)
}

func (l Loader) load(name string, withValidation bool) (train, validation, test *Dataset, err error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, nil, nil, err
	}
	if withValidation && s.LoadSplits != nil {
		train, validation, test, err = s.LoadSplits(l)
	} else {
		train, test, err = s.Load(l)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	for _, d := range []*Dataset{train, validation, test} {
		if d == nil {
			continue
		}
		if err := d.Validate(); err != nil {
			return nil, nil, nil, err
		}
		if d.InputShape() != s.InputShape || d.NumClasses != s.NumClasses {
			return nil, nil, nil, fmt.Errorf("data: %s: loaded shape %v with %d classes, want %v with %d",
				s.Name, d.InputShape(), d.NumClasses, s.InputShape, s.NumClasses)
		}
	}
	return train, validation, test, nil
}

// dir returns the folder the loader reads from.
func (l Loader) dir() string {
	if l.Dir == "" {
		return Dir()
	}
	return l.Dir
}

// path joins the loader's folder with a slash-separated relative path.
func (l Loader) path(rel string) string { return filepath.Join(l.dir(), filepath.FromSlash(rel)) }

// hint replaces the placeholder "<data>" in an Obtain text with the loader's folder.
func (l Loader) hint(obtain string) string { return strings.ReplaceAll(obtain, "<data>", l.dir()) }

// check verifies b unless checksums are skipped.
func (l Loader) check(path, algo, what, want string, b []byte) error {
	if l.SkipChecksums {
		return nil
	}
	return verify(path, algo, what, want, b)
}
