package figures

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// DynamicsRows returns a table of dynamics runs (for nbviz.Table): training σ, clamping, accuracy with the
// training noise and without noise, the final RMS and max|w| of one layer with its bimodality coefficient,
// the clean signal RMS at one site, the sign-copy accuracy when it was measured, the run's seed and the share of
// the layer's weights at |w| ≥ 1 (where a clamp to [−1, 1] binds).
func DynamicsRows(runs []dynamics.Run, op string, site int) (header []string, rows [][]string) {
	header = []string{"training σ", "clamp", "acc (%)", "clean acc (%)", op + " RMS", op + " max|w|",
		op + " bimodality", fmt.Sprintf("site %d RMS", site), "sign-copy acc (%)", "seed", op + " at |w| ≥ 1 (%)"}
	for _, r := range runs {
		l, _ := r.Layer(op)
		sc := "—"
		if r.SignCopyAcc == r.SignCopyAcc {
			sc = fmt.Sprintf("%.1f", r.SignCopyAcc)
		}
		rows = append(rows, []string{fmt.Sprintf("%g", r.Sigma), fmt.Sprint(r.Clamp), fmt.Sprintf("%.1f", r.Acc),
			fmt.Sprintf("%.1f", r.CleanAcc), fmt.Sprintf("%.4f", l.RMS), fmt.Sprintf("%.3f", l.MaxAbs),
			fmt.Sprintf("%.2f", l.Bimodality), fmt.Sprintf("%.3g", r.SiteRMS(site)), sc, fmt.Sprint(r.Seed),
			fmt.Sprintf("%.1f", 100*l.AtBound)})
	}
	return header, rows
}

// MixedRows returns a table of mixed-noise midpoints (for nbviz.Table): one row per mode and additive share,
// with the midpoint amplitude of each order.
func MixedRows(curves []walk.MixedCurve) (header []string, rows [][]string) {
	header = []string{"mode", "additive share r", "midpoint A, mul→add", "midpoint A, add→mul"}
	type key struct {
		mode  string
		ratio float64
	}
	idx := map[key]int{}
	for _, c := range curves {
		k := key{string(c.Mode), c.Ratio}
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, []string{k.mode, fmt.Sprintf("%g", c.Ratio), "—", "—"})
		}
		col := 2
		if c.AddFirst {
			col = 3
		}
		rows[i][col] = c.Mid.String()
	}
	return header, rows
}

// PairRows returns a table of two values per name and their ratio b/a (for nbviz.Table).
func PairRows(names []string, aName, bName string, a, b []float64) (header []string, rows [][]string) {
	header = []string{"", aName, bName, bName + " / " + aName}
	for i, n := range names {
		if i >= len(a) || i >= len(b) {
			break
		}
		rows = append(rows, []string{n, fmt.Sprintf("%.3g", a[i]), fmt.Sprintf("%.3g", b[i]), fmt.Sprintf("%.2f", b[i]/a[i])})
	}
	return header, rows
}

// ExecRows returns a table of multi-execution results (for nbviz.Table).
func ExecRows(results []walk.ExecResult) (header []string, rows [][]string) {
	header = []string{"policy", "budget B", "accuracy (%)", "std (%)", "repetitions"}
	for _, r := range results {
		rows = append(rows, []string{r.Policy, fmt.Sprint(r.Budget), fmt.Sprintf("%.1f", r.Mean), fmt.Sprintf("%.1f", r.Std), fmt.Sprint(r.N)})
	}
	return header, rows
}

// SiteRows returns a table of the model's noise sites (for nbviz.Table): index and name, the operation the
// site follows and the per-example shape of the signal there.
func SiteRows(m *models.Model) (header []string, rows [][]string) {
	header = []string{"site", "after", "per-example shape", "elements"}
	for _, s := range m.Sites {
		dims := make([]string, len(s.Shape))
		for i, d := range s.Shape {
			dims[i] = fmt.Sprint(d)
		}
		rows = append(rows, []string{s.Name(), s.Kind.String(), "[" + strings.Join(dims, " ") + "]", fmt.Sprint(s.Size())})
	}
	return header, rows
}
