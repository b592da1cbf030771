#!/usr/bin/env bash
# Recall and precision of ingest's person detectors (HOG, the BlazePose detector without and with
# tiles) on rendered scenes with known boxes, side by side on the same frames.
# Usage: loadtest/run-detector-recall.sh [scenes=24] [seed=7001]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" DetectorRecall "${1:-24}" "${2:-7001}"
