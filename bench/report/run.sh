#!/usr/bin/env bash
# Benchmark: the in-memory upstreaming report vs the obvious loop
#   for each ref: git checkout <ref> && git apply --check <each patch>
# Usage: bench/report/run.sh <local upstream clone> [comma-separated refs] [warm runs]
# Default refs: the 12 x.y.0 releases from 1.0.0 to 1.11.0 plus master (13 refs).
# Prints one line per measurement and a summary; nothing is written outside a temporary directory (the report runs on
# a scratch copy of patches/ and upstream.lock, with its own caches).
set -euo pipefail
upstream=${1:?usage: run.sh <local upstream clone> [refs] [warm runs]}
refs=${2:-1.0.0,1.1.0,1.2.0,1.3.0,1.4.0,1.5.0,1.6.0,1.7.0,1.8.0,1.9.0,1.10.0,1.11.0,master}
runs=${3:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# TOOL=<path of a built triton-mesos> skips the build (e.g. on a loaded machine); R2R=1 publishes it ReadyToRun
# (linux-x64, framework-dependent; the SDK restores the crossgen package from NuGet) instead of a plain Release build.
if [ -z "${TOOL:-}" ]; then
  if [ "${R2R:-}" = 1 ]; then
    nice dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo -nodeReuse:false \
      -o "$tmp/tool" "$root/tool/TritonMesos.Cli" >/dev/null
    TOOL="$tmp/tool/triton-mesos"
  else
    nice dotnet build -c Release -v q -nologo -nodeReuse:false "$root/tool/TritonMesos.Cli" >/dev/null
    TOOL="$root/tool/TritonMesos.Cli/bin/Release/net10.0/triton-mesos"
  fi
fi
tool=$TOOL
patches=$(grep -v '^\s*#' "$root/patches/series" | sed 's/#.*//' | awk 'NF' | sed "s|^|$root/patches/|")
nrefs=$(echo "$refs" | tr ',' '\n' | wc -l)
npatches=$(echo "$patches" | wc -l)
echo "bench: $npatches patches x $nrefs refs; load $(cut -d" " -f1-3 /proc/loadavg); upstream $(git -C "$upstream" rev-parse --short master 2>/dev/null || echo '?'); $(nproc) cores; $(date -u +%Y-%m-%d); tool $tool"

# ONLY=loop measures only the checkout loop (2.); ONLY=report only the report (1.).
# 1. In-memory report, on a scratch copy of the project (patches/, upstream.lock) so that its caches
#    (.work/cache/report: history look-ups and the outcome cache) start empty and this repository's stay untouched.
if [ "${ONLY:-}" != loop ]; then
project="$tmp/project"
mkdir -p "$project"
cp -r "$root/patches" "$root/upstream.lock" "$project/"
cache="$project/.work/cache/report"
report() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$tool" report --root "$project" --upstream-url "$upstream" --refs "$refs" \
    --output "$tmp/out" "$@" >/dev/null 2>"$tmp/report.log"
  read -r wall user sys <"$tmp/time"
  cpu=$(echo "$user + $sys" | bc)
}
detail() { grep -o 'computed in .*' "$tmp/report.log" | sed 's/)$//'; }
export XDG_CACHE_HOME="$tmp/xdg"
report; cold=$wall
echo "report cold (empty caches: history search and every application): ${wall}s wall, ${cpu}s CPU; load $(cut -d' ' -f1 /proc/loadavg) ($(detail))"
rm -f "$cache/outcomes.bin"
report; matrix_cold=$wall
echo "report, history cached, outcome cache empty (the matrix recomputed, as before the outcome cache): ${wall}s wall, ${cpu}s CPU ($(detail))"
warm_list=()
warm_cpu_list=()
for i in $(seq "$runs"); do
  report; warm_list+=("$wall"); warm_cpu_list+=("$cpu")
  echo "report warm run $i (both caches warm): ${wall}s wall, ${cpu}s CPU; load $(cut -d' ' -f1 /proc/loadavg) ($(detail))"
