#!/usr/bin/env bash
# Scale-out: the same camera fleet against 1, 2 and 3 recover workers, each a JVM of its own in one
# consumer group, then 3 workers with the first SIGKILLed mid-run. Prints one line per run from its
# summary.json; the reports are in OUT/workers-N and OUT/kill.
#   loadtest/run-scaleout.sh [cameras=6] [fps=3] [seconds=60] [kill-at=20] [out=.megastream/scaleout]
set -euo pipefail
CAMS=${1:-6}; FPS=${2:-3}; SECS=${3:-60}; KILL=${4:-20}; OUT=${5:-.megastream/scaleout}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p "$(dirname "$OUT")"
field() { grep -o "\"$2\": [^,]*" "$1" | head -1 | sed 's/.*: //'; }
line() {
  local s=$1/summary.json
  printf '%-10s workers %s  persons/s %6.2f (%.2f per worker)  p50 %6.0f ms  p99 %7.0f ms  frames %s/%s  duplicates %s  max lag %s  CPU %.2f cores\n' \
    "$2" "$(field "$s" workers)" "$(field "$s" personsPerSecond)" \
    "$(echo "$(field "$s" personsPerSecond) / $(field "$s" workers)" | bc -l)" \
    "$(field "$s" latencyP50Ms)" "$(field "$s" latencyP99Ms)" \
    "$(field "$s" framesWithResult)" "$(field "$s" framesSent)" "$(field "$s" duplicateResults)" \
    "$(field "$s" maxLag)" "$(field "$s" meanCpuCores)"
}
for n in 1 2 3; do
  echo "scale-out: $n worker process(es), $CAMS cameras x $FPS fps x $SECS s" >&2
  ./megastream loadtest --cameras "$CAMS" --fps "$FPS" --seconds "$SECS" --persons 1 \
    --workers "$n" --worker-processes --out "$OUT/workers-$n" >"$OUT-workers-$n.log" 2>&1 || true
done
echo "scale-out: 3 workers, the first SIGKILLed at $KILL s" >&2
./megastream loadtest --cameras "$CAMS" --fps "$FPS" --seconds "$SECS" --persons 1 --workers 3 \
  --worker-processes --kill-worker-at "$KILL" --out "$OUT/kill" >"$OUT-kill.log" 2>&1 || true
for n in 1 2 3; do line "$OUT/workers-$n" "workers-$n"; done
line "$OUT/kill" "kill@${KILL}s"
