#!/usr/bin/env bash
# run.sh - measure erms against its own ceiling, in one run; or measure
# this tree against another revision, in one run.
#
#   bench/run.sh                 this tree
#   bench/run.sh --against REV   this tree (new) and REV (old)
#
# Builds a release binary, starts `erms serve` on a fresh database in a
# temporary folder, and drives it with wrk over loopback:
#   ceiling  GET  /hello           (no database, no sign-in)
#   read     GET  /api/v1/me       (token check + user + groups)
#   write    POST /api/v1/tokens   (durable: answered after fsync)
# then, on a seeded database, incident reports, list, search and the
# public status page with its feed;
# the write once with group commit (the default) and once with
# --commit single (one transaction and fsync per request).
# Prints a Markdown table: requests/s and p99 latency, and each as a
# ratio to the ceiling.
#
# With --against REV, REV is built (release) in a temporary folder (its
# files by git archive, so the repository is left as it is) and each phase (fresh database, --commit single, seeded database) runs
# against the new binary and then the old one, alternately, each on its
# own databases made by its own `erms init` and seeder; the table gives
# every figure of both and the ratio new/old (above 1 is faster for
# requests/s, slower for p99). The console measurement is left out there.
set -euo pipefail
cd "$(dirname "$0")/.."
against=
case "${1:-}" in
--against) against=${2:?"usage: bench/run.sh [--against REV]"} ;;
"") ;;
*) echo "usage: bench/run.sh [--against REV]" >&2; exit 2 ;;
esac
scripts/deps.sh bench
[ -d build-bench ] || meson setup build-bench --buildtype=release -Dtests=false >/dev/null
ninja -C build-bench ${JOBS:+-j"$JOBS"} erms erms-bench-seed >/dev/null

DUR=${DUR:-10s}
CONN=${CONN:-64}
THREADS=${THREADS:-2}
N=${N:-100000}
seeder=
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "$against" ]; then
	rev=$(git rev-parse --verify "$against^{commit}")
	mkdir "$tmp/old"
	git archive "$rev" | tar -x -C "$tmp/old"
	meson setup "$tmp/old/build-bench" "$tmp/old" --buildtype=release -Dtests=false >/dev/null
	ninja -C "$tmp/old/build-bench" ${JOBS:+-j"$JOBS"} erms erms-bench-seed >/dev/null
	# Both binaries measure the same rows: when REV has the same schema
	# (no migration differs), this tree's seeder makes one database and
	# each binary serves its own copy of it (the seeder's text is random,
	# and search speed depends on how many rows match; REV's own seeder
	# may also be one that no longer seeds).
	if git diff --quiet "$rev" -- migrations; then
		seeder=build-bench/erms-bench-seed
	fi
fi

# start BIN DB [ARGS...]: serve DB with BIN; sets pid and url.
start() {
	local bin=$1 db=$2
	shift 2
	rm -f "$tmp/port"
	$bin serve --listen 127.0.0.1:0 --db "$db" --port-file "$tmp/port" \
		--log-level warn --per-ip-connections 0 "$@" 2>"$tmp/stderr" &
	pid=$!
	for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
	url="http://127.0.0.1:$(cat "$tmp/port")"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# measure NAME URL [SCRIPT]: "rps p99_ms" of one wrk run.
measure() {
	local out
	out=$(wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency ${3:+-s "$3"} "$2")
	echo "$out" >"$tmp/$1.txt"
	local rps p99
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
		else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}
		print v}' <<<"$out")
	if grep -q 'Non-2xx' <<<"$out"; then
		echo "bench: $1 had non-2xx answers:" >&2
		grep 'Non-2xx' <<<"$out" >&2
	fi
	echo "$rps $p99"
}

# The phases. Each takes the binary folder D (erms and erms-bench-seed)
# and a tag T for its files, and appends "name rps p99" lines to
# $tmp/T.fig (and "name value" lines for counters).
fig() { echo "$1 $2" >>"$tmp/$T.fig"; }

