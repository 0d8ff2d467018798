#!/bin/sh
# tracked-make LOG NAME [make arguments...]: make with its output in LOG, and progress through the build's own output.
#
# BuildKit clips long step logs, so make writes to LOG; meanwhile, every PROGRESS_INTERVAL seconds (default 30), one
# line tells how many compilations ran (ccache's hits + misses, zeroed at the start) out of the number expected, and
# the time so far. The number expected is that of the last complete run of NAME, kept in the ccache directory (a cache
# mount that outlives the build), else EXPECTED_COMPILATIONS. The last line says how long make took and ccache's hit
# rate. A failure prints make's errors and last lines, and exits non-zero.
set -eu
log=$1 name=$2
shift 2
command="make $*"
record="${CCACHE_DIR:?CCACHE_DIR is not set}/triton-mesos-compilations-$name"
interval=${PROGRESS_INTERVAL:-30}

# "hits misses" since the last ccache -z.
stats() {
    ccache --print-stats 2>/dev/null | awk -F '\t' '
        $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
        $1 == "cache_miss" { m += $2 }
        END { print h + 0, m + 0 }'
}
clock() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

expected=$(cat "$record" 2>/dev/null || true)
origin="the last complete build"
if [ -z "$expected" ]; then
    expected=${EXPECTED_COMPILATIONS:-}
    origin="EXPECTED_COMPILATIONS, counted once for this series"
fi
case "$expected" in '' | *[!0-9]*) expected= ;; esac

ccache -z >/dev/null
start=$(date +%s)
echo "==> $command ($(date -u +%H:%M:%S)): progress every ${interval}s${expected:+, $expected compilations expected (as in $origin)}"
(
    while sleep "$interval"; do
        set -- $(stats)
        done=$(($1 + $2)) elapsed=$(($(date +%s) - start))
        if [ -n "$expected" ] && [ "$expected" -gt 0 ]; then
            echo "==> make: $done of $expected compilations ($((100 * done / expected)) %), $(clock "$elapsed") elapsed, ccache hits $1"
        else
            echo "==> make: $done compilations, $(clock "$elapsed") elapsed, ccache hits $1 (no earlier count to compare with)"
        fi
    done
) &
reporter=$!

status=0
nice -n "${BUILD_NICE:-0}" make "$@" >"$log" 2>&1 || status=$?
kill "$reporter" 2>/dev/null || true
wait "$reporter" 2>/dev/null || true

set -- $(stats)
done=$(($1 + $2)) elapsed=$(($(date +%s) - start))
rate=0
[ "$done" -eq 0 ] || rate=$((100 * $1 / done))
if [ "$status" -ne 0 ]; then
    echo "==> FAILED: $command after $(clock "$elapsed") ($done compilations); errors in $log:"
    grep -nE ' error: |\] Error [0-9]+|undefined reference|collect2|ld returned' "$log" | head -n 60 || true
    echo "==> last lines of $log:"
    tail -n 100 "$log"
    exit "$status"
fi
echo "$done" >"$record"
echo "==> make took $(clock "$elapsed") ($(date -u +%H:%M:%S)): $done compilations; ccache $1 hits, $2 misses: $rate % hits"
