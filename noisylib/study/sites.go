package study

import (
	"fmt"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// SiteRows returns a table of the model's noise sites (for nbviz.Table): index and name, the operation the
// site follows and the per-example shape of the signal there.
func SiteRows(m *models.Model) (header []string, rows [][]string) {
	header = []string{"site", "after", "per-example shape", "elements"}
	for _, s := range m.Sites {
		n := 1
		dims := make([]string, len(s.Shape))
		for i, d := range s.Shape {
			n *= d
			dims[i] = fmt.Sprint(d)
		}
		rows = append(rows, []string{s.Name(), s.Kind.String(), "[" + strings.Join(dims, " ") + "]", fmt.Sprint(n)})
	}
	return header, rows
}