# fresh D T: ceiling, read and write with group commit, on a fresh database.
fresh() {
	local D=$1 T=$2 db=$tmp/$2.db
	echo "bench-pass-1" | "$D/erms" init --db "$db" --admin bench >/dev/null
	start "$D/erms" "$db"
	ERMS_TOKEN=$(curl -sf -X POST "$url/api/v1/session" -H 'Content-Type: application/json' \
		-d '{"login":"bench","password":"bench-pass-1"}' -c "$tmp/jar" -o "$tmp/s.json" &&
		csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/s.json") &&
		curl -sf -X POST "$url/api/v1/tokens" -b "$tmp/jar" -H "X-CSRF-Token: $csrf" \
			-H 'Content-Type: application/json' -d '{"name":"bench"}' |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
	export ERMS_TOKEN
	echo "$ERMS_TOKEN" >"$tmp/$T.token"
	fig ceiling "$(measure ceiling "$url/hello")"
	fig read "$(measure read "$url/api/v1/me" bench/read.lua)"
	fig write "$(measure write "$url/api/v1/tokens" bench/write.lua)"
	fig batches "$(curl -sf "$url/metrics" | awk '/^erms_commit_batches_total/ {print $2}')"
	fig jobs "$(curl -sf "$url/metrics" | awk '/^erms_commit_jobs_total/ {print $2}')"
	stop
}

# single D T: the write with one commit per request, on the same database
# and with the same token as fresh D T.
single() {
	local D=$1 T=$2
	ERMS_TOKEN=$(cat "$tmp/$T.token")
	export ERMS_TOKEN
	start "$D/erms" "$tmp/$T.db" --commit single
	fig write-single "$(measure write-single "$url/api/v1/tokens" bench/write.lua)"
	stop
}

# seeded D T: incidents: report throughput, and list and search over N.
seeded() {
	local D=$1 T=$2 db=$tmp/$2-inc.db subs
	if [ -n "$seeder" ] && [ -f "$tmp/pristine.db" ]; then
		for f in "" .key .anchor; do cp "$tmp/pristine.db$f" "$db$f"; done
	else
		echo "bench-pass-1" | "$D/erms" init --db "$db" --admin bench >/dev/null
		ERMS_SEED_PLAN=tests/data/plan-minimal.yaml "${seeder:-$D/erms-bench-seed}" "$db" "$N" >/dev/null
		[ -z "$seeder" ] ||
			for f in "" .key .anchor; do cp "$db$f" "$tmp/pristine.db$f"; done
	fi
	start "$D/erms" "$db"
	ERMS_TOKEN=$(echo bench-pass-1 | ERMS_SERVER=$url "$D/erms" login bench)
	export ERMS_TOKEN
	fig ceiling2 "$(measure ceiling2 "$url/hello")"
	fig list "$(CONN=16 measure list "$url/api/v1/incidents?limit=50" bench/read.lua)"
	fig search3 "$(CONN=16 measure search3 "$url/api/v1/incidents?limit=50&q=%E6%95%B0%E6%8D%AE%E5%BA%93" bench/read.lua)"
	fig search2 "$(CONN=16 measure search2 "$url/api/v1/incidents?limit=50&q=%E4%B8%BB%E5%BA%93" bench/read.lua)"
	fig status "$(measure status "$url/status")"
	fig atom "$(measure atom "$url/status.atom")"
	fig report "$(measure report "$url/api/v1/incidents" bench/report.lua)"
	# The same with 200 live subscribers, each receiving every event.
	subs=()
	for _ in $(seq 200); do
		curl -sN -H "Authorization: Bearer $ERMS_TOKEN" "$url/api/v1/events" >/dev/null &
		subs+=($!)
	done
	sleep 1
	fig report-sse "$(measure report-sse "$url/api/v1/incidents" bench/report.lua)"
	kill "${subs[@]}" 2>/dev/null || true
	wait "${subs[@]}" 2>/dev/null || true
	stop
}

# get T NAME [FIELD]: a figure (field 1 requests/s, 2 p99 ms).
get() { awk -v n="$2" -v f="${3:-1}" '$1 == n {print $(f + 1)}' "$tmp/$1.fig"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }

if [ -n "$against" ]; then
	for phase in fresh single seeded; do
		$phase build-bench new
		$phase "$tmp/old/build-bench" old
	done
	echo "New: $(git describe --always --dirty) (this tree); old: $(git describe --always "$rev")."
	echo "wrk -t$THREADS -c$CONN -d$DUR on loopback, $(nproc) cores, $(date -u +%Y-%m-%d); list and search with 16 connections on $N incidents."
	echo
	echo "| figure | new requests/s | old requests/s | new/old | new p99 ms | old p99 ms | new/old |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	while read -r name label; do
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
			"$(get new "$name")" "$(get old "$name")" \
			"$(ratio "$(get new "$name")" "$(get old "$name")")" \
			"$(get new "$name" 2)" "$(get old "$name" 2)" \
			"$(ratio "$(get new "$name" 2)" "$(get old "$name" 2)")"
	done <<-'ROWS'
	ceiling ceiling: GET /hello
	read read: GET /api/v1/me
	write durable write, group commit: POST /api/v1/tokens
	write-single durable write, --commit single
	ceiling2 ceiling on the seeded database
	report report: POST /api/v1/incidents
	report-sse report with 200 live subscribers (SSE)
	list list: GET /api/v1/incidents?limit=50
	search3 search, 3 characters: q=数据库
	search2 search, 2 characters: q=主库
	status public status page: GET /status
	atom its Atom feed: GET /status.atom
	ROWS
	exit 0
fi

fresh build-bench new
single build-bench new
seeded build-bench new
read -r c_rps c_p99 <<<"$(get new ceiling) $(get new ceiling 2)"
read -r r_rps r_p99 <<<"$(get new read) $(get new read 2)"
read -r w_rps w_p99 <<<"$(get new write) $(get new write 2)"
read -r s_rps s_p99 <<<"$(get new write-single) $(get new write-single 2)"
batches=$(get new batches) jobs=$(get new jobs)
read -r c2_rps c2_p99 <<<"$(get new ceiling2) $(get new ceiling2 2)"
read -r l_rps l_p99 <<<"$(get new list) $(get new list 2)"
read -r q3_rps q3_p99 <<<"$(get new search3) $(get new search3 2)"
read -r q2_rps q2_p99 <<<"$(get new search2) $(get new search2 2)"
read -r st_rps st_p99 <<<"$(get new status) $(get new status 2)"
read -r sa_rps sa_p99 <<<"$(get new atom) $(get new atom 2)"
read -r i_rps i_p99 <<<"$(get new report) $(get new report 2)"
read -r s2_rps s2_p99 <<<"$(get new report-sse) $(get new report-sse 2)"

# The console: the dashboard on 10,000 incidents, in Chromium.
[ -d tests/browser/node_modules ] || (cd tests/browser && npm ci --no-audit --no-fund >/dev/null)
console_line=$(node bench/console.mjs 2>/dev/null)

cat <<TABLE
| route | requests/s | ratio to ceiling | p99 ms | p99 ratio to ceiling |
|---|---:|---:|---:|---:|
| ceiling: GET /hello | $c_rps | 1.00 | $c_p99 | 1.00 |
| read: GET /api/v1/me | $r_rps | $(ratio "$r_rps" "$c_rps") | $r_p99 | $(ratio "$r_p99" "$c_p99") |
| durable write, group commit: POST /api/v1/tokens | $w_rps | $(ratio "$w_rps" "$c_rps") | $w_p99 | $(ratio "$w_p99" "$c_p99") |
| durable write, one commit per request (--commit single) | $s_rps | $(ratio "$s_rps" "$c_rps") | $s_p99 | $(ratio "$s_p99" "$c_p99") |

Group commit: $jobs writes in $batches transactions ($(ratio "$jobs" "$batches") writes per fsync); $(ratio "$w_rps" "$s_rps")x the throughput of one commit per request.
wrk -t$THREADS -c$CONN -d$DUR on loopback, $(nproc) cores, $(date -u +%Y-%m-%d).

On a database of $N incidents (list and search with 16 connections):

| route | requests/s | ratio to ceiling | p99 ms | p99 ratio to ceiling |
|---|---:|---:|---:|---:|
| ceiling: GET /hello | $c2_rps | 1.00 | $c2_p99 | 1.00 |
| durable write: POST /api/v1/incidents | $i_rps | $(ratio "$i_rps" "$c2_rps") | $i_p99 | $(ratio "$i_p99" "$c2_p99") |
| the same with 200 live subscribers (SSE) | $s2_rps | $(ratio "$s2_rps" "$c2_rps") | $s2_p99 | $(ratio "$s2_p99" "$c2_p99") |
| list: GET /api/v1/incidents?limit=50 | $l_rps | $(ratio "$l_rps" "$c2_rps") | $l_p99 | $(ratio "$l_p99" "$c2_p99") |
| search, 3 characters (trigram index): q=数据库 | $q3_rps | $(ratio "$q3_rps" "$c2_rps") | $q3_p99 | $(ratio "$q3_p99" "$c2_p99") |
| search, 2 characters (pair index): q=主库 | $q2_rps | $(ratio "$q2_rps" "$c2_rps") | $q2_p99 | $(ratio "$q2_p99" "$c2_p99") |
| public status page: GET /status (no sign-in) | $st_rps | $(ratio "$st_rps" "$c2_rps") | $st_p99 | $(ratio "$st_p99" "$c2_p99") |
| its Atom feed: GET /status.atom | $sa_rps | $(ratio "$sa_rps" "$c2_rps") | $sa_p99 | $(ratio "$sa_p99" "$c2_p99") |

Console (Chromium, loopback, navigation to the dashboard's incidents on screen): $console_line.
TABLE
