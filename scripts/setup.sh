#!/usr/bin/env bash
# setup.sh — install everything the Walking Noise library and notebooks need.
#
# Usage: bash scripts/setup.sh [--no-apt] [--no-data]
#
# Steps (each is skipped or quick when already done; re-running is safe):
#   1. apt:    Jupyter (nbconvert, nbclient, jupyter-client, classic notebook), the Debian
#              Fashion-MNIST package, and rsvg-convert (librsvg2-bin) with the figures' font
#              (fonts-liberation2) for the figure rendering checks; installed only if one is missing.
#              Needs root or sudo; use --no-apt to skip it (then provide Jupyter yourself,
#              e.g. `pip install nbconvert nbclient jupyter_client notebook`).
#   2. tools:  gonb and goimports, pinned in scripts/tools/go.mod, built with `go install tool`
#              into $(go env GOBIN) or $(go env GOPATH)/bin.
#   3. kernel: renders kernels/walkingnoise/kernel.json.in and installs it as the Jupyter kernel
#              "walkingnoise" ("Go (Walking Noise)") for the current user.
#   4. data:   runs scripts/fetch-data.sh <data dir> if that script exists (--no-data skips it).
#
# Environment: WALKINGNOISE_DATA sets the data directory (default <repo>/data).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

do_apt=1
do_data=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-apt) do_apt=0 ;;
    --no-data) do_data=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "setup: unknown argument '$1' (valid: --no-apt, --no-data, --help)" >&2; exit 2 ;;
  esac
  shift
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
data_dir=${WALKINGNOISE_DATA:-$repo/data}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
setup_start=$(now_ms)
step_start=0
summary=()
step() { step_start=$(now_ms); echo "==> setup: $*"; }
step_done() { # step_done NAME [NOTE]
  local took=$(($(now_ms) - step_start))
  echo "    $1 done in $(fmt_s "$took")${2:+ ($2)}"
  summary+=("$1 $(fmt_s "$took")")
}

# ---------------------------------------------------------------- 1. apt
apt_packages=(jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook dataset-fashion-mnist librsvg2-bin fonts-liberation2)
step "apt packages: ${apt_packages[*]}"
if [ "$do_apt" -eq 0 ]; then
  step_done apt "skipped: --no-apt"
elif ! command -v dpkg >/dev/null 2>&1; then
  step_done apt "skipped: no dpkg on this system; install Jupyter (nbconvert, nbclient) yourself"
else
  missing=()
  for p in "${apt_packages[@]}"; do
    case "$(dpkg -s "$p" 2>/dev/null || true)" in
      *"Status: install ok installed"*) ;;
      *) missing+=("$p") ;;
    esac
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step_done apt "all installed"
  else
    echo "    missing: ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
      else
        echo "setup: need root or sudo to install ${missing[*]}; re-run as root, or use --no-apt" >&2
        exit 1
      fi
    fi
    apt_opts=(-q -o DPkg::Lock::Timeout=300 -o Dpkg::Progress-Fancy=0)
    echo "    + apt-get update"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
    echo "    + apt-get install -y --no-install-recommends ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
      --no-install-recommends "${missing[@]}"
    step_done apt "installed ${#missing[@]} missing package(s)"
  fi
fi

# Pick a jupyter that can run nbconvert (a pyenv shim named jupyter may exist without Jupyter).
find_jupyter() {
  local c
  for c in "$(command -v jupyter 2>/dev/null || true)" /usr/bin/jupyter; do
    if [ -n "$c" ] && [ -x "$c" ] && "$c" nbconvert --version >/dev/null 2>&1; then
      echo "$c"
      return 0
    fi
  done
  return 1
}
if ! jupyter=$(find_jupyter); then
  echo "setup: no working 'jupyter nbconvert' found; install Debian's jupyter-nbconvert python3-nbclient" \
    "jupyter-client (or pip install nbconvert nbclient jupyter_client) and re-run" >&2
  exit 1
fi

# A python3 that runs (a pyenv shim may point at a missing version); only the standard library is used.
python=
for c in "$(command -v python3 2>/dev/null || true)" /usr/bin/python3; do
  if [ -n "$c" ] && "$c" -c '' >/dev/null 2>&1; then python=$c; break; fi
done
[ -n "$python" ] || { echo "setup: python3 not found" >&2; exit 1; }

# ---------------------------------------------------------------- 2. Go tools
step "Go tools: gonb + goimports (scripts/tools/go.mod)"
. scripts/goenv.sh # PATH, GOTOOLCHAIN=go1.27.3, GOEXPERIMENT=simd
if ! command -v go >/dev/null 2>&1; then
  echo "setup: the 'go' command was not found; install Go 1.26 or newer (https://go.dev/dl/; GOTOOLCHAIN fetches 1.27.3) and put it on PATH" >&2
  exit 1
fi
echo "    $(go version)"
gobin=$(go env GOBIN)
if [ -z "$gobin" ]; then
  gopath=$(go env GOPATH)
  gobin="${gopath%%:*}/bin"
fi
goroot_bin="$(go env GOROOT)/bin"
export PATH="$gobin:$PATH"
(cd scripts/tools && go install tool)
for t in gonb goimports; do
  if [ ! -x "$gobin/$t" ]; then
    echo "setup: '$t' was not installed into $gobin" >&2
    exit 1
  fi
done
step_done tools "$("$gobin/gonb" -version 2>&1 | sed -n 's/^GoNB version: //p' | head -1) in $gobin"

# ---------------------------------------------------------------- 3. Jupyter kernel
step "Jupyter kernel 'walkingnoise' (Go (Walking Noise))"
kernel_tmp=$(mktemp -d)
trap 'rm -rf "$kernel_tmp"' EXIT
mkdir -p "$kernel_tmp/walkingnoise"
cp kernels/walkingnoise/logo-svg.svg "$kernel_tmp/walkingnoise/"
"$python" "$repo/scripts/render_kernel.py" "$repo/kernels/walkingnoise/kernel.json.in" "$kernel_tmp/walkingnoise/kernel.json" \
  "$gobin/gonb" "$gobin" "$goroot_bin" "$data_dir" "$repo"
"$jupyter" kernelspec install --user --replace --name walkingnoise "$kernel_tmp/walkingnoise" 2>&1 |
  sed 's/^/    /'
step_done kernel "gonb=$gobin/gonb, default data folder $data_dir (a caller's WALKINGNOISE_DATA wins)"

# ---------------------------------------------------------------- 4. data
step "data sets into $data_dir"
if [ "$do_data" -eq 0 ]; then
  step_done data "skipped: --no-data"
elif [ -f scripts/fetch-data.sh ]; then
  bash scripts/fetch-data.sh "$data_dir"
  step_done data
else
  echo "    WARNING: scripts/fetch-data.sh not found; no data fetched"
  step_done data "skipped: no scripts/fetch-data.sh"
fi

total=$(($(now_ms) - setup_start))
echo "setup: OK in $(fmt_s "$total") [$(
  IFS=,
  echo "${summary[*]}" | sed 's/,/, /g'
)]; kernel 'walkingnoise' uses $gobin/gonb; data in $data_dir"
