#!/usr/bin/env bash
# Recall and precision of ingest's person detectors (HOG, the BlazePose detector with each tile count
# given) on rendered scenes with known boxes, side by side on the same frames.
# Usage: loadtest/run-detector-recall.sh [scenes=24] [seed=7001] [tiles=0,4]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" DetectorRecall "${1:-24}" "${2:-7001}" "${3:-0,4}"
