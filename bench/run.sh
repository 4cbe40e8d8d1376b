#!/usr/bin/env bash
# run.sh - measure erms in one run: `bench/run.sh`.
#
#   bench/run.sh                 this tree
#   bench/run.sh --against REV   this tree and REV: bench/compare.sh REV
#   bench/run.sh --build         only build build-bench/ (release)
#
# Builds a release binary in build-bench/ and runs the phases of
# bench/lib.sh (ROUNDS rounds each): on a fresh database the ceiling
# (GET /hello, with each thread's share of a core), a read, the durable
# write with group commit and with --commit single, a sign-in storm; on a
# copy of the database seeded with N incidents (made once, kept in the
# cache: see bench/README.md) start to /healthz, idle memory, lists,
# searches, the status page, the console in Chromium, and reports without
# and with SUBS live subscribers. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
--against) exec bench/compare.sh "${2:?"usage: bench/run.sh [--against REV]"}" ;;
--build | "") ;;
*) echo "usage: bench/run.sh [--against REV | --build]" >&2; exit 2 ;;
esac
scripts/deps.sh bench
# -Dbench_routes=true: GET /hello, the ceiling, which the product leaves out.
if [ -d build-bench ]; then
	meson configure build-bench -Dbench_routes=true >/dev/null
else
	meson setup build-bench --buildtype=release -Dtests=false -Dbench_routes=true >/dev/null
fi
targets=(erms erms-bench-seed)
# The subscribers' driver, when this tree has it.
[ ! -f bench/sse-subs.c ] || targets+=(erms-bench-sse)
ninja -C build-bench ${JOBS:+-j"$JOBS"} "${targets[@]}" >/dev/null
[ "${1:-}" != --build ] || exit 0
[ -d tests/browser/node_modules ] ||
	(cd tests/browser && npm ci --no-audit --no-fund >/dev/null)

tmp=$(mktemp -d)
cleanup() {
	[ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
. bench/lib.sh
[ -n "$SSE" ] || [ ! -x build-bench/erms-bench-sse ] || SSE=build-bench/erms-bench-sse
[ -n "$SSE" ] || say "no erms-bench-sse: the subscriber figures are left out"

db=$(cached_db build-bench/erms build-bench/erms-bench-seed bench/seed.c .)
T=new
for phase in fresh seeded; do
	for r in $(seq "$ROUNDS"); do
		say "$phase, round $r of $ROUNDS"
		$phase build-bench/erms "$db"
	done
done
echo "$(git describe --always --dirty)."
conditions
echo
table new
