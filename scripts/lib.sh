# Functions shared by run-local.sh, test.sh and bench.sh (sourced, not run).

# start_broker PORT CONTROL_PORT LOGFILE — starts `sjctl dev-broker` as a job of
# the calling shell (so it can `wait` on it), sets BROKER_PID, and returns once
# the broker has printed its bootstrap address.
start_broker() {
    local port=$1 control=$2 log=$3
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
