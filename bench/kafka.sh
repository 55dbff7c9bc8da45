#!/usr/bin/env bash
# Builds Herald and runs the Kafka benchmark: Herald with log.type kafka under the /v1/batch load of
# bench/run.sh, then Kafka's ProducerPerformance with the same records and producer settings, on a
# local single-node broker started from the Maven Central artifacts (no Docker).
# Usage: bench/kafka.sh [seconds=30] [connections=32] [compression=lz4] [destination=http|none]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
exec java -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.KafkaBenchmark "$@"
