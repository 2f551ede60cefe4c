#!/usr/bin/env bash
# bench.sh — our training/evaluation throughput and end-to-end walks, side by side with PyTorch
# (Debian python3-torch 1.13, scripts/bench/torch_ref.py) on the same machine, with ratios.
#
# Usage: bash scripts/bench.sh [--short] [--no-slow] [--throughput] [--runs N]
#   --short   ~1 minute smoke mode for CI: 1 run, short benchmark times, tiny walks on MNIST subsets.
#             It checks that everything runs and prints the ratios; it asserts nothing about speed.
#   --no-slow full mode without its two longest runs (PyTorch one process per point, the LeNet-5 noisy-training walk).
#   --throughput  only the per-model throughput tables (≈ 2 min per round), no walks.
#   --runs N  rounds of per-model throughput (default 3): each round runs our benchmarks in one process, then
#             PyTorch in one process per model and mode. The report gives each side's fastest process and
#             median, and two ratios: fastest to fastest (ours at our best against the strongest baseline) and
#             median to median. Both sides' figures move between processes (PyTorch's by up to 6x on these VMs).
# Full mode:
#   - standard normal draws, ns per value on [128, 1370] float32: noise.StoreNormal against torch.normal, in a
#     fresh tensor and in place (added to a donated tensor: BenchmarkNormal/StoreNormalInPlace; x.normal_()); from
#     the throughput rows, what noise at every site costs a training step per value drawn.
#   - per-model train img/s (MLP-TFC noBN/BN, LeNet-5 noBN/BN, batch 128): clean, additive noise at one site (fc2
#     or conv2, what a walk trains) and at every site; eval img/s with noise at every site.
#   - noisy-training walk MLP-TFC (BN), 11 sites × 17 σ (1e-2 … 1e2, 4 per decade), 1 epoch on all 60k images:
#     ours on the full grid and by adaptive midpoint search (default fanout 1, bisection, and 3); PyTorch in ONE process (data
#     loaded once, a loop over the points: the strongest baseline) and one process per point (the authors' way).
#   - noisy-training walk LeNet-5 (BN), sites 0, 5, 10, 15 × the same 17 σ: ours adaptive (fanout 1 and 3) vs PyTorch
#     in one process.
#   - the adaptive search's equivalence: MLP-TFC (BN), 11 sites × 41 σ (1e-2 … 1e8), 1 epoch, full MNIST: the full
#     grid, then the search with fanout 3, 1, 2 and 4 from the same store; each site's midpoint against the grid's.
#   - inference-only walks, one clean model then every site × σ: MLP-TFC (BN) 11 × 49 σ (1e-2 … 1e10) on 10k test
#     images, LeNet-5 (BN) 16 × 17 σ on 2k; ours vs PyTorch in one process.
# PyTorch runs with 1 thread (torch.set_num_threads(1) + OMP/OpenBLAS/MKL_NUM_THREADS=1), the fastest on 2 cores,
# and with the plain forward loop (--forward lean), the faster of the two; the one-process-per-point walk keeps the
# authors' forward loop. Installs python3-torch and libopenblas0-pthread with apt when missing (root or sudo).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
short=0
slow=1
throughput=0
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1; runs=1 ;;
    --no-slow) slow=0 ;;
    --throughput) throughput=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    -h | --help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
