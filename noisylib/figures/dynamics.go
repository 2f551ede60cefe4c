package figures

import (
	"fmt"
	"math"
	"slices"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/dynamics"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/plots"
)

// sigmaName labels a training σ.
func sigmaName(r dynamics.Run) string {
	if r.Sigma == 0 {
		return "no noise"
	}
	return fmt.Sprintf("σ=%g", r.Sigma)
}

// WeightGrowth draws the RMS of one layer's weights after every epoch, one line per training σ.
func WeightGrowth(runs []dynamics.Run, op, title string) (*plots.Figure, error) {
	if err := oneSeed(runs); err != nil {
		return nil, err
	}
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
func LayerGrowth(runs []dynamics.Run, title string) (*plots.Figure, error) {
	if err := oneSeed(runs); err != nil {
		return nil, err
	}
	var ref *dynamics.Run
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
func SNRGain(runs []dynamics.Run, site int, title string) (*plots.Figure, error) {
	if err := oneSeed(runs); err != nil {
		return nil, err
	}
	var ref *dynamics.Run
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

// WeightHistograms draws the final weights of one layer as small multiples, one panel per run, each divided by
// its run's max|w| so that every panel spans [−1, 1] and two-peaked (binarized) shapes stand out (the runs'
// stored dynamics.WeightHistogram, dynamics.HistogramBins bins).
func WeightHistograms(runs []dynamics.Run, op, title string) (*plots.Figure, error) {
	h := plots.HistData{Options: plots.Options{Title: title, XLabel: op + " weight / max|w|", YLabel: "density"},
		SmallMultiples: true, Density: true, Min: -1, Max: 1, Bins: dynamics.HistogramBins}
	for _, r := range runs {
		wh, ok := r.Histogram(op)
		if !ok {
			return nil, fmt.Errorf("figures: run σ=%g has no weights of layer %q", r.Sigma, op)
		}
		g := plots.HistGroup{Name: sigmaName(r), Counts: make([]float64, len(wh.Counts))}
		for k, c := range wh.Counts {
			g.Counts[k] = float64(c)
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

// CodeEmergence draws one metric of the noise site's two-level code (e.g. the median on/off level ratio)
// at every recorded epoch, one line per training noise (runs grouped by their noise spec, in order of first
// appearance) at the mean over that noise's runs (seeds) with its 95% Student-t confidence band. The runs
// must have been recorded with study.DynamicsSpec.Code. logY draws the metric on a log axis, and then the
// line is the geometric mean and the band is computed in log10 (the metric must be positive and finite).
func CodeEmergence(runs []dynamics.Run, metric func(dynamics.CodeStats) float64, yLabel, title string, logY bool) (*plots.Figure, error) {
	l := plots.LineData{Options: plots.Options{Title: title, XLabel: "epoch", YLabel: yLabel}, Markers: true, LogY: logY}
	var seen []noise.Spec
	for _, r := range runs {
		if slices.Contains(seen, r.Spec) {
			continue
		}
		seen = append(seen, r.Spec)
		epochs, values, err := dynamics.CodeSeries(runs, r.Spec, metric)
		if err != nil {
			return nil, err
		}
		s := plots.Series{Name: r.Spec.String()}
		for k, v := range values {
			if logY { // average and bound in log10: the geometric mean and its band
				v = slices.Clone(v)
				for i := range v {
					if !(v[i] > 0) || math.IsInf(v[i], 1) {
						return nil, fmt.Errorf("figures: %s, epoch %d: value %g cannot be drawn on a log axis", r.Spec, epochs[k], v[i])
					}
					v[i] = math.Log10(v[i])
				}
			}
			iv, err := analysis.MeanCI(v, 0.95)
			if err != nil {
				return nil, fmt.Errorf("figures: %s, epoch %d: %w", r.Spec, epochs[k], err)
			}
			if logY {
				iv.Mean, iv.Lo, iv.Hi = math.Pow(10, iv.Mean), math.Pow(10, iv.Lo), math.Pow(10, iv.Hi)
			}
			addMean(&s, float64(epochs[k]), iv)
		}
		l.Series = append(l.Series, banded(s))
	}
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("figures: no runs to draw")
	}
	return plots.Lines(l)
}

// addMean appends a point at x with the mean of iv and, with two or more values, its interval as the band.
func addMean(s *plots.Series, x float64, iv analysis.Interval) {
	s.X, s.Y = append(s.X, x), append(s.Y, iv.Mean)
	if iv.N >= 2 {
		s.Low, s.High = append(s.Low, iv.Lo), append(s.High, iv.Hi)
	}
}

// banded returns s without its band unless every point has one (one repetition: no band).
func banded(s plots.Series) plots.Series {
	if len(s.Low) != len(s.X) {
		s.Low, s.High = nil, nil
	}
	return s
}

// oneSeed refuses runs of several seeds for the figures that draw one line or point per σ (and compare with the
// one noise-free run): their lines would interleave seeds and pair a run with another seed's reference.
func oneSeed(runs []dynamics.Run) error {
	if seeds := dynamics.Seeds(runs); len(seeds) > 1 {
		return fmt.Errorf("figures: runs of %d seeds %v: draw one seed (dynamics.OfSeed) and compare across seeds with dynamics.GrowthAt/SNRGainAt", len(seeds), seeds)
	}
	return nil
}
