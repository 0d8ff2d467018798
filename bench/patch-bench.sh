#!/usr/bin/env bash
# Measures `triton-mesos apply` (the Patch target) against the floor of doing the same by hand:
#   cold:  no cache, no work tree        vs  git clone --depth 1 --branch <ref> <clone> && git am patches (series order)
#   warm:  unchanged inputs (a no-op)    vs  itself (goal: under 1 s)
# Usage: bench/patch-bench.sh <path-to-a-local-apache-mesos-clone> [runs]
# Runs in a temp copy of upstream.lock + patches/, never touches the repository's .work/.
# TRITON_MESOS may name the command to run (default: the Release build of tool/TritonMesos.Cli, built here).
set -euo pipefail

clone=${1:?usage: bench/patch-bench.sh <path-to-a-local-apache-mesos-clone> [runs]}
runs=${2:-3}
clone=$(cd "$clone" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
ref=$(sed -n 's/.*"ref": *"\([^"]*\)".*/\1/p' "$root/upstream.lock")

if [[ -z "${TRITON_MESOS:-}" ]]; then
  dotnet build -c Release -v q --nologo "$root/tool/TritonMesos.Cli" >/dev/null
  TRITON_MESOS="dotnet $root/tool/TritonMesos.Cli/bin/Release/net10.0/triton-mesos.dll"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project"
cp -r "$root/upstream.lock" "$root/patches" "$tmp/project/"
mapfile -t series < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$root/patches/series")

now() { date +%s.%N; }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f\n", a - b }'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org

# ours_cold <url>: seconds for apply with an empty .work (no cache, no tree)
ours_cold() {
  rm -rf "$tmp/project/.work"
  local t0; t0=$(now)
  (cd "$tmp/project" && $TRITON_MESOS apply --upstream-url "$1" >"$tmp/ours.log" 2>&1) || { cat "$tmp/ours.log" >&2; return 1; }
  elapsed "$t0"
}
ours_warm() {
  local t0; t0=$(now)
  (cd "$tmp/project" && $TRITON_MESOS apply --upstream-url "$1" >"$tmp/ours.log" 2>&1)
  grep -q "nothing to do" "$tmp/ours.log" || { echo "warm run was not a no-op:" >&2; cat "$tmp/ours.log" >&2; return 1; }
  elapsed "$t0"
}
# floor <url>: seconds for the hand-made equivalent, or "failed"
floor() {
  rm -rf "$tmp/floor"
  local t0; t0=$(now)
  if git clone -q --depth 1 --branch "$ref" "$1" "$tmp/floor" >"$tmp/floor.log" 2>&1 \
     && (cd "$tmp/floor" && for p in "${series[@]}"; do git am -q "$tmp/project/patches/$p" || exit 1; done) >>"$tmp/floor.log" 2>&1; then
    elapsed "$t0"
  else
    echo failed
  fi
}
measure() { # measure <fn> <url>
  local out=() i
  for ((i = 0; i < runs; i++)); do out+=("$("$1" "$2")"); done
  if printf '%s\n' "${out[@]}" | grep -q failed; then echo failed; else printf '%s\n' "${out[@]}" | median; fi
}
ratio() { [[ $1 == failed || $2 == failed ]] && echo n/a || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); git $(git --version | cut -d' ' -f3); ${#series[@]} patches; $runs runs each (median)"

floor_clone=$(measure floor "$clone")
if [[ $floor_clone == failed ]]; then
  echo "floor on the clone failed: $(grep -m1 -E 'fatal|error' "$tmp/floor.log" || tail -1 "$tmp/floor.log")"
fi
cold_clone=$(measure ours_cold "$clone")
warm=$(measure ours_warm "$clone")

# The floor cannot run on a clone with missing blobs (no transport can send them), so build a complete stand-in:
# the same tree with each missing blob replaced by a real placeholder blob, committed on the same parent and tagged
# as the ref. Both the floor and our apply (with a temporary lock on that commit) then run against it.
repaired="$tmp/complete.git"
git clone -q --bare --local "$clone" "$repaired"
commit=$(git -C "$repaired" rev-parse "$ref^{commit}")
placeholder=$(echo "placeholder: blob missing from the bench clone" | git -C "$repaired" hash-object -w --stdin)
export GIT_INDEX_FILE="$tmp/complete.index"
git -C "$repaired" read-tree "$commit"
git -C "$repaired" ls-tree -r "$commit" | awk -F'\t' '{split($1, f, " "); if (f[2] == "blob") print f[3] "\t" $2}' >"$tmp/blobs"
cut -f1 "$tmp/blobs" | git -C "$repaired" cat-file --batch-check | awk '$2 == "missing" {print $1}' >"$tmp/missing"
missing=$(wc -l <"$tmp/missing")
{ grep -F -f "$tmp/missing" "$tmp/blobs" || true; } | while IFS=$'\t' read -r _ path; do
  git -C "$repaired" update-index --cacheinfo "100644,$placeholder,$path"
done
complete=$(git -C "$repaired" commit-tree "$(git -C "$repaired" write-tree)" -p "$commit^" -m "$ref with placeholder blobs (bench)")
unset GIT_INDEX_FILE
git -C "$repaired" tag -f "$ref" "$complete" >/dev/null
echo "complete stand-in: $missing missing blob(s) replaced; $ref -> $complete"
floor_repaired=$(measure floor "file://$repaired")
cp "$tmp/project/upstream.lock" "$tmp/upstream.lock.orig"
sed -i "s/\"commit\": *\"[0-9a-f]*\"/\"commit\": \"$complete\"/" "$tmp/project/upstream.lock"
cold_repaired=$(measure ours_cold "$repaired")
cp "$tmp/upstream.lock.orig" "$tmp/project/upstream.lock"

printf '\n%-44s %10s\n' "measurement" "seconds"
printf '%-44s %10s\n' "floor, given clone" "$floor_clone"
printf '%-44s %10s\n' "floor, complete stand-in (file://)" "$floor_repaired"
printf '%-44s %10s\n' "apply cold, given clone" "$cold_clone"
printf '%-44s %10s\n' "apply cold, complete stand-in" "$cold_repaired"
printf '%-44s %10s\n' "apply warm (no-op)" "$warm"
echo
echo "ratio cold/floor (given clone):    $(ratio "$cold_clone" "$floor_clone")"
echo "ratio cold/floor (complete stand-in): $(ratio "$cold_repaired" "$floor_repaired")   (goal <= 1.10)"
echo "warm: ${warm} s   (goal < 1 s)"
