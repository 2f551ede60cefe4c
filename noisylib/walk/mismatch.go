package walk

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/train"
)

// A mismatch plan (Kind Mismatch) trains a model with noise of σ_a (PlanSpec.Sigmas) at one site, or at
// every site (site −1), and evaluates it with σ_b (PlanSpec.EvalSigmas) at the same site(s): one training per
// repetition, site and σ_a, evaluated at every σ_b (Point.Eval). Its diagonal σ_b = σ_a is the noisy-training
// point of a layer-wise (or, at site −1, global) walk of the same setup and seed, bit for bit: the same training,
// evaluated with the same noise from the same noise stream.

// checkMismatch checks the fields of a mismatch plan: explicit sites (−1 for global noise), add or mul noise,
// an evaluation grid, and modes training (and clean) only.
func checkMismatch(spec PlanSpec) error {
	switch {
	case len(spec.Sites) == 0:
		return fmt.Errorf("plan: a mismatch plan needs its sites: one or more site indices, or -1 for the same noise at every site")
	case spec.Noise != noise.Additive && spec.Noise != noise.Multiplicative:
		return fmt.Errorf("plan: a mismatch plan walks add or mul noise, got %s", spec.Noise)
	case len(spec.EvalSigmas) == 0:
		return fmt.Errorf("plan: a mismatch plan needs eval_sigmas, the evaluation σ grid (σ_b)")
	}
	for _, m := range spec.Modes {
		if m != Training && m != Clean {
			return fmt.Errorf("plan: a mismatch plan trains with noise: its modes are training (and clean), got %s", m)
		}
	}
	return nil
}

// mismatchEval is one evaluation noise of a mismatch plan.
type mismatchEval struct {
	sigma float64
	cfg   noise.Config
}

// mismatchEvals returns the evaluation noise of every σ_b of a mismatch plan at site (−1: every site), built
// as the plan's training noise is.
func mismatchEvals(spec PlanSpec, site int) []mismatchEval {
	out := make([]mismatchEval, len(spec.EvalSigmas))
	for i, sb := range spec.EvalSigmas {
		s := noise.Add(sb)
		if spec.Noise == noise.Multiplicative {
			s = noise.Mul(sb)
		}
		cfg := noise.Global(s)
		if site >= 0 {
			cfg = noise.At(site, s)
		}
		out[i] = mismatchEval{sigma: sb, cfg: cfg}
	}
	return out
}

// runMismatch trains the trained point shared by the group of mismatch points (same Point.trained) once, as
// runPoint trains a training point, evaluates the model with every point's evaluation noise from the noise
// stream the training left (as Fit's own evaluation does), and passes each record to put. shared tells whether
// other trainings run at the same time (see trainBackend).
func (r *Runner) runMismatch(pts []Point, hashes []string, group []int, put func(...results.Record) error, shared bool) error {
	first := pts[group[0]]
	start := time.Now()
	trainSet, testSet, mdl, err := r.setup(first.Setup)
	if err != nil {
		return err
	}
	res, err := train.Fit(r.trainBackend(first.Noise, mdl, shared), mdl, trainSet, testSet, r.options(first, first.Noise))
	if err != nil {
		return fmt.Errorf("point %s: %w", first, err)
	}
	t := res.Trainer
	acc, loss := make([]float64, len(group)), make([]float64, len(group))
	for j, i := range group {
		if err := t.SetNoise(*pts[i].Eval); err != nil {
			return fmt.Errorf("point %s: %w", pts[i], err)
		}
		if acc[j], loss[j], err = t.Evaluate(testSet, 0); err != nil {
			return fmt.Errorf("point %s: %w", pts[i], err)
		}
	}
	per := time.Since(start).Seconds() / float64(len(group))
	for j, i := range group { // validation reseeds the noise stream: after every test evaluation
		m := Metrics{CleanAcc: res.CleanAcc, TrainSeconds: res.TrainSeconds, ImgPerSec: res.ImgPerSec,
			Diverged: res.Diverged, Epochs: res.Epochs, Warning: res.Warning}
		if err := t.SetNoise(*pts[i].Eval); err != nil {
			return err
		}
		if m.ValAcc, err = r.validationAcc(pts[i], hashes[i], t); err != nil {
			return err
		}
		rec, err := r.record(pts[i], hashes[i], acc[j], loss[j], res.Diverged, per, trainSet.NumClasses, m)
		if err != nil {
			return err
		}
		if err := put(rec); err != nil {
			return err
		}
	}
	return nil
}

// MismatchMap is the accuracy of a mismatch plan at one site: trained at σ_a, evaluated at σ_b.
type MismatchMap struct {
	// Site is the site index (−1: every site) and Name its readable name, e.g. "4:fc2" or "global".
	Site int
	Name string
	// TrainSigmas (σ_a, rows) and EvalSigmas (σ_b, columns) are the plan's grids, increasing.
	TrainSigmas, EvalSigmas []float64
	// Acc[i][j] is the mean accuracy (%) over the stored repetitions at TrainSigmas[i], EvalSigmas[j] (NaN where
	// none is stored), and PerRep[i][j] the accuracy of every repetition r at Rep[r] (NaN where missing).
	Acc    [][]float64
	PerRep [][][]float64
	// Reps are the repetition indices of PerRep's last axis, increasing.
	Reps []int
	// AMax is the plan's clean accuracy (mean over its clean repetitions) and AMin chance.
	AMax, AMin float64
	// Grid is the plan's spacing (PlanSpec.Spacing): on a log grid σ = 0 is a baseline, not a grid point.
	Grid analysis.Grid
}

