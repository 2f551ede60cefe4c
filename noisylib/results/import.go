package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ImportCSV reads records in the format ExportCSV writes (its header row first, then one row per point) and
// stores them in one transaction, by Merge's rule: a hash not yet stored is added; one already stored keeps the
// record that wins (a finished record over a failed one, then the earliest CreatedAt, then a total order), so
// importing the same file twice, or a file and the store it came from, changes nothing. It returns how many
// hashes were new.
//
// Every field is parsed exactly: seeds as integers, floats as written by strconv.FormatFloat(f, 'g', -1, 64)
// (shortest round-trip form, "NaN", "+Inf", "-Inf"; an empty field is NaN, i.e. SQL NULL), created_at in RFC
// 3339 with nanoseconds; so an exported and re-imported store reads back bit for bit. Each row is validated as
// Put validates a record (the hash must be HashConfig of the config). Errors name the line; nothing is stored
// when any row is invalid.
func (s *Store) ImportCSV(r io.Reader) (added int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(csvHeader)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("results: import: empty input, want the header %s", strings.Join(csvHeader, ","))
	}
	if err != nil {
		return 0, fmt.Errorf("results: import: %w", err)
	}
	if !slices.Equal(head, csvHeader) {
		return 0, fmt.Errorf("results: import: header %q, want %s (the format of walkingnoise export)", strings.Join(head, ","), strings.Join(csvHeader, ","))
	}
	tx, err := s.db.Begin()
	if err != nil {
		return 0, fmt.Errorf("results: import: %w", err)
	}
	defer tx.Rollback()
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("results: import: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rec, err := parseRow(row)
		if err != nil {
			return 0, fmt.Errorf("results: import, line %d: %w", line, err)
		}
		isNew, err := mergeRecord(tx, rec)
		if err != nil {
			return 0, fmt.Errorf("results: import, line %d: %w", line, err)
		}
		if isNew {
			added++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("results: import: %w", err)
	}
	return added, nil
}

// parseRow parses one CSV row of ExportCSV (columns in csvHeader order).
func parseRow(row []string) (Record, error) {
	r := Record{Hash: row[0], Plan: row[1], Status: row[2], Host: row[7], Config: []byte(row[9])}
	var err error
	if r.Seed, err = strconv.ParseInt(row[3], 10, 64); err != nil {
		return r, fmt.Errorf("seed %q: %w", row[3], err)
	}
	for i, dst := range []*float64{&r.Accuracy, &r.Loss, &r.DurationSec} {
		if *dst, err = parseFloat(row[4+i]); err != nil {
			return r, fmt.Errorf("%s %q: %w", csvHeader[4+i], row[4+i], err)
		}
	}
	if r.CreatedAt, err = time.Parse(time.RFC3339Nano, row[8]); err != nil {
		return r, fmt.Errorf("created_at: %w", err)
	}
	if row[10] != "" {
		r.Metrics = []byte(row[10])
	}
	return r, nil
}

// parseFloat parses a float written by formatFloat; an empty field is NaN (SQL NULL).
func parseFloat(s string) (float64, error) {
	if s == "" {
		return strconv.ParseFloat("NaN", 64)
	}
	return strconv.ParseFloat(s, 64)
}
