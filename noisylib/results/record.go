package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The status of a point.
const (
	// StatusDone marks a point whose run finished normally.
	StatusDone = "done"
	// StatusCollapsed marks a point whose training diverged (loss NaN or ±Inf); it is recorded at
	// chance accuracy and counts as finished.
	StatusCollapsed = "collapsed"
	// StatusFailed marks a point whose run failed (an error, not a divergence); it does not count as
	// finished, so [Store.Done] leaves it out and a resumed walk runs it again.
	StatusFailed = "failed"
)

// Record is the stored outcome of one point of a walk.
type Record struct {
	// Hash is the point's key, HashConfig of its configuration (64 lowercase hex digits).
	// Put checks that it matches Config.
	Hash string
	// Plan is the name of the plan the point belongs to; it must not be empty.
	Plan string
	// Config is the point's configuration as JSON. Put stores its canonical form (see CanonicalJSON),
	// which is what Get and List return.
	Config json.RawMessage
	// Seed is the point's random seed.
	Seed int64
	// Status is StatusDone, StatusCollapsed or StatusFailed.
	Status string
	// Accuracy is the test accuracy in percent (chance for a collapsed point). NaN is stored as SQL
	// NULL and read back as NaN; ±Inf round-trip.
	Accuracy float64
	// Loss is the test loss (same NaN/Inf rule as Accuracy).
	Loss float64
	// DurationSec is the wall time of the run in seconds (same NaN/Inf rule as Accuracy).
	DurationSec float64
	// Metrics holds optional extra metrics as JSON, e.g. the SNR per site; nil or empty when none.
	// Put stores it compacted.
	Metrics json.RawMessage
	// Host is the name of the machine that ran the point.
	Host string
	// CreatedAt is when the point finished. Put sets it to the current time when it is zero; it is
	// stored with nanosecond precision and read back in UTC. It must lie in the years 1678–2261.
	CreatedAt time.Time
}

// minTime and maxTime bound the times whose UnixNano fits an int64.
var (
	minTime = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// finished reports whether a status counts as a finished point.
func finished(status string) bool { return status == StatusDone || status == StatusCollapsed }

// normalize validates r and returns it with canonical Config, compact Metrics and a CreatedAt set.
func (r Record) normalize(now func() time.Time) (Record, error) {
	if r.Hash == "" {
		return r, fmt.Errorf("results: record has an empty hash (use HashConfig of its config)")
	}
	if r.Plan == "" {
		return r, fmt.Errorf("results: record %s has an empty plan name", r.Hash)
	}
	switch r.Status {
	case StatusDone, StatusCollapsed, StatusFailed:
	default:
		return r, fmt.Errorf("results: record %s has status %q, want %q, %q or %q",
			r.Hash, r.Status, StatusDone, StatusCollapsed, StatusFailed)
	}
	if len(bytes.TrimSpace(r.Config)) == 0 {
		return r, fmt.Errorf("results: record %s has an empty config", r.Hash)
	}
	c, err := canonicalize(r.Config)
	if err != nil {
		return r, fmt.Errorf("record %s: %w", r.Hash, err)
	}
	if h := hashCanonical(c); h != r.Hash {
		return r, fmt.Errorf("results: record hash %q does not match its config (HashConfig gives %q)", r.Hash, h)
	}
	r.Config = c
	if len(bytes.TrimSpace(r.Metrics)) == 0 {
		r.Metrics = nil
	} else {
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Metrics); err != nil {
			return r, fmt.Errorf("results: record %s has invalid metrics JSON: %w", r.Hash, err)
		}
		r.Metrics = buf.Bytes()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	if r.CreatedAt.Before(minTime) || !r.CreatedAt.Before(maxTime) {
		return r, fmt.Errorf("results: record %s has CreatedAt %s outside the years 1678–2261", r.Hash, r.CreatedAt)
	}
	r.CreatedAt = r.CreatedAt.UTC().Round(0)
	return r, nil
}
