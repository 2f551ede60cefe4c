package noise

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	g "github.com/gomlx/gomlx/core/graph"
)

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