done
warm=$(printf '%s\n' "${warm_list[@]}" | median)
warm_cpu=$(printf '%s\n' "${warm_cpu_list[@]}" | median)
echo "report warm median: ${warm}s wall, ${warm_cpu}s CPU"
# One patch touched: the first added line of the last patch in the series gets a suffix (its diff changes, so its
# cells and its history look-up are recomputed; every other cell comes from the cache).
last=$(basename "$(echo "$patches" | tail -1)")
awk '!done && /^\+/ && !/^\+\+\+/ {print $0 " (touched)"; done=1; next} {print}' "$root/patches/$last" >"$project/patches/$last"
report; touched=$wall
echo "report after touching $last: ${wall}s wall, ${cpu}s CPU ($(detail))"
cp "$root/patches/$last" "$project/patches/$last"
fi
[ "${ONLY:-}" = report ] && exit 0

# 2. The checkout loop in a scratch clone (3rdparty tarballs excluded from checkout: the local mirror lacks
#    its biggest blobs; excluding them only makes the loop faster, i.e. the comparison conservative).
git clone -q --shared --no-checkout "$upstream" "$tmp/clone"
# A clone that lacks blobs (the local mirror lacks its biggest tarballs) gets empty placeholder objects in the
# scratch clone only, so that checkout works; writing empty files instead of tarballs only makes the loop faster.
for r in $(echo "$refs" | tr ',' ' '); do git -C "$tmp/clone" ls-tree -r "$r" -- 3rdparty; done | awk '$2 == "blob" {print $3}' | sort -u |
  git -C "$tmp/clone" cat-file --batch-check 2>/dev/null | awk '$2 == "missing" {print $1}' |
  python3 -c 'import sys, zlib, os
for oid in sys.stdin.read().split():
    d = os.path.join(sys.argv[1], oid[:2]); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, oid[2:]), "wb").write(zlib.compress(b"blob 0\0"))' "$tmp/clone/.git/objects"
loop_once() {
  for r in $(echo "$refs" | tr ',' ' '); do
    git -C "$tmp/clone" checkout -q -f "$r" 2>/dev/null
    for p in $patches; do git -C "$tmp/clone" apply --check "$p" >/dev/null 2>&1 || true; done
  done
}
git -C "$tmp/clone" checkout -q -f "$(echo "$refs" | cut -d, -f1)"  # first checkout populates the tree, not timed
loop_list=()
loop_cpu_list=()
for i in $(seq "${LOOP_RUNS:-3}"); do
  # bash's time: wall, and the user and system CPU of the git processes.
  { TIMEFORMAT='%R %U %S'; time loop_once; } 2>"$tmp/loop.time"
  read -r t user sys <"$tmp/loop.time"
  loop_list+=("$t"); loop_cpu_list+=("$(echo "$user + $sys" | bc)")
  echo "checkout loop run $i: ${t}s wall, ${loop_cpu_list[-1]}s CPU; load $(cut -d' ' -f1 /proc/loadavg)"
done
loop=$(printf '%s\n' "${loop_list[@]}" | median)
loop_cpu=$(printf '%s\n' "${loop_cpu_list[@]}" | median)
echo "checkout loop median: ${loop}s wall, ${loop_cpu}s CPU"
[ -n "${warm:-}" ] && echo "summary: report warm median ${warm}s (matrix recomputed ${matrix_cold}s, one patch touched ${touched}s, cold ${cold}s); checkout loop median ${loop}s; ratio loop/warm $(echo "scale=2; $loop / $warm" | bc)x wall, $(echo "scale=2; $loop_cpu / $warm_cpu" | bc)x CPU; loop/matrix-recomputed $(echo "scale=2; $loop / $matrix_cold" | bc)x wall"
exit 0
