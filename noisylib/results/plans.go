package results

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PlanRecord is the specification of a plan whose points a store holds, kept under the plan's name so that the
// store can be read alone: a reader rebuilds the plan from its Spec instead of re-deriving it from flags or the
// environment. The store keeps one record per (Name, Version, SpecHash): a name run with another spec (e.g. other
// modes, or another preset's grids) or by another results version gets a record of its own.
type PlanRecord struct {
	// Name is the plan's name, the Plan of its points' records.
	Name string
	// Spec is the plan's specification as JSON (canonical, see CanonicalJSON), e.g. a walk.PlanSpec as Build
	// resolved it; SpecHash is its HashConfig.
	Spec     []byte
	SpecHash string
	// Version is the results version its points were planned with (walk.ResultsVersion).
	Version int
	// CreatedAt and UpdatedAt are when the spec was first and last recorded (when the plan was first and last
	// run), UTC with nanoseconds.
	CreatedAt, UpdatedAt time.Time
}

const plansSchema = `
CREATE TABLE IF NOT EXISTS plans (
	name       TEXT NOT NULL,
	version    INTEGER NOT NULL,
	spec_hash  TEXT NOT NULL,
	spec       TEXT NOT NULL,
	created_ns INTEGER NOT NULL,
	updated_ns INTEGER NOT NULL,
	PRIMARY KEY (name, version, spec_hash)
);`

// planColumns lists the plans columns in the order scanPlan reads them.
const planColumns = `name, version, spec_hash, spec, created_ns, updated_ns`

// PutPlan records that the plan name, of the given results version, was run with spec (any JSON-marshalable
// value). It is idempotent: recording the same name, version and spec again only moves UpdatedAt to now. It fails
// for an empty name, a version < 1, or a spec that is not JSON-marshalable.
func (s *Store) PutPlan(name string, version int, spec any) error {
	c, err := CanonicalJSON(spec)
	if err != nil {
		return fmt.Errorf("results: put plan %s: %w", name, err)
	}
	now := time.Now()
	return s.tx("put plan "+name, func(tx *sql.Tx) error {
		_, err := mergePlan(tx, PlanRecord{Name: name, Version: version, Spec: c, SpecHash: hashCanonical(c), CreatedAt: now, UpdatedAt: now})
		return err
	})
}

// Plans returns the plan records of name, or of every plan when name is "", ordered by name, then most recently
// run first (UpdatedAt descending), then SpecHash. A store written before plan specs were kept (schema version 1)
// has none.
func (s *Store) Plans(name string) ([]PlanRecord, error) {
	var out []PlanRecord
	err := eachPlan(context.Background(), s.db, name, func(p PlanRecord) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: plans %q: %w", name, err)
	}
	return out, nil
}

// eachPlan calls fn for every plan record of name ("" = all), in Plans order; a store without a plans table (an
// older schema opened read-only) has none.
func eachPlan(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, name string, fn func(PlanRecord) error) error {
	rows, err := db.QueryContext(ctx, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plans'`)
	if err != nil {
		return err
	}
	has := rows.Next()
	rows.Close()
	if !has {
		return nil
	}
	q := `SELECT ` + planColumns + ` FROM plans`
	var args []any
	if name != "" {
		q += ` WHERE name = ?`
		args = append(args, name)
	}
	if rows, err = db.QueryContext(ctx, q+` ORDER BY name, updated_ns DESC, spec_hash, version`, args...); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanPlan(sc rowScanner) (PlanRecord, error) {
	var (
		p                PlanRecord
		spec             string
		created, updated int64
	)
	if err := sc.Scan(&p.Name, &p.Version, &p.SpecHash, &spec, &created, &updated); err != nil {
		return PlanRecord{}, err
	}
	p.Spec = []byte(spec)
	p.CreatedAt, p.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	return p, nil
}

// normalize validates a plan record read from another file and returns it with a canonical Spec.
func (p PlanRecord) normalize() (PlanRecord, error) {
	if p.Name == "" {
		return p, fmt.Errorf("results: plan record has an empty name")
	}
	if p.Version < 1 {
		return p, fmt.Errorf("results: plan %s has results version %d, want ≥ 1", p.Name, p.Version)
	}
	if len(bytes.TrimSpace(p.Spec)) == 0 {
		return p, fmt.Errorf("results: plan %s has an empty spec", p.Name)
	}
	c, err := canonicalize(p.Spec)
	if err != nil {
		return p, fmt.Errorf("plan %s: %w", p.Name, err)
	}
	if h := hashCanonical(c); h != p.SpecHash {
		return p, fmt.Errorf("results: plan %s: spec hash %q does not match its spec (HashConfig gives %q)", p.Name, p.SpecHash, h)
	}
	p.Spec = c
	for _, t := range []*time.Time{&p.CreatedAt, &p.UpdatedAt} {
		if t.Before(minTime) || !t.Before(maxTime) {
			return p, fmt.Errorf("results: plan %s has a time %s outside the years 1678–2261", p.Name, *t)
		}
		*t = t.UTC().Round(0)
	}
	if p.UpdatedAt.Before(p.CreatedAt) {
		return p, fmt.Errorf("results: plan %s was updated (%s) before it was created (%s)", p.Name, p.UpdatedAt, p.CreatedAt)
	}
	return p, nil
}

// mergePlan validates p and stores it in tx: a new (name, version, spec hash) is added; a known one keeps the
// earliest CreatedAt and the latest UpdatedAt of both, so merging is order-independent and idempotent. isNew
// reports a record that was not stored.
func mergePlan(tx *sql.Tx, p PlanRecord) (isNew bool, err error) {
	if p, err = p.normalize(); err != nil {
		return false, err
	}
	old, err := scanPlan(tx.QueryRow(`SELECT `+planColumns+` FROM plans WHERE name = ? AND version = ? AND spec_hash = ?`,
		p.Name, p.Version, p.SpecHash))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		isNew = true
	case err != nil:
		return false, err
	default:
		if old.CreatedAt.Before(p.CreatedAt) {
			p.CreatedAt = old.CreatedAt
		}
		if old.UpdatedAt.After(p.UpdatedAt) {
			p.UpdatedAt = old.UpdatedAt
		}
	}
	_, err = tx.Exec(`INSERT OR REPLACE INTO plans (`+planColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		p.Name, p.Version, p.SpecHash, string(p.Spec), p.CreatedAt.UnixNano(), p.UpdatedAt.UnixNano())
	return isNew, err
}

// tx runs fn in one transaction of the store.
func (s *Store) tx(what string, fn func(*sql.Tx) error) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("results: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("results: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("results: %s: %w", what, err)
	}
	return nil
}
