#!/usr/bin/env bash
# test.sh - every test of erms, under AddressSanitizer and UBSan.
#
# Installs what is missing, checks the sources (banned functions, layer
# rules), builds with gcc under ASan/UBSan and runs the unit, store and
# API suites there (the API suite lints the served OpenAPI document with
# redocly and checks real answers against it with ajv, tests/openapi/),
# builds with clang (-Werror) and runs the unit tests, runs each
# libFuzzer harness briefly (scripts/fuzz.sh), and ends with one line:
# "N passed, N failed". The postgres suite (the store contract and the
# API suite on PostgreSQL, and the failover test on servers of its own)
# runs on a throwaway server (scripts/pg.sh) started here and stopped at
# exit.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test || exit 1

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tools/lsan.supp:print_suppressions=0

passed=0 failed=0
count() {	# count LOG: add the test cases a meson log reports
	local p f
	p=$(grep -hoE '\[  PASSED  \] [0-9]+ test' "$1" | awk '{s+=$4} END {print s+0}')
	f=$(grep -hoE '\[  FAILED  \] [0-9]+ test' "$1" | awk '{s+=$4} END {print s+0}')
	passed=$((passed + p)) failed=$((failed + f))
	p=$(grep -hoE '^[0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
	f=$(grep -hoE '^[0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$3} END {print s+0}')
	passed=$((passed + p)) failed=$((failed + f))
}
step() {	# step NAME CMD...: a check that counts as one test
	echo "== $1"
	shift
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $*"; fi
}

step "source checks" tools/check-src.sh
step "store contract calls all of store.h" tools/check-store-calls.sh
step "the source checker refuses a forbidden include" tests/tools/test-check-src.sh

# The OpenAPI checks of the API suite (t0500): redocly and ajv from npm.
if [ ! -d tests/openapi/node_modules ]; then
	(cd tests/openapi && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		(cd tests/openapi && npm ci --no-audit --no-fund)
fi
export ERMS_OPENAPI_REQUIRED=1

# A PostgreSQL server of our own for the postgres suite.
pg_dir=$(mktemp -d /tmp/erms-pg-XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
ERMS_TEST_POSTGRES_URL=$(scripts/pg.sh start "$pg_dir") || {
	echo "cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
export ERMS_TEST_POSTGRES_URL

echo "== gcc, ASan + UBSan"
if [ ! -d build-asan ]; then
	meson setup build-asan --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args='-fno-sanitize-recover=all -fno-omit-frame-pointer' \
		>/dev/null || exit 1
fi
ninja -C build-asan >/dev/null || { ninja -C build-asan; echo "0 passed, 1 failed"; exit 1; }
meson test -C build-asan --print-errorlogs --verbose --num-processes 2 \
	>build-asan/test-output.txt 2>&1
rc=$?
grep -E '^ *[0-9]+/[0-9]+ .*(OK|FAIL|TIMEOUT)' build-asan/test-output.txt
count build-asan/test-output.txt
[ $rc -eq 0 ] || { failed=$((failed + 1)); tail -60 build-asan/test-output.txt; }

echo "== the console in Chromium (playwright-core)"
if [ ! -d tests/browser/node_modules ]; then
	(cd tests/browser && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		(cd tests/browser && npm ci --no-audit --no-fund)
fi
ERMS_BIN=$PWD/build-asan/erms node --test --test-concurrency=1 tests/browser/ \
	>build-asan/browser-output.txt 2>&1
rc=$?
grep -E '^(not )?ok ' build-asan/browser-output.txt
p=$(grep -hoE '^# pass [0-9]+' build-asan/browser-output.txt | awk '{s+=$3} END {print s+0}')
f=$(grep -hoE '^# fail [0-9]+' build-asan/browser-output.txt | awk '{s+=$3} END {print s+0}')
passed=$((passed + p)) failed=$((failed + f))
if [ $rc -ne 0 ]; then
	[ "$f" -gt 0 ] || failed=$((failed + 1))
	tail -60 build-asan/browser-output.txt
fi

echo "== gcc -O3 release build, -Werror"
if [ ! -d build-release ]; then
	meson setup build-release --buildtype=release -Dtests=false >/dev/null || exit 1
fi
step "release build" sh -c 'ninja -C build-release >/dev/null || ninja -C build-release'

echo "== clang -Werror, unit tests"
if [ ! -d build-clang ]; then
	CC=clang meson setup build-clang --buildtype=debugoptimized >/dev/null || exit 1
fi
ninja -C build-clang >/dev/null || { ninja -C build-clang | tail -30; failed=$((failed + 1)); }
meson test -C build-clang --suite unit --verbose >build-clang/test-output.txt 2>&1
rc=$?
count build-clang/test-output.txt
[ $rc -eq 0 ] || { failed=$((failed + 1)); tail -40 build-clang/test-output.txt; }

echo "== libFuzzer smoke, 25 s a harness (scripts/fuzz.sh runs them longer)"
for f in fuzz/fuzz-*.c; do
	n=${f#fuzz/fuzz-}
	n=${n%.c}
	step "fuzz-$n" scripts/fuzz.sh "${ERMS_FUZZ_SECONDS:-25}" "$n"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
