#!/usr/bin/env bash
# Builds Herald and runs the ingest benchmark against the fat JAR.
# Usage: bench/run.sh [seconds=30] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
exec java -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.IngestBenchmark "$@"
