#!/usr/bin/env bash
# Builds Herald and runs the Amplitude benchmark against the fat JAR: a backlog of Segment
# events in the embedded log delivered through the amplitude plugin to a local server answering
# 200 at once. Usage: bench/amplitude.sh [events=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
exec java -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.AmplitudeBenchmark "$@"
