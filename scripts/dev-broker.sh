#!/usr/bin/env bash
# Starts `sjctl dev-broker` in the background and waits until it prints its
# bootstrap address. Usage: scripts/dev-broker.sh start PORT CONTROL_PORT LOGFILE
# Prints the broker's pid. The caller stops it with SIGTERM.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
port=$2 control=$3 log=$4
bin=${SJ_BIN_DIR:-$repo/.build/debug}
: >"$log"
"$bin/sjctl" dev-broker --port "$port" --control-port "$control" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    if grep -q '^bootstrap ' "$log"; then echo "$pid"; exit 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
echo "dev broker did not start in 30 s" >&2; cat "$log" >&2; kill "$pid"; exit 1
