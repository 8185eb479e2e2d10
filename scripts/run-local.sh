#!/usr/bin/env bash
# `make run`: sets up the machine, builds, starts PostgreSQL, the local Kafka
# broker and the four services, prints where each listens, and stops them all
# on Ctrl-C (or SIGTERM).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib.sh

scripts/setup.sh
echo "build: swift build (the first build takes several minutes)"
swift build
export SJ_BIN_DIR="$repo/.build/debug"

logs="$repo/.dev/logs"
mkdir -p "$logs"
kafka_port=${SJ_KAFKA_PORT:-9092}
control_port=${SJ_BROKER_CONTROL_PORT:-9093}
pg_port=${SJ_PG_PORT:-55432}
pids=()

stop_all() {
    trap - INT TERM EXIT
    echo
    echo "stopping..."
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    scripts/dev-postgres.sh stop
    echo "stopped"
    exit 0
}
trap stop_all INT TERM EXIT

scripts/dev-postgres.sh start
# The local broker is new every run: librdkafka's mock cluster keeps no topic,
# record or committed offset once it stops, while .dev/postgres keeps every
# service's outbox. So an event a relay published in an earlier run that a
# consumer had not applied before Ctrl-C, or that a service database new in
# this run never saw (the registry's seeded units), would never arrive. Mark
# what the relays published unpublished again, before the services start:
# each relay publishes it again in its order with the same ce_id, and the
# consumers' inboxes skip what they applied (docs/operations.md, "Re-queueing
# a service's outbox"). Production's Kafka keeps its topics and never needs this.
for service in registry scheduling inspection notification; do
    "$SJ_BIN_DIR/sjctl" outbox requeue --database-url "postgresql://shuangjian@127.0.0.1:$pg_port/shuangjian_$service"
done
start_broker "$kafka_port" "$control_port" "$logs/broker.log"
pids+=("$BROKER_PID")
echo "kafka (local mock broker) on 127.0.0.1:$kafka_port, control http://127.0.0.1:$control_port"

export SJ_KAFKA_BROKERS="127.0.0.1:$kafka_port"
# The services' JWT key: random, made once per checkout, kept in .dev (which
# git ignores) so tokens from `sjctl token` keep working across runs.
if [ ! -s .dev/jwt-secret ]; then
    mkdir -p .dev
    (umask 077; openssl rand -hex 32 2>/dev/null >.dev/jwt-secret || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >.dev/jwt-secret)
fi
export SJ_JWT_SECRET="$(cat .dev/jwt-secret)"
# The notification service seals channel secrets with this key (32 bytes, hex).
if [ ! -s .dev/notification-secret-key ]; then
    (umask 077; openssl rand -hex 32 2>/dev/null >.dev/notification-secret-key || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >.dev/notification-secret-key)
fi
export SJ_NOTIFICATION_SECRET_KEY="$(cat .dev/notification-secret-key)"
# Local sinks (a webhook receiver on 127.0.0.1) are private addresses, which
# production refuses: allow them here.
export SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=true
# SJ_<SERVICE>_HTTP_PORT moves one (two stacks on one machine); scripts/demo-scheduling.sh reads the same.
declare -A ports=([registry]=${SJ_REGISTRY_HTTP_PORT:-8081} [scheduling]=${SJ_SCHEDULING_HTTP_PORT:-8082}
                  [inspection]=${SJ_INSPECTION_HTTP_PORT:-8083} [notification]=${SJ_NOTIFICATION_HTTP_PORT:-8084})
for service in registry scheduling inspection notification; do
    SJ_HTTP_PORT=${ports[$service]} \
    SJ_DATABASE_URL="postgresql://shuangjian@127.0.0.1:$pg_port/shuangjian_$service" \
        "$SJ_BIN_DIR/$service" >"$logs/$service.log" 2>&1 &
    pids+=($!)
done

for service in registry scheduling inspection notification; do
    url="http://127.0.0.1:${ports[$service]}/health/live"
    for _ in $(seq 1 100); do curl -fsS "$url" >/dev/null 2>&1 && break; sleep 0.2; done
    if curl -fsS "$url" >/dev/null 2>&1; then
        echo "$service on http://127.0.0.1:${ports[$service]} (log $logs/$service.log)"
    else
        echo "$service did not become healthy; its log:" >&2; tail -20 "$logs/$service.log" >&2; exit 1
    fi
done
echo "postgres on 127.0.0.1:$pg_port; all up. Ctrl-C stops everything."
# Returns when any of them exits on its own (Ctrl-C goes to stop_all instead).
wait -n "${pids[@]}" || true
echo "a process exited on its own; see $logs" >&2
exit 1
