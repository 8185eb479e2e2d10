#!/usr/bin/env bash
# `make test`: sets up the machine, checks the deploy files offline
# (scripts/validate-deploy.sh), builds, starts a private PostgreSQL and the
# local Kafka broker on test ports, runs Schemathesis against every service's
# OpenAPI document (scripts/fuzz-api.sh) and the whole test suite against
# them, and stops what it started. With arguments (`--filter X`), only
# `swift test` with those arguments.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib.sh

scripts/setup.sh
# Compose files, the Dockerfile and the Kubernetes manifests, offline (seconds).
scripts/validate-deploy.sh
# Every script at least parses (the walkthroughs run only against `make run`):
# bash -n, and Python's compiler without writing __pycache__.
for script in scripts/*.sh scripts/librdkafka-mock/*.sh; do bash -n "$script"; done
python3 -c 'import sys; [compile(open(f, encoding="utf-8").read(), f, "exec") for f in sys.argv[1:]]' scripts/*.py scripts/fuzz/*.py
echo "scripts: every shell and Python script parses"
# SJ_SCRATCH_PATH: another build folder (.build-NAME), for a second checkout's worth of builds.
scratch=${SJ_SCRATCH_PATH:-.build}
echo "build: swift build --build-tests (the first build takes several minutes)"
swift build --build-tests --scratch-path "$scratch"
export SJ_BIN_DIR
SJ_BIN_DIR="$(cd "$scratch/debug" && pwd)"

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
# At the suite's start a hundred tests create databases and connect at once
# on two cores: a connection may wait longer than a service's 5 s default.
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-30}
# A fixed key for tests only (services refuse to start without one; >= 32 bytes).
export SJ_JWT_SECRET="shuangjian-test-only-jwt-secret-0123456789abcdef"
export SJ_NOTIFICATION_SECRET_KEY="000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
# The tests' sinks listen on 127.0.0.1: let channels reach them (production refuses
# private addresses; the tests that prove it turn this off for themselves).
export SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=true

# Each phase has a time limit (seconds), so a hung test fails the run with a
# message and the stacks of what hung instead of blocking CI.
main_limit=${SJ_TEST_PHASE_LIMIT:-1800}
disruptive_limit=${SJ_TEST_DISRUPTIVE_LIMIT:-600}
if [ $# -gt 0 ]; then
    run_limited "swift test $*" "$main_limit" swift test --skip-build --scratch-path "$scratch" "$@"
else
    # Schemathesis against every service's OpenAPI document, each service on
    # a fresh database and port of its own (a couple of minutes; first, so a
    # broken contract shows before the long suite).
    run_limited "API fuzzing (scripts/fuzz-api.sh)" "${SJ_TEST_FUZZ_LIMIT:-600}" scripts/fuzz-api.sh
    # The tests that take the servers down (a PostgreSQL restart or outage, a
    # broker outage) run alone, after the rest: they would break the
    # cross-process tests' connections and consumer groups mid-flight.
    disruptive="RestartTests|messagesSentWhileBrokerIsDown|DatabaseOutageTests"
    run_limited "all but the disruptive tests" "$main_limit" \
        swift test --skip-build --scratch-path "$scratch" --skip "$disruptive"
    # One at a time: one stops PostgreSQL, another restarts it.
    run_limited "disruptive tests ($disruptive)" "$disruptive_limit" \
        swift test --skip-build --scratch-path "$scratch" --filter "$disruptive" --no-parallel
fi
