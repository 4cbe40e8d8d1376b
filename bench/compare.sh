#!/usr/bin/env bash
# compare.sh - measure this tree (new) against another revision (old) in
# one run: `bench/compare.sh REV`.
#
# Builds REV (release) in a temporary git worktree, removed at exit, and
# this tree in build-bench/, then runs every phase of bench/lib.sh for
# both, interleaved (new, old, new, old: ROUNDS rounds per phase), each
# binary on its own copies of one seeded database (at REV's schema for
# REV, the same rows migrated by this tree's binary for this tree), and
# prints every figure of both with the ratio new/old. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 1 ] || { echo "usage: bench/compare.sh REV" >&2; exit 2; }
rev=$(git rev-parse --verify "$1^{commit}")
scripts/deps.sh bench
[ -d tests/browser/node_modules ] ||
	(cd tests/browser && npm ci --no-audit --no-fund >/dev/null)
tmp=$(mktemp -d)
cleanup() {
	[ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	[ ! -d "$tmp/old" ] || git worktree remove --force "$tmp/old" || true
	rm -rf "$tmp"
}
trap cleanup EXIT
. bench/lib.sh

# This tree: built as bench/run.sh builds it.
bench/run.sh --build
[ -n "$SSE" ] || [ ! -x build-bench/erms-bench-sse ] || SSE=build-bench/erms-bench-sse
[ -n "$SSE" ] || say "no erms-bench-sse: the subscriber figures are left out"

# REV: its binaries, kept in the cache by commit (and seeder source). Its
# seeder is this tree's bench/seed.c built against REV's code, so that
# both trees' databases come from one seeder; REV's own if that does not
# build.
git worktree add --detach -q "$tmp/old" "$rev"
seedc=bench/seed.c
bins=$CACHE/bin-$rev-$(short <bench/seed.c)
if [ ! -x "$bins/erms" ]; then
	cp bench/seed.c "$tmp/old/bench/seed.c"
	# REV's /hello is in its bench build only if it has the option.
	opt=
	! grep -q bench_routes "$tmp/old/meson_options.txt" || opt=-Dbench_routes=true
	meson setup "$tmp/old/build" "$tmp/old" --buildtype=release -Dtests=false $opt >/dev/null
	if ! ninja -C "$tmp/old/build" ${JOBS:+-j"$JOBS"} erms erms-bench-seed >"$tmp/old.log" 2>&1; then
		git -C "$tmp/old" checkout -q -- bench/seed.c
		say "this tree's seeder does not build against $1: its own seeds"
		ninja -C "$tmp/old/build" ${JOBS:+-j"$JOBS"} erms erms-bench-seed >/dev/null
		bins=$CACHE/bin-$rev-$(short <"$tmp/old/bench/seed.c")
	fi
	mkdir -p "$bins.making"
	cp "$tmp/old/build/erms" "$tmp/old/build/erms-bench-seed" "$bins.making/"
	cp "$tmp/old/bench/seed.c" "$bins.making/seed.c"
	rm -rf "$bins"
	mv "$bins.making" "$bins"
fi

# The databases: the same rows for both.
if [ "$(migs . | short)" = "$(migs "$tmp/old" | short)" ]; then
	po=$(cached_db build-bench/erms build-bench/erms-bench-seed "$seedc" .)
	pn=$po
else
	cmp -s "$bins/seed.c" bench/seed.c || seedc=$bins/seed.c
	po=$(cached_db "$bins/erms" "$bins/erms-bench-seed" "$seedc" "$tmp/old")
	pn=$(derive_db build-bench/erms . "$po")
fi

for phase in fresh seeded; do
	for r in $(seq "$ROUNDS"); do
		say "$phase, round $r of $ROUNDS"
		T=new; $phase build-bench/erms "$pn"
		T=old; $phase "$bins/erms" "$po"
	done
done

echo "New: $(git describe --always --dirty) (this tree); old: $(git describe --always "$rev")."
conditions
echo
table new old
