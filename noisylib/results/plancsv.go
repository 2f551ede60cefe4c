package results

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Files of an exported store folder (ExportDir, ImportDir).
const (
	PointsFile = "points.csv" // the points, ExportCSV's format
	PlansFile  = "plans.csv"  // the plan records, ExportPlansCSV's format
)

// plansHeader is the header row of ExportPlansCSV.
var plansHeader = []string{"name", "version", "spec_hash", "created_at", "updated_at", "spec"}

// ExportPlansCSV writes the plan records (PlanRecord) of the given plans (none, or "": every plan) to w as RFC 4180
// CSV, in Plans order, after the header row name,version,spec_hash,created_at,updated_at,spec: the spec as JSON
// text, the times in RFC 3339 with nanoseconds, UTC. ImportPlansCSV reads it back.
func (s *Store) ExportPlansCSV(w io.Writer, plans ...string) error {
	return writeCSV(w, plansHeader, plans, "export the spec of plan %q", func(name string, write func(...string) error) error {
		return eachPlan(context.Background(), s.db, name, func(p PlanRecord) error {
			return write(p.Name, strconv.Itoa(p.Version), p.SpecHash, p.CreatedAt.Format(time.RFC3339Nano),
				p.UpdatedAt.Format(time.RFC3339Nano), string(p.Spec))
		})
	})
}

// ImportPlansCSV reads plan records in the format ExportPlansCSV writes and stores them in one transaction, by
// Merge's rule for plan records (one per name, version and spec; the earliest CreatedAt and the latest UpdatedAt
// win), so importing twice changes nothing. It returns how many records were new. Each row is validated (the
// spec hash must be HashConfig of the spec); errors name the line, and nothing is stored when a row is invalid.
func (s *Store) ImportPlansCSV(r io.Reader) (added int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(plansHeader)
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("results: import plans: empty input, want the header %s", strings.Join(plansHeader, ","))
	}
	if err != nil {
		return 0, fmt.Errorf("results: import plans: %w", err)
	}
	if !slices.Equal(head, plansHeader) {
		return 0, fmt.Errorf("results: import plans: header %q, want %s (the %s of walkingnoise export -out)",
			strings.Join(head, ","), strings.Join(plansHeader, ","), PlansFile)
	}
	err = s.tx("import plans", func(tx *sql.Tx) error {
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			line, _ := cr.FieldPos(0)
			p := PlanRecord{Name: row[0], SpecHash: row[2], Spec: []byte(row[5])}
			if p.Version, err = strconv.Atoi(row[1]); err != nil {
				return fmt.Errorf("line %d: version %q: %w", line, row[1], err)
			}
			for i, dst := range []*time.Time{&p.CreatedAt, &p.UpdatedAt} {
				if *dst, err = time.Parse(time.RFC3339Nano, row[3+i]); err != nil {
					return fmt.Errorf("line %d: %s: %w", line, plansHeader[3+i], err)
				}
			}
			isNew, err := mergePlan(tx, p)
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			if isNew {
				added++
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// ExportDir writes the points (ExportCSV) and plan records (ExportPlansCSV) of the given plans (none: every plan)
// to dir/PointsFile and dir/PlansFile, creating dir; ImportDir reads the folder back. Each file is written to a
// temporary file and renamed, so a failed export leaves no partial file.
func (s *Store) ExportDir(dir string, plans ...string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	for file, write := range map[string]func(io.Writer, ...string) error{PointsFile: s.ExportCSV, PlansFile: s.ExportPlansCSV} {
		if err := writeAtomic(filepath.Join(dir, file), func(w io.Writer) error { return write(w, plans...) }); err != nil {
			return err
		}
	}
	return nil
}

// writeAtomic writes path through a temporary file in its folder, renamed when write succeeds.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.csv")
	if err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	return nil
}

// ImportDir imports a folder ExportDir wrote: dir/PointsFile (ImportCSV) and, when present, dir/PlansFile
// (ImportPlansCSV; folders exported before plan records were kept have none). It returns how many points and
// plan records were new.
func (s *Store) ImportDir(dir string) (points, plans int, err error) {
	f, err := os.Open(filepath.Join(dir, PointsFile))
	if err != nil {
		return 0, 0, fmt.Errorf("results: import: %w", err)
	}
	defer f.Close()
	if points, err = s.ImportCSV(f); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", f.Name(), err)
	}
	pf, err := os.Open(filepath.Join(dir, PlansFile))
	if errors.Is(err, os.ErrNotExist) {
		return points, 0, nil
	}
	if err != nil {
		return points, 0, fmt.Errorf("results: import: %w", err)
	}
	defer pf.Close()
	if plans, err = s.ImportPlansCSV(pf); err != nil {
		return points, 0, fmt.Errorf("%s: %w", pf.Name(), err)
	}
	return points, plans, nil
}
