#!/usr/bin/env bash
# The notification benchmark: release build, a private PostgreSQL
# (scripts/dev-postgres.sh), then NotificationBench, which starts its own dev
# broker, registry and notification service (each on a new database it drops
# afterwards) and an in-process webhook sink, and prints alerts/s and p50/p99
# event-to-delivery latency at a fixed rate and for a burst of 5,000 (with the
# service's default settings: 128 sends in flight, outcomes recorded in shared
# transactions, letters routed in runs). The figures are the machine's at the
# time: another build on the same cores lowers them.
#
#   scripts/bench-notification.sh [--rate 50 --seconds 20 --burst 5000 --units 20 --max-in-flight N …]
#
# Environment: SJ_SCRATCH_PATH (build folder, .build), SJ_PG_DIR, SJ_PG_PORT.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/setup.sh
scratch=${SJ_SCRATCH_PATH:-.build}
echo "build: swift build -c release --scratch-path $scratch"
swift build -c release --scratch-path "$scratch"
export SJ_BIN_DIR
SJ_BIN_DIR="$(cd "$scratch/release" && pwd)"

pg_was_running=0
scripts/dev-postgres.sh status >/dev/null 2>&1 && pg_was_running=1
stop_pg() { if [ "$pg_was_running" = 0 ]; then scripts/dev-postgres.sh stop || true; fi; }
trap stop_pg EXIT
scripts/dev-postgres.sh start

# Keys for this local run only (the services refuse to start without them).
export SJ_JWT_SECRET="${SJ_JWT_SECRET:-shuangjian-bench-only-jwt-secret-0123456789abcdef}"
export SJ_NOTIFICATION_SECRET_KEY="${SJ_NOTIFICATION_SECRET_KEY:-000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f}"
# The sink listens on 127.0.0.1, a private address production refuses.
export SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=true

"$SJ_BIN_DIR/NotificationBench" --bin "$SJ_BIN_DIR" --url "$(scripts/dev-postgres.sh url shuangjian_test)" "$@"
