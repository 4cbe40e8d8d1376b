#!/usr/bin/env bash
# run.sh - measure erms against its own ceiling, in one run.
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
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
[ -d build-bench ] || meson setup build-bench --buildtype=release -Dtests=false >/dev/null
ninja -C build-bench erms erms-bench-seed >/dev/null

DUR=${DUR:-10s}
CONN=${CONN:-64}
THREADS=${THREADS:-2}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
bin=build-bench/erms

db=$tmp/erms.db
echo "bench-pass-1" | $bin init --db "$db" --admin bench >/dev/null
start() {
	rm -f "$tmp/port"
	$bin serve --listen 127.0.0.1:0 --db "$db" --port-file "$tmp/port" \
		--log-level warn --per-ip-connections 0 "$@" 2>"$tmp/stderr" &
	pid=$!
	for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
	url="http://127.0.0.1:$(cat "$tmp/port")"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

start
ERMS_TOKEN=$(curl -sf -X POST "$url/api/v1/session" -H 'Content-Type: application/json' \
	-d '{"login":"bench","password":"bench-pass-1"}' -c "$tmp/jar" -o "$tmp/s.json" &&
	csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/s.json") &&
	curl -sf -X POST "$url/api/v1/tokens" -b "$tmp/jar" -H "X-CSRF-Token: $csrf" \
		-H 'Content-Type: application/json' -d '{"name":"bench"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export ERMS_TOKEN

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

read -r c_rps c_p99 < <(measure ceiling "$url/hello")
read -r r_rps r_p99 < <(measure read "$url/api/v1/me" bench/read.lua)
read -r w_rps w_p99 < <(measure write "$url/api/v1/tokens" bench/write.lua)
batches=$(curl -sf "$url/metrics" | awk '/^erms_commit_batches_total/ {print $2}')
jobs=$(curl -sf "$url/metrics" | awk '/^erms_commit_jobs_total/ {print $2}')
stop
start --commit single
read -r s_rps s_p99 < <(measure write-single "$url/api/v1/tokens" bench/write.lua)
stop

# Incidents: report throughput, and list and search over 100,000.
N=${N:-100000}
echo "bench-pass-1" | $bin init --db "$tmp/inc.db" --admin bench >/dev/null
ERMS_SEED_PLAN=tests/data/plan-minimal.yaml build-bench/erms-bench-seed "$tmp/inc.db" "$N" >/dev/null
db=$tmp/inc.db
start
ERMS_TOKEN=$(echo bench-pass-1 | ERMS_SERVER=$url $bin login bench)
export ERMS_TOKEN
read -r c2_rps c2_p99 < <(measure ceiling2 "$url/hello")
read -r l_rps l_p99 < <(CONN=16 measure list "$url/api/v1/incidents?limit=50" bench/read.lua)
read -r q3_rps q3_p99 < <(CONN=16 measure search3 "$url/api/v1/incidents?limit=50&q=%E6%95%B0%E6%8D%AE%E5%BA%93" bench/read.lua)
read -r q2_rps q2_p99 < <(CONN=16 measure search2 "$url/api/v1/incidents?limit=50&q=%E4%B8%BB%E5%BA%93" bench/read.lua)
read -r st_rps st_p99 < <(measure status "$url/status")
read -r sa_rps sa_p99 < <(measure atom "$url/status.atom")
read -r i_rps i_p99 < <(measure report "$url/api/v1/incidents" bench/report.lua)
# The same with 200 live subscribers, each receiving every event.
subs=()
for _ in $(seq 200); do
	curl -sN -H "Authorization: Bearer $ERMS_TOKEN" "$url/api/v1/events" >/dev/null &
	subs+=($!)
done
sleep 1
read -r s2_rps s2_p99 < <(measure report-sse "$url/api/v1/incidents" bench/report.lua)
kill "${subs[@]}" 2>/dev/null || true
wait "${subs[@]}" 2>/dev/null || true
stop

# The console: the dashboard on 10,000 incidents, in Chromium.
[ -d tests/browser/node_modules ] || (cd tests/browser && npm ci --no-audit --no-fund >/dev/null)
console_line=$(node bench/console.mjs 2>/dev/null)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
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
