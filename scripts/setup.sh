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
# To build the dev broker's librdkafka (scripts/librdkafka-mock).
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v patch >/dev/null || need+=(patch)
command -v python3 >/dev/null || need+=(python3)
# Stacks of a hung test process (scripts/lib.sh, run_limited).
command -v eu-stack >/dev/null || need+=(elfutils)

if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]}"
    $sudo apt-get update -qq
    # The postgresql-15 package must not start a system cluster of its own here.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: Swift 6 toolchain not found on PATH" >&2; exit 1; }
# The dev broker's librdkafka, with the mock group coordinator corrected (once).
"$(dirname "$0")/librdkafka-mock/build.sh" >/dev/null
echo "setup: librdkafka $(pkg-config --modversion rdkafka), libpq $(pkg-config --modversion libpq), $(swift --version 2>&1 | head -1)"
