package noise

import (
	"fmt"
	"sort"
)

// Config assigns a Spec to every site of a model: Default, unless Sites has an entry for the site index.
// The zero Config means no noise anywhere.
type Config struct {
	// Default is the Spec of every site without an override.
	Default Spec `json:"default"`
	// Sites holds per-site overrides, keyed by site index (0 = input, last = logits).
	Sites map[int]Spec `json:"sites,omitempty"`
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
	if err := c.Default.Validate(); err != nil {
		return nil, fmt.Errorf("noise config, default: %w", err)
	}
	specs := make([]Spec, numSites)
	for i := range specs {
		specs[i] = c.Default
		if s, ok := c.Sites[i]; ok {
			if err := s.Validate(); err != nil {
				return nil, fmt.Errorf("noise config, site %d: %w", i, err)
			}
			specs[i] = s
		}
	}
	return specs, nil
}

// String describes the config, e.g. "site 3: add σ=0.5" or "all sites: mul σ=0.1".
func (c Config) String() string {
	if len(c.Sites) == 0 {
		if c.Default.Type == None {
			return "no noise"
		}
		return "all sites: " + c.Default.String()
	}
	keys := make([]int, 0, len(c.Sites))
	for k := range c.Sites {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	s := ""
	if c.Default.Type != None {
		s = "default: " + c.Default.String() + "; "
	}
	for i, k := range keys {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("site %d: %s", k, c.Sites[k])
	}
	return s
}
