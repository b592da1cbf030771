#!/usr/bin/env bash
# SIGTERM a recover worker mid-batch, RUNS times, under glibc's malloc checks, and report the exit
# code, the time to exit and any glibc heap message. A double free or a use-after-free aborts the
# process (exit 134) instead of corrupting it silently.
#   loadtest/run-shutdown-check.sh [RUNS] [BOOTSTRAP] [JAR]
# Needs frames with persons on BOOTSTRAP's frames topic, e.g.
#   ./megastream ingest --bootstrap-server B --camera heap=synthetic:persons=3,frames=300,size=320x240
set -uo pipefail
RUNS=${1:-3}; BOOTSTRAP=${2:-127.0.0.1:9092}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR=${3:-$ROOT/deploy/cli/target/megastream.jar}
cd "$ROOT"
for i in $(seq 1 "$RUNS"); do
  id="shutdown-check-$$-$i"
  LOG=$(mktemp -t "$id.XXXX.log")
  OPT_OUT_TRACKING=true DJL_OFFLINE=true LD_PRELOAD=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 \
    GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.perturb=165 MALLOC_CHECK_=3 MALLOC_PERTURB_=165 \
    java -Dai.djl.offline=true -jar "$JAR" recover --bootstrap-server "$BOOTSTRAP" --group "$id" \
    --worker-id "$id" --mode stochastic --max-batch 16 --metrics-port -1 >"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do grep -q "assigned" "$LOG" && break; sleep 0.5; done
  sleep 4 # a sampled batch is running
  T0=$(date +%s.%N); kill -TERM "$PID"; wait "$PID"; RC=$?; T1=$(date +%s.%N)
  printf 'run %d: exit %d, %.1f s after SIGTERM, glibc heap messages: %s (log %s)\n' "$i" "$RC" \
    "$(echo "$T1 - $T0" | bc)" \
    "$(grep -E 'tcache|double free|corrupted|free\(\)|malloc\(\)' "$LOG" | head -1 || true)" "$LOG"
done
