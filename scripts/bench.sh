#!/usr/bin/env bash
# `make bench`: release build, then `sjctl bench kafka`, `sjctl bench postgres` and
# `sjctl bench pipeline`
# against a private PostgreSQL and a local broker on bench ports, each figure
# beside its raw baseline (a C librdkafka loop; pgbench) from the same run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib.sh

scripts/setup.sh
swift build -c release --product sjctl
cc -O2 -pthread -o .build/rdkafka_raw bench/rdkafka_raw.c $(pkg-config --cflags --libs rdkafka)
export SJ_BIN_DIR="$repo/.build/release"

logs="$repo/.dev/logs"
mkdir -p "$logs"
port=${SJ_BENCH_KAFKA_PORT:-29092}
control=${SJ_BENCH_BROKER_CONTROL_PORT:-29093}
start_infra "$port" "$control" "$logs/bench-broker.log"

"$SJ_BIN_DIR/sjctl" bench kafka --brokers "127.0.0.1:$port" --control "http://127.0.0.1:$control" --raw .build/rdkafka_raw
"$SJ_BIN_DIR/sjctl" bench postgres --url "$(scripts/dev-postgres.sh url shuangjian_test)"
"$SJ_BIN_DIR/sjctl" bench pipeline --url "$(scripts/dev-postgres.sh url shuangjian_test)" \
    --brokers "127.0.0.1:$port" --control "http://127.0.0.1:$control"
# Event → notification → webhook: its own broker and services (the PostgreSQL above is reused).
scripts/bench-notification.sh
# The scheduling service's task timers: 100,000 tasks over a month, timers/s.
scripts/bench-scheduling.sh