rm -f "$out"/*.log "$out"/*.rss # the report lists the logs: none from an earlier run
data=${WALKINGNOISE_DATA:-$repo/data}
[ -f "$data/mnist/train-images-idx3-ubyte.gz" ] || bash scripts/fetch-data.sh "$data"

echo "==> bench: environment"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); nproc: $(nproc)"
echo "go: $(go version); GOEXPERIMENT=$GOEXPERIMENT; GOMLX_BACKEND=${GOMLX_BACKEND:-go (default)}"

benchtime=3s; steps=60; warm=5
if [ "$short" -eq 1 ]; then benchtime=5x; steps=10; warm=2; fi
models=(mlp-tfc-nobn mlp-tfc-bn lenet5-nobn lenet5-bn)
declare -A one_site=([mlp-tfc-nobn]=fc2 [mlp-tfc-bn]=fc2 [lenet5-nobn]=conv2 [lenet5-bn]=conv2)

# Per-model throughput in rounds, so that both sides are measured in the same minutes (see --runs above).
echo "==> bench: per-model throughput, $runs round(s): ours (one go test process), then PyTorch (one process per model and mode)"
go test -c -o "$out/train.test" ./noisylib/train
go test -c -o "$out/noise.test" ./noisylib/noise
: >"$out/go.txt"
: >"$out/torch.jsonl"
tref() {
  "$py" scripts/bench/torch_ref.py "$@" --forward lean --steps "$steps" --warmup "$warm" --runs 1 \
    --threads 1 2>/dev/null | tail -1 | tee -a "$out/torch.jsonl"
}
for round in $(seq "$runs"); do
  echo "-- round $round of $runs: ours"
  (cd noisylib/train && "$repo/$out/train.test" -test.run '^$' -test.bench 'TrainStep|EvalBatch|StackStep|StepBatch' \
    -test.benchtime "$benchtime") | tee -a "$out/go.txt"
  (cd noisylib/noise && "$repo/$out/noise.test" -test.run '^$' \
    -test.bench '^BenchmarkNormal$/^(StoreNormal|StoreNormalInPlace)$' \
    -test.benchtime "$benchtime") | tee -a "$out/go.txt"
  echo "-- round $round of $runs: PyTorch"
  for m in "${models[@]}"; do
    tref train-throughput --model "$m" --noise add --sigma 0.1
    tref train-throughput --model "$m" --noise add --sigma 0.1 --site-name "${one_site[$m]}"
    tref train-throughput --model "$m" --noise none
  done
  for m in mlp-tfc-bn lenet5-bn; do
    tref eval-throughput --model "$m" --noise add --sigma 0.1 --batch 128
  done
  tref normal-throughput
  tref normal-throughput --draw inplace
done

# Walks: each line of walks.jsonl is one timed run {walk, who, seconds}; report.py compares them.
: >"$out/walks.jsonl"
if [ "$throughput" -eq 1 ]; then
  echo "==> bench: report (throughput only)"
  "$py" scripts/bench/report.py "$out/go.txt" "$out/torch.jsonl" "$out/walks.jsonl" | tee "$out/report.md"
  exit 0
fi
go build -o "$out/walkingnoise" ./noisylib/cmd/walkingnoise
timed() { # timed WALK WHO COMMAND... — runs COMMAND, logs to $out/WALK.WHO.log, appends its wall time
  local walk=$1 who=$2 t0 rss
  shift 2
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$out/$walk.$who.rss" "$@" >"$out/$walk.$who.log" 2>&1 ||
    { echo "bench: $walk/$who failed, see $out/$walk.$who.log" >&2; tail -5 "$out/$walk.$who.log" >&2; exit 1; }
  rss=$(tail -1 "$out/$walk.$who.rss")
  printf '{"walk": "%s", "who": "%s", "seconds": %s, "peak_rss_kb": %s}\n' "$walk" "$who" \
    "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')" "$rss" | tee -a "$out/walks.jsonl"
}
ours() { # ours WALK WHO walk-flags... — our CLI on a fresh store and cache
  local walk=$1 who=$2
  shift 2
  rm -rf "$out/$walk.$who.db" "$out/cache.$walk.$who"
  timed "$walk" "$who" "$out/walkingnoise" walk -preset quick -data mnist -epochs 1 \
    -store "$out/$walk.$who.db" -cache "$out/cache.$walk.$who" "$@"
}
torch() { # torch WALK WHO torch_ref-args...
  local walk=$1 who=$2
  shift 2
  timed "$walk" "$who" "$py" scripts/bench/torch_ref.py "$@" --data-dir "$data" --threads 1 --epochs 1
}
grid17=$(seq -8 8 | awk '{printf "%s%g", (NR>1?",":""), 10^($1/4)}')
grid49=$(seq -8 40 | awk '{printf "%s%g", (NR>1?",":""), 10^($1/4)}')

echo "==> bench: noisy-training walk, MLP-TFC (BN), MNIST"
if [ "$short" -eq 1 ]; then
  sites="0,10"; sigmas="0.01,0.1,1,10"; trainn=6400; testn=2000
else
  sites=$(seq -s, 0 10); sigmas=$grid17; trainn=-1; testn=-1
fi
tn=$([ "$trainn" -lt 0 ] && echo 0 || echo "$trainn"); te=$([ "$testn" -lt 0 ] && echo 0 || echo "$testn")
common=(-model mlp-tfc-bn -mode training -sites "$sites" -sigmas "$sigmas" -train-n "$trainn" -test-n "$testn")
ours mlp-train ours-grid "${common[@]}" -quiet
ours mlp-train ours-adaptive "${common[@]}" -adaptive
ours mlp-train ours-adaptive-fanout3 "${common[@]}" -adaptive -fanout 3
torch mlp-train torch-loop walk-sweep --model mlp-tfc-bn --forward lean --sites "$sites" --sigmas "$sigmas" \
  --subset "$tn" --test-subset "$te"
if [ "$slow" -eq 1 ]; then
  SUBSET=$tn timed mlp-train torch-per-point bash scripts/bench/torch_walk.sh "$data" "$sites" "$sigmas"
  [ "$te" -eq 0 ] || echo "(torch-per-point evaluates on all 10k test images)"
fi

: >"$out/equivalence.txt"
if [ "$short" -eq 0 ]; then
  # Not timed against anything: the full 41-σ grid, then the adaptive search of every fanout read from the same
  # store (the search reuses the grid's points, so only the first run trains), midpoints compared site by site.
  echo "==> bench: adaptive search vs full grid, MLP-TFC (BN), MNIST, 11 sites × 41 σ (1e-2 … 1e8), 1 epoch"
  grid41=$(seq -8 32 | awk '{printf "%s%g", (NR>1?",":""), 10^($1/4)}')
  rm -rf "$out/equivalence.db" "$out/cache.equivalence"
  for f in 3 1 2 4; do
    "$out/walkingnoise" walk -preset quick -data mnist -epochs 1 -model mlp-tfc-bn -mode training -sites all \
      -sigmas "$grid41" -train-n -1 -test-n -1 -store "$out/equivalence.db" -cache "$out/cache.equivalence" \
      -adaptive -versus-grid -fanout "$f" >"$out/equivalence.fanout$f.log" 2>&1 ||
      { echo "bench: equivalence run failed, see $out/equivalence.fanout$f.log" >&2; tail -5 "$out/equivalence.fanout$f.log" >&2; exit 1; }
    echo "fanout $f: $(grep '^adaptive vs full grid' "$out/equivalence.fanout$f.log")" | tee -a "$out/equivalence.txt"
  done
fi

if [ "$short" -eq 0 ] && [ "$slow" -eq 1 ]; then
  echo "==> bench: noisy-training walk, LeNet-5 (BN), MNIST, sites 0, 5, 10, 15"
  common=(-model lenet5-bn -mode training -sites 0,5,10,15 -sigmas "$grid17" -train-n -1 -test-n -1)
  ours lenet-train ours-adaptive "${common[@]}" -adaptive
  ours lenet-train ours-adaptive-fanout3 "${common[@]}" -adaptive -fanout 3
  torch lenet-train torch-loop walk-sweep --model lenet5-bn --forward lean --sites 0,5,10,15 --sigmas "$grid17"
fi

echo "==> bench: inference-only walks (one clean model, then every site × σ)"
if [ "$short" -eq 1 ]; then
  ours mlp-inference ours -model mlp-tfc-bn -mode inference -sites 0,4 -sigmas 0.1,1,10 -train-n 6400 -test-n 1000 -quiet
  torch mlp-inference torch-loop walk-inference --model mlp-tfc-bn --forward lean --sites 0,4 --sigmas 0.1,1,10 \
    --subset 6400 --test-subset 1000
else
  ours mlp-inference ours -model mlp-tfc-bn -mode inference -sites all -sigmas "$grid49" -train-n -1 -test-n -1 -quiet
  torch mlp-inference torch-loop walk-inference --model mlp-tfc-bn --forward lean --sites "$(seq -s, 0 10)" \
    --sigmas "$grid49"
  ours lenet-inference ours -model lenet5-bn -mode inference -sites all -sigmas "$grid17" -train-n -1 -test-n 2000 -quiet
  torch lenet-inference torch-loop walk-inference --model lenet5-bn --forward lean --sites "$(seq -s, 0 15)" \
    --sigmas "$grid17" --test-subset 2000
fi

echo "==> bench: report"
"$py" scripts/bench/report.py "$out/go.txt" "$out/torch.jsonl" "$out/walks.jsonl" | tee "$out/report.md"
{ echo; echo "Noisy trainings of the adaptive searches (default fanout 1, a bisection, and fanout 3):"; echo
  for log in "$out"/*.ours-adaptive*.log; do
    echo "- $(basename "$log" .log): $(grep -o 'adaptive search: .*' "$log" | head -1)"
  done; } | tee -a "$out/report.md"
if [ -s "$out/equivalence.txt" ]; then
  { echo; echo "Adaptive search vs the full 41-σ grid, MLP-TFC (BN), 1 epoch, full MNIST (per-site tables: $out/equivalence.fanout*.log):"
    echo; sed 's/^/- /' "$out/equivalence.txt"; } | tee -a "$out/report.md"
fi
