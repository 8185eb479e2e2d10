#!/usr/bin/env bash
# A private PostgreSQL 15 for local runs and tests: its own data dir, port and
# socket dir, one database per service plus one for tests. Works as root
# (initdb and postgres refuse root, so they run as the `postgres` user) and as
# a normal user.
#
#   scripts/dev-postgres.sh start|stop|restart|status|url [DB]|reset
#
# reset: drops and re-creates the four services' local databases (their
# data is gone; the services migrate and seed again at their next start).
#
# Environment: SJ_PG_PORT (55432), SJ_PG_DIR (<repo>/.dev/postgres).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
port=${SJ_PG_PORT:-55432}
bin=${SJ_PG_BIN:-/usr/lib/postgresql/15/bin}
user=shuangjian
databases=(shuangjian_registry shuangjian_scheduling shuangjian_inspection shuangjian_notification shuangjian_test)

as_pg() { # run a server binary as the account that owns the data dir
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

choose_dir() {
    if [ -n "${SJ_PG_DIR:-}" ]; then echo "$SJ_PG_DIR"; return; fi
    local d="$repo/.dev/postgres"
    # As root the server runs as `postgres`, which must be able to reach the
    # data dir; a checkout under a private home cannot be reached, so use /tmp.
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$repo"; then
        d="/tmp/shuangjian-postgres-$(echo "$repo" | cksum | cut -d' ' -f1)"
    fi
    echo "$d"
}
dir=$(choose_dir)
data="$dir/data"
sock="$dir/socket"
log="$dir/postgres.log"

psql_admin() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U "$(admin_user)" "$@"; }
admin_user() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

# Given at every start, so a data folder made by an older version, or for
# another SJ_PG_PORT, gets them too (the port in postgresql.conf is the one
# of its first start): the test suite runs every service's tests at once,
# each process with its pools. track_commit_timestamp: the scheduling
# benchmark reads commit instants from the server (pg_xact_commit_timestamp).
server_options="-c max_connections=600 -c port=$port -c track_commit_timestamp=on"

running() { [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

init() {
    [ -f "$data/PG_VERSION" ] && return
    mkdir -p "$dir" "$sock"
    if [ "$(id -u)" = 0 ]; then mkdir -p "$repo/.dev"; chmod 755 "$repo/.dev" 2>/dev/null || true; chown -R postgres: "$dir"; fi
    as_pg "$bin/initdb" -D "$data" -U "$(admin_user)" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
shared_buffers = 256MB
fsync = on
synchronous_commit = on
timezone = 'UTC'
log_timezone = 'UTC'
CONF
}

start() {
    init
    if ! running; then
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            echo "port $port is taken by another PostgreSQL (not $data): stop it or set SJ_PG_PORT" >&2
            exit 1
        fi
        as_pg "$bin/pg_ctl" -D "$data" -l "$log" -o "$server_options" -w -t 60 start >/dev/null || { tail -20 "$log" >&2; exit 1; }
    fi
    psql_admin -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN CREATE ROLE $user LOGIN SUPERUSER; END IF;
        END \$\$;"
    # Members of password_login must give their password even on loopback
    # (the test of SJ_DATABASE_PASSWORD_FILE makes one); everyone else is
    # trusted, as before. First matching line wins, so it goes first.
    psql_admin -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'password_login') THEN CREATE ROLE password_login NOLOGIN; END IF;
        END \$\$;"
    local hba="$data/pg_hba.conf"
    if ! as_pg grep -q '^host all +password_login ' "$hba"; then
        as_pg sh -c "{ echo 'host all +password_login 127.0.0.1/32 scram-sha-256'; cat '$hba'; } >'$hba.new' && mv '$hba.new' '$hba'"
        as_pg "$bin/pg_ctl" -D "$data" reload >/dev/null
    fi
    for db in "${databases[@]}"; do
        if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
            psql_admin -d postgres -c "CREATE DATABASE $db OWNER $user"
        fi
    done
    echo "postgres listening on 127.0.0.1:$port (data $data)"
}

stop() { if running; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi; }

reset() {
    start >/dev/null
    for db in "${databases[@]}"; do
        [ "$db" = shuangjian_test ] && continue
        psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
        psql_admin -d postgres -c "CREATE DATABASE $db OWNER $user"
    done
    echo "local service databases re-created: ${databases[*]/shuangjian_test/}"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    restart) as_pg "$bin/pg_ctl" -D "$data" -l "$log" -o "$server_options" -m fast -w -t 60 restart >/dev/null ;;
    status) running && echo running || { echo stopped; exit 3; } ;;
    reset) reset ;;
    url) echo "postgresql://$user@127.0.0.1:$port/${2:-shuangjian_test}" ;;
    *) echo "usage: $0 start|stop|restart|status|url [DB]" >&2; exit 2 ;;
esac
