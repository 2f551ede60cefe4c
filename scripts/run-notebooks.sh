#!/usr/bin/env bash
# run-notebooks.sh — execute the project's notebooks headless and check them.
#
# Usage: bash scripts/run-notebooks.sh [--preset quick|standard|paper] [--import DIR [--stored-only]] [--out DIR]
#                                      [--timeout SECONDS] [notebook.ipynb ...]
#
#   --preset   exported as WALKINGNOISE_PRESET for the notebooks (default: $WALKINGNOISE_PRESET or quick).
#   --import   (standard preset only; or $WALKINGNOISE_IMPORT) first import the shipped results in DIR (e.g.
#              notebooks/results/standard, written by scripts/ship-results.sh) into the notebooks' store, so that
#              they render from them instead of computing. Unless $WALKINGNOISE_OUT is set, the store is then
#              <out>/store/results.db (a store of its own, not the default out/results.db); points missing from the
#              shipped results are computed there.
#   --stored-only  (with --import) compute nothing: a walk or tracked training missing from the store fails its
#              notebook (exports WALKINGNOISE_STORED_ONLY=1, see study.StoredOnly). This checks that the shipped
#              results cover every notebook's plans for this code.
#   --out      where executed notebooks, HTML exports, logs and timings.md go (default: out/notebooks).
#   --timeout  per-cell timeout in seconds (default 1800).
#   notebooks  default: every notebooks/*.ipynb, sorted by name.
#
# Each notebook runs in the Jupyter kernel "walkingnoise" (install it with scripts/setup.sh), then is
# exported to self-contained HTML (no MathJax or other scripts fetched from URLs) and checked by
# scripts/check_notebook.py (no error output, an inline SVG, no "FINDING FAILED", every figure renders
# cleanly with rsvg-convert, no progress-bar residue or repeated summary lines, an HTML page that loads
# nothing). The last line is "N passed, M failed"; the exit status is 1 when M > 0.
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$repo/scripts/goenv.sh" # PATH, GOTOOLCHAIN=go1.27.3, GOEXPERIMENT=simd (the kernel sets the same)
preset=${WALKINGNOISE_PRESET:-quick}
import=${WALKINGNOISE_IMPORT:-}
stored_only=
out=out/notebooks
timeout=1800
kernel=${WALKINGNOISE_KERNEL:-walkingnoise}
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset=${2:?--preset needs a value (quick, standard or paper)}; shift ;;
    --preset=*) preset=${1#*=} ;;
    --import) import=${2:?--import needs the folder of shipped results}; shift ;;
    --import=*) import=${1#*=} ;;
    --stored-only) stored_only=1 ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    --out=*) out=${1#*=} ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift ;;
    --timeout=*) timeout=${1#*=} ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "run-notebooks: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")") ;;
  esac
  shift
done
case "$preset" in
  quick | standard | paper) ;;
  *) echo "run-notebooks: --preset must be quick, standard or paper, got '$preset'" >&2; exit 2 ;;
esac
if [ -n "$stored_only" ] && [ -z "$import" ]; then
  echo "run-notebooks: --stored-only renders imported results: use it with --import DIR" >&2
  exit 2
fi
if [ -n "$import" ]; then
  [ "$preset" = standard ] || { echo "run-notebooks: --import loads shipped results of the standard preset: use it with --preset standard" >&2; exit 2; }
  [ -f "$import/points.csv" ] || { echo "run-notebooks: --import $import: no $import/points.csv (written by scripts/ship-results.sh)" >&2; exit 2; }
  import=$(cd "$import" && pwd)
fi
case "$timeout" in
  '' | *[!0-9]*) echo "run-notebooks: --timeout must be a whole number of seconds, got '$timeout'" >&2; exit 2 ;;
esac

mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$repo"
if [ ${#notebooks[@]} -eq 0 ]; then
  while IFS= read -r nb; do notebooks+=("$repo/$nb"); done < <(LC_ALL=C ls notebooks/*.ipynb 2>/dev/null | sort)
fi
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "run-notebooks: no notebooks found in notebooks/" >&2
  echo "0 passed, 0 failed"
  exit 0
fi
for nb in "${notebooks[@]}"; do
  [ -f "$nb" ] || { echo "run-notebooks: no such notebook: $nb" >&2; exit 2; }
  if [ "$(dirname "$nb")" = "$out" ]; then
    echo "run-notebooks: --out must differ from the notebook's folder ($out)" >&2
    exit 2
  fi
done

# A jupyter that can run nbconvert (a pyenv shim named jupyter may exist without Jupyter).
jupyter=
for c in "$(command -v jupyter 2>/dev/null || true)" /usr/bin/jupyter; do
  if [ -n "$c" ] && [ -x "$c" ] && "$c" nbconvert --version >/dev/null 2>&1; then jupyter=$c; break; fi
done
if [ -z "$jupyter" ]; then
  echo "run-notebooks: no working 'jupyter nbconvert'; run scripts/setup.sh first" >&2
  exit 1
fi
if ! "$jupyter" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "$kernel"; then
  echo "run-notebooks: Jupyter kernel '$kernel' is not installed; run scripts/setup.sh first" >&2
  exit 1
fi

# A python3 that runs (a pyenv shim may point at a missing version); only the standard library is used.
python=
for c in "$(command -v python3 2>/dev/null || true)" /usr/bin/python3; do
  if [ -n "$c" ] && "$c" -c '' >/dev/null 2>&1; then python=$c; break; fi
done
[ -n "$python" ] || { echo "run-notebooks: python3 not found" >&2; exit 1; }

export WALKINGNOISE_PRESET=$preset
[ -n "$stored_only" ] && export WALKINGNOISE_STORED_ONLY=1
if [ -n "$import" ]; then
  export WALKINGNOISE_OUT=${WALKINGNOISE_OUT:-$out/store}
  mkdir -p "$WALKINGNOISE_OUT/bin"
  go build -o "$WALKINGNOISE_OUT/bin/walkingnoise" ./noisylib/cmd/walkingnoise
  "$WALKINGNOISE_OUT/bin/walkingnoise" import -store "$WALKINGNOISE_OUT/results.db" "$import"
fi
now_ms() { echo $(($(date +%s%N) / 1000000)); }
fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

echo "==> run-notebooks: ${#notebooks[@]} notebook(s), preset=$preset, kernel=$kernel, out=$out"
timings="$out/timings.md"
{
  echo "# Notebook run ($(date -u '+%Y-%m-%d %H:%M:%S UTC'), preset $preset, $(nproc) cores)"
  echo
  echo "| notebook | result | execute (s) | html + check (s) | FINDING OK lines |"
  echo "|---|---|---:|---:|---:|"
} >"$timings"

pass=0
fail=0
all_start=$(now_ms)
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  executed="$out/$name.ipynb"
  log="$out/$name.log"
  rm -f "$executed" "$out/$name.html"
  echo "--> $name: executing"
  t0=$(now_ms)
  status=ok
  # allow_errors: a failing cell does not stop nbconvert, so the executed notebook (with the error,
  # the panic or the compiler message) is always written; check_notebook.py then fails it.
  if ! "$jupyter" nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name="$kernel" \
    --ExecutePreprocessor.timeout="$timeout" \
    --ExecutePreprocessor.allow_errors=True \
    --output-dir "$out" --output "$name" "$nb" >"$log" 2>&1; then
    status="execution failed"
  fi
  t1=$(now_ms)
  findings=0
  if [ -f "$executed" ]; then
    # Self-contained HTML: the project's template (scripts/nbconvert/walkingnoise) drops MathJax and
    # require.js, which would be fetched from URLs; styles and figures are inline.
    "$jupyter" nbconvert --to html --TemplateExporter.extra_template_basedirs="$repo/scripts/nbconvert" \
      --template walkingnoise --output-dir "$out" --output "$name" "$executed" >>"$log" 2>&1 ||
      { [ "$status" = ok ] && status="html export failed"; }
    if check_out=$("$python" "$repo/scripts/check_notebook.py" "$executed" 2>&1); then :; else
      [ "$status" = ok ] && status="check failed"
    fi
    printf '%s\n' "$check_out" | sed 's/^/    /'
    findings=$(printf '%s\n' "$check_out" | grep -cF -- "$executed: FINDING OK" || true)
  elif [ "$status" = ok ]; then
    status="no executed notebook written"
  fi
  t2=$(now_ms)
  if [ "$status" = ok ]; then
    pass=$((pass + 1))
    echo "<-- $name: PASSED (execute $(fmt_s $((t1 - t0))) s, html + check $(fmt_s $((t2 - t1))) s)"
  else
    fail=$((fail + 1))
    echo "<-- $name: FAILED: $status (execute $(fmt_s $((t1 - t0))) s); log: $log"
    if [ "$status" != "check failed" ]; then
      echo "    last lines of $log:"
      tail -n 30 "$log" | sed 's/^/    | /'
    fi
  fi
  echo "| $name | $status | $(fmt_s $((t1 - t0))) | $(fmt_s $((t2 - t1))) | $findings |" >>"$timings"
done
total=$(fmt_s $(($(now_ms) - all_start)))
{
  echo
  echo "Total: $total s; $pass passed, $fail failed."
} >>"$timings"
echo "==> run-notebooks: total $total s; outputs and timings.md in $out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
