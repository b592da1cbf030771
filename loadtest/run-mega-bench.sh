#!/usr/bin/env bash
# Inference latency of BlazePose, MEGA lite and paper, and the tokenizer decoder on this machine.
# Usage: loadtest/run-mega-bench.sh [repetitions=20]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl loadtest -am
mvn -B -q dependency:build-classpath -pl loadtest -Dmdep.outputFile=target/classpath.txt
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
cd loadtest
exec java -Dai.djl.offline=true -cp "target/classes:$(cat target/classpath.txt)" \
  io.megastream.loadtest.MegaLatencyBench "${1:-20}" "$ROOT/models/tokenizer"
