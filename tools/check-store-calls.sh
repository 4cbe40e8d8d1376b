#!/usr/bin/env bash
# check-store-calls.sh - the store contract suite calls every function the
# store interface declares.
#
# Lists each function declared in src/store/store.h (typedefs left out)
# that no file of tests/store/ calls, one line each, and fails when there
# is any. Comments are stripped on both sides first, so a function only
# named in a comment does not count as called.
#
#   tools/check-store-calls.sh [HEADER [TESTDIR]]
set -u
cd "$(dirname "$0")/.."
header=${1:-src/store/store.h}
tests=${2:-tests/store}

# strip FILE...: the files' text without /* */ and // comments.
strip() {
	awk '{ s = s $0 "\n" }
	END {
		out = ""
		while ((i = index(s, "/*")) > 0) {
			out = out substr(s, 1, i - 1)
			s = substr(s, i + 2)
			j = index(s, "*/")
			if (j == 0) { s = ""; break }
			s = substr(s, j + 2)
		}
		out = out s
		gsub(/\/\/[^\n]*/, "", out)
		printf "%s", out
	}' "$@"
}

[ -f "$header" ] || { echo "check-store-calls: no header $header"; exit 2; }
shopt -s nullglob
files=("$tests"/*.c "$tests"/*.h)
[ ${#files[@]} -gt 0 ] || { echo "check-store-calls: no tests in $tests"; exit 2; }

# A declaration: a line that starts with a type and has NAME( , not a
# typedef (callback types), not a macro.
declared=$(strip "$header" | grep -vE '^[[:space:]]*(typedef|#)' |
	grep -oE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]+[A-Za-z_][A-Za-z0-9_]*\(' |
	sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*)\($/\1/' | sort -u)
[ -n "$declared" ] || { echo "check-store-calls: nothing declared in $header"; exit 2; }

called=$(for f in "${files[@]}"; do strip "$f"; echo; done |
	grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' |
	sed -E 's/[[:space:]]*\($//' | sort -u)

missing=$(comm -23 <(echo "$declared") <(echo "$called"))
total=$(echo "$declared" | wc -l)
if [ -n "$missing" ]; then
	while read -r fn; do
		echo "check-store-calls: $fn (declared in $header) is called by no test in $tests/"
	done <<<"$missing"
	echo "check-store-calls: $(echo "$missing" | wc -l) of $total store functions not called"
	exit 1
fi
echo "check-store-calls: all $total store functions are called by $tests/"
