#!/usr/bin/env bash
# slurm-walk.sh — submit a Walking Noise walk to SLURM: one job array (scripts/walk.sbatch, one shard per
# task) and a merge job that runs when every task succeeded (scripts/walk-merge.sbatch: merge + CSV).
#
#   bash scripts/slurm-walk.sh [--array SPEC] [--only IDS] [--sbatch OPTION]... [--] WALK-FLAGS...
#
#   --array SPEC     the job-array spec of the whole walk (default 0-15): 0-15, 1-31:2, 1,5,9, 0-99%8 …;
#                    one shard per task id
#   --only IDS       submit only these task ids of SPEC (e.g. 4 or 3,7): resubmits failed or cancelled
#                    tasks; they run the same shards as before and finish only what is missing
#   --sbatch OPTION  an extra sbatch option for both jobs, repeatable: --sbatch=--partition=cpu
#                    --sbatch=--account=abc --sbatch=--time=2:00:00 --sbatch=--cpus-per-task=4
#   WALK-FLAGS       anything `walkingnoise walk` takes, passed on unchanged (-preset, -model, -mode,
#                    -experiment, -store, -cache, …); -store (default out/results.db) is also where the
#                    shards are merged and the CSV goes (out/results.csv)
#
# Run it from a login node in the repository root (Go needed there, not on the compute nodes): it
# builds the CLI once into out/slurm/bin/walkingnoise-<sha256 prefix> (a running job's binary is never
# overwritten), checks the spec, submits, and prints the job ids, how to watch them and how to resubmit
# a task. The stores, the cache of clean models and out/slurm/ must be on a file system every node sees.
# Prints `array job: ID` and `merge job: ID` lines that scripts can read.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
. scripts/goenv.sh

die() { echo "slurm-walk: $*" >&2; exit 2; }

spec=0-15
only=
sbatch_opts=()
while [ $# -gt 0 ]; do
  case $1 in
  --array) spec=${2:?--array needs a spec}; shift 2 ;;
  --array=*) spec=${1#*=}; shift ;;
  --only) only=${2:?--only needs task ids}; shift 2 ;;
  --only=*) only=${1#*=}; shift ;;
  --sbatch) sbatch_opts+=("${2:?--sbatch needs an option}"); shift 2 ;;
  --sbatch=*) sbatch_opts+=("${1#*=}"); shift ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  --) shift; break ;;
  *) break ;;
  esac
done
walk=("$@")
[ ${#walk[@]} -gt 0 ] || die "no walk flags given, e.g. bash scripts/slurm-walk.sh --array 0-15 -preset paper -model lenet5-bn"

# The store the tasks write next to, as the walk will read it (last -store wins, as in Go's flag package).
store=out/results.db
for ((i = 0; i < ${#walk[@]}; i++)); do
  case ${walk[i]} in
  -store | --store) store=${walk[i + 1]:-}; [ -n "$store" ] || die "-store needs a path" ;;
  -store=* | --store=*) store=${walk[i]#*=} ;;
  -shard | --shard | -shard=* | --shard=*) die "do not pass -shard: each array task picks its own shard" ;;
  esac
done

command -v sbatch >/dev/null || die "sbatch not found: run this on a SLURM login node (or start one: sudo bash scripts/slurm-local.sh start)"

mkdir -p out/slurm/bin
tmp=$(mktemp out/slurm/bin/.build.XXXXXX)
trap 'rm -f "$tmp"' EXIT
go build -o "$tmp" ./noisylib/cmd/walkingnoise || die "go build failed"
bin=out/slurm/bin/walkingnoise-$(sha256sum "$tmp" | cut -c1-12)
if [ -x "$bin" ]; then rm -f "$tmp"; else chmod 755 "$tmp" && mv "$tmp" "$bin"; fi
bin=$repo/$bin

# Check the spec (and --only) with the CLI's own parser, and count the shards.
n=$("$bin" shards -array "$spec" -store "$store" | tail -n +2 | wc -l) || die "bad --array spec"
submit=$spec
if [ -n "$only" ]; then
  ids=$("$bin" shards -array "$spec" | tail -n +2 | cut -f1)
  for id in $("$bin" shards -array "$only" | tail -n +2 | cut -f1); do
    grep -qx "$id" <<<"$ids" || die "--only: task $id is not in the array spec $spec"
  done
  submit=$only
  case $spec in *%*) [[ $only == *%* ]] || submit=$only%${spec##*%} ;; esac
fi

export WALKINGNOISE_ARRAY=$spec WALKINGNOISE_BIN=$bin
jid=$(sbatch --parsable --array="$submit" ${sbatch_opts[@]+"${sbatch_opts[@]}"} scripts/walk.sbatch "${walk[@]}")
jid=${jid%%;*}
mid=$(sbatch --parsable --dependency=afterok:"$jid" ${sbatch_opts[@]+"${sbatch_opts[@]}"} scripts/walk-merge.sbatch "$store")
mid=${mid%%;*}

name=$(basename "$store")
flags=$(printf '%q ' "${walk[@]}")
cat <<EOF
submitted walk: array $submit of $spec ($n shards): walkingnoise walk ${flags% }
array job: $jid
merge job: $mid
  binary  $bin
  watch   squeue -j $jid,$mid        (logs: out/slurm/walk-${jid}_<task>.out, out/slurm/merge-$mid.out)
  cancel  scancel $jid $mid
  resubmit failed or cancelled tasks (cancel the merge job $mid first if it still waits):
          bash scripts/slurm-walk.sh --array $spec --only TASK-IDS ${flags% }
  results $store and $(dirname "$store")/${name%.*}.csv once merge job $mid has finished
EOF
