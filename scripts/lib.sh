# Functions shared by run-local.sh, test.sh and bench.sh (sourced, not run).

# start_broker PORT CONTROL_PORT LOGFILE — starts `sjctl dev-broker` as a job of
# the calling shell (so it can `wait` on it), sets BROKER_PID, and returns once
# the broker has printed its bootstrap address.
start_broker() {
    local port=$1 control=$2 log=$3
    # The mock cluster runs on the corrected librdkafka (scripts/librdkafka-mock);
    # exported, so the private brokers tests start use it too.
    export SJ_DEV_BROKER_LIBRARY_DIR
    SJ_DEV_BROKER_LIBRARY_DIR=${SJ_DEV_BROKER_LIBRARY_DIR:-$(scripts/librdkafka-mock/build.sh)}
    "$SJ_BIN_DIR/sjctl" dev-broker --port "$port" --control-port "$control" >"$log" 2>&1 &
    BROKER_PID=$!
    for _ in $(seq 1 300); do
        grep -q '^bootstrap ' "$log" && return 0
        if ! kill -0 "$BROKER_PID" 2>/dev/null; then
            echo "dev broker exited at start; its log:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "dev broker did not start within 30 s; its log:" >&2
    cat "$log" >&2
    return 1
}

# stop_pid PID — SIGTERM, then wait for it to exit.
stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# start_infra KAFKA_PORT CONTROL_PORT LOGFILE — the private PostgreSQL and a dev
# broker for a run that must leave the machine as it found it: on exit the
# broker stops, and PostgreSQL too unless it was already running before.
start_infra() {
    INFRA_PG_WAS_RUNNING=0
    scripts/dev-postgres.sh status >/dev/null 2>&1 && INFRA_PG_WAS_RUNNING=1
    INFRA_BROKER_PID=""
    trap stop_infra EXIT
    scripts/dev-postgres.sh start
    start_broker "$1" "$2" "$3"
    INFRA_BROKER_PID=$BROKER_PID
}

stop_infra() {
    if [ -n "$INFRA_BROKER_PID" ]; then stop_pid "$INFRA_BROKER_PID"; fi
    if [ "$INFRA_PG_WAS_RUNNING" = 0 ]; then scripts/dev-postgres.sh stop || true; fi
}

# descendants PID — every process under PID (children first, then theirs).
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# run_limited NAME SECONDS COMMAND... — runs COMMAND (a test phase). If it is
# still running after SECONDS, something hung: prints so, dumps the threads'
# stacks of every process under it (eu-stack from elfutils), stops them and
# returns 124, so CI fails with a message instead of waiting for its own limit.
run_limited() {
    local name=$1 limit=$2 pid watchdog status=0 fired
    shift 2
    fired=$(mktemp)
    rm -f "$fired"
    "$@" &
    pid=$!
    (
        # Its sleep ends with it: a sleep left behind would hold the phase's
        # output open (`scripts/test.sh … | tail` waiting out the limit).
        trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
        sleep "$limit" &
        sleeper=$!
        wait "$sleeper"
        kill -0 "$pid" 2>/dev/null || exit 0
        touch "$fired"
        echo "test phase '$name' is still running after $limit s: something hung; the stacks of its processes follow" >&2
        tree="$(descendants "$pid") $pid"
        for process in $tree; do
            echo "--- process $process: $(tr '\0' ' ' </proc/"$process"/cmdline 2>/dev/null | cut -c1-200)" >&2
            if command -v eu-stack >/dev/null; then timeout 60 eu-stack -p "$process" >&2 2>&1 || true; fi
        done
        kill -TERM $tree 2>/dev/null
        sleep 10
        kill -KILL $tree 2>/dev/null
    ) &
    watchdog=$!
    wait "$pid" || status=$?
    kill "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    if [ -e "$fired" ]; then
        rm -f "$fired"
        echo "test phase '$name' was stopped after $limit s: it hung (stacks above)" >&2
        return 124
    fi
    return "$status"
}
