package results

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// csvHeader is the header row of ExportCSV.
var csvHeader = []string{"hash", "plan", "status", "seed", "accuracy", "loss", "duration_sec", "host",
	"created_at", "config", "metrics"}

// ExportCSV writes the records of plan ("" = every plan) to w as RFC 4180 CSV, in List order, after the
// header row hash,plan,status,seed,accuracy,loss,duration_sec,host,created_at,config,metrics: one column
// per Record field, config and metrics as JSON text (metrics empty when there are none), created_at
// in RFC 3339 with nanoseconds, UTC. Floats use the shortest repr that round-trips ("NaN", "+Inf" and "-Inf" for the
// special values), which pandas.read_csv parses as floats; read the timestamps with
// parse_dates=["created_at"] and the JSON columns with json.loads.
func (s *Store) ExportCSV(w io.Writer, plan string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	err := each(context.Background(), s.db, plan, func(r Record) error {
		return cw.Write([]string{
			r.Hash, r.Plan, r.Status, strconv.FormatInt(r.Seed, 10),
			formatFloat(r.Accuracy), formatFloat(r.Loss), formatFloat(r.DurationSec), r.Host,
			r.CreatedAt.Format(time.RFC3339Nano), string(r.Config), string(r.Metrics),
		})
	})
	if err != nil {
		return fmt.Errorf("results: export plan %q: %w", plan, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: export: %w", err)
	}
	return nil
}

// formatFloat formats f with the shortest repr that round-trips.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
