#!/usr/bin/env bash
# Shared by the run-*-bench.sh scripts: builds the loadtest module, then runs one benchmark class
# with DJL offline (never any network). Usage: loadtest/bench.sh CLASS [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# one invocation: the sibling modules resolve from the reactor (they are not installed in ~/.m2)
mvn -B -q -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -pl loadtest -am
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
cd loadtest
CLASS="$1"
shift
exec java -Dai.djl.offline=true -cp "target/classes:$(cat target/classpath.txt)" \
  "io.megastream.loadtest.$CLASS" "$@"
