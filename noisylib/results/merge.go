package results

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"
)

// Merge copies the records of the shard stores srcs into the store dst (created when missing), in one
// transaction on dst, and returns how many hashes were new to dst. The source files are not changed
// (they are opened as stores, which may only checkpoint their journal); each must exist and differ from dst.
//
// When a hash is stored in several of dst and srcs, one record wins by this rule, applied in order:
//  1. a finished record (StatusDone or StatusCollapsed) beats a failed one;
//  2. then the earliest CreatedAt wins;
//  3. then, so that the choice is a total order, the record whose (Host, Seed, Accuracy, Loss,
//     DurationSec as IEEE-754 bits, Metrics, Plan, Config, Status) is lexicographically smallest.
//
// Since the winner does not depend on the order the records are seen in, merging the same shards
// again, merging overlapping shards, or merging them in another order gives the same rows. The sources' plan
// records (PlanRecord) are merged too: one per name, version and spec, with the earliest CreatedAt and the
// latest UpdatedAt.
func Merge(dst string, srcs ...string) (added int, err error) {
	dstInfo, dstErr := os.Stat(dst)
	for _, src := range srcs {
		info, err := os.Stat(src)
		if err != nil {
			return 0, fmt.Errorf("results: merge source: %w", err)
		}
		if info.IsDir() {
			return 0, fmt.Errorf("results: merge source %s is a folder, want a store file", src)
		}
		if dstErr == nil && os.SameFile(info, dstInfo) {
			return 0, fmt.Errorf("results: merge source %s is the destination store", src)
		}
		a, _ := filepath.Abs(src)
		b, _ := filepath.Abs(dst)
		if a == b {
			return 0, fmt.Errorf("results: merge source %s is the destination store", src)
		}
	}
	for _, src := range srcs { // every source must be a store before the destination is created
		in, err := OpenExisting(src)
		if err != nil {
			return 0, err
		}
		in.Close()
	}
	out, err := Open(dst)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	tx, err := out.db.Begin()
	if err != nil {
		return 0, fmt.Errorf("results: merge into %s: %w", dst, err)
	}
	defer tx.Rollback()
	for _, src := range srcs {
		in, err := OpenExisting(src)
		if err != nil {
			return 0, err
		}
		err = each(context.Background(), in.db, "", func(r Record) error {
			isNew, err := mergeRecord(tx, r)
			if isNew {
				added++
			}
			return err
		})
		if err == nil {
			err = eachPlan(context.Background(), in.db, "", func(p PlanRecord) error {
				_, err := mergePlan(tx, p)
				return err
			})
		}
		in.Close()
		if err != nil {
			return 0, fmt.Errorf("results: merging %s into %s: %w", src, dst, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("results: merge into %s: %w", dst, err)
	}
	return added, nil
}

// mergeRecord validates r (read from another file) and stores it in tx unless the record already stored under
// its hash wins by the rule documented on Merge; isNew reports a hash that was not stored.
func mergeRecord(tx *sql.Tx, r Record) (isNew bool, err error) {
	if r, err = r.normalize(time.Now); err != nil {
		return false, err
	}
	old, ok, err := scanOptional(tx, r.Hash)
	if err != nil || ok && !better(r, old) {
		return false, err
	}
	return !ok, insert(tx, r)
}

// scanOptional reads the record under hash within tx.
func scanOptional(tx *sql.Tx, hash string) (Record, bool, error) {
	r, err := scanRecord(tx.QueryRow(`SELECT `+columns+` FROM points WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, nil
	}
	return r, err == nil, err
}

// better reports whether record a wins over record b (same hash) by the rule documented on Merge.
func better(a, b Record) bool {
	if fa, fb := finished(a.Status), finished(b.Status); fa != fb {
		return fa
	}
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.Before(b.CreatedAt)
	}
	return bytes.Compare(tieKey(a), tieKey(b)) < 0
}

// tieKey serialises the fields that break ties between records created at the same instant.
func tieKey(r Record) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\x00%020d\x00%016x\x00%016x\x00%016x\x00%s\x00%s\x00%s\x00%s", r.Host,
		uint64(r.Seed)^(1<<63), math.Float64bits(r.Accuracy), math.Float64bits(r.Loss),
		math.Float64bits(r.DurationSec), r.Metrics, r.Plan, r.Config, r.Status)
	return b.Bytes()
}
