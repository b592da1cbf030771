#!/usr/bin/env bash
# Ingest throughput vs Kafka's ProducerPerformance, same broker, same run.
# Usage: loadtest/run-ingest-bench.sh [frames=1000] [repetitions=3] [detector=full-frame]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" IngestThroughputBench "$@"
