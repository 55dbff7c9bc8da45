#!/usr/bin/env bash
# Builds Herald and runs the Kafka benchmark on a local single-node broker started from the Maven Central
# artifacts (no Docker): Herald with log.type kafka under the /v1/batch load of bench/run.sh, ingest only and
# with an HTTP destination delivering; Kafka's ProducerPerformance with the same records and producer
# settings; then what Herald's log adds per record (KafkaAppendBenchmark). Prints the rates and the ratios and
# appends one JSON line to bench/results/kafka.jsonl.
# Usage: bench/kafka.sh [seconds=30] [connections=32] [compression=lz4] [destination=both|none|http] [appendRecords=200000]
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_JAVA_OPTS passes options to the benchmark JVM, e.g.
# BENCH_JAVA_OPTS='-Dherald.bench.kafka.maxInFlight=5' (shared by Herald and ProducerPerformance) or
# BENCH_JAVA_OPTS='-Dherald.bench.jvmArgs=-XX:StartFlightRecording=filename=/tmp/herald-kafka.jfr,settings=profile'
# to profile Herald (with destination=both the second run's recording replaces the first's).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.KafkaBenchmark "$@"
