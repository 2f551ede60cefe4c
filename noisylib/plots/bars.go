package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarData is the input of [Bars]: one value per site for each of several groups.
type BarData struct {
	Options
	// Sites names the bar positions along the x axis, left to right.
	Sites []string
	// Groups are drawn side by side at every site, in order, each in its own colour.
	Groups []BarGroup
	// Baseline is the value bars start from (default 0); values below it are drawn downwards.
	Baseline float64
}

// BarGroup is one series of bars, e.g. the log10 midpoints of "inference-only" runs.
type BarGroup struct {
	// Name labels the group in the legend; empty for no legend entry.
	Name string
	// Values holds one value per site; NaN leaves the position empty.
	Values []float64
	// Low and High, when not nil, are absolute interval bounds per site (for example a 95 %
	// confidence interval), drawn as error bars; NaN skips one site. Low must not exceed High.
	Low, High []float64
	// Censor, when not nil, marks bounds per site: such bars are hatched and annotated ">"
	// (true value above) or "<" (true value below).
	Censor []Censoring
}

// validate checks the shapes and values of b.
func (b BarData) validate() error {
	if len(b.Sites) == 0 || len(b.Groups) == 0 {
		return fmt.Errorf("bars: %w: %d sites, %d groups", errEmpty, len(b.Sites), len(b.Groups))
	}
	if math.IsNaN(b.Baseline) || math.IsInf(b.Baseline, 0) {
		return fmt.Errorf("bars: Baseline = %v is not finite", b.Baseline)
	}
	n := len(b.Sites)
	for g, gr := range b.Groups {
		where := fmt.Sprintf("bars: Groups[%d] (%q)", g, gr.Name)
		if err := checkLen("Values", len(gr.Values), n); err != nil {
			return fmt.Errorf("%s: %w (one value per site)", where, err)
		}
		if (gr.Low == nil) != (gr.High == nil) {
			return fmt.Errorf("%s: Low and High must be given together", where)
		}
		if gr.Low != nil {
			if err := checkLen("Low", len(gr.Low), n); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if err := checkLen("High", len(gr.High), n); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		if gr.Censor != nil {
			if err := checkLen("Censor", len(gr.Censor), n); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		for i, v := range gr.Values {
			if math.IsInf(v, 0) {
				return fmt.Errorf("%s: Values[%d] = %v is not finite", where, i, v)
			}
			if gr.Low != nil {
				lo, hi := gr.Low[i], gr.High[i]
				if math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi || math.IsNaN(lo) != math.IsNaN(hi) {
					return fmt.Errorf("%s: interval [Low, High][%d] = [%v, %v] must be finite with Low ≤ High (or both NaN)",
						where, i, lo, hi)
				}
			}
			if gr.Censor != nil && !gr.Censor[i].valid() {
				return fmt.Errorf("%s: Censor[%d] = %d is not a Censoring value", where, i, gr.Censor[i])
			}
		}
	}
	return nil
}

// Bars draws a grouped bar chart: at each site one bar per group, side by side, with optional
// interval bars. Censored bars are hatched and annotated with ">" or "<"; when any bar is censored
// the legend gains a "censored (bound)" entry. Site names are rotated when they would not fit
// horizontally.
func Bars(b BarData) (*Figure, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	w, _, err := b.size(DefaultWidth, DefaultHeight)
	if err != nil {
		return nil, fmt.Errorf("bars: %w", err)
	}
	p := newPlot(b.Options, "", "")
	bp := barsPlot{groups: b.Groups, n: len(b.Sites), base: b.Baseline}
	p.Add(bp)
	p.X.Min, p.X.Max = -0.5, float64(len(b.Sites))-0.5
	p.X.Padding = 0
	ticks := make(plot.ConstantTicks, len(b.Sites))
	widest := vg.Length(0)
	for i, s := range b.Sites {
		ticks[i] = plot.Tick{Value: float64(i), Label: s}
		widest = max(widest, p.X.Tick.Label.Width(s))
	}
	p.X.Tick.Marker = ticks
	// Sites are categories: no tick marks. Names wider than their slot are rotated by 45°, hanging from
	// their slot's centre (top right corner at the axis), so they neither overlap nor cross the axis.
	p.X.Tick.Length = 0
	if widest+vg.Points(4) > 0.6*w/vg.Length(len(b.Sites)) {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YTop
	}
	leg := newSideLegend()
	censored := false
	for g, gr := range b.Groups {
		leg.add(gr.Name, swatch{fill: SeriesColor(g)})
		for _, c := range gr.Censor {
			censored = censored || c != Uncensored
		}
	}
	if censored {
		leg.addNote("censored (bound)", swatch{fill: white, hatch: true})
	}
	fig, err := chart(b.Options, DefaultWidth, DefaultHeight, p, leg)
	if err != nil {
		return nil, fmt.Errorf("bars: %w", err)
	}
	return fig, nil
}
