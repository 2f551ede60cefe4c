package noise

import (
	"fmt"
	"sort"
	"strings"
)

// Config assigns a Spec to every site of a model: Default, unless Sites has an entry for the site index.
// The zero Config means no noise anywhere.
type Config struct {
	// Default is the Spec of every site without an override.
	Default Spec `json:"default"`
	// Sites holds per-site overrides, keyed by site index (0 = input, last = logits).
	Sites map[int]Spec `json:"sites,omitempty"`
	// Weights holds the noise on the weights of Linear and Conv layers, keyed by weight-layer index (0 = the
	// model's first Linear/Conv layer; see models.Model.WeightLayers). Default does not apply to weights.
	Weights map[int]Spec `json:"weights,omitempty"`
}

// Global returns a Config with the same Spec at every site.
func Global(s Spec) Config { return Config{Default: s} }

// At returns a Config with Spec s at one site and no noise elsewhere: one step of the walk.
func At(site int, s Spec) Config { return Config{Sites: map[int]Spec{site: s}} }

// With returns a copy of c with an override for one site.
func (c Config) With(site int, s Spec) Config {
	sites := make(map[int]Spec, len(c.Sites)+1)
	for k, v := range c.Sites {
		sites[k] = v
	}
	sites[site] = s
	c.Sites = sites
	return c
}

// Resolve returns one validated Spec per site for a model with numSites sites. An override for a site the
// model does not have is an error that names the valid range.
func (c Config) Resolve(numSites int) ([]Spec, error) {
	if numSites <= 0 {
		return nil, fmt.Errorf("noise config: a model must have at least one site, got %d", numSites)
	}
	keys := make([]int, 0, len(c.Sites))
	for k := range c.Sites {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		if k < 0 || k >= numSites {
			return nil, fmt.Errorf("noise config: site index %d out of range: the model has sites 0..%d", k, numSites-1)
		}
	}
	if err := c.Default.validateSite(); err != nil {
		return nil, fmt.Errorf("noise config, default: %w", err)
	}
	specs := make([]Spec, numSites)
	for i := range specs {
		specs[i] = c.Default
		if s, ok := c.Sites[i]; ok {
			if err := s.validateSite(); err != nil {
				return nil, fmt.Errorf("noise config, site %d: %w", i, err)
			}
			specs[i] = s
		}
	}
	return specs, nil
}

// validateSite validates a Spec that is about to run: valid, in absolute σ, and not static (static draws are
// for weights).
func (s Spec) validateSite() error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Unit != Absolute {
		return fmt.Errorf("noise %s: σ is in unit %s: convert it to absolute σ with Config.Absolute and the clean "+
			"model's site statistics first (walk does this for its points)", s.Type, s.Unit)
	}
	if s.Static {
		return fmt.Errorf("noise %s: static noise (one draw per model) is for weight noise only: put the Spec in Config.Weights", s.Type)
	}
	return nil
}

// String describes the config, e.g. "site 3: add σ=0.5", "all sites: mul σ=0.1" or "weights 1: add σ=0.01
// static".
func (c Config) String() string {
	if len(c.Sites) == 0 && len(c.Weights) == 0 {
		if c.Default.Type == None {
			return "no noise"
		}
		return "all sites: " + c.Default.String()
	}
	var parts []string
	if c.Default.Type != None {
		parts = append(parts, "default: "+c.Default.String())
	}
	for _, k := range sortedKeys(c.Sites) {
		parts = append(parts, fmt.Sprintf("site %d: %s", k, c.Sites[k]))
	}
	for _, k := range sortedKeys(c.Weights) {
		parts = append(parts, fmt.Sprintf("weights %d: %s", k, c.Weights[k]))
	}
	return strings.Join(parts, "; ")
}

func sortedKeys(m map[int]Spec) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
