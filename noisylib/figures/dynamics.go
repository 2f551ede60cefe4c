package figures

import (
	"fmt"
	"math"

	"github.com/walkingnoise/walkingnoise/noisylib/plots"
	"github.com/walkingnoise/walkingnoise/noisylib/study"
)

// sigmaName labels a training σ.
func sigmaName(r study.DynamicsRun) string {
	if r.Sigma == 0 {
		return "no noise"
	}
	return fmt.Sprintf("σ=%g", r.Sigma)
}

// WeightGrowth draws the RMS of one layer's weights after every epoch, one line per training σ.
func WeightGrowth(runs []study.DynamicsRun, op, title string) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "epoch", YLabel: "RMS of " + op + " weights"},
		Markers: true}
	for _, r := range runs {
		s := plots.Series{Name: sigmaName(r)}
		for _, e := range r.Epochs {
			for _, ls := range e.Layers {
				if ls.Op == op {
					s.X = append(s.X, float64(e.Epoch))
					s.Y = append(s.Y, ls.RMS)
				}
			}
		}
		if len(s.X) == 0 {
			return nil, fmt.Errorf("figures: run σ=%g has no layer %q", r.Sigma, op)
		}
		l.Series = append(l.Series, s)
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no runs to draw")
	}
	return plots.Lines(l)
}

// LayerGrowth draws, per layer, the final weight RMS divided by that of the noise-free run (which must be
// among runs, σ = 0) against the training σ of the other runs (log σ axis).
func LayerGrowth(runs []study.DynamicsRun, title string) (*plots.Figure, error) {
	var ref *study.DynamicsRun
	for i := range runs {
		if runs[i].Sigma == 0 {
			ref = &runs[i]
		}
	}
	if ref == nil {
		return nil, fmt.Errorf("figures: LayerGrowth needs the noise-free run (σ = 0) as reference")
	}
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "training σ", YLabel: "weight RMS / noise-free RMS"},
		Markers: true, HLines: []float64{1}}
	for i, base := range ref.Final().Layers {
		s := plots.Series{Name: base.Op}
		for _, r := range runs {
			if r.Sigma == 0 {
				continue
			}
			layers := r.Final().Layers
			if i >= len(layers) || layers[i].Op != base.Op {
				return nil, fmt.Errorf("figures: run σ=%g lacks layer %s", r.Sigma, base.Op)
			}
			s.X = append(s.X, r.Sigma)
			s.Y = append(s.Y, layers[i].RMS/base.RMS)
		}
		if len(s.X) == 0 {
			return nil, fmt.Errorf("figures: LayerGrowth needs runs with σ > 0")
		}
		l.Series = append(l.Series, s)
	}
	if len(l.Series) == 1 { // no legend for one series: name the layer on the axis
		l.YLabel = "weight RMS of " + l.Series[0].Name + " / noise-free RMS"
	}
	l.LogX = spansRange(l.Series[0].X)
	return plots.Lines(l)
}

// SNRGain draws the signal-to-noise ratio (dB) at the noise site against the training σ: for each noisy
// run, the SNR of its own clean signal at its σ, and the SNR the noise-free run's signal would have at the
// same σ. The gap is what noisy training bought by scaling the signal up.
func SNRGain(runs []study.DynamicsRun, site int, title string) (*plots.Figure, error) {
	var ref *study.DynamicsRun
	for i := range runs {
		if runs[i].Sigma == 0 {
			ref = &runs[i]
		}
	}
	if ref == nil || len(ref.Final().Sites) <= site || site < 0 {
		return nil, fmt.Errorf("figures: SNRGain needs the noise-free run with statistics at site %d", site)
	}
	trained := plots.Series{Name: "trained with that σ"}
	clean := plots.Series{Name: "noise-free model"}
	for _, r := range runs {
		if r.Sigma == 0 {
			continue
		}
		st := r.Final().Sites
		if len(st) <= site {
			return nil, fmt.Errorf("figures: run σ=%g has no statistics at site %d", r.Sigma, site)
		}
		trained.X, clean.X = append(trained.X, r.Sigma), append(clean.X, r.Sigma)
		trained.Y = append(trained.Y, st[site].SNRdB(r.Spec))
		clean.Y = append(clean.Y, ref.Final().Sites[site].SNRdB(r.Spec))
	}
	if len(trained.X) == 0 {
		return nil, fmt.Errorf("figures: SNRGain needs runs with σ > 0")
	}
	return plots.Lines(plots.LineData{Options: plots.Options{Title: title, XLabel: "training σ",
		YLabel: "SNR at the site (dB)"}, LogX: spansRange(trained.X), Markers: true, HLines: []float64{0},
		Series: []plots.Series{trained, clean}})
}

// WeightHistograms draws the weights of one layer as small multiples, one panel per run, each divided by
// its run's max|w| so that every panel spans [−1, 1] and two-peaked (binarized) shapes stand out.
func WeightHistograms(runs []study.DynamicsRun, op, title string) (*plots.Figure, error) {
	h := plots.HistData{Options: plots.Options{Title: title, XLabel: op + " weight / max|w|", YLabel: "density"},
		SmallMultiples: true, Density: true, Min: -1, Max: 1, Bins: 41}
	for _, r := range runs {
		var vals []float32
		for _, w := range r.Weights {
			if w.Op == op {
				vals = w.Values
			}
		}
		if len(vals) == 0 {
			return nil, fmt.Errorf("figures: run σ=%g has no weights of layer %q", r.Sigma, op)
		}
		var mx float64
		for _, v := range vals {
			mx = math.Max(mx, math.Abs(float64(v)))
		}
		if mx == 0 {
			mx = 1
		}
		g := plots.HistGroup{Name: sigmaName(r), Values: make([]float64, len(vals))}
		for i, v := range vals {
			g.Values[i] = float64(v) / mx
		}
		h.Groups = append(h.Groups, g)
	}
	if len(h.Groups) == 0 {
		return nil, fmt.Errorf("figures: no runs to draw")
	}
	return plots.Histograms(h)
}

// spansRange reports whether xs holds two different values, so that a log axis has a range to span
// (plots' log ticks need a positive, non-degenerate range).
func spansRange(xs []float64) bool {
	for _, x := range xs {
		if x != xs[0] {
			return true
		}
	}
	return false
}
