#!/usr/bin/env bash
# Benchmark: the in-memory upstreaming report against the floor, the obvious index loop
#   for each ref: git read-tree <ref> into a scratch index, then git apply --cached of each patch of the series in
#   order, retried with -3 when it fails
# measured in one run, alternated (loop, report, loop, report, ...) so that both see the same machine load.
# Usage: bench/report/run.sh <local upstream clone> [comma-separated refs] [runs]
# Default refs: the 12 x.y.0 releases from 1.0.0 to 1.11.0 plus master (13 refs); default 5 runs of each.
# Env: TOOL=<built triton-mesos> skips the Release build; R2R=1 publishes it ReadyToRun instead.
# Prints one line per run, the medians and the ratios loop/cold and loop/warm (goals: >= 3 and >= 20). Nothing is
# written outside a temporary directory: the report runs on a scratch copy of patches/ and upstream.lock with its own
# caches; the loop runs in a scratch shared clone (objects that -3 writes stay there).
set -euo pipefail
upstream=${1:?usage: run.sh <local upstream clone> [refs] [runs]}
refs=${2:-1.0.0,1.1.0,1.2.0,1.3.0,1.4.0,1.5.0,1.6.0,1.7.0,1.8.0,1.9.0,1.10.0,1.11.0,master}
runs=${3:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

if [ -z "${TOOL:-}" ]; then
  if [ "${R2R:-}" = 1 ]; then
    nice dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo -nodeReuse:false \
      -o "$tmp/tool" "$root/tool/TritonMesos.Cli" >/dev/null
  else
    nice dotnet build -c Release -v q -nologo -nodeReuse:false -o "$tmp/tool" "$root/tool/TritonMesos.Cli" >/dev/null
  fi
  TOOL="$tmp/tool/triton-mesos"
fi
patches=$(grep -v '^\s*#' "$root/patches/series" | sed 's/#.*//' | awk 'NF' | sed "s|^|$root/patches/|")
nrefs=$(echo "$refs" | tr ',' '\n' | wc -l)
npatches=$(echo "$patches" | wc -l)
echo "bench: $npatches patches x $nrefs refs; $runs runs each; load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); git $(git --version | cut -d' ' -f3); upstream master $(git -C "$upstream" rev-parse --short master 2>/dev/null || echo '?'); tool $TOOL"

# The report, on a scratch copy of the project so that its caches (.work/cache/report) start empty.
project="$tmp/project"
mkdir -p "$project"
cp -r "$root/patches" "$root/upstream.lock" "$project/"
export XDG_CACHE_HOME="$tmp/xdg"
report() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$TOOL" report --root "$project" --upstream-url "$upstream" --refs "$refs" \
    --output "$tmp/out" "$@" >/dev/null 2>"$tmp/report.log"
  read -r wall user sys <"$tmp/time"
  cpu=$(echo "$user + $sys" | bc)
}
detail() { grep -o 'computed in .*' "$tmp/report.log" | sed 's/)$//' || grep -o 'report: .*unchanged.*' "$tmp/report.log" || true; }

# The floor: one scratch index per run in a shared clone (no checkout; read-tree needs trees only).
git clone -q --shared --no-checkout "$upstream" "$tmp/clone"
loop() {
  local index="$tmp/loop.index" r p
  for r in $(echo "$refs" | tr ',' ' '); do
    GIT_INDEX_FILE=$index git -C "$tmp/clone" read-tree "$r"
    for p in $patches; do
      GIT_INDEX_FILE=$index git -C "$tmp/clone" apply --cached "$p" 2>/dev/null ||
        GIT_INDEX_FILE=$index git -C "$tmp/clone" apply --cached -3 "$p" >/dev/null 2>&1 || true
    done
  done
}
loop_run() {
  # bash's time: wall, and the user and system CPU of the git processes.
  { TIMEFORMAT='%R %U %S'; time loop; } 2>"$tmp/loop.time"
  read -r lwall luser lsys <"$tmp/loop.time"
  lcpu=$(echo "$luser + $lsys" | bc)
}
loop_run  # warms the page cache for the clone's pack, not counted (the report's first run below is not warmer)

loops=(); loop_cpus=(); colds=(); cold_cpus=(); warms=(); warm_cpus=()
for i in $(seq "$runs"); do
  loop_run; loops+=("$lwall"); loop_cpus+=("$lcpu")
  echo "loop run $i: ${lwall}s wall, ${lcpu}s CPU; load $(load)"
  report --no-cache; colds+=("$wall"); cold_cpus+=("$cpu")
  echo "report --no-cache run $i: ${wall}s wall, ${cpu}s CPU; load $(load) ($(detail))"
done
report  # fills both caches
echo "report filling the caches: ${wall}s wall, ${cpu}s CPU ($(detail))"
for i in $(seq "$runs"); do
  loop_run; loops+=("$lwall"); loop_cpus+=("$lcpu")
  echo "loop run $((runs + i)): ${lwall}s wall, ${lcpu}s CPU; load $(load)"
  report; warms+=("$wall"); warm_cpus+=("$cpu")
  echo "report warm run $i: ${wall}s wall, ${cpu}s CPU; load $(load) ($(detail))"
done

# Each ratio uses the loop runs alternated with the report runs it compares (the load drifts between the phases).
m() { printf '%s\n' "$@" | median; }
loop1_m=$(m "${loops[@]:0:runs}"); loop1_cpu_m=$(m "${loop_cpus[@]:0:runs}")
loop2_m=$(m "${loops[@]:runs}"); loop2_cpu_m=$(m "${loop_cpus[@]:runs}")
cold_m=$(m "${colds[@]}"); cold_cpu_m=$(m "${cold_cpus[@]}")
warm_m=$(m "${warms[@]}"); warm_cpu_m=$(m "${warm_cpus[@]}")
ratio() { echo "scale=1; $1 / $2" | bc; }
echo "medians: loop ${loop1_m}s wall (${loop1_cpu_m}s CPU) next to report --no-cache ${cold_m}s (${cold_cpu_m}s CPU); loop ${loop2_m}s (${loop2_cpu_m}s CPU) next to report warm ${warm_m}s (${warm_cpu_m}s CPU)"
echo "ratios: loop/--no-cache $(ratio "$loop1_m" "$cold_m")x wall, $(ratio "$loop1_cpu_m" "$cold_cpu_m")x CPU (goal >= 3); loop/warm $(ratio "$loop2_m" "$warm_m")x wall, $(ratio "$loop2_cpu_m" "$warm_cpu_m")x CPU (goal >= 20); load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
