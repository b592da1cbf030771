#!/usr/bin/env bash
# Ingest's person detectors (HOG, the BlazePose detector at several tile counts) side by side on a
# real clip: ms per frame and persons per frame, one thread each, in one run.
# Usage: loadtest/run-detector-bench.sh [video=OpenCV's vtest.avi] [frames=40] [stride=10]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VIDEO="${1:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}"
exec "$ROOT/loadtest/bench.sh" DetectorBench "$VIDEO" "${2:-40}" "${3:-10}"
