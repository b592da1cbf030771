#!/usr/bin/env bash
# Identity switches (CLEAR-MOT) of ingest's tracker against the greedy IoU tracker it replaced, on the
# same BlazePose detections of rendered scenes with known identities, at several frame strides.
# Usage: loadtest/run-tracker-bench.sh [scenes=24] [seed=7101] [strides=1,3,6]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" TrackerBench "${1:-24}" "${2:-7101}" "${3:-1,3,6}"
