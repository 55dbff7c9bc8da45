#!/usr/bin/env bash
# Builds Herald and runs the ingest benchmark against the fat JAR, beside a trivial and a parse-only Vert.x Web server;
# each run appends one JSON line to bench/results/ingest.jsonl.
# Usage: bench/run.sh [seconds=30] [connections=32] [scenarios=batch,track,gzip_batch]
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS passes options to the benchmark JVM, e.g.
# BENCH_JAVA_OPTS='-Dherald.bench.jvmArgs=-XX:StartFlightRecording=filename=/tmp/herald.jfr' to profile Herald.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.IngestBenchmark "$@"
