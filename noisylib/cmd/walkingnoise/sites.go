package main

import (
	"flag"
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

func runSites(args []string) error {
	fs := flag.NewFlagSet("sites", flag.ContinueOnError)
	modelName := fs.String("model", "lenet5-bn", "model variant, one of: "+fmt.Sprint(models.Names()))
	input := fs.String("input", "mnist", "input shape: mnist (28×28×1), cifar10 (32×32×3) or gsc2 (10×49×1)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in, ok := map[string]models.InputSpec{"mnist": models.MNIST, "fashion-mnist": models.MNIST,
		"cifar10": models.CIFAR10, "svhn": models.CIFAR10, "gsc2": models.GSC2}[*input]
	if !ok {
		return fmt.Errorf("unknown input %q: use mnist, cifar10 or gsc2", *input)
	}
	m, err := models.New(*modelName, in)
	if err != nil {
		return err
	}
	fmt.Printf("%s on %dx%dx%d: %d sites, %d parameters\n", m.Name, in.H, in.W, in.C, m.NumSites(), m.NumParams())
	for _, s := range m.Sites {
		fmt.Printf("  %-12s after %-9s per-example shape %v\n", s.Name(), s.Kind, s.Shape)
	}
	return nil
}
