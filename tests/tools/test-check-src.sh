#!/usr/bin/env bash
# test-check-src.sh - tools/check-src.sh refuses what its rules forbid.
#
# Copies the checker and src/ into a temporary folder and edits only the
# copy: the copy as it is passes every check but the layer one, and the
# layer check then fails on exactly the breaches it already reports plus
# each deliberately added one (an http file including the store, a core
# file including an I/O util header, two modules including each other,
# two headers including each other). A small tree that keeps the table
# passes the layer check.
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# copy DIR: the checker and today's src/ in DIR.
copy() {
	mkdir -p "$1/tools"
	cp tools/check-src.sh "$1/tools/"
	cp -r src "$1/src"
}

# 1. The other checks pass on the clean copy.
copy "$tmp/clean"
"$tmp/clean/tools/check-src.sh" --no-layers >"$tmp/clean.out" 2>&1 ||
	fail "the clean copy fails a check other than the layers: $(cat "$tmp/clean.out")"
"$tmp/clean/tools/check-src.sh" --layers-only >"$tmp/clean-layers.out" 2>&1

# 2. Each forbidden include is reported with its file and include.
copy "$tmp/bad"
printf '#include "store/store.h"\n' >"$tmp/bad/src/http/x.c"
printf '#include "util/log.h"\n' >"$tmp/bad/src/core/y.c"
printf '#include "util/cyc-b.h"\n' >"$tmp/bad/src/util/cyc-a.c"
printf '#pragma once\n' >"$tmp/bad/src/util/cyc-a.h"
printf '#include "util/cyc-a.h"\n' >"$tmp/bad/src/util/cyc-b.c"
printf '#pragma once\n' >"$tmp/bad/src/util/cyc-b.h"
printf '#include "util/hcyc-b.h"\n' >"$tmp/bad/src/util/hcyc-a.h"
printf '#include "util/hcyc-a.h"\n' >"$tmp/bad/src/util/hcyc-b.h"
if "$tmp/bad/tools/check-src.sh" >"$tmp/bad.out" 2>&1; then
	fail "the checker passes a tree with forbidden includes"
fi
"$tmp/bad/tools/check-src.sh" --no-layers >/dev/null 2>&1 ||
	fail "the added includes break a check other than the layers"
expect() {	# expect PATTERN: the bad run reports it, the clean run does not
	grep -qE "$1" "$tmp/bad.out" || fail "not reported: $1"
	! grep -qE "$1" "$tmp/clean-layers.out" || fail "reported on the clean copy: $1"
}
expect '^check-src: src/http/x\.c:1: includes store/store\.h: http -> store'
expect '^check-src: src/core/y\.c:1: includes util/log\.h: core may include only'
expect '^check-src: include cycle between util/cyc-a util/cyc-b$'
expect '^check-src: include cycle between util/hcyc-a\.h util/hcyc-b\.h$'
# Every breach of the clean copy is still reported: nothing is hidden
# behind the first one.
grep -vxFf "$tmp/bad.out" "$tmp/clean-layers.out" >"$tmp/missing"
[ ! -s "$tmp/missing" ] || fail "breaches no longer reported: $(cat "$tmp/missing")"

# 3. libpq in a store file that is not the PostgreSQL backend's is
# refused (the other checks, not the layers).
copy "$tmp/pq"
printf '#include <libpq-fe.h>\n' >"$tmp/pq/src/store/users-pq.c"
"$tmp/pq/tools/check-src.sh" --no-layers >"$tmp/pq.out" 2>&1 &&
	fail "the checker passes libpq outside src/store/postgres*.c"
grep -q '^src/store/users-pq.c$' "$tmp/pq.out" ||
	fail "the file using libpq is not named: $(cat "$tmp/pq.out")"

# 4. A tree that keeps the table passes, and a new folder is refused.
ok=$tmp/ok
mkdir -p "$ok/tools" "$ok/src/util" "$ok/src/core" "$ok/src/app" "$ok/src/http" "$ok/src/cli"
cp tools/check-src.sh "$ok/tools/"
printf '#pragma once\n' >"$ok/src/util/err.h"
printf '#include "util/err.h"\n' >"$ok/src/core/a.h"
printf '#include "core/a.h"\n#include "util/err.h"\n' >"$ok/src/app/b.h"
printf '#include "app/b.h"\n#include "c.h"\n' >"$ok/src/http/c.c"
printf '#pragma once\n' >"$ok/src/http/c.h"
printf '#include "http/c.h"\n#include "app/b.h"\n' >"$ok/src/cli/d.c"
"$ok/tools/check-src.sh" --layers-only >"$tmp/ok.out" 2>&1 ||
	fail "a tree that keeps the table fails: $(cat "$tmp/ok.out")"
mkdir -p "$ok/src/extra"
printf '#include "app/b.h"\n' >"$ok/src/extra/e.c"
"$ok/tools/check-src.sh" --layers-only >"$tmp/ok.out" 2>&1 &&
	fail "a folder missing from the table passes"
grep -q 'src/extra/e.c:1: folder extra is not in the layer table' "$tmp/ok.out" ||
	fail "the unknown folder is not named: $(cat "$tmp/ok.out")"

[ $failed -eq 0 ] && echo "check-src test: ok"
exit $failed
