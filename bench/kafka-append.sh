#!/usr/bin/env bash
# Builds Herald and measures what its Kafka log adds per record: N stored events appended through
# KafkaEventLog and sent by a plain KafkaProducer with the same settings, against a local broker;
# appends one JSON line to bench/results/kafka-append.jsonl.
# Usage: bench/kafka-append.sh [records=200000]   (BENCH_SKIP_BUILD=1 reuses the last build)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.KafkaAppendBenchmark "$@"
