#!/usr/bin/env bash
# Builds Herald and runs the backlog drain benchmark: the fat JAR with its default memory settings,
# a backlog of events ingested through /v1/batch while one http destination delivers and two others
# (http, amplitude) are paused, then each resumed and its drain timed; peak heap and RSS; every
# event checked to arrive exactly once. Appends one JSON line to bench/results/drain.jsonl.
# Usage: bench/drain.sh [events=10000000]   (~8 GB of log on disk for the default, deleted afterwards)
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS passes options to the benchmark JVM
# (-Dherald.bench.connections=16, -Dherald.bench.maxInFlight=4, -Dherald.bench.amplitudeApi=httpv2|batch).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.DrainBenchmark "$@"
