#!/usr/bin/env bash
# Shared by the run-*-bench.sh scripts: builds the loadtest module, then runs one benchmark class
# with DJL offline (never any network). Usage: loadtest/bench.sh CLASS [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl loadtest -am
mvn -B -q dependency:build-classpath -pl loadtest -Dmdep.outputFile=target/classpath.txt
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
cd loadtest
CLASS="$1"
shift
exec java -Dai.djl.offline=true -cp "target/classes:$(cat target/classpath.txt)" \
  "io.megastream.loadtest.$CLASS" "$@"
