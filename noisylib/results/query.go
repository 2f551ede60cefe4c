package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Get returns the record stored under hash; ok is false when there is none.
func (s *Store) Get(hash string) (r Record, ok bool, err error) {
	r, err = scanRecord(s.db.QueryRow(`SELECT `+columns+` FROM points WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("results: get %s: %w", hash, err)
	}
	return r, true, nil
}

// Has reports whether a record (of any status, failed included) is stored under hash.
func (s *Store) Has(hash string) (bool, error) {
	var one int
	err := s.db.QueryRow(`SELECT 1 FROM points WHERE hash = ?`, hash).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("results: has %s: %w", hash, err)
	}
	return true, nil
}

// doneBatch bounds the number of SQL parameters of one Done query.
const doneBatch = 500

// Done returns, among hashes, those whose points are finished: stored with StatusDone or
// StatusCollapsed. Failed and missing points are absent from the map (so the lookup gives false).
func (s *Store) Done(hashes []string) (map[string]bool, error) {
	done := make(map[string]bool)
	for start := 0; start < len(hashes); start += doneBatch {
		batch := hashes[start:min(start+doneBatch, len(hashes))]
		args := make([]any, len(batch))
		for i, h := range batch {
			args[i] = h
		}
		q := `SELECT hash FROM points WHERE status IN ('done', 'collapsed') AND hash IN (?` +
			strings.Repeat(", ?", len(batch)-1) + `)`
		rows, err := s.db.Query(q, args...)
		if err != nil {
			return nil, fmt.Errorf("results: done: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("results: done: %w", err)
			}
			done[h] = true
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("results: done: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("results: done: %w", err)
		}
	}
	return done, nil
}

// each calls fn for every record of plan ("" = all), ordered by plan, creation time, then hash.
func each(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, plan string, fn func(Record) error) error {
	q := `SELECT ` + columns + ` FROM points`
	var args []any
	if plan != "" {
		q += ` WHERE plan = ?`
		args = append(args, plan)
	}
	rows, err := db.QueryContext(ctx, q+` ORDER BY plan, created_ns, hash`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// List returns the records of plan, or of every plan when plan is "", ordered by plan, then creation
// time, then hash.
func (s *Store) List(plan string) ([]Record, error) {
	var out []Record
	err := each(context.Background(), s.db, plan, func(r Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: list plan %q: %w", plan, err)
	}
	return out, nil
}

// Count returns the number of records of plan, or of every plan when plan is "", whatever their status.
func (s *Store) Count(plan string) (int, error) {
	q, args := `SELECT COUNT(*) FROM points`, []any{}
	if plan != "" {
		q, args = q+` WHERE plan = ?`, append(args, plan)
	}
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("results: count plan %q: %w", plan, err)
	}
	return n, nil
}
