#!/usr/bin/env bash
# Builds the librdkafka that `sjctl dev-broker` runs its mock cluster on: the
# installed version's own Debian source with the patches in this folder (the
# mock's group coordinator loses a follower's partitions when the leader syncs
# first; sync-waits-for-every-member.patch says how). Only the dev broker loads
# it (sjctl re-executes itself with LD_LIBRARY_PATH, SJ_DEV_BROKER_LIBRARY_DIR);
# the services and every other client keep the system library.
#
# Output: .dev/librdkafka-mock/<version>-<patches hash>/librdkafka.so.1, built
# once (a few minutes on two cores) and reused. Prints that folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/scripts/librdkafka-mock"
version=$(pkg-config --modversion rdkafka)
# The patches are written against 2.0.2's source: another installed version is
# built only if they still apply (patch stops the script otherwise), and a
# change to them builds anew (the folder's name carries their hash).
hash=$(cat "$here"/*.patch | sha256sum | cut -c1-12)
out="$repo/.dev/librdkafka-mock/$version-$hash"
if [ -s "$out/librdkafka.so.1" ]; then
    echo "$out"
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/librdkafka-mock.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "librdkafka-mock: building librdkafka $version with the dev broker's patches (once; a few minutes)" >&2

# Debian's source of the installed package, through apt with a private list of
# deb-src entries: the machine's own apt configuration is left alone.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $codename main" \
    >"$work/apt/sources.list"
apt_options=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o APT::Sandbox::User=root)
apt-get "${apt_options[@]}" update -qq >&2
(cd "$work" && apt-get "${apt_options[@]}" source --download-only -qq "librdkafka=$(dpkg-query -W -f='${Version}' librdkafka1)" >&2)
tar xzf "$work"/librdkafka_*.orig.tar.gz -C "$work"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'librdkafka-*' | head -1)
for patch in "$here"/*.patch; do
    patch -d "$src" -p1 --quiet <"$patch" >&2
done

# Only what a local mock broker needs: no TLS, SASL, compression libraries.
(cd "$src" && ./configure --no-download --disable-ssl --disable-gssapi --disable-zstd --disable-curl \
    --disable-lz4-ext --disable-zlib --disable-debug-symbols >"$work/configure.log" 2>&1) \
    || { cat "$work/configure.log" >&2; exit 1; }
make -C "$src/src" -j"$(nproc)" librdkafka.so.1 >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }

mkdir -p "$out"
cp "$src/src/librdkafka.so.1" "$out/librdkafka.so.1.tmp"
mv "$out/librdkafka.so.1.tmp" "$out/librdkafka.so.1"
echo "$out"
