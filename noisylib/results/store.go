package results

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// BusyTimeout is how long a store waits for a lock held by another connection or process before an
// operation fails with "database is locked".
const BusyTimeout = 30 * time.Second

// schemaVersion is stored in PRAGMA user_version. Version 2 added the plans table (PlanRecord); Open upgrades a
// version-1 store by adding it, and OpenExisting reads a version-1 store as one without plan records.
const schemaVersion = 2

const schema = `
CREATE TABLE IF NOT EXISTS points (
	hash         TEXT PRIMARY KEY NOT NULL,
	plan         TEXT NOT NULL,
	config       TEXT NOT NULL,
	seed         INTEGER NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('done', 'collapsed', 'failed')),
	accuracy     REAL,
	loss         REAL,
	duration_sec REAL,
	metrics      TEXT,
	host         TEXT NOT NULL,
	created_ns   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS points_plan ON points (plan, created_ns, hash);`

// columns lists the points columns in the order scanRecord reads them.
const columns = `hash, plan, config, seed, status, accuracy, loss, duration_sec, metrics, host, created_ns`

// Store is a results store backed by one SQLite file. Its methods are safe for concurrent use by
// several goroutines, and several Stores (in one or several processes) may open the same file.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens the store at path, creating the file, its parent folders and the schema when missing.
// The file is put in WAL journal mode (readers do not block the writer nor the writer the readers)
// with a busy timeout of BusyTimeout, and synchronous=FULL, so a committed point survives even a
// machine crash. It fails when path is not a SQLite file or holds a store of a newer schema.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("results: empty store path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("results: store path %q: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("results: creating the folder of store %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(abs, url.Values{
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
		"_txlock":       {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("results: opening store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("results: opening store %s: %w", path, err)
	}
	return s, nil
}

// dsn returns the driver's data source name of the SQLite file abs: a file: URI with an escaped path, so
// that '?', '#' or '%' in the path are not taken for parameters, with the busy timeout and the given
// parameters.
func dsn(abs string, params url.Values) string {
	params.Set("_busy_timeout", fmt.Sprint(BusyTimeout.Milliseconds()))
	return "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?" + params.Encode()
}

// OpenExisting opens an existing store for reading, for commands that only read (export, list, midpoints):
// it never creates a file, a folder or a schema, and the store it returns cannot write (Put and Merge into
// it fail). It fails with "store … does not exist" when path is missing, and when path is a folder, not a
// SQLite file, or a SQLite file without a results store in it.
func OpenExisting(path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("results: empty store path")
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("results: store %s does not exist: check the path, or run `walkingnoise walk` to create it", path)
	case err != nil:
		return nil, fmt.Errorf("results: store %s: %w", path, err)
	case info.IsDir():
		return nil, fmt.Errorf("results: store %s is a folder, want a store file", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("results: store path %q: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(abs, url.Values{"mode": {"ro"}}))
	if err != nil {
		return nil, fmt.Errorf("results: opening store %s: %w", path, err)
	}
	var version int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("results: opening store %s: %w", path, err)
	}
	if version != schemaVersion && version != 1 {
		db.Close()
		if version > schemaVersion {
			return nil, fmt.Errorf("results: opening store %s: store schema version %d is newer than this library's %d", path, version, schemaVersion)
		}
		return nil, fmt.Errorf("results: %s holds no results store (an empty or foreign SQLite file)", path)
	}
	return &Store{db: db, path: path}, nil
}

// init checks the schema version and creates the schema when missing, or adds what a store of an older schema
// version lacks.
func (s *Store) init() error {
	var version int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > schemaVersion {
		return fmt.Errorf("store schema version %d is newer than this library's %d", version, schemaVersion)
	}
	if version == schemaVersion {
		return nil
	}
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(schema + plansSchema); err != nil {
		return fmt.Errorf("creating the schema: %w", err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Close closes the store. Points already stored stay in the file.
func (s *Store) Close() error { return s.db.Close() }

// Put stores r, replacing any record with the same hash, in one transaction: after a crash the store
// holds either the old record or the new one, never part of a row. It fails, storing nothing, when r
// is invalid: empty hash or plan, unknown status, config or metrics that are not JSON, a hash that is
// not HashConfig of the config, or a CreatedAt outside 1678–2261. A zero CreatedAt becomes the
// current time.
func (s *Store) Put(r Record) error { return s.PutAll([]Record{r}) }

// PutAll stores the records like Put, all in one transaction: after a crash the store holds all of them or
// none. It fails, storing nothing, when any record is invalid (the error names the first). One commit costs
// one synchronous write of the log to disk (milliseconds on some disks), so points computed together, like
// the σ of a stacked sweep, are stored faster together than one Put each. An empty rs stores nothing.
func (s *Store) PutAll(rs []Record) error {
	if len(rs) == 0 {
		return nil
	}
	norm := make([]Record, len(rs))
	for i, r := range rs {
		var err error
		if norm[i], err = r.normalize(time.Now); err != nil {
			return err
		}
	}
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("results: put %s: %w", norm[0].Hash, err)
	}
	defer tx.Rollback()
	for _, r := range norm {
		if err := insert(tx, r); err != nil {
			return fmt.Errorf("results: put %s: %w", r.Hash, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("results: put %s: %w", norm[0].Hash, err)
	}
	return nil
}

// insert writes a normalized record, replacing any row with the same hash.
func insert(tx *sql.Tx, r Record) error {
	var metrics any // NULL when there are no metrics
	if r.Metrics != nil {
		metrics = string(r.Metrics)
	}
	_, err := tx.Exec(`INSERT OR REPLACE INTO points (`+columns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Hash, r.Plan, string(r.Config), r.Seed, r.Status, nullable(r.Accuracy), nullable(r.Loss),
		nullable(r.DurationSec), metrics, r.Host, r.CreatedAt.UnixNano())
	return err
}

// nullable maps NaN (which SQLite cannot store as a REAL) to NULL.
func nullable(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// rowScanner is *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanRecord reads one row of the columns list.
func scanRecord(sc rowScanner) (Record, error) {
	var (
		r              Record
		config         string
		metrics        sql.NullString
		acc, loss, dur sql.NullFloat64
		createdNS      int64
	)
	if err := sc.Scan(&r.Hash, &r.Plan, &config, &r.Seed, &r.Status, &acc, &loss, &dur, &metrics, &r.Host, &createdNS); err != nil {
		return Record{}, err
	}
	r.Config = []byte(config)
	if metrics.Valid && metrics.String != "" {
		r.Metrics = []byte(metrics.String)
	}
	r.Accuracy, r.Loss, r.DurationSec = orNaN(acc), orNaN(loss), orNaN(dur)
	r.CreatedAt = time.Unix(0, createdNS).UTC()
	return r, nil
}

// orNaN maps NULL to NaN.
func orNaN(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}
