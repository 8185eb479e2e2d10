#!/usr/bin/env bash
# The figures behind the Kubernetes resource requests and limits
# (docs/operations.md, "Resource figures"): release builds of the four
# services against a private PostgreSQL and the local broker, as `make run`
# starts them; memory (VmRSS, and the peak VmHWM) and CPU (utime+stime) read
# from /proc at rest and under a load that scripts/resource-load.py drives
# (HTTP reads and writes on every service; each registry write is an event
# the notification service consumes). Also lists what the services wrote
# to their HOME, TMPDIR and working directory (nothing, so the root
# filesystem can be read-only).
#
#   scripts/measure-resources.sh [--seconds 60] [--clients 8]
#   SJ_MEASURE_BUILD=debug scripts/measure-resources.sh    # the debug build instead
#
# Environment: SJ_PG_PORT, SJ_PG_DIR; ports SJ_MEASURE_KAFKA_PORT (39092) and
# SJ_MEASURE_PORT_BASE (38081: 38081..38084 for the services).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
. scripts/lib.sh

seconds=60
clients=8
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --clients) clients=$2; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--clients N]" >&2; exit 64 ;;
    esac
done

# SJ_MEASURE_BUILD=debug: the debug build `make run` uses (quicker to build;
# more CPU per request than release, so its figures err on the generous side).
configuration=release
scripts/setup.sh
case "${SJ_MEASURE_BUILD:-release}" in
    release) for product in registry scheduling inspection notification sjctl; do swift build -c release --product "$product"; done ;;
    debug) configuration=debug; swift build ;;
    *) echo "SJ_MEASURE_BUILD is release or debug" >&2; exit 64 ;;
esac
export SJ_BIN_DIR="$repo/.build/$configuration"
echo "measuring the $configuration build"
logs="$repo/.dev/logs"
mkdir -p "$logs"
kafka_port=${SJ_MEASURE_KAFKA_PORT:-39092}
base_port=${SJ_MEASURE_PORT_BASE:-38081}
start_infra "$kafka_port" "$((kafka_port + 1))" "$logs/measure-broker.log"

scratch=$(mktemp -d)
mkdir -p "$scratch/home" "$scratch/tmp" "$scratch/cwd"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    rm -rf "$scratch"
    stop_infra
}
trap cleanup EXIT

export SJ_KAFKA_BROKERS="127.0.0.1:$kafka_port"
export SJ_JWT_SECRET="measure-only-jwt-secret-0123456789abcdef0123"
export SJ_NOTIFICATION_SECRET_KEY="000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
export SJ_LOG_LEVEL=info
pg_url() { scripts/dev-postgres.sh url "$1"; }
# A fresh database each, so the figures include the first start's migrations and seed.
services=(registry scheduling inspection notification)
declare -A ports
for i in "${!services[@]}"; do
    service=${services[$i]}
    ports[$service]=$((base_port + i))
    db="shuangjian_measure_$service"
    psql -X -q -h 127.0.0.1 -p "${SJ_PG_PORT:-55432}" -U shuangjian -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    url=$(pg_url "$db")
    (cd "$scratch/cwd" && HOME="$scratch/home" TMPDIR="$scratch/tmp" SJ_HTTP_PORT=${ports[$service]} \
        SJ_DATABASE_URL="$url" exec "$SJ_BIN_DIR/$service" >"$logs/measure-$service.log" 2>&1) &
    pids+=($!)
done
for service in "${services[@]}"; do
    for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:${ports[$service]}/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
    curl -fsS "http://127.0.0.1:${ports[$service]}/health/ready" >/dev/null || { echo "$service not ready; $logs/measure-$service.log" >&2; exit 1; }
done

# The process of each service: the child of the subshell started above.
declare -A pid_of
for i in "${!services[@]}"; do pid_of[${services[$i]}]=${pids[$i]}; done

sample() { # sample NAME: "rss_kib hwm_kib cpu_ticks" for each service
    for service in "${services[@]}"; do
        local pid=${pid_of[$service]}
        local rss hwm ticks
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        echo "$service $rss $hwm $ticks"
    done
}

sleep 5
idle_start=$(date +%s.%N); sample >"$scratch/idle-start"
sleep 10
idle_end=$(date +%s.%N); sample >"$scratch/idle-end"
token=$("$SJ_BIN_DIR/sjctl" token --role office)
load_start=$(date +%s.%N); sample >"$scratch/load-start"
python3 scripts/resource-load.py --seconds "$seconds" --clients "$clients" --token "$token" \
    --registry "http://127.0.0.1:${ports[registry]}" --scheduling "http://127.0.0.1:${ports[scheduling]}" \
    --inspection "http://127.0.0.1:${ports[inspection]}" --notification "http://127.0.0.1:${ports[notification]}" \
    --watch-pids "${pid_of[registry]},${pid_of[scheduling]},${pid_of[inspection]},${pid_of[notification]}" \
    >"$scratch/load-report"
load_end=$(date +%s.%N); sample >"$scratch/load-end"
cat "$scratch/load-report"

hz=$(getconf CLK_TCK)
echo
echo "service        idle RSS  idle CPU   load RSS  peak RSS (VmHWM)  load CPU (cores, mean)  load CPU (peak 1 s)"
for service in "${services[@]}"; do
    read -r _ _ _ t0 < <(grep "^$service " "$scratch/idle-start")
    read -r _ rss_idle _ t1 < <(grep "^$service " "$scratch/idle-end")
    read -r _ _ _ t2 < <(grep "^$service " "$scratch/load-start")
    read -r _ rss_load hwm t3 < <(grep "^$service " "$scratch/load-end")
    peak=$(awk -v s="$service" '$1 == "peak-cpu" && $2 == s {print $3}' "$scratch/load-report")
    awk -v s="$service" -v ri="$rss_idle" -v rl="$rss_load" -v h="$hwm" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" \
        -v a="$idle_start" -v b="$idle_end" -v c="$load_start" -v d="$load_end" -v hz="$hz" -v peak="${peak:-?}" \
        'BEGIN { printf "%-13s %6.1f MiB  %6.3f    %6.1f MiB  %8.1f MiB        %6.3f                  %s\n",
                 s, ri/1024, (t1-t0)/hz/(b-a), rl/1024, h/1024, (t3-t2)/hz/(d-c), peak }'
done

echo
echo "written by the services to HOME, TMPDIR and their working directory:"
written=$(find "$scratch/home" "$scratch/tmp" "$scratch/cwd" -mindepth 1)
if [ -z "$written" ]; then echo "  nothing"; else echo "$written" | sed "s|^|  |"; fi
