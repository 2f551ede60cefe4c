package noise

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	g "github.com/gomlx/gomlx/core/graph"
)

// Stacked applies the noise of several points (one Injector each) to a batch that holds one copy of the
// examples per point: point j owns rows [j·n, (j+1)·n) of the leading axis. Each point's rows get exactly
// the noise its own Injector would give them alone, so K noise levels can be evaluated in one pass.
type Stacked []*Injector

// Apply returns x after every point's noise operator of the given site; sites without active noise return
// x unchanged. It panics (GoMLX graph-building convention) if the leading axis is not a multiple of the
// number of points.
func (s Stacked) Apply(site int, x *g.Node) *g.Node {
	if !s.Active(site) {
		return x
	}
	if len(s) == 1 {
		return s[0].Apply(site, x)
	}
	rows := x.Shape().Dimensions[0]
	if rows%len(s) != 0 {
		panic(fmt.Sprintf("noise: %d rows cannot be split among %d stacked points", rows, len(s)))
	}
	n := rows / len(s)
	parts := make([]*g.Node, len(s))
	for j, inj := range s {
		parts[j] = inj.Apply(site, g.Slice(x, g.AxisRange(j*n, (j+1)*n)))
	}
	return g.Concatenate(parts, 0)
}

// Active reports whether any point's noise at the site is on.
func (s Stacked) Active(site int) bool {
	for _, inj := range s {
		if inj.Active(site) {
			return true
		}
	}
	return false
}

// ApplyShared is Apply for a value that all points share (e.g. the noise-free value at the first noisy site):
// x holds the examples once, and the result holds one noisy copy per point (rows [j·n, (j+1)·n) for point
// j), without first copying x once per point.
func (s Stacked) ApplyShared(site int, x *g.Node) *g.Node {
	parts := make([]*g.Node, len(s))
	for j, inj := range s {
		parts[j] = inj.Apply(site, x)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return g.Concatenate(parts, 0)
}

// RNG is a random-number state inside a graph (see graph.RNGStateFromSeed) that Normal draws from and
// advances, for graphs that carry one noise stream per point as inputs and outputs.
type RNG struct {
	// State is the current state; each Normal call replaces it by the advanced one.
	State *g.Node
}

// Normal draws standard normal values with PairedNormal (the same values StoreNormal draws from the same
// state) and advances State. It has the signature of a Normal.
func (r *RNG) Normal(_ *g.Graph, shape shapes.Shape) *g.Node {
	var v *g.Node
	r.State, v = PairedNormal(r.State, shape)
	return v
}

// SharedRNG gives several consumers the same draws: the i-th Normal call of every consumer returns the i-th
// draw of one RNG, so stacked points with the same seed draw their noise once instead of once each.
type SharedRNG struct {
	// RNG is the stream the draws come from.
	RNG
	draws []*g.Node
}

// Normal returns a new consumer: its i-th call returns the shared i-th draw. Consumers must ask for the same
// shapes in the same order (as copies of one model with the same noise structure do); it panics otherwise.
func (s *SharedRNG) Normal() Normal {
	i := 0
	return func(gr *g.Graph, shape shapes.Shape) *g.Node {
		if i == len(s.draws) {
			s.draws = append(s.draws, s.RNG.Normal(gr, shape))
		}
		v := s.draws[i]
		i++
		if !v.Shape().Equal(shape) {
			panic(fmt.Sprintf("noise: shared draw %d has shape %s, consumer asked for %s", i-1, v.Shape(), shape))
		}
		return v
	}
}
