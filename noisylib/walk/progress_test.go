package walk

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// countingBar is a ProgressBar that records what the runner tells it.
type countingBar struct {
	name         string
	total, added int
	finished     int
}

func (b *countingBar) Add(n int) error { b.added += n; return nil }
func (b *countingBar) Finish() error   { b.finished++; return nil }

// TestRunProgressBar runs a tiny plan with a custom progress bar (as notebooks get an HTML one): the bar
// hears of every point and is finished once, and the log holds one summary line naming the plan and no
// terminal-bar residue.
func TestRunProgressBar(t *testing.T) {
	needMNIST(t)
	r, _ := newRunner(t)
	var log bytes.Buffer
	var bar *countingBar
	r.Progress = &log
	r.NewBar = func(name string, total int) ProgressBar {
		bar = &countingBar{name: name, total: total}
		return bar
	}
	p, err := Build(PlanSpec{Setup: Setup{Model: "mlp-tfc-bn", Data: "mnist", Epochs: 1, TrainN: 2000, TestN: 500},
		Noise: noise.Additive, Sites: []int{0}, Sigmas: []float64{0.1, 10}, Reps: 1, BaseSeed: 1,
		Modes: []Mode{Inference}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(p); err != nil {
		t.Fatal(err)
	}
	if bar == nil || bar.name != p.Name || bar.total != len(p.Points) || bar.added != len(p.Points) || bar.finished != 1 {
		t.Fatalf("bar %+v, want name %q, total and added %d, finished once", bar, p.Name, len(p.Points))
	}
	out := log.String()
	if n := strings.Count(out, "points planned"); n != 1 || !strings.Contains(out, fmt.Sprintf("plan %s: %d points planned", p.Name, len(p.Points))) {
		t.Errorf("log has %d summary lines, want one naming the plan:\n%s", n, out)
	}
	if strings.ContainsAny(out, "\r\x1b") {
		t.Errorf("log holds terminal progress residue: %q", out)
	}
}
