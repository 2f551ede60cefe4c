#!/usr/bin/env bash
# ship-results.sh — run the notebooks' standard preset and write its results, as text, where the repository
# ships them (notebooks/results/standard/: points.csv, plans.csv and MANIFEST.md; the format is in its README.md).
#
# Usage: bash scripts/ship-results.sh [--work DIR] [--dest DIR] [notebook.ipynb ...]
#
#   --work   the run's store, clean-model cache and executed notebooks (default out/ship). The run is resumable:
#            run it again (in another session too) and only the points missing from DIR/results.db are computed.
#   --dest   where points.csv, plans.csv and MANIFEST.md are written (default notebooks/results/standard).
#   notebooks  default: every notebooks/*.ipynb (passed to scripts/run-notebooks.sh --preset standard).
#
# The manifest records the command, the commit (and whether the work tree had uncommitted changes), the
# machine (CPU model, cores, memory, kernel), Go and the backend flags, the start and end dates, the wall time
# of each notebook in this invocation (scripts/run-notebooks.sh's timings.md) and, per plan, its points, the
# compute time stored with them and when its first and last points finished (`walkingnoise list`), which covers
# points computed by earlier, resumed invocations too. Exit status: that of the notebook run (the results are
# exported and the manifest written either way, marked with the run's result).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$repo/scripts/goenv.sh"
work=out/ship
dest=notebooks/results/standard
notebooks=()
command="bash scripts/ship-results.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=${2:?--work needs a directory}; shift ;;
    --work=*) work=${1#*=} ;;
    --dest) dest=${2:?--dest needs a directory}; shift ;;
    --dest=*) dest=${1#*=} ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "ship-results: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$1") ;;
  esac
  shift
done
cd "$repo"
mkdir -p "$work" "$dest"
work=$(cd "$work" && pwd)
started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dirty=
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=" (with uncommitted changes)"

bin="$work/bin/walkingnoise"
go build -o "$bin" ./noisylib/cmd/walkingnoise

# The notebooks' store (study.StorePath) and clean-model cache live in $work.
export WALKINGNOISE_OUT=$work
status=passed
run="$work/runs/$(date -u '+%Y%m%dT%H%M%SZ')"
bash scripts/run-notebooks.sh --preset standard --out "$run" "${notebooks[@]}" || status=FAILED

if [ ! -f "$work/results.db" ]; then
  echo "ship-results: the notebooks stored no points in $work/results.db: nothing to ship (notebook run: $status)" >&2
  exit 1
fi
"$bin" export -store "$work/results.db" -out "$dest"
ended=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
simd=$(grep -o -w -m1 'avx512f' /proc/cpuinfo 2>/dev/null || grep -o -w -m1 'avx2' /proc/cpuinfo 2>/dev/null || echo none)
{
  echo "# Shipped results: standard preset"
  echo
  echo "- Command: \`$command\` (notebook run: $status)"
  echo "- Commit: $commit$dirty"
  echo "- Preset: standard (walk.Preset(\"standard\", …); each notebook prints its plans' reductions)"
  echo "- Started: $started; ended: $ended"
  echo "- CPU: ${cpu:-unknown}"
  echo "- Cores: $(nproc); vector extension used by the backend: $simd; memory: $(free -g | awk '/^Mem:/ { print $2 " GiB" }'); kernel: $(uname -sr)"
  echo "- Go: $(go version | awk '{ print $3 }'), GOEXPERIMENT=$GOEXPERIMENT, backend: ${GOMLX_BACKEND:-go (pure Go)}"
  echo "- Points: $(($(wc -l <"$dest/points.csv") - 1)) rows in points.csv (CSV records; a record spans more lines only if a field holds a newline)"
  echo
  echo "## Wall time per notebook, every invocation (a resumed run computes only the points still missing)"
  for t in "$work"/runs/*/timings.md; do
    echo
    sed -n '1s/^# /### /p; /^| notebook/,$p' "$t"
  done
  echo
  echo "## Plans (all invocations): points, compute time stored with them, first and last point finished (UTC)"
  echo
  echo '```'
  "$bin" list -store "$work/results.db"
  echo '```'
} >"$dest/MANIFEST.md"
echo "ship-results: $dest/points.csv, $dest/plans.csv and $dest/MANIFEST.md written (notebook run: $status)"
[ "$status" = passed ]
