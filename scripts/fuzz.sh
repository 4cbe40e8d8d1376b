#!/usr/bin/env bash
# fuzz.sh - run the libFuzzer harnesses of fuzz/ (clang, ASan + UBSan).
#
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]
#
# Builds build-fuzz (CC=clang, -Dfuzz=true) and runs each harness
# fuzz/fuzz-NAME.c (all of them, or the NAMEs given) for SECONDS (default
# 300) on a copy of its seed corpus fuzz/corpus/NAME/, so the committed
# corpus is only read. Fails when any harness finds a crash, a leak, an
# abort of its properties or an input slower than 10 s; the input that
# did it is left in build-fuzz/crash/NAME/ (add it to the corpus once the
# bug is fixed). Ends with one line: "fuzz: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

secs=${1:-300}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in fuzz/fuzz-*.c; do
		n=${f#fuzz/fuzz-}
		names+=("${n%.c}")
	done
fi

if [ ! -d build-fuzz ]; then
	CC=clang meson setup build-fuzz --buildtype=debugoptimized -Dfuzz=true \
		-Dtests=false >/dev/null || exit 1
fi
targets=()
for n in "${names[@]}"; do targets+=("fuzz-$n"); done
ninja -C build-fuzz "${targets[@]}" >/dev/null || {
	ninja -C build-fuzz "${targets[@]}" | tail -30
	echo "fuzz: 0 passed, ${#names[@]} failed"
	exit 1
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
passed=0 failed=0
for n in "${names[@]}"; do
	work=build-fuzz/corpus/$n crash=build-fuzz/crash/$n
	rm -rf "$work"
	mkdir -p "$work" "$crash"
	cp fuzz/corpus/"$n"/* "$work"/
	echo "== fuzz-$n, ${secs}s"
	if build-fuzz/fuzz-"$n" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$crash"/ "$work" >build-fuzz/fuzz-"$n".log 2>&1; then
		passed=$((passed + 1))
		grep -E '^stat::number_of_executed_units' build-fuzz/fuzz-"$n".log
	else
		failed=$((failed + 1))
		tail -40 build-fuzz/fuzz-"$n".log
		echo "FAILED: fuzz-$n (input in $crash/)"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
