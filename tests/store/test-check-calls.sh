#!/usr/bin/env bash
# test-check-calls.sh - tools/check-store-calls.sh passes on the tree and
# fails, naming the function, when store.h declares one no test calls (a
# mention in a comment is not a call). Ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
check=$root/tools/check-store-calls.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
bad() { echo "FAILED: $1"; failed=$((failed + 1)); }

if out=$("$check" 2>&1); then ok "the tree passes"; else bad "the tree fails: $out"; fi

mkdir -p "$tmp/tests"
cp "$root"/tests/store/*.c "$root"/tests/store/*.h "$tmp/tests/"
{
	cat "$root/src/store/store.h"
	echo 'int store_never_called(struct store *st,'
	echo '			 int64_t id);'
	echo 'typedef int store_unused_fn(void *ctx);'
} >"$tmp/store.h"
echo '/* store_never_called(st, 1) is only mentioned here */' >>"$tmp/tests/contract.c"
out=$("$check" "$tmp/store.h" "$tmp/tests" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q '^check-store-calls: store_never_called (declared in' <<<"$out" &&
	[ "$(grep -c 'is called by no test' <<<"$out")" -eq 1 ]; then
	ok "an uncalled function is listed, alone, and fails the check"
else
	bad "an uncalled function was not reported (rc $rc): $out"
fi

echo 'static void t(void) { store_never_called(NULL, 1); }' >>"$tmp/tests/contract.c"
if out=$("$check" "$tmp/store.h" "$tmp/tests" 2>&1); then
	ok "a call makes it pass"
else
	bad "a called function still fails: $out"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
