#!/usr/bin/env bash
# test-slurm.sh — the cluster path on a real SLURM: a one-node cluster (scripts/slurm-local.sh), a small
# walk submitted as a job array with non-contiguous specs by scripts/slurm-walk.sh, merged by the
# dependent merge job, and compared with a single-process run of the same plan (same point hashes,
# statuses, seeds, accuracies, losses, configs and metrics). Then a second submission with a stepped,
# throttled spec loses two tasks — one fails (its store path is a folder), one is cancelled (scancel) —, SLURM
# cancels its merge job (the dependency can no longer be met), the two tasks are resubmitted alone, and the
# merge must again equal the single-process run.
#
#   sudo bash scripts/test-slurm.sh      (root: it starts the daemons; run by .ci/run)
#
# It stops the daemons it started (and only those) and cancels its jobs on exit, pass or fail.
# Each wait has a timeout; the whole test takes about a minute once SLURM is installed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
. scripts/goenv.sh
[ "$(id -u)" -eq 0 ] || { echo "test-slurm: run as root (it starts munged, slurmctld and slurmd)" >&2; exit 1; }

t_start=$(date +%s)
say() { echo "==> test-slurm [$(($(date +%s) - t_start)) s]: $*"; }
fail() { echo "test-slurm: FAIL: $*" >&2; exit 1; }

