#!/usr/bin/env bash
# Events/s through DESIGN.md's 3-step Jolt chain (remove, shift, default) on one thread, as a
# destination's runner applies it, beside the parse + serialize floor. Usage: bench/transform.sh [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl bench -am package -DskipTests
exec java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" dev.herald.bench.TransformBenchmark "$@"
