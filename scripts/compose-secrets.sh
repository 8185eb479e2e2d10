#!/usr/bin/env bash
# Makes the secret files docker-compose.yml mounts, once: a random JWT key,
# notification sealing key and PostgreSQL password in deploy/secrets/.
# Existing files are kept (a new sealing key would make every stored channel
# secret unreadable; a new database password would not match the volume's).
#
# The folder is 0700 (only you reach the files on this host); the files are
# 0644 because compose mounts them with the host file's mode and the
# containers' users (10001, PostgreSQL's 999) must read them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/deploy/secrets"
mkdir -p "$dir"
chmod 700 "$dir"

random_hex() { openssl rand -hex 32 2>/dev/null || od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

for name in jwt-secret notification-secret-key postgres-password; do
    file="$dir/$name"
    if [ -s "$file" ]; then echo "kept    $file"; continue; fi
    random_hex >"$file.tmp"
    chmod 644 "$file.tmp"
    mv "$file.tmp" "$file"
    echo "created $file"
done
