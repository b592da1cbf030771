#!/usr/bin/env bash
# What sampling costs the worker per call: P = 1, 2, 4 persons, all sampled (Q=8, T=8) against the
# deterministic pass, through the bundled model, cold and warm. Usage: loadtest/run-sampling-bench.sh [reps=5]
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/loadtest/bench.sh" SamplingCostBench "${1:-5}" "$ROOT/models/mega" "$ROOT/models/tokenizer"
