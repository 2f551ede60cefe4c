#!/usr/bin/env bash
# bench.sh — our training/evaluation throughput and an end-to-end noisy-training walk, side by side with the
# PyTorch reference (Debian python3-torch, scripts/bench/torch_ref.py) on the same machine, with ratios.
#
# Usage: bash scripts/bench.sh [--short] [--runs N]
#   --short   ~1 minute smoke mode for CI: 1 run, short benchmark times, a 2-site × 2-σ walk on 6,400 images.
#             It checks that everything runs and prints the ratios; it asserts nothing about speed.
#   --runs N  repetitions per measurement (default 3; medians are reported).
# Full mode: per-model train img/s (MLP-TFC noBN/BN, LeNet-5 noBN/BN, additive noise at every site, batch 128),
# eval img/s, and the walk: MLP-TFC (BN) on MNIST, all 11 sites × 8 σ, 1 epoch each, noisy training — ours in
# one process vs the reference's one process per point (as the authors' code runs it).
# PyTorch runs with 1 thread (torch.set_num_threads(1) + OMP/OpenBLAS/MKL_NUM_THREADS=1), the fastest on 2 cores.
# Installs python3-torch and libopenblas0-pthread with apt when missing (root or sudo).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
short=0
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1; runs=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
. scripts/goenv.sh # PATH, GOTOOLCHAIN=go1.27.3, GOEXPERIMENT=simd
py=/usr/bin/python3
if ! dpkg -s python3-torch libopenblas0-pthread >/dev/null 2>&1; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends python3-torch libopenblas0-pthread
fi
out=out/bench
mkdir -p "$out"
data=${WALKINGNOISE_DATA:-$repo/data}
[ -f "$data/mnist/train-images-idx3-ubyte.gz" ] || bash scripts/fetch-data.sh "$data"

echo "==> bench: environment"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); nproc: $(nproc)"
echo "go: $(go version); GOEXPERIMENT=$GOEXPERIMENT; GOMLX_BACKEND=${GOMLX_BACKEND:-go (default)}"

benchtime=3s; steps=60; warm=5
if [ "$short" -eq 1 ]; then benchtime=5x; steps=10; warm=2; fi
models=(mlp-tfc-nobn mlp-tfc-bn lenet5-nobn lenet5-bn)

echo "==> bench: ours (go test -bench, $runs run(s))"
go test ./noisylib/train -run '^$' -bench 'TrainStep|EvalBatch|StackStep' -benchtime "$benchtime" -count "$runs" | tee "$out/go.txt"

echo "==> bench: PyTorch reference ($runs run(s), 1 thread)"
: >"$out/torch.jsonl"
for m in "${models[@]}"; do
  "$py" scripts/bench/torch_ref.py train-throughput --model "$m" --noise add --sigma 0.1 --steps "$steps" \
    --warmup "$warm" --runs "$runs" --threads 1 2>/dev/null | tail -1 | tee -a "$out/torch.jsonl"
done
for m in mlp-tfc-bn lenet5-bn; do
  "$py" scripts/bench/torch_ref.py train-throughput --model "$m" --noise none --steps "$steps" \
    --warmup "$warm" --runs "$runs" --threads 1 2>/dev/null | tail -1 | tee -a "$out/torch.jsonl"
  "$py" scripts/bench/torch_ref.py eval-throughput --model "$m" --noise add --sigma 0.1 --batch 128 --steps "$steps" \
    --warmup "$warm" --runs "$runs" --threads 1 2>/dev/null | tail -1 | tee -a "$out/torch.jsonl"
done

echo "==> bench: end-to-end noisy-training walk, MLP-TFC (BN), MNIST"
if [ "$short" -eq 1 ]; then
  sites="0,10"; sigmas="0.01,1"; trainn=6400
else
  sites="all"; sigmas="0.01,0.0316,0.1,0.316,1,3.16,10,31.6"; trainn=-1
fi
rm -rf "$out/walk.db" "$out/cache"
go build -o "$out/walkingnoise" ./noisylib/cmd/walkingnoise
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$out/walk.rss" "$out/walkingnoise" walk -preset quick -model mlp-tfc-bn -data mnist \
  -mode training -sites "$sites" -sigmas "$sigmas" -epochs 1 -train-n "$trainn" -test-n -1 \
  -store "$out/walk.db" -cache "$out/cache" -quiet 2>"$out/walk.log"
ours_walk=$(echo "$(date +%s.%N) - $t0" | bc)
echo "ours: $ours_walk s (peak RSS $(cat "$out/walk.rss") KB)"
if [ "$short" -eq 1 ]; then
  bash scripts/bench/torch_walk.sh --short "$data" | tee "$out/torch_walk.txt"
else
  bash scripts/bench/torch_walk.sh "$data" | tee "$out/torch_walk.txt"
fi

echo "==> bench: inference-only walk, MLP-TFC (BN), MNIST (ours)"
if [ "$short" -eq 1 ]; then
  sites="0,4"; sigmas="0.1,1,10"; testn=1000; desc="2 sites × 3 σ, 1,000 test images"
else
  # The paper's additive grid: 49 σ, four per decade from 1e-2 to 1e10.
  sites="all"; sigmas=$(seq -8 40 | awk '{printf "%s%g", (NR>1?",":""), 10^($1/4)}'); testn=-1
  desc="11 sites × 49 σ, 10,000 test images, incl. training the clean model"
fi
rm -rf "$out/walkinf.db" "$out/cache"
t0=$(date +%s.%N)
"$out/walkingnoise" walk -preset quick -model mlp-tfc-bn -data mnist -mode inference -sites "$sites" -sigmas "$sigmas" \
  -test-n "$testn" -store "$out/walkinf.db" -cache "$out/cache" -quiet 2>"$out/walkinf.log"
ours_inf=$(echo "$(date +%s.%N) - $t0" | bc)
grep -a "points planned" "$out/walkinf.log" | tail -1 || true
echo "ours: $ours_inf s"

echo "==> bench: report"
"$py" scripts/bench/report.py "$out/go.txt" "$out/torch.jsonl" "$ours_walk" "$out/torch_walk.txt" "$ours_inf" "$desc" | tee "$out/report.md"
