#!/usr/bin/env bash
# pg.sh - erms on PostgreSQL beside SQLite, in one run: `bench/pg.sh`.
#
# Builds the release binary (build-bench/, as bench/run.sh does), starts
# a throwaway PostgreSQL server (scripts/pg.sh) and measures, each for
# DUR with CONN connections (lists: 16):
#   - pgbench's 1-row insert into a one-table database on the same server
#     with the same client count: the engine's ceiling for a durable
#     write;
#   - reports (POST /api/v1/incidents, bench/report.lua) and the list
#     (GET /api/v1/incidents?limit=50) on SQLite, one node; PostgreSQL,
#     one node; PostgreSQL, two nodes on the same database, the load split
#     over both (two wrk processes, half the connections each);
#   - the cross-node write lock: during each PostgreSQL report run, the
#     write transactions waiting for the begin lock (pg_locks: advisory
#     locks not granted), sampled every 100 ms.
# Prints a Markdown table: requests/s, p99, the ratio to the pgbench
# ceiling, and the mean and peak number of waiting writers. Settings:
# DUR, CONN, THREADS (bench/README.md). Each database is fresh (erms
# demo's organisation and plan), so the run takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
scripts/deps.sh bench
[ -d build-bench ] || meson setup build-bench --buildtype=release -Dtests=false -Dbench_routes=true >/dev/null
ninja -C build-bench ${JOBS:+-j"$JOBS"} erms >/dev/null
command -v pgbench >/dev/null || fail "no pgbench (apt-get install postgresql)"

tmp=$(mktemp -d)
# The server's own folder: the postgres user must reach it.
pgdir=$(mktemp -d)
chmod 0755 "$pgdir"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$tmp" "$pgdir"
}
trap cleanup EXIT
T=pg
bin=build-bench/erms
: >"$tmp/$T.fig"

server=$(scripts/pg.sh start "$pgdir")
say "PostgreSQL at $server"
# db_url NAME: the server's URL for database NAME.
db_url() { echo "${server%/*}/$1"; }

# serve_node DB KEY ANCHOR: one erms serve; sets node_url; its pid goes
# to pids[].
serve_node() {
	local port=$tmp/port.${#pids[@]}
	rm -f "$port"
	"$bin" serve --listen 127.0.0.1:0 --db "$1" --key "$2" --anchor "$3" \
		--port-file "$port" --log-level warn --per-ip-connections 0 \
		--max-connections 4096 >>"$tmp/serve.stdout" 2>>"$tmp/serve.stderr" &
	pids+=($!)
	for _ in $(seq 600); do [ -s "$port" ] && break; sleep 0.05; done
	[ -s "$port" ] || fail "erms serve did not start (see $tmp/serve.stderr)"
	node_url="http://127.0.0.1:$(cat "$port")"
	for _ in $(seq 200); do curl -sf -o /dev/null "$node_url/healthz" && break; sleep 0.05; done
}

# stop_nodes: stop every erms serve of pids[].
stop_nodes() {
	kill "${pids[@]}"
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}

# make_db DIR [URL]: erms demo's organisation and published plan in a
# fresh database (DIR/erms.db, or URL with its key in DIR), then stops.
make_db() {
	local dir=$1 port=$1/port
	mkdir -p "$dir"
	"$bin" demo --data "$dir" ${2:+--db "$2"} --listen 127.0.0.1:0 \
		--port-file "$port" >"$dir/demo.log" 2>&1 &
	local p=$!
	for _ in $(seq 600); do [ -s "$port" ] && break; sleep 0.05; done
	[ -s "$port" ] || fail "erms demo did not start (see $dir/demo.log)"
	for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$(cat "$port")/healthz" && break; sleep 0.05; done
	kill "$p"
	wait "$p" 2>/dev/null || true
}

# p99 WRK_OUTPUT: the 99th percentile in ms.
p99() {
	awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
		else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
		print v}' <<<"$1"
}

# waiters NAME: sample the writers waiting for the begin lock (advisory
# locks not granted) every 100 ms until $tmp/stop exists; then record
# their mean and peak.
waiters() {
	local name=$1 sum=0 n=0 max=0 w
	while [ ! -e "$tmp/stop" ]; do
		w=$(psql -qtA "$server" -c "SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND NOT granted" 2>/dev/null || echo 0)
		sum=$((sum + w)) n=$((n + 1))
		[ "$w" -le "$max" ] || max=$w
		sleep 0.1
	done
	[ "$n" -eq 0 ] || fig "$name.wait" "$(calc "$sum / $n" 2)"
	fig "$name.waitmax" "$max"
}

