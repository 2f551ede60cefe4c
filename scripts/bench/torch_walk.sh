#!/usr/bin/env bash
# torch_walk.sh — end-to-end PyTorch reference walk (noisy training, one site at a time).
#
# Usage: bash scripts/bench/torch_walk.sh [--short] DATA_DIR [SITES] [SIGMAS]
#
#   DATA_DIR  directory holding mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
#             (DATA_DIR itself may also hold the four files).
#   SITES     noise sites, space or comma separated (default: every site of the model,
#             0..10 for mlp-tfc-bn).
#   SIGMAS    Gaussian additive noise stds (default: 10^-2 .. 10^1.5 in half decades:
#             0.01 0.0316 0.1 0.316 1 3.16 10 31.6).
#   --short   CI smoke: sites "0 10", sigmas "0.01 1", first 6,400 training images.
#
# As the authors' code runs it, every (site, sigma) point is a NEW python process
# (scripts/bench/torch_ref.py walk-point): it trains from scratch with additive noise at that
# site only (train and eval), for EPOCHS epochs over MNIST, then evaluates on the 10k test set.
# Prints one JSON line per point (with the outside wall time "wall_s" added) and a summary line.
#
# Environment: PYTHON (default /usr/bin/python3, Debian's torch 1.13), MODEL (mlp-tfc-bn),
# EPOCHS (1), THREADS (1; fastest on the 2-core machine), SUBSET (0 = all 60k), NOISE (add),
# LOADER (tensor | dataloader), SEED (0).
set -euo pipefail

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

short=0
pos=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "torch_walk: unknown option '$1' (valid: --short, --help)" >&2; exit 2 ;;
    *) pos+=("$1") ;;
  esac
  shift
done
if [ ${#pos[@]} -lt 1 ] || [ ${#pos[@]} -gt 3 ]; then
  usage >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-/usr/bin/python3}"
model="${MODEL:-mlp-tfc-bn}"
epochs="${EPOCHS:-1}"
threads="${THREADS:-1}"
subset="${SUBSET:-0}"
noise="${NOISE:-add}"
loader="${LOADER:-tensor}"
seed="${SEED:-0}"
data="${pos[0]}"

case "$model" in
  mlp-tfc-bn) nsites=11 ;;
  mlp-tfc-nobn) nsites=8 ;;
  lenet5-bn) nsites=16 ;;
  lenet5-nobn) nsites=12 ;;
  *) echo "torch_walk: MODEL '$model' unknown (valid: mlp-tfc-bn mlp-tfc-nobn lenet5-bn lenet5-nobn)" >&2; exit 2 ;;
esac
sites="$(seq -s ' ' 0 $((nsites - 1)))"
sigmas="0.01 0.0316 0.1 0.316 1 3.16 10 31.6"
if [ "$short" = 1 ]; then
  sites="0 $((nsites - 1))"
  sigmas="0.01 1"
  subset="${SUBSET:-6400}"
fi
[ ${#pos[@]} -ge 2 ] && sites="${pos[1]//,/ }"
[ ${#pos[@]} -ge 3 ] && sigmas="${pos[2]//,/ }"

if [ ! -f "$data/mnist/train-images-idx3-ubyte.gz" ] && [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "torch_walk: no MNIST in '$data/mnist' (need train-images-idx3-ubyte.gz etc.)" >&2
  exit 1
fi

log="$(mktemp -d "${TMPDIR:-/tmp}/torch_walk.XXXXXX")"
trap 'rm -rf "$log"' EXIT

now() { date +%s.%N; }
n_sites=$(wc -w <<<"$sites")
n_sigmas=$(wc -w <<<"$sigmas")
echo "# torch_walk: model=$model sites=[$sites] sigmas=[$sigmas] epochs=$epochs threads=$threads" \
  "subset=$subset loader=$loader python=$py ($((n_sites * n_sigmas)) points)" >&2

start=$(now)
n=0
for site in $sites; do
  for sigma in $sigmas; do
    t=$(now)
    if ! "$py" "$here/torch_ref.py" walk-point --model "$model" --site "$site" --sigma "$sigma" \
      --noise "$noise" --epochs "$epochs" --threads "$threads" --data-dir "$data" \
      --subset "$subset" --loader "$loader" --seed "$seed" >"$log/out" 2>"$log/err"; then
      echo "torch_walk: point site=$site sigma=$sigma failed:" >&2
      cat "$log/err" >&2
      exit 1
    fi
    wall=$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    [ "$n" = 0 ] && grep '^# \(python\|threads\|CPU\|BLAS\)' "$log/err" >&2 || true
    line="$(grep '^{' "$log/out" | tail -n 1)"
    echo "${line%\}}, \"wall_s\": $wall}"
    n=$((n + 1))
  done
done
total=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
per=$(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.3f", t / n }')
echo "{\"summary\": \"torch_walk\", \"model\": \"$model\", \"points\": $n, \"epochs\": $epochs," \
  "\"threads\": $threads, \"subset\": $subset, \"total_wall_s\": $total, \"per_point_s\": $per}"
