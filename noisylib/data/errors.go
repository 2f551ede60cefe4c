package data

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// FetchCommand is the command that downloads the data sets shipped by reachable registries (MNIST and
// Fashion-MNIST) into the data folder.
const FetchCommand = "bash scripts/fetch-data.sh"

// MissingFileError reports that a data file was not found. It matches fs.ErrNotExist with errors.Is.
type MissingFileError struct {
	// Dataset is the registry name of the data set being loaded.
	Dataset string
	// Path is the full path that was looked for.
	Path string
	// Alternatives are further paths that would also have been accepted (e.g. the uncompressed file).
	Alternatives []string
	// Hint says how to obtain the file.
	Hint string
}

// Error names the missing path and says how to obtain it.
func (e *MissingFileError) Error() string {
	msg := fmt.Sprintf("data: %s: file not found: %s", e.Dataset, e.Path)
	if len(e.Alternatives) > 0 {
		msg += " (also accepted: " + strings.Join(e.Alternatives, ", ") + ")"
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// Unwrap returns fs.ErrNotExist.
func (e *MissingFileError) Unwrap() error { return fs.ErrNotExist }

// ChecksumError reports that a data file's content does not have the published checksum.
type ChecksumError struct {
	// Path is the file whose content was hashed.
	Path string
	// Algorithm is "sha256" or "md5".
	Algorithm string
	// What says which bytes were hashed, e.g. "decompressed IDX payload" or "file".
	What string
	// Want is the expected hex digest, Got the computed one.
	Want, Got string
}

// Error names the file and both digests.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("data: checksum mismatch for %s (%s of the %s): expected %s, got %s; "+
		"the file is corrupt or not the original, delete it and fetch it again",
		e.Path, e.Algorithm, e.What, e.Want, e.Got)
}

// findFile returns the first of paths that exists as a regular file, or a *MissingFileError naming all.
func findFile(dataset, hint string, paths ...string) (string, error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil && st.Mode().IsRegular() {
			return p, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("data: %s: %w", dataset, err)
		}
	}
	return "", &MissingFileError{Dataset: dataset, Path: paths[0], Alternatives: paths[1:], Hint: hint}
}

// verify checks b against the expected hex digest want with algorithm algo ("sha256" or "md5").
func verify(path, algo, what, want string, b []byte) error {
	var got string
	switch algo {
	case "sha256":
		s := sha256.Sum256(b)
		got = hex.EncodeToString(s[:])
	case "md5":
		s := md5.Sum(b)
		got = hex.EncodeToString(s[:])
	default:
		return fmt.Errorf("data: unknown checksum algorithm %q (valid: sha256, md5)", algo)
	}
	if !strings.EqualFold(got, want) {
		return &ChecksumError{Path: path, Algorithm: algo, What: what, Want: want, Got: got}
	}
	return nil
}