state_dir=${WALKINGNOISE_SLURM_DIR:-/var/lib/walkingnoise-slurm}
ours_before=$(cat "$state_dir/started.pids" 2>/dev/null || true)
jobs=()
cleanup() {
  local rc=$?
  if [ ${#jobs[@]} -gt 0 ]; then # after a failure: cancel our jobs and let their processes end
    scancel "${jobs[@]}" 2>/dev/null || true
    local ids t0=$SECONDS
    ids=$(IFS=,; echo "${jobs[*]}")
    while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ] && [ $((SECONDS - t0)) -lt 40 ]; do sleep 1; done
  fi
  if [ -z "$ours_before" ]; then
    bash scripts/slurm-local.sh stop || rc=1
  else
    echo "test-slurm: the local cluster was up before the test; leaving it running"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "start the one-node cluster"
bash scripts/slurm-local.sh start
again=$(bash scripts/slurm-local.sh start)
grep -q "slurmctld already runs" <<<"$again" && grep -q "slurmd already runs" <<<"$again" ||
  fail "a second slurm-local.sh start did not find the running daemons: $again"
if id nobody >/dev/null 2>&1; then
  notroot=$(runuser -u nobody -- bash scripts/slurm-local.sh start 2>&1) && fail "slurm-local.sh start succeeded as nobody"
  grep -q "must run as root" <<<"$notroot" || fail "slurm-local.sh as nobody: unclear error: $notroot"
fi

work=out/slurm-test
rm -rf "$work"
mkdir -p "$work"
# A tiny inference walk: a clean MLP-TFC (BN) on 2,000 training images, 3 sites × 4 σ on 500 test images:
# 13 points, so each of 3 or 4 shards owns a few.
walk=(-preset quick -model mlp-tfc-bn -data mnist -mode inference -sites 0,3,6 -sigmas 0.1,1,10,100
  -train-n 2000 -test-n 500 -quiet)
small=(--sbatch=--cpus-per-task=1 --sbatch=--mem=1G --sbatch=--time=10)

say "single-process reference"
go build -o "$work/walkingnoise" ./noisylib/cmd/walkingnoise
"$work/walkingnoise" walk "${walk[@]}" -store "$work/single.db" -cache "$work/cache-single"
"$work/walkingnoise" export -store "$work/single.db" -o "$work/single.csv"

# submit ARGS… : runs slurm-walk.sh and sets $jid and $mid from its output.
submit() {
  local out
  out=$(bash scripts/slurm-walk.sh "$@")
  echo "$out"
  jid=$(sed -n 's/^array job: //p' <<<"$out")
  mid=$(sed -n 's/^merge job: //p' <<<"$out")
  [ -n "$jid" ] && [ -n "$mid" ] || fail "slurm-walk.sh printed no job ids"
  jobs+=("$jid" "$mid")
}

# wait_gone TIMEOUT JOB…: wait until squeue lists none of the jobs (finished, failed or cancelled).
wait_gone() {
  local timeout=$1 t0=$SECONDS
  shift
  local ids
  ids=$(IFS=,; echo "$*")
  while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
    [ $((SECONDS - t0)) -lt "$timeout" ] || { squeue; fail "jobs $ids still queued or running after $timeout s"; }
    sleep 1
  done
}

# job_state JOB: COMPLETED, CANCELLED, FAILED, … (slurmctld keeps finished jobs for MinJobAge, 300 s).
job_state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n1; }

# points STORE: the number of points in a store.
points() { "$work/walkingnoise" list -store "$1" | awk '{ n += $2 } END { print n + 0 }'; }

# same CSV: the merged store's CSV equals the single-process one in every column but host, duration and
# creation time, row for row by hash.
same() {
  python3 - "$work/single.csv" "$1" <<'EOF'
import csv, sys
keep = ["hash", "plan", "status", "seed", "accuracy", "loss", "config", "metrics"]
def rows(path):
    with open(path, newline="") as f:
        out = {}
        for r in csv.DictReader(f):
            if r["hash"] in out:
                sys.exit(f"{path}: point {r['hash'][:8]} appears twice")
            out[r["hash"]] = [r[k] for k in keep]
        return out
want, got = rows(sys.argv[1]), rows(sys.argv[2])
missing, extra = want.keys() - got.keys(), got.keys() - want.keys()
diff = [h for h in want.keys() & got.keys() if want[h] != got[h]]
for h in diff[:5]:
    print(f"point {h[:8]}: single {want[h]}\n          merged {got[h]}")
if missing or extra or diff:
    sys.exit(f"{sys.argv[2]}: {len(missing)} points missing, {len(extra)} extra, {len(diff)} differ from {sys.argv[1]}")
print(f"{sys.argv[2]}: the same {len(got)} points as {sys.argv[1]} (hash, plan, status, seed, accuracy, loss, config, metrics)")
EOF
}

say "submission 1: --array=1,4,7 and its merge job"
t0=$SECONDS
submit --array 1,4,7 "${small[@]}" -- "${walk[@]}" -store "$work/a.db" -cache "$work/cache"
wait_gone 120 "$jid" "$mid"
[ "$(job_state "$mid")" = COMPLETED ] || { cat out/slurm/merge-"$mid".out || true; fail "merge job $mid ended $(job_state "$mid")"; }
for task in 1 4 7; do grep -q "task $task done" "out/slurm/walk-${jid}_$task.out" || fail "task $task left no 'done' line"; done
say "submission 1 finished in $((SECONDS - t0)) s"
cat "out/slurm/merge-$mid.out"
for i in 0 1 2; do
  n=$(points "$work/a.shard-$i-of-3.db")
  echo "shard $i/3: $n points"
  [ "$n" -gt 0 ] || fail "shard store $work/a.shard-$i-of-3.db holds no point (the test needs every shard busy)"
done
same "$work/a.csv"

say "submission 2: --array=1-9:4%2 (tasks 1, 5, 9, two at a time); task 1 fails, task 9 is cancelled; both resubmitted"
t0=$SECONDS
spec2=1-9:4%2
mkdir -p "$work/b.shard-0-of-3.db" # a folder where task 1 (shard 0/3) keeps its store: its walk fails at once
submit --array $spec2 "${small[@]}" -- "${walk[@]}" -store "$work/b.db" -cache "$work/cache"
first_jid=$jid first_mid=$mid
scancel "${first_jid}_9" # pending behind the throttle while tasks 1 and 5 run
wait_gone 120 "$first_jid" "$first_mid"
[ "$(job_state "${first_jid}_1")" = FAILED ] || fail "task 1 ended $(job_state "${first_jid}_1"), want FAILED"
grep -q "walkingnoise walk: results: opening store" "out/slurm/walk-${first_jid}_1.out" || fail "task 1 failed for another reason"
[ "$(job_state "${first_jid}_5")" = COMPLETED ] || fail "task 5 ended $(job_state "${first_jid}_5"), want COMPLETED"
# (SLURM drops a task cancelled while pending from the array without a trace: no state, no log.)
[ ! -e "out/slurm/walk-${first_jid}_9.out" ] || fail "task 9 ran although it was cancelled while pending"
[ "$(job_state "$first_mid")" = CANCELLED ] || fail "merge job $first_mid ended $(job_state "$first_mid"), want CANCELLED (its dependency failed)"
[ ! -e "$work/b.db" ] || fail "$work/b.db exists although the merge job was cancelled"
[ ! -e "$work/b.shard-2-of-3.db" ] || fail "the cancelled task 9 wrote its store"
# Shards 0/3 and 2/3 (tasks 1 and 9) are those of submission 1, where every shard held points.
lost=$(($(points "$work/single.db") - $(points "$work/b.shard-1-of-3.db")))
[ "$lost" -eq $(($(points "$work/a.shard-0-of-3.db") + $(points "$work/a.shard-2-of-3.db"))) ] ||
  fail "task 5 stored $(points "$work/b.shard-1-of-3.db") points, not those of its shard"
echo "task 5 stored all but the $lost points of tasks 1 and 9"
rmdir "$work/b.shard-0-of-3.db"
"$work/walkingnoise" merge -array $spec2 "$work/b.db" 2>"$work/merge-err.txt" && fail "merge with missing shards succeeded"
grep -q "task 1 (shard 0/3.*task 9 (shard 2/3.*--only 1,9" "$work/merge-err.txt" ||
  fail "the merge error does not name tasks 1 and 9: $(cat "$work/merge-err.txt")"
rm -f "$work/b.db"
submit --array $spec2 --only 1,9 "${small[@]}" -- "${walk[@]}" -store "$work/b.db" -cache "$work/cache"
wait_gone 120 "$jid" "$mid"
[ "$(job_state "$mid")" = COMPLETED ] || { cat out/slurm/merge-"$mid".out || true; fail "merge job $mid ended $(job_state "$mid")"; }
for task_shard in 1:0 9:2; do
  task=${task_shard%:*} shard=${task_shard#*:}
  grep -q "array job $jid task $task (spec $spec2)" "out/slurm/walk-${jid}_$task.out" || fail "resubmitted task $task did not see the whole spec"
  grep -q "shard $shard/3" "out/slurm/walk-${jid}_$task.out" || fail "resubmitted task $task did not run shard $shard/3"
done
say "submission 2 with the resubmission finished in $((SECONDS - t0)) s"
cat "out/slurm/merge-$mid.out"
same "$work/b.csv"

say "OK"
