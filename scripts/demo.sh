#!/usr/bin/env bash
# demo.sh - install what is missing, build erms, run `erms demo`.
# Extra arguments go to `erms demo` (see `erms demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
[ -d build ] || meson setup build --buildtype=release >/dev/null
ninja -C build erms >/dev/null
exec build/erms demo "$@"
