package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/walkingnoise/walkingnoise/noisylib/results"
)

// runShards prints, for a SLURM job-array spec, which shard every task runs and the store file it writes.
func runShards(args []string) error {
	fset := flag.NewFlagSet("shards", flag.ContinueOnError)
	array := fset.String("array", "", "SLURM job-array spec as given to sbatch --array, e.g. 0-15, 1-31:2, 1,5,9, 0-99%8")
	store := fset.String("store", "out/results.db", "results store the shards are merged into")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *array == "" || fset.NArg() > 0 {
		return fmt.Errorf("usage: walkingnoise shards -array SPEC [-store out/results.db]")
	}
	ids, paths, err := results.ArrayShards(*array, *store)
	if err != nil {
		return err
	}
	fmt.Println("task\tshard\tstore")
	for i, id := range ids {
		fmt.Printf("%d\t%d/%d\t%s\n", id, i, len(ids), paths[i])
	}
	return nil
}

// arraySources returns the shard stores of the job array spec next to dest, all of which must exist.
// With a one-task array dest itself is the whole walk and there is nothing to merge (nil, nil).
func arraySources(spec, dest string) ([]string, error) {
	ids, paths, err := results.ArrayShards(spec, dest)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		return nil, nil
	}
	var missing []string
	var tasks []string
	for i, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, fmt.Sprintf("task %d (shard %d/%d, %s)", ids[i], i, len(ids), p))
			tasks = append(tasks, strconv.Itoa(ids[i]))
		} else if err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("array %s: %d of %d tasks left no store: %s; resubmit them with %s=%s "+
			"(bash scripts/slurm-walk.sh --array %s --only %s WALK-FLAGS…) and merge again",
			spec, len(missing), len(ids), strings.Join(missing, ", "), results.ArrayEnv, spec, spec, strings.Join(tasks, ","))
	}
	return paths, nil
}
