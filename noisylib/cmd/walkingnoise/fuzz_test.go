package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// FuzzPlanFlags feeds arbitrary σ, site and ratio lists, plan kinds, model and data names, modes and noise
// types to the command line's plan builder: no input may panic, and a plan that builds has a sorted,
// duplicate-free σ grid. The seed corpus holds the command lines of issue 14.
func FuzzPlanFlags(f *testing.F) {
	for _, c := range [][8]string{
		// sigmas, sites, ratios, kind, model, data, modes, noise
		{"0.01,0.1,1,10,100", "all", "", "layerwise", "mlp-tfc-bn", "mnist", "inference", "add"},   // fault 1
		{"0,0.01,0.1,1,10,100", "all", "", "layerwise", "mlp-tfc-bn", "mnist", "inference", "add"}, // fault 1
		{"0.01,0.1,1,1,10,100", "all", "", "layerwise", "mlp-tfc-bn", "mnist", "inference", "add"}, // fault 2
		{"", "all", "", "layerwise", "lenet5", "mnist", "inference", "add"},                        // fault 6
		{"", "all", "", "mixed", "mlp-tfc-bn", "mnist", "inference", "add"},                        // fault 13
		{"", "all", "", "direct", "mlp-tfc-bn", "mnist", "inference", "add"},                       // fault 13
		{"", "all", "", "max", "mlp-tfc-bn", "mnist", "training", "mul"},                           // fault 13
		{"0.35", "all", "", "multiexec", "mlp-tfc-bn", "mnist", "inference", "add"},                // fault 13
		{"1e10", "3", "", "layerwise", "mlp-tfc-nobn", "mnist", "training", "mul"},                 // fault 12
		{"1e30", "0", "", "layerwise", "mlp-tfc-nobn", "mnist", "training", "add"},                 // fault 12
		{"-1,2", "99", "1.5", "global", "resnet", "imagenet", "sideways", "pink"},
		{"a,b", "0,,3", "0.5,NaN", "mixed", "mlp-tfc-bn", "cifar10", "inference,training", "combined"},
		{"1e300,Inf,-0", "0,0,0", "-Inf", "direct", "cnn-s-bn", "svhn", "clean", "mul"},
		{" 1 , 1.0 ,1e0", " 3", "0.01", "", "", "", "", ""},
	} {
		f.Add(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], false)
		f.Add(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], true)
	}
	f.Fuzz(func(t *testing.T, sigmas, sites, ratios, kind, model, data, modes, noiseType string, paper bool) {
		if len(sigmas)+len(sites)+len(ratios) > 512 {
			return // long grids are valid; their plans take long to expand
		}
		preset := "quick"
		if paper {
			preset = "paper"
		}
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var pf planFlags
		pf.register(fs)
		args := []string{"-preset", preset, "-sigmas", sigmas, "-sites", sites, "-ratios", ratios, "-kind", kind,
			"-model", model, "-data", data, "-mode", modes, "-noise", noiseType}
		if kind == "multiexec" {
			args = append(args, "-site-midpoints", "1,2,3,4,5,6,7,8,9,10,11")
		}
		if err := fs.Parse(args); err != nil {
			return
		}
		plan, err := pf.build(fs)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		for i := 1; i < len(plan.Spec.Sigmas); i++ {
			if !(plan.Spec.Sigmas[i] > plan.Spec.Sigmas[i-1]) {
				t.Fatalf("σ grid %v from %q is not a sorted set", plan.Spec.Sigmas, sigmas)
			}
		}
	})
}
