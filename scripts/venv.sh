#!/usr/bin/env bash
# The project's Python tools, pinned, in .dev/venv (made once, then reused;
# re-made when scripts/python-requirements.txt changes). Prints nothing but
# errors when all is in place.
#
#   scripts/venv.sh            # make sure it exists
#   .dev/venv/bin/check-jsonschema ...
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/.dev/venv"
requirements="$repo/scripts/python-requirements.txt"
stamp="$venv/.requirements"

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then exit 0; fi

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "venv: installing python3-venv"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
echo "venv: making $venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
