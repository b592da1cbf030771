#!/usr/bin/env bash
# The product path scored end to end: an embedded broker, a synthetic: camera through ingest, one
# recover worker and the decode application, then `eval product` against the camera's labels.
# Usage: loadtest/run-product-score.sh [model=models/mega] [tokenizer=models/tokenizer]
#        [persons=3] [frames=100] [seed=8801] [detector=known]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL=${1:-models/mega}
TOKENIZER=${2:-models/tokenizer}
PERSONS=${3:-3}
FRAMES=${4:-100}
SEED=${5:-8801}
DETECTOR=${6:-known}
WORK=$(mktemp -d -t megastream-score-XXXX)
PORT=$((20000 + RANDOM % 20000))
BS=127.0.0.1:$PORT
cd "$ROOT"
./megastream --version >/dev/null # build once, before the background processes start
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
./megastream broker --port "$PORT" --data-dir "$WORK/kafka" >"$WORK/broker.log" 2>&1 &
pids+=($!)
until grep -q 'broker listening' "$WORK/broker.log"; do sleep 1; done
echo "== broker $BS; ingest synthetic:persons=$PERSONS,seed=$SEED,frames=$FRAMES (detector $DETECTOR)"
DET=()
[[ "$DETECTOR" != known ]] && DET=(--detector "$DETECTOR")
./megastream ingest --bootstrap-server "$BS" "${DET[@]}" --progress-interval 0 \
  --camera "score=synthetic:persons=$PERSONS,seed=$SEED,frames=$FRAMES,size=640x480,fps=25"
echo "== recover $MODEL (adaptive), $FRAMES frames"
./megastream recover --bootstrap-server "$BS" --model "$MODEL" --tokenizer "$TOKENIZER" \
  --metrics-port -1 --max-frames "$FRAMES" 2>&1 | grep -v -E 'WARN|^\s*$' | tail -3
echo "== decode, scored until the count of decoded results stops growing"
./megastream decode --bootstrap-server "$BS" --tokenizer "$TOKENIZER" >"$WORK/decode.log" 2>&1 &
pids+=($!)
last=-1
while true; do
  sleep 10
  ./megastream eval product --bootstrap-server "$BS" --camera score >"$WORK/score.txt" 2>/dev/null || true
  n=$(grep -o -E 'and [0-9]+ decoded' "$WORK/score.txt" | grep -o -E '[0-9]+' || echo 0)
  echo "   $n decoded results"
  [[ "$n" -gt 0 && "$n" == "$last" ]] && break
  last=$n
done
cat "$WORK/score.txt"
