#!/usr/bin/env bash
# The whole performance story in one run, one scenario after the other on the same machine:
#   1. bench/run.sh      ingest: /v1/batch, /v1/track, gzip /v1/batch beside the trivial and parse-only servers
#   2. bench/kafka.sh    Kafka mode, ingest only, beside Kafka's ProducerPerformance
#   3. bench/drain.sh    a backlog built on paused destinations, drained to http and to Amplitude; peak heap, RSS
#   4. bench/latency.sh  ingest->arrival p50/p99/max at 50 % of the /v1/batch maximum measured in step 1
# Each appends a JSON line to bench/results/ (commit, CPU count); then the latest figures of this run
# are printed as a Markdown table with the aims beside them and written to bench/results/latest.md.
# Usage: bench/all.sh [seconds=10] [backlog=10000000] [connections=32]
# With the defaults it takes about 12-15 minutes on 2 idle cores (two builds included: this script's and
# bench/kafka.sh's own) and writes ~8 GB of event log for the backlog (deleted afterwards).
# BENCH_SKIP_BUILD=1 reuses the last build. Every step has a time limit; a failed step is reported and
# the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
backlog=${2:-10000000}
connections=${3:-32}
latency_seconds=$(( ${seconds%.*} * 2 ))
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
began=$(date +%s)
echo "bench/all.sh: ${seconds} s per ingest run, ${connections} connections, backlog ${backlog} events," \
  "latency ${latency_seconds} s at half the /v1/batch maximum; $(nproc) CPUs; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); started ${since}"
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -DskipTests || { echo "build failed"; exit 1; }
fi
export BENCH_SKIP_BUILD=1

failed=()
# step <name> <time limit s> <command...>: timeout signals the whole process group on expiry, so
# the Herald and broker processes a benchmark started go with it.
step() {
  local name=$1 limit=$2
  shift 2
  echo
  echo "=== ${name} (limit ${limit} s): $*"
  local start
  start=$(date +%s)
  if ! timeout --kill-after=30 "${limit}" "$@"; then
    failed+=("${name}")
    echo "=== ${name} FAILED or ran out of time"
  fi
  echo "=== ${name} took $(( $(date +%s) - start )) s"
}

step ingest 1200 bench/run.sh "${seconds}" "${connections}" batch,track,gzip_batch
step kafka 900 bench/kafka.sh "${seconds}" "${connections}" lz4 none
step drain $(( 900 + backlog / 5000 )) bench/drain.sh "${backlog}"
step latency 600 bench/latency.sh "${latency_seconds}"

echo
java -Dherald.root="$PWD" -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.herald.bench.Summary "${since}"
echo "bench/all.sh took $(( $(date +%s) - began )) s${failed[*]:+; failed: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
