package main

import (
	"flag"
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

func runSites(args []string) error {
	fs := flag.NewFlagSet("sites", flag.ContinueOnError)
	modelName := fs.String("model", "lenet5-bn", "model variant, one of: "+fmt.Sprint(models.Names()))
	input := fs.String("input", "mnist", "the data set whose input shape the model takes: mnist (28×28×1), fashion-mnist, cifar10 (32×32×3), svhn or gsc2 (10×49×1)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := walk.Setup{Model: *modelName, Data: *input}.NewModel()
	if err != nil {
		return err
	}
	fmt.Printf("%s on %dx%dx%d: %d sites, %d parameters\n", m.Name, m.Input.H, m.Input.W, m.Input.C, m.NumSites(), m.NumParams())
	for _, s := range m.Sites {
		fmt.Printf("  %-12s after %-9s per-example shape %v\n", s.Name(), s.Kind, s.Shape)
	}
	fmt.Printf("weight layers (walk -weights -sites):")
	for _, name := range m.WeightLayerNames() {
		fmt.Printf(" %s", name)
	}
	fmt.Println()
	return nil
}
