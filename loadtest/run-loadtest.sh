#!/usr/bin/env bash
# `megastream loadtest …` runs here: builds the loadtest module (its plotting and load-generation
# dependencies stay out of the application jar), then runs the fleet load test from the project
# root with DJL offline. Usage: loadtest/run-loadtest.sh [--cameras N] [--fps F] [--seconds S] …
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
echo "megastream loadtest: building the loadtest module..." >&2
mvn -B -q -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -pl loadtest -am >&2
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
exec java ${MEGASTREAM_JAVA_OPTS:-} -Dai.djl.offline=true -Djava.awt.headless=true \
  -cp "loadtest/target/classes:$(cat loadtest/target/classpath.txt)" \
  io.megastream.loadtest.fleet.LoadtestCommand "$@"
