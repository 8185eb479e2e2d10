#!/usr/bin/env bash
# The scheduling service's benchmarks (issue 11), on a private PostgreSQL
# (scripts/dev-postgres.sh) and databases they drop:
#
# 1. Timers: 100,000 open tasks with due dates spread over a month; the
#    injected clock moves across the month and two timer workers on two
#    connection pools fire every reminder and overdue mark exactly once, with
#    their events and audit entries committed. Prints timers/s (target
#    ≥ 5,000). SchedulingTests/TaskTimerBenchmark.
# 2. Letters: a 协调函 issued to all 26 units reaches the 26 liaisons' inboxes
#    through a private broker and the notification service; p50/p99 from the
#    issuing COMMIT to the last inbox COMMIT (target p99 < 300 ms).
#    SchedulingBench, with the registry, notification and scheduling binaries.
#
#   scripts/bench-scheduling.sh                      # release build (-enable-testing)
#   SJ_BENCH_CONFIGURATION=debug scripts/bench-scheduling.sh   # the tests' debug build
#   SJ_SCHEDULING_BENCH_TASKS=20000 scripts/bench-scheduling.sh
#   SJ_SCHEDULING_BENCH_LETTERS=200 scripts/bench-scheduling.sh
#   SJ_SCHEDULING_BENCH_ONLY=timers scripts/bench-scheduling.sh    # or letters
#
# Environment: SJ_SCRATCH_PATH (build folder, .build), SJ_PG_DIR, SJ_PG_PORT.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/setup.sh
scratch=${SJ_SCRATCH_PATH:-.build}
configuration=${SJ_BENCH_CONFIGURATION:-release}
# The benchmark drives the service's own timer worker in-process (@testable),
# so the release build keeps testability on.
flags=(-c "$configuration" --scratch-path "$scratch")
[ "$configuration" = release ] && flags+=(-Xswiftc -enable-testing)
echo "build: swift build --build-tests ${flags[*]}"
swift build --build-tests "${flags[@]}"

pg_was_running=0
scripts/dev-postgres.sh status >/dev/null 2>&1 && pg_was_running=1
stop_pg() { if [ "$pg_was_running" = 0 ]; then scripts/dev-postgres.sh stop || true; fi; }
trap stop_pg EXIT
scripts/dev-postgres.sh start

only=${SJ_SCHEDULING_BENCH_ONLY:-}
if [ "$only" != letters ]; then
    SJ_TEST_DATABASE_URL="$(scripts/dev-postgres.sh url shuangjian_test)" SJ_SCHEDULING_BENCH=1 \
        swift test --skip-build "${flags[@]}" --filter TaskTimerBenchmark 2>&1 \
        | grep -E "scheduling bench|passed|failed|error|Expectation"
fi
[ "$only" = timers ] && exit 0

# The letter benchmark: the service binaries of the same build.
export SJ_BIN_DIR SJ_TEST_DATABASE_URL
SJ_BIN_DIR="$(cd "$scratch/$configuration" && pwd)"
SJ_TEST_DATABASE_URL="$(scripts/dev-postgres.sh url shuangjian_test)"
# Keys for this local run only (the services refuse to start without them).
export SJ_JWT_SECRET="${SJ_JWT_SECRET:-shuangjian-bench-only-jwt-secret-0123456789abcdef}"
export SJ_NOTIFICATION_SECRET_KEY="${SJ_NOTIFICATION_SECRET_KEY:-000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f}"
"$SJ_BIN_DIR/SchedulingBench" --letters "${SJ_SCHEDULING_BENCH_LETTERS:-50}"