# run NAME C SCRIPT URL...: one wrk per URL at once, C connections split
# over them; records the summed requests/s, the worst p99 and (for a
# report run on PostgreSQL, WATCH=1) the waiting writers.
run() {
	local name=$1 c=$2 script=$3 i=0 rps=0 worst=0 w= out drivers=()
	shift 3
	local each=$((c / $#))
	rm -f "$tmp/stop"
	if [ "${WATCH:-0}" = 1 ]; then
		waiters "$name" &
		w=$!
	fi
	for u in "$@"; do
		wrk -t"$THREADS" -c"$each" -d"$DUR" --timeout 10s --latency \
			-s "$script" "$u" >"$tmp/$name.$i.txt" &
		drivers+=($!)
		i=$((i + 1))
	done
	for p in "${drivers[@]}"; do wait "$p" || true; done
	touch "$tmp/stop"
	[ -z "$w" ] || wait "$w"
	for f in "$tmp/$name".*.txt; do
		out=$(cat "$f")
		rps=$(calc "$rps + $(awk '/^Requests\/sec/ {print $2}' <<<"$out")")
		worst=$(awk -v a="$worst" -v b="$(p99 "$out")" 'BEGIN {print (b > a) ? b : a}')
		if grep -q Non-2xx <<<"$out"; then
			say "$name: $(awk '/Non-2xx/ {print $NF}' <<<"$out") answers not 2xx"
		fi
	done
	fig "$name.rps" "$rps"
	fig "$name.p99" "$worst"
}

# login URL: a token for the demo's commander.
login() { echo erms-demo | ERMS_SERVER=$1 "$bin" login commander; }

# --- the engine's ceiling: pgbench's 1-row insert -----------------------
say "pgbench: 1-row insert, $CONN clients, $DUR"
psql -qX "$server" -c "CREATE DATABASE pgbench_ceiling" >/dev/null
psql -qX "$(db_url pgbench_ceiling)" -c \
	"CREATE TABLE t (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), v text)" >/dev/null
echo "INSERT INTO t (v) VALUES ('基准测试：交易网关响应缓慢');" >"$tmp/insert.sql"
(cd "$tmp" && pgbench -n -c "$CONN" -j "$THREADS" -T "$(dur_s)" -f insert.sql \
	-l --log-prefix=pgb "$(db_url pgbench_ceiling)" >"$tmp/pgbench.txt" 2>&1)
fig ceiling.rps "$(awk '/^tps = / {printf "%.0f", $3}' "$tmp/pgbench.txt")"
# Per-transaction log: the third column is the latency in µs.
fig ceiling.p99 "$(cat "$tmp"/pgb.* | awk '{print $3}' | sort -n |
	awk '{a[NR] = $1} END {print a[int(NR * 0.99)] / 1000}')"

# --- SQLite, one node ----------------------------------------------------
say "SQLite, one node"
make_db "$tmp/sqlite"
serve_node "$tmp/sqlite/erms.db" "$tmp/sqlite/erms.db.key" "$tmp/sqlite/erms.db.anchor"
u1=$node_url
ERMS_TOKEN=$(login "$u1")
export ERMS_TOKEN
run sqlite.report "$CONN" bench/report.lua "$u1/api/v1/incidents"
run sqlite.list 16 bench/read.lua "$u1/api/v1/incidents?limit=50"
stop_nodes

# --- PostgreSQL, one node and two ---------------------------------------
for nodes in 1 2; do
	say "PostgreSQL, $nodes node(s)"
	d=$tmp/pg$nodes
	make_db "$d" "$(db_url "erms_bench_$nodes")"
	urls=()
	for n in $(seq "$nodes"); do
		# Each node its own anchor file, from the same start.
		cp "$d/erms.anchor" "$d/node$n.anchor"
		serve_node "$(db_url "erms_bench_$nodes")" "$d/erms.key" "$d/node$n.anchor"
		urls+=("$node_url")
	done
	ERMS_TOKEN=$(login "${urls[0]}")
	export ERMS_TOKEN
	reports=() lists=()
	for u in "${urls[@]}"; do
		reports+=("$u/api/v1/incidents") lists+=("$u/api/v1/incidents?limit=50")
	done
	WATCH=1 run "pg$nodes.report" "$CONN" bench/report.lua "${reports[@]}"
	run "pg$nodes.list" 16 bench/read.lua "${lists[@]}"
	stop_nodes
done

# --- the table -----------------------------------------------------------
val() { awk -v k="$1" '$1 == k {print $2}' "$tmp/$T.fig" | tail -1; }
ratio() {
	local v c
	v=$(val "$1") c=$(val ceiling.rps)
	[ -n "$v" ] && [ -n "$c" ] && [ "${c%.*}" != 0 ] && calc "$v * 100 / $c" 0 || echo -
}
echo "$(git describe --always --dirty), DUR=$DUR CONN=$CONN THREADS=$THREADS, $(nproc) cores, $(psql -qtAX "$server" -c 'SHOW server_version')."
echo
echo "| run | requests/s | p99 ms | of the pgbench ceiling | writers waiting for the lock (mean / peak) |"
echo "|---|---|---|---|---|"
echo "| pgbench 1-row insert ($CONN clients): the ceiling | $(val ceiling.rps) | $(val ceiling.p99) | 100 % | |"
for row in "sqlite.report|reports, SQLite, one node" \
	"pg1.report|reports, PostgreSQL, one node" \
	"pg2.report|reports, PostgreSQL, two nodes" \
	"sqlite.list|list, SQLite, one node" \
	"pg1.list|list, PostgreSQL, one node" \
	"pg2.list|list, PostgreSQL, two nodes"; do
	k=${row%%|*} label=${row#*|}
	w=
	[ -z "$(val "$k.wait")" ] || w="$(val "$k.wait") / $(val "$k.waitmax")"
	echo "| $label | $(val "$k.rps") | $(val "$k.p99") | $(ratio "$k.rps") % | $w |"
done
echo
one=$(val pg1.report.rps) two=$(val pg2.report.rps)
echo "Reports, two nodes against one: $(calc "$two * 100 / $one" 0) % of the one node's rate."
