#!/usr/bin/env bash
# The inspection benchmark: release build, a private PostgreSQL
# (scripts/dev-postgres.sh), then InspectionBench, which starts its own dev
# broker and inspection service (on a new database it drops afterwards) and
# prints (a) county signals/s validated, deduplicated, scored and committed,
# and (b) at a fixed open-loop rate, p50/p99 from the signal that crosses a
# threshold to its warning event read back from Kafka.
#
#   scripts/bench-inspection.sh [--signals 40000 --rate 1000 --seconds 20 …]
#   (more than ~40,000 signals overflow what the dev broker keeps per partition)
#
# Environment: SJ_SCRATCH_PATH (build folder, .build), SJ_PG_DIR, SJ_PG_PORT.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/setup.sh
scratch=${SJ_SCRATCH_PATH:-.build}
echo "build: swift build -c release --scratch-path $scratch --product inspection / InspectionBench"
swift build -c release --scratch-path "$scratch" --product inspection
swift build -c release --scratch-path "$scratch" --product sjctl
swift build -c release --scratch-path "$scratch" --product InspectionBench
export SJ_BIN_DIR
SJ_BIN_DIR="$(cd "$scratch/release" && pwd)"

pg_was_running=0
scripts/dev-postgres.sh status >/dev/null 2>&1 && pg_was_running=1
stop_pg() { if [ "$pg_was_running" = 0 ]; then scripts/dev-postgres.sh stop || true; fi; }
trap stop_pg EXIT
scripts/dev-postgres.sh start

# A key for this local run only (the service refuses to start without one).
export SJ_JWT_SECRET="${SJ_JWT_SECRET:-shuangjian-bench-only-jwt-secret-0123456789abcdef}"
export SJ_TEST_DATABASE_URL
SJ_TEST_DATABASE_URL="$(scripts/dev-postgres.sh url shuangjian_test)"

"$SJ_BIN_DIR/InspectionBench" "$@"
