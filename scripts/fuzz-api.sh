#!/usr/bin/env bash
# Schemathesis against every service's OpenAPI document (docs/openapi/<service>.yaml),
# run by `make test` (scripts/test.sh) on the PostgreSQL and broker it started:
# each service with a document is started on a fresh database of its own and a
# free port, fuzzed with every check (`--checks all`) and an office token, and
# stopped. A failure or a server error fails the run.
#
#   SJ_BIN_DIR=.build/debug SJ_TEST_DATABASE_URL=… SJ_KAFKA_BROKERS=… SJ_JWT_SECRET=… \
#   SJ_NOTIFICATION_SECRET_KEY=… scripts/fuzz-api.sh [SERVICE…]
#
# Deterministic for CI: a fixed seed (SJ_FUZZ_SEED), one worker, no example
# database or cache carried between runs, fresh databases; settings in
# scripts/fuzz/common.toml and scripts/fuzz/<service>.toml, the project's own
# checks and formats in scripts/fuzz/hooks.py. Reports (JUnit, NDJSON) and service logs go to .dev/logs/fuzz/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

for name in SJ_BIN_DIR SJ_TEST_DATABASE_URL SJ_KAFKA_BROKERS SJ_JWT_SECRET SJ_NOTIFICATION_SECRET_KEY; do
    [ -n "${!name:-}" ] || { echo "fuzz: $name is not set (run it through scripts/test.sh)" >&2; exit 2; }
done
scripts/venv.sh
venv="$repo/.dev/venv/bin"
logs="$repo/.dev/logs/fuzz"
rm -rf "$logs"
mkdir -p "$logs"

seed=${SJ_FUZZ_SEED:-20260301}
# Examples per operation and phase; with the seed, the whole run takes about
# two minutes on two cores (registry and notification).
examples=${SJ_FUZZ_MAX_EXAMPLES:-100}

all=(registry notification scheduling inspection)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${all[@]}")

started_pids=()
created_databases=()
cleanup() {
    for pid in "${started_pids[@]}"; do stop_service "$pid"; done
    for database in "${created_databases[@]}"; do
        psql -X -q "$SJ_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

# A port below the ephemeral range (as the Swift tests take theirs), free now.
free_port() {
    "$venv/python" - <<'PY'
import random, socket
for _ in range(200):
    port = random.randrange(20000, 32768)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    raise SystemExit("no free port below 32768")
PY
}

stop_service() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local kept=() pid
    for pid in "${started_pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    started_pids=("${kept[@]}")
}

# start_service NAME — a fresh database, a free port; sets PORT and PID once
# /health/ready answers 200.
start_service() {
    local name=$1 database
    database="fuzz_${name}_$(date +%s%N)_$$"
    psql -X -q -v ON_ERROR_STOP=1 "$SJ_TEST_DATABASE_URL" -c "CREATE DATABASE $database" >/dev/null
    created_databases+=("$database")
    PORT=$(free_port)
    SJ_DATABASE_URL="${SJ_TEST_DATABASE_URL%/*}/$database" SJ_HTTP_PORT=$PORT SJ_LOG_LEVEL=warning \
        "$SJ_BIN_DIR/$name" >>"$logs/$name.log" 2>&1 &
    PID=$!
    started_pids+=("$PID")
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null; then return 0; fi
        kill -0 "$PID" 2>/dev/null || { echo "fuzz: $name exited at start; its log:" >&2; cat "$logs/$name.log" >&2; return 1; }
        sleep 0.1
    done
    echo "fuzz: $name not ready within 60 s; its log: $logs/$name.log" >&2
    return 1
}

# The notification service knows the units once it has applied the registry's
# events: DELETE of a channel nobody configured answers 404 then (422 naming
# ownerId while the unit is not in its directory). It changes nothing.
await_directory() {
    local status
    for _ in $(seq 1 600); do
        status=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $token" \
            "http://127.0.0.1:$PORT/v1/channels/unit/education-bureau/webhook")
        [ "$status" = 404 ] && return 0
        sleep 0.1
    done
    echo "fuzz: the notification service did not learn the registry's units within 60 s" >&2
    return 1
}

