#!/usr/bin/env bash
# Inference latency of BlazePose, the image backbone, MEGA lite and paper (with FLOPs against the
# machine's matrix-multiply rate), and the tokenizer decoder on this machine.
# Usage: loadtest/run-mega-bench.sh [repetitions=20]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" MegaLatencyBench "${1:-20}" "$ROOT/models/tokenizer"
