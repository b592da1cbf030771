#!/usr/bin/env bash
# The consumer side: decode throughput (library and Kafka Streams application) and the delay from
# frame capture to the browser's draw (worker + decode + viewer + Debian's headless chromium).
# Usage: loadtest/run-sink-bench.sh [backlog-results=400] [seconds=60; 0 skips part 2] [fps=1.0]
#        [decode-threads=1]
# Needs chromium and chromium-driver (apt-get install chromium chromium-driver).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" SinkBench "${1:-400}" "${2:-60}" "${3:-1.0}" "$ROOT" "${4:-1}"