# The scheduling service knows the units once it has applied the registry's
# events: each seeded unit then has its work-plan task (制定本单位工作方案).
# Not "exactly 26 tasks": the registry's own fuzzing may have admitted more
# units on this broker, and their events arrive on other partitions in any
# order, so a count can pass while a seeded unit is still missing.
await_scheduling_directory() {
    local seeded missing
    seeded=$("$venv/python" -c 'import json; print(" ".join(u["id"] for u in json.load(open("Services/Registry/Seed/mechanism.json"))["units"]))')
    for _ in $(seq 1 600); do
        missing=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/v1/tasks?origin=work-plan&limit=500" \
            | "$venv/python" -c 'import json, sys
seeded = set(sys.argv[1].split())
try:
    have = {t.get("leadUnitId") for t in json.load(sys.stdin).get("items", [])}
except ValueError:
    have = set()
print(len(seeded - have))' "$seeded" 2>/dev/null || echo unknown)
        [ "$missing" = 0 ] && return 0
        sleep 0.1
    done
    echo "fuzz: the scheduling service did not learn the registry's units within 60 s ($missing seeded units without their work-plan task); its log: $logs/scheduling.log" >&2
    return 1
}

# The office, with a person's id as subject so that the inbox (whose owner is
# the token's subject) answers as it would for a person instead of 403.
token=$("$SJ_BIN_DIR/sjctl" token --role office --subject 7d3c6a56-0f4e-4c43-9b1e-3f1f3b0a6c21 --ttl 1h)
# A county system, for the operations only county systems may call (the
# services' scripts/fuzz/<service>.toml name them).
export SJ_FUZZ_COUNTY_SYSTEM_TOKEN
SJ_FUZZ_COUNTY_SYSTEM_TOKEN=$("$SJ_BIN_DIR/sjctl" token --role county-system --subject fangxian-12345 --ttl 1h)

failed=()
for service in "${wanted[@]}"; do
    document="docs/openapi/$service.yaml"
    if [ ! -f "$document" ]; then
        echo "fuzz: $service has no OpenAPI document yet ($document); skipped"
        continue
    fi
    if [ "$service" = notification ]; then
        # A registry of its own publishes the seeded units again (whatever
        # this broker's consumer groups have already read); once the
        # notification service knows them, the registry is not needed.
        start_service registry
        registry_pid=$PID
        start_service notification
        await_directory
        stop_service "$registry_pid"
    elif [ "$service" = scheduling ]; then
        # The same for the scheduling service's directory, so that a task's
        # units are checked against real ones and the work-plan tasks exist.
        start_service registry
        registry_pid=$PID
        start_service scheduling
        await_scheduling_directory
        stop_service "$registry_pid"
    else
        start_service "$service"
    fi
    echo "fuzz: $service on port $PORT (seed $seed, $examples examples per operation and phase)"
    # Schemathesis reads one file: the common settings, then the service's own.
    config="$logs/$service.toml"
    cat scripts/fuzz/common.toml >"$config"
    if [ -f "scripts/fuzz/$service.toml" ]; then printf '\n' >>"$config"; cat "scripts/fuzz/$service.toml" >>"$config"; fi
    if ! SCHEMATHESIS_HOOKS="$repo/scripts/fuzz/hooks.py" \
        "$venv/schemathesis" --config-file "$config" run "$document" \
        --url "http://127.0.0.1:$PORT" \
        --header "Authorization: Bearer $token" \
        --checks all \
        --seed "$seed" \
        --max-examples "$examples" \
        --workers 1 \
        --report junit,ndjson --report-dir "$logs/$service" \
        --no-color; then
        failed+=("$service")
    fi
    stop_service "$PID"
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: Schemathesis found problems in: ${failed[*]} (reports and service logs in $logs)" >&2
    exit 1
fi
echo "fuzz: every API passed"
