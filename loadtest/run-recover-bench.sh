#!/usr/bin/env bash
# The recover worker: throughput vs batch size, latency split and stochastic share at a steady load.
# Usage: loadtest/run-recover-bench.sh [backlog-frames=48] [steady-seconds=60] [fps-per-camera=0.5]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl loadtest -am
mvn -B -q dependency:build-classpath -pl loadtest -Dmdep.outputFile=target/classpath.txt
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
cd loadtest
exec java -Dai.djl.offline=true -cp "target/classes:$(cat target/classpath.txt)" \
  io.megastream.loadtest.RecoverBench "${1:-48}" "${2:-60}" "${3:-0.5}" "$ROOT"
