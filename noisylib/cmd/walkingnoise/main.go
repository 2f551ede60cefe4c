// Command walkingnoise trains the Walking Noise models with noise at chosen sites, and runs, shards, merges
// and summarises noise walks.
//
//	walkingnoise sites -model lenet5-bn
//	walkingnoise train -model mlp-tfc-bn -data mnist -epochs 1 -noise add -sigma 0.5 -site 3
//	walkingnoise walk -preset quick -model mlp-tfc-bn -data mnist -mode inference
//	walkingnoise walk -preset paper -shard 3/16 ...   # or inside a SLURM job array (scripts/walk.sbatch)
//	walkingnoise experiments                          # the paper's experiments by name
//	walkingnoise walk -experiment gsc2/cnn-s-bn/layerwise-add -preset paper -shard 0/64
//	walkingnoise midpoints -plan-name layerwise-mlp-tfc-bn-mnist-add-e1   # a plan stored in the store, by name
//	walkingnoise merge out/results.db out/results.shard-*.db
//	walkingnoise merge -array 1,5,9 out/results.db    # the shards of sbatch --array=1,5,9
//	walkingnoise export -store out/results.db -out notebooks/results/standard   # points.csv and plans.csv
//	walkingnoise import -store out/results.db notebooks/results/standard
//	walkingnoise verify -store out/results.db -n 3    # recompute 3 random points, compare
//	walkingnoise backfill -store out/results.db -plan-name P   # KL for points stored before it was measured
//
// Run `walkingnoise help` for every subcommand. The pure-Go GoMLX backend is used unless GOMLX_BACKEND
// says otherwise; the data folder is $WALKINGNOISE_DATA or the repository's data/ folder.
// $WALKINGNOISE_CPUPROFILE=file writes a CPU profile of the command to file (go tool pprof).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type command struct {
	summary string
	run     func(args []string) error
}

var commands = map[string]command{
	"sites":       {"list a model's noise sites", runSites},
	"train":       {"train a model with noise and report clean/noisy accuracy and img/s", runTrain},
	"walk":        {"run (or resume) a noise walk plan, optionally one shard of it, and print midpoints", runWalk},
	"midpoints":   {"print the per-site midpoint noise levels of a plan already in the store", runMidpoints},
	"merge":       {"merge shard store files (or those of a SLURM job array, -array SPEC) into one store", runMerge},
	"shards":      {"show which shard and store file each task of a SLURM job-array spec runs", runShards},
	"export":      {"export a store (or some plans) as CSV, to a file or a folder that `import` reads", runExport},
	"import":      {"import exported CSV points (e.g. shipped results) into a store", runImport},
	"backfill":    {"give stored inference points the KL sensitivity they lack (recomputed; stored only when bit-identical)", runBackfill},
	"verify":      {"recompute randomly chosen stored points and compare them with the stored values", runVerify},
	"list":        {"list the plans in a store with their point counts", runList},
	"report":      {"rank a layer-wise plan's sites by sensitivity (midpoints, CIs), with a multi-execution repetition map", runReport},
	"experiments": {"list every experiment of the paper by name, with its points and estimated CPU time", runExperiments},
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: walkingnoise <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun `walkingnoise <command> -h` for its flags.")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "walkingnoise: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	stop, err := startProfile(os.Getenv("WALKINGNOISE_CPUPROFILE"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "walkingnoise: %v\n", err)
		os.Exit(1)
	}
	err = cmd.run(os.Args[2:])
	stop()
	if errors.Is(err, flag.ErrHelp) { // -h or -help: the flag set has printed the flags.
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "walkingnoise %s: %v\n", os.Args[1], strings.TrimSpace(err.Error()))
		os.Exit(1)
	}
}

// parseFlags parses a subcommand's flags and refuses arguments left after them: the flag package stops at the
// first non-flag argument, so `walk mlp-tfc-bn -sigmas 1` would otherwise silently ignore every flag after
// the stray word.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags after it were not read): every option is a -flag; see `walkingnoise %s -h`",
			fs.Arg(0), fs.Name())
	}
	return nil
}
