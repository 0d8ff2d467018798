#!/bin/sh
# Measures the agent image build: cold (or current) build, then a rebuild after a one-line change in the Mesos tree,
# then shows that switching profiles needs no rebuild. Results go to stdout; record them in docs/perf.md.
#
# usage: bench/image/rebuild.sh --mesos-tree <patched tree> [--base-image <image>] [--file src/docker/docker.cpp]
# The tree is copied (the original is not modified); DOCKER_HOST selects the engine.
set -eu
tree=""; base="triton-mesos-base:bookworm"; file="src/docker/docker.cpp"
while [ $# -gt 0 ]; do
  case "$1" in
    --mesos-tree) tree="$2"; shift 2 ;;
    --base-image) base="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$tree" ] || { echo "--mesos-tree is required" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tool="dotnet run --project $root/tool/TritonMesos.Cli --"
copy=$(mktemp -d)/mesos
trap 'rm -rf "$(dirname "$copy")"' EXIT
tar -C "$tree" --exclude=.git -cf - . | (mkdir -p "$copy" && tar -C "$copy" -xf -)

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
build() {
  start=$(date +%s)
  $tool build-image --root "$root" --mesos-tree "$copy" --base-image "$base" --tag triton-mesos-agent:bench > "$1" 2>&1
  echo $(( $(date +%s) - start ))
}

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(stamp) build (as the cache stands)"
first=$(build /tmp/bench-image-1.log); echo "build: ${first}s"
printf '\n// bench: one-line change %s\n' "$(stamp)" >> "$copy/$file"
echo "$(stamp) rebuild after a one-line change in $file"
second=$(build /tmp/bench-image-2.log); echo "rebuild: ${second}s"
grep -E 'ccache|Hits|Misses|hit|miss' /tmp/bench-image-2.log | tail -3 || true
echo "profile switch: no build step, only the container's environment:"
echo "  docker run --rm -e TRITON_MESOS_PROFILE=upstream triton-mesos-agent:bench flags"
start=$(date +%s%N)
DOCKER_BUILDKIT=1 /usr/bin/docker run --rm --network none -e TRITON_MESOS_PROFILE=upstream triton-mesos-agent:bench flags
echo "profile switch: $(( ($(date +%s%N) - start) / 1000000 )) ms (docker run of the entrypoint's flags mode)"
