#!/usr/bin/env bash
# Installs what Shuangjian needs on a fresh Debian 12 machine and nothing else:
# librdkafka (Kafka client and its mock cluster), libpq, the PostgreSQL 15
# server and pgbench, pkg-config. Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
pkg-config --exists rdkafka 2>/dev/null || need+=(librdkafka-dev)
pkg-config --exists libpq 2>/dev/null || need+=(libpq-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
[ -x /usr/lib/postgresql/15/bin/pgbench ] || need+=(postgresql-15)
command -v curl >/dev/null || need+=(curl)

if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]}"
    $sudo apt-get update -qq
    # The postgresql-15 package must not start a system cluster of its own here.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: Swift 6 toolchain not found on PATH" >&2; exit 1; }
echo "setup: librdkafka $(pkg-config --modversion rdkafka), libpq $(pkg-config --modversion libpq), $(swift --version 2>&1 | head -1)"
