#!/usr/bin/env bash
# The scheduling timer benchmark (issue 11): 100,000 open tasks with due dates
# spread over a month; the injected clock moves across the month and two
# timer workers on two connection pools fire every reminder and overdue mark
# exactly once, with their events and audit entries committed. Prints
# timers/s (target ≥ 5,000). SchedulingTests/TaskTimerBenchmark, run on a
# private PostgreSQL (scripts/dev-postgres.sh) and a database it drops.
#
#   scripts/bench-scheduling.sh                      # release build (-enable-testing)
#   SJ_BENCH_CONFIGURATION=debug scripts/bench-scheduling.sh   # the tests' debug build
#   SJ_SCHEDULING_BENCH_TASKS=20000 scripts/bench-scheduling.sh
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

SJ_TEST_DATABASE_URL="$(scripts/dev-postgres.sh url shuangjian_test)" SJ_SCHEDULING_BENCH=1 \
    swift test --skip-build "${flags[@]}" --filter TaskTimerBenchmark 2>&1 \
    | grep -E "scheduling bench|passed|failed|error|Expectation" 
