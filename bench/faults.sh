#!/usr/bin/env bash
# Runs Herald's process-level fault suite (launcher's HeraldFaultsIT) at a larger scale: the fat
# JAR under a client stream while destinations are down, throttled (429) or hanging, SIGKILLed
# and restarted, and on Kafka the broker stopped and started under load; prints one line per
# scenario and destination (acked, delivered, duplicates, dead-lettered, acked-but-undelivered,
# which must be 0). The log's own faults (write/fsync failures, full disk, a corrupt older
# segment) are bus's LogFaultSuiteTest and DamagedLogTest, run by the same command's build.
# Usage: bench/faults.sh [events=100000] [batch=100]   (Maven flags via MAVEN_ARGS, e.g. MAVEN_ARGS=-o)
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-100000}"
batch="${2:-100}"
summary="$PWD/launcher/target/fault-suite-summary.txt"
rm -f "$summary"
./mvnw -B -q -pl launcher -am verify -Dtest='LogFaultSuiteTest,DamagedLogTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HeraldFaultsIT -Dfaults.events="$events" -Dfaults.batch="$batch" -Dfaults.summary="$summary" \
  -Djunit.jupiter.execution.timeout.mode=disabled
cat "$summary"
