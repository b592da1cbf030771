#!/usr/bin/env bash
# One frame of a clip with the pose detector's body boxes, rotated ROIs and BlazePose's landmarks
# drawn on it (the README's real-clip picture).
# Usage: loadtest/run-detector-picture.sh [video=OpenCV's vtest.avi] [frame=100] [out=docs/vtest-detector.jpg] [tiles=4]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VIDEO="${1:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}"
exec "$ROOT/loadtest/bench.sh" DetectorPicture "$VIDEO" "${2:-100}" "${3:-$ROOT/docs/vtest-detector.jpg}" "${4:-4}"
