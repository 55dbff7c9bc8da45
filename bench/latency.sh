#!/usr/bin/env bash
# Builds Herald and runs the latency benchmark: the fat JAR (default memory settings) with one http
# destination, driven open-loop at a fixed /v1/batch rate (default: half the /v1/batch events/s of the
# latest bench/run.sh result); prints ingest->arrival p50/p99/max at the receiver and checks every
# event arrived exactly once. Appends one JSON line to bench/results/latency.jsonl.
# Usage: bench/latency.sh [seconds=30] [eventsPerSecond]
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS passes options to the benchmark JVM
# (-Dherald.bench.connections=64).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.LatencyBenchmark "$@"
