#!/usr/bin/env bash
# Ingest throughput vs Kafka's ProducerPerformance, same broker, same run.
# Usage: loadtest/run-ingest-bench.sh [frames=1000] [repetitions=3] [detector=full-frame]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl loadtest -am
mvn -B -q dependency:build-classpath -pl loadtest -Dmdep.outputFile=target/classpath.txt
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
cd loadtest
exec java -Dai.djl.offline=true -cp "target/classes:$(cat target/classpath.txt)" \
  io.megastream.loadtest.IngestThroughputBench "$@"
