package results

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// csvHeader is the header row of ExportCSV.
var csvHeader = []string{"hash", "plan", "status", "seed", "accuracy", "loss", "duration_sec", "host",
	"created_at", "config", "metrics"}

// ExportCSV writes the records of the given plans (none, or "": every plan) to w as RFC 4180 CSV, plan after plan
// in the order given, each in List order, after the
// header row hash,plan,status,seed,accuracy,loss,duration_sec,host,created_at,config,metrics: one column
// per Record field, config and metrics as JSON text (metrics empty when there are none), created_at
// in RFC 3339 with nanoseconds, UTC. Floats use the shortest repr that round-trips ("NaN", "+Inf" and "-Inf" for the
// special values), which pandas.read_csv parses as floats; read the timestamps with
// parse_dates=["created_at"] and the JSON columns with json.loads. The config column is the point's complete
// configuration (the JSON whose hash is its key), from which the point can be recomputed; ImportCSV reads the
// file back into a store bit for bit.
func (s *Store) ExportCSV(w io.Writer, plans ...string) error {
	return writeCSV(w, csvHeader, plans, "export plan %q", func(plan string, write func(...string) error) error {
		return each(context.Background(), s.db, plan, func(r Record) error {
			return write(r.Hash, r.Plan, r.Status, strconv.FormatInt(r.Seed, 10),
				formatFloat(r.Accuracy), formatFloat(r.Loss), formatFloat(r.DurationSec), r.Host,
				r.CreatedAt.Format(time.RFC3339Nano), string(r.Config), string(r.Metrics))
		})
	})
}

// writeCSV writes the header and then, plan after plan (none, or "": every plan, written by rows("")), the rows
// that rows(plan, write) writes; what names a plan's rows in errors (a format with one %q).
func writeCSV(w io.Writer, header, plans []string, what string, rows func(plan string, write func(...string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	if len(plans) == 0 || slices.Contains(plans, "") {
		plans = []string{""}
	}
	write := func(row ...string) error { return cw.Write(row) }
	for _, plan := range plans {
		if err := rows(plan, write); err != nil {
			return fmt.Errorf("results: "+what+": %w", plan, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	return nil
}

// formatFloat formats f with the shortest repr that round-trips.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
