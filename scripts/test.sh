#!/usr/bin/env bash
# test.sh — the project's full test: go vet, go test, the fuzz targets (10 s each; FUZZTIME=1m for longer),
# the headless notebook run (quick preset), the recomputation of a few shipped standard-preset points and the
# standard preset's notebooks rendered from the shipped results.
#
# Usage: bash scripts/test.sh        (run scripts/setup.sh once before)
# Each step is timed. All steps run even when one fails (so one CI run shows every problem);
# the exit status is non-zero when any step failed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
. scripts/goenv.sh # PATH, GOTOOLCHAIN=go1.27.3, GOEXPERIMENT=simd

now_ms() { echo $(($(date +%s%N) / 1000000)); }
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
times=()
failed=()
run_step() { # run_step NAME COMMAND...
  local name=$1 t0 rc=0 took
  shift
  echo "==> test: $name: $*"
  t0=$(now_ms)
  "$@" || rc=$?
  took=$(fmt_s $(($(now_ms) - t0)))
  if [ "$rc" -eq 0 ]; then
    times+=("$name ok $took")
    echo "==> test: $name OK in $took"
  else
    times+=("$name FAILED $took")
    failed+=("$name")
    echo "==> test: $name FAILED (exit $rc) after $took"
  fi
}

start=$(now_ms)
run_step "go vet" go vet ./...
# The XLA backend users run on GPUs must keep compiling (it is not run here: no PJRT plugin on this machine).
run_step "go vet -tags xla" go vet -tags xla ./...
run_step "go test" go test -count=1 -timeout 30m ./...
# The fuzz targets of the parsers that take user text (plan JSON, σ/site/ratio lists, model and data names,
# shard specs, noise configurations), 10 s each; their seed corpora hold the inputs of issue 14.
fuzz() {
  local rc=0 target pkg
  for t in FuzzPlanSpec:./noisylib/walk FuzzPlanFlags:./noisylib/cmd/walkingnoise FuzzShard:./noisylib/results \
    FuzzParseName:./noisylib/models FuzzConfigJSON:./noisylib/noise; do
    target=${t%%:*} pkg=${t#*:}
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-10s}" "$pkg" || rc=1
  done
  return $rc
}
run_step "fuzz" fuzz
run_step "notebooks" bash scripts/run-notebooks.sh --preset quick
# Shipped results (notebooks/results/standard, scripts/ship-results.sh): recompute VERIFY_N randomly chosen points
# (VERIFY_SEED to repeat a choice; only points whose recomputation took ≤ VERIFY_MAX_SECONDS when shipped, clean
# model included) and compare them with the shipped values. On the shipping machine's CPU (model, cores and the
# backend's vector extension as in the manifest) bit-identity is required: a point's arithmetic is deterministic
# for one backend, binary and CPU (seeded streams, fixed reduction order), so any difference is a bug or a tampered
# value. On another CPU a vector width of its own rounds sums differently and training amplifies that, so a
# recomputed point is at most another repetition of the same condition: it must then lie within the
# VERIFY_WITHIN (default 0.99) prediction interval of one more repetition, from the shipped repetitions of that
# point (`verify -within`; only points with ≥ 3 repetitions are chosen). The rounding perturbation is far smaller
# than a change of seed (same initialisation, data order and noise draws), so a false alarm is rarer than 1 % per
# point. VERIFY_TOL (accuracy points) replaces either rule by a fixed tolerance.
shipped() {
  local dir=notebooks/results/standard tmp cpu shipped_cpu rule rc=0
  if [ ! -f "$dir/points.csv" ]; then
    echo "shipped results: skipped: there are none yet ($dir/points.csv does not exist; scripts/ship-results.sh writes it)"
    return 0
  fi
  # The arithmetic depends on the CPU model, the vector extension the backend uses (AVX-512 or AVX2 kernels) and
  # the cores (work split): all three must match the manifest's.
  cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1); $(nproc) cores; $(grep -o -w -m1 'avx512f' \
    /proc/cpuinfo 2>/dev/null || grep -o -w -m1 'avx2' /proc/cpuinfo 2>/dev/null || echo none)"
  shipped_cpu="$(sed -n 's/^- CPU: //p' "$dir/MANIFEST.md" 2>/dev/null | head -n1); $(sed -n \
    's/^- Cores: \([0-9]*\); vector extension used by the backend: \([a-z0-9]*\);.*/\1 cores; \2/p' "$dir/MANIFEST.md" 2>/dev/null | head -n1)"
  if [ -n "${VERIFY_TOL:-}" ]; then
    rule=(-tol "$VERIFY_TOL")
  elif [ "$cpu" = "$shipped_cpu" ]; then
    rule=(-tol 0)
  else
    echo "shipped results: computed on '$shipped_cpu', this is '$cpu': bit-identity is not expected; each recomputed point must lie within the ${VERIFY_WITHIN:-0.99} prediction interval of its shipped repetitions"
    rule=(-within "${VERIFY_WITHIN:-0.99}")
  fi
  tmp=$(mktemp -d)
  go build -o "$tmp/walkingnoise" ./noisylib/cmd/walkingnoise &&
    "$tmp/walkingnoise" import -store "$tmp/shipped.db" "$dir" &&
    "$tmp/walkingnoise" verify -store "$tmp/shipped.db" -n "${VERIFY_N:-3}" -seed "${VERIFY_SEED:-0}" "${rule[@]}" \
      -max-seconds "${VERIFY_MAX_SECONDS:-150}" || rc=1
  rm -rf "$tmp"
  return $rc
}
run_step "shipped results" shipped
# The standard preset renders from the shipped results alone: every notebook runs with them imported and
# computes nothing (--stored-only: a plan point or tracked training they lack fails its notebook).
standard() {
  local dir=notebooks/results/standard tmp rc=0
  if [ ! -f "$dir/points.csv" ]; then
    echo "standard notebooks: skipped: no shipped results yet ($dir/points.csv does not exist)"
    return 0
  fi
  tmp=$(mktemp -d)
  WALKINGNOISE_OUT="$tmp/store" bash scripts/run-notebooks.sh --preset standard --import "$dir" --stored-only \
    --out "$tmp/notebooks" || rc=1
  rm -rf "$tmp"
  return $rc
}
run_step "standard notebooks (shipped results)" standard
summary="$(fmt_s $(($(now_ms) - start))) [$(printf '%s; ' "${times[@]}" | sed 's/; $//')]"
if [ ${#failed[@]} -gt 0 ]; then
  echo "test: FAILED (${failed[*]}) in $summary"
  exit 1
fi
echo "test: OK in $summary"
