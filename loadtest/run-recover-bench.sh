#!/usr/bin/env bash
# The recover worker: throughput vs batch size, latency split and stochastic share at a steady load.
# Usage: loadtest/run-recover-bench.sh [backlog-frames=48] [steady-seconds=60] [fps-per-camera=0.5]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" RecoverBench "${1:-48}" "${2:-60}" "${3:-0.5}" "$ROOT"
