package nbviz

import (
	"fmt"
	"html"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// InNotebook reports whether the program runs inside a GoNB notebook, where [Show], [Table] and
// [Progress] display HTML.
func InNotebook() bool { return inNotebook() }

// updateHTML replaces the HTML of display block id (GoNB creates the block on first use); tests replace it.
var updateHTML = gonbui.UpdateHTML

// progressInterval is the least time between two redraws of a progress bar.
const progressInterval = 500 * time.Millisecond

// Progress is a progress bar for notebooks: an HTML <progress> element with a label ("plan x: 12 of 40
// points, 8 s, about 19 s left"), drawn in one display block and updated in place (at most every
// progressInterval), so the saved notebook keeps no trail of intermediate states. Finish erases it: the
// caller prints the run's summary line. Outside a notebook it draws nothing. It satisfies walk.ProgressBar
// and is safe for concurrent use.
type Progress struct {
	mu          sync.Mutex
	id, name    string
	done, total int
	start, last time.Time
	now         func() time.Time
}

// NewProgress shows an empty progress bar named name for total steps.
func NewProgress(name string, total int) *Progress {
	p := &Progress{id: "progress_" + gonbui.UniqueID(), name: name, total: total, now: time.Now}
	p.start = p.now()
	p.draw()
	return p
}

// Add advances the bar by n steps; it redraws at most every progressInterval, and at the last step.
func (p *Progress) Add(n int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if t := p.now(); t.Sub(p.last) >= progressInterval || p.done >= p.total {
		p.draw()
	}
	return nil
}

// Finish erases the bar.
func (p *Progress) Finish() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if inNotebook() {
		updateHTML(p.id, "")
	}
	return nil
}

// draw shows the current state; p.mu is held (or p is not shared yet).
func (p *Progress) draw() {
	p.last = p.now()
	if inNotebook() {
		updateHTML(p.id, p.html())
	}
}

// html renders the bar and its label.
func (p *Progress) html() string {
	elapsed := p.last.Sub(p.start).Seconds()
	label := fmt.Sprintf("%s: %d of %d points, %.0f s", p.name, p.done, p.total, elapsed)
	if p.done > 0 && p.done < p.total {
		label += fmt.Sprintf(", about %.0f s left", elapsed/float64(p.done)*float64(p.total-p.done))
	}
	return fmt.Sprintf(`<div class="walkingnoise-progress"><progress value="%d" max="%d" style="width:16em;vertical-align:middle"></progress> <span style="font-family:monospace">%s</span></div>`,
		p.done, max(p.total, 1), html.EscapeString(label))
}