// MismatchMaps reads the stored results of a mismatch plan: one σ_a × σ_b map per site, sorted by site.
func MismatchMaps(st *results.Store, plan *Plan) ([]MismatchMap, error) {
	obs, aMax, aMin, err := read("MismatchMaps", st, plan, Mismatch)
	if err != nil {
		return nil, err
	}
	grid, err := plan.Spec.Grid()
	if err != nil {
		return nil, err
	}
	type cell struct {
		site, rep int
		a, b      float64
	}
	accs := map[cell]float64{}
	var sites, reps []int
	for _, o := range obs {
		if o.Mode == Clean || o.Eval == nil {
			continue
		}
		accs[cell{o.Site, o.Rep, o.X, o.Y}] = o.Accuracy
		sites, reps = append(sites, o.Site), append(reps, o.Rep)
	}
	slices.Sort(sites)
	slices.Sort(reps)
	sites, reps = slices.Compact(sites), slices.Compact(reps)
	var out []MismatchMap
	for _, site := range sites {
		m := MismatchMap{Site: site, Name: siteName(plan, site), TrainSigmas: plan.Spec.Sigmas, EvalSigmas: plan.Spec.EvalSigmas,
			Reps: reps, AMax: aMax, AMin: aMin, Grid: grid}
		if site < 0 {
			m.Name = "global"
		}
		for _, a := range m.TrainSigmas {
			row, perRow := make([]float64, len(m.EvalSigmas)), make([][]float64, len(m.EvalSigmas))
			for j, b := range m.EvalSigmas {
				var sum float64
				n := 0
				perRow[j] = make([]float64, len(reps))
				for r, rep := range reps {
					v, ok := accs[cell{site, rep, a, b}]
					if !ok {
						v = math.NaN()
					} else {
						sum += v
						n++
					}
					perRow[j][r] = v
				}
				row[j] = math.NaN()
				if n > 0 {
					row[j] = sum / float64(n)
				}
			}
			m.Acc, m.PerRep = append(m.Acc, row), append(m.PerRep, perRow)
		}
		out = append(out, m)
	}
	return out, nil
}

// Row returns the index of training σ sigmaA in the map's rows, and false if the map has no such row.
func (m MismatchMap) Row(sigmaA float64) (int, bool) {
	i := slices.Index(m.TrainSigmas, sigmaA)
	return i, i >= 0
}

// WindowAccuracy returns, for every repetition (in Reps order), the mean accuracy (%) of the model trained at
// σ_a over the evaluation σ_b in [lo, hi]: how well one training tolerates a range of deployment noise. It fails
// when the map has no row σ_a, no σ_b in the window, or a missing value in it.
func WindowAccuracy(m MismatchMap, sigmaA, lo, hi float64) ([]float64, error) {
	if _, ok := m.Row(sigmaA); !ok {
		return nil, fmt.Errorf("walk: mismatch map of site %s has no training σ_a = %g (rows %v)", m.Name, sigmaA, m.TrainSigmas)
	}
	out := make([]float64, len(m.Reps))
	n := 0
	for _, sb := range m.EvalSigmas {
		if sb < lo || sb > hi {
			continue
		}
		cell, err := m.Cell(sigmaA, sb)
		if err != nil {
			return nil, err
		}
		n++
		for r, a := range cell {
			out[r] += a
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("walk: mismatch map of site %s has no evaluation σ_b in [%g, %g] (grid %v)", m.Name, lo, hi, m.EvalSigmas)
	}
	for r := range out {
		out[r] /= float64(n)
	}
	return out, nil
}

// Cell returns the accuracy (%) of every repetition (in Reps order) trained at σ_a and evaluated at σ_b. It
// fails when the map has no such row or column, or a repetition is missing there.
func (m MismatchMap) Cell(sigmaA, sigmaB float64) ([]float64, error) {
	i, ok := m.Row(sigmaA)
	j := slices.Index(m.EvalSigmas, sigmaB)
	if !ok || j < 0 {
		return nil, fmt.Errorf("walk: mismatch map of site %s has no cell σ_a = %g, σ_b = %g (σ_a %v, σ_b %v)", m.Name, sigmaA, sigmaB, m.TrainSigmas, m.EvalSigmas)
	}
	for r, a := range m.PerRep[i][j] {
		if math.IsNaN(a) {
			return nil, fmt.Errorf("walk: mismatch map of site %s: σ_a = %g, σ_b = %g, repetition %d is not stored", m.Name, sigmaA, sigmaB, m.Reps[r])
		}
	}
	return m.PerRep[i][j], nil
}
