// Package results stores the outcome of every point of a noise walk in one SQLite file, so that a sweep
// can be killed and resumed, split into shards over a SLURM job array, merged and exported.
//
//	st, err := results.Open("out/results.db")          // creates the file, its folder and the schema
//	ro, err := results.OpenExisting("out/results.db")  // read-only: fails if the store does not exist
//	if err != nil { ... }
//	defer st.Close()
//	hash, _ := results.HashConfig(point)                 // the point's key: sha256 of its canonical JSON
//	if ok, _ := st.Has(hash); !ok {
//		cfg, _ := json.Marshal(point)
//		_ = st.Put(results.Record{Hash: hash, Plan: "mnist-mlp", Config: cfg, Seed: 1,
//			Status: results.StatusDone, Accuracy: 97.8, Loss: 0.07})
//	}
//	recs, _ := st.List("mnist-mlp")                      // ordered by plan, creation time, hash
//	_ = st.ExportCSV(os.Stdout)                          // every plan (or ExportCSV(w, plan, …)), one CSV row per point
//	added, _ := st.ImportCSV(f)                          // an export read back, bit for bit, by Merge's rule
//	_ = st.PutPlan("mnist-mlp", 6, spec)                 // the plan's spec, kept by name (walk.Runner does it)
//	specs, _ := st.Plans("mnist-mlp")                    // most recently run first (walk.LoadPlan reads them)
//	_ = st.ExportDir("shipped")                          // shipped/points.csv and shipped/plans.csv; ImportDir reads them
//
// Sharding a walk: every point belongs to exactly one [Shard], chosen from its hash alone, so the
// shards agree whatever order the plan lists its points in:
//
//	sh, ok, err := results.ShardFromEnv()                // SLURM_ARRAY_TASK_ID and $WALKINGNOISE_ARRAY, or ParseShard("3/16")
//	mine := sh.Select(hashes)                            // the hashes this task computes
//	st, err := results.Open(sh.StorePath("out/results.db")) // out/results.shard-3-of-16.db
//	...
//	added, err := results.Merge("out/results.db", shardFiles...) // afterwards, once, anywhere
//
// A SLURM job array with any --array spec ("0-15", "1-31:2", "1,5,9", "0-99%8") runs one shard per task:
// [ParseArraySpec] reads the spec, [ShardOfTask] maps a task id to its shard, [ArrayShards] lists the
// shard files to merge; scripts/walk.sbatch and scripts/slurm-walk.sh use them through the CLI.
//
// The store is the database/sql interface over the embedded pure-Go driver modernc.org/sqlite, with a
// table "points" keyed by hash and a table "plans" of plan specs keyed by name, results version and spec hash
// ([PlanRecord]), so that a store can be read without re-deriving its plans. The file is in WAL journal mode with a busy timeout, so other processes
// (a notebook, the export command) can read while a sweep writes. Each [Store.Put] is one transaction:
// a process killed at any moment leaves every point it had stored intact and no partial row.
package results
