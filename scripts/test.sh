#!/usr/bin/env bash
# `make test`: sets up the machine, builds, starts a private PostgreSQL and the
# local Kafka broker on test ports, runs the whole test suite against them, and
# stops what it started.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib.sh

scripts/setup.sh
echo "build: swift build --build-tests (the first build takes several minutes)"
swift build --build-tests
export SJ_BIN_DIR="$repo/.build/debug"

logs="$repo/.dev/logs"
mkdir -p "$logs"
kafka_port=${SJ_TEST_KAFKA_PORT:-19092}
control_port=${SJ_TEST_BROKER_CONTROL_PORT:-19093}
start_infra "$kafka_port" "$control_port" "$logs/test-broker.log"

export SJ_TEST_DATABASE_URL
SJ_TEST_DATABASE_URL=$(scripts/dev-postgres.sh url shuangjian_test)
export SJ_PG_SCRIPT="$repo/scripts/dev-postgres.sh"
export SJ_KAFKA_BROKERS="127.0.0.1:$kafka_port"
export SJ_BROKER_CONTROL="http://127.0.0.1:$control_port"

swift test --skip-build "$@"
