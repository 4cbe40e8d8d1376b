#!/usr/bin/env bash
# alerts.sh - erms's monitoring intake beside a real Alertmanager, in one
# run: `bench/alerts.sh` (bench/README.md, "Alert intake beside
# Alertmanager").
#
# Builds the release binary (build-bench/, as bench/run.sh does) and the
# first-message driver (bench/first-out.c), then, ROUNDS times, each side
# on a fresh state:
#   erms: a copy of a database made by `erms demo` (the sample plan in
#     force), one `alertmanager` integration made through the API with a
#     rate limit the bench does not reach (6,000,000 a minute, the most
#     erms allows); `erms serve` on loopback;
#   Alertmanager: `prometheus-alertmanager` on loopback, no cluster, a
#     route grouping by alertname to a receiver with no configurations.
# Both are driven by the same wrk settings (THREADS, CONN, DUR of
# bench/lib.sh) and the same alert load (bench/alerts.lua):
#   (a) single: one new alert a request, all of one group (erms: an
#       Alertmanager webhook payload with one alert and a fixed groupKey;
#       Alertmanager: POST /api/v2/alerts with a one-element array);
#   (b) repeat: the same ALERTS_SETS open alerts again and again;
#   (c) batch: ALERTS_BATCH new alerts a request (alerts/s = requests/s
#       x ALERTS_BATCH);
#   (d) alert in -> first webhook out: erms-bench-first-out posts FIRST
#       alerts one at a time (a random pause of 0-300 ms before each),
#       each of a new group, and times the first message about each at
#       its own receiver: erms's webhook channel on
#       command HQ; Alertmanager's webhook_configs with group_wait 0s (its
#       default is 30s).
# Prints a Markdown table (requests/s, alerts/s, p99, CPU per request,
# each with its ratio erms/Alertmanager) and erms's threads' share of a
# core during each load, and writes both to RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
FIRST=${FIRST:-200}
ALERTS_BATCH=${ALERTS_BATCH:-100}
ALERTS_SETS=${ALERTS_SETS:-10}
RESULTS=${RESULTS:-bench/results/alerts.md}
export ALERTS_BATCH ALERTS_SETS

scripts/deps.sh bench
command -v prometheus-alertmanager >/dev/null ||
	fail "no prometheus-alertmanager (apt-get install prometheus-alertmanager)"
[ -d build-bench ] || meson setup build-bench --buildtype=release -Dtests=false -Dbench_routes=true >/dev/null
ninja -C build-bench ${JOBS:+-j"$JOBS"} erms >/dev/null
bin=build-bench/erms
first=build-bench/erms-bench-first-out
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -std=c17 -O2 -Wall -Wextra -Werror -o "$first" bench/first-out.c \
	$(pkg-config --cflags --libs libmicrohttpd libcurl jansson) -lpthread

tmp=$(mktemp -d)
cleanup() {
	[ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# api METHOD PATH [BODY]: a JSON request as the administrator; the
# answer (a failure: said, and the bench stops).
api() {
	local out
	out=$(curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $ERMS_TOKEN" \
		${3:+-H 'Content-Type: application/json' --data "$3"} "$url$2") ||
		fail "$1 $2: $out"
	echo "$out"
}
json() { python3 -c 'import json, sys; print(json.load(sys.stdin)'"$1"')'; }

# The database every erms run copies: erms demo's organisation and plan
# and the integration (its key in $tmp/key).
prepare() {
	local dir=$tmp/demo port=$tmp/demo/port p
	mkdir -p "$dir"
	"$bin" demo --data "$dir" --listen 127.0.0.1:0 --port-file "$port" \
		>"$dir/demo.log" 2>&1 &
	p=$!
	for _ in $(seq 600); do [ -s "$port" ] && break; sleep 0.05; done
	[ -s "$port" ] || fail "erms demo did not start (see $dir/demo.log)"
	for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$(cat "$port")/healthz" && break; sleep 0.05; done
	kill "$p"
	wait "$p" 2>/dev/null || true
	T=erms start "$bin" "$dir/erms.db"
	ERMS_TOKEN=$(echo erms-demo | ERMS_SERVER=$url "$bin" login admin)
	export ERMS_TOKEN
	api POST /api/v1/integrations '{"name":"bench","kind":"alertmanager",
		"rate_limit_per_min":6000000}' >"$tmp/integration"
	json '["key"]' <"$tmp/integration" >"$tmp/key"
	stop
}

# erms_up [ARGS...]: serve a fresh copy of the prepared database; sets
# pid, url and intake.
erms_up() {
	copydb "$tmp/demo/erms.db" "$tmp/e.db"
	start "$bin" "$tmp/e.db" "$@"
	intake=$url/api/v1/intake/$(cat "$tmp/key")
}
erms_down() {
	stop
	rm -f "$tmp/e.db" "$tmp/e.db".* "$tmp/e.db"-*
}

# am_up [HOOK_PORT]: a fresh Alertmanager (with a webhook receiver on
# HOOK_PORT grouping by the label bench with group_wait 0s, else a
# receiver with no configurations); sets pid and url.
am_up() {
	local port dir=$tmp/am
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ -n "${1:-}" ]; then
		cat >"$dir/am.yml" <<-EOF
		route:
		  receiver: hook
		  group_by: [bench]
		  group_wait: 0s
		  group_interval: 1m
		  repeat_interval: 1h
		receivers:
		  - name: hook
		    webhook_configs:
		      - url: http://127.0.0.1:$1/hook
		EOF
	else
		cat >"$dir/am.yml" <<-'EOF'
		route:
		  receiver: "null"
		  group_by: [alertname]
		receivers:
		  - name: "null"
		EOF
	fi
	port=$(free_port)
	prometheus-alertmanager --config.file="$dir/am.yml" --storage.path="$dir/data" \
		--web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
		--log.level=warn 2>>"$tmp/am.stderr" &
	pid=$!
	url="http://127.0.0.1:$port"
	for _ in $(seq 200); do curl -sf -o /dev/null "$url/-/ready" && return; sleep 0.05; done
	fail "Alertmanager did not start (see $tmp/am.stderr)"
}

# shares NAME: each thread's share of a core during the last wrk run
# (measure's snapshots), those that did any work: "thr.NAME.THREAD %".
shares() {
	awk -v hz="$HZ" -v s="$(dur_s)" -v n="$1" 'NR == FNR {a[$1] = $2; next}
		{v = ($2 - a[$1]) * 100 / hz / s; if (v >= 1) printf "thr.%s.%s %.1f\n", n, $1, v}' \
		"$tmp/th0" "$tmp/th1" >>"$tmp/$T.fig"
}

# stored MODE: what erms kept of the last wrk run: the alerts stored per
# alert answered (about 1: every answered alert is there; repeats: the
# ALERTS_SETS alerts), and the incidents the storm opened (1).
stored() {
	local sent per=1 got incidents
	settle
	sent=$(awk '/requests in/ {print $1}' "$tmp/$T-$1.txt")
	[ "$1" != batch ] || per=$ALERTS_BATCH
	[ "$1" != repeat ] || { sent=$ALERTS_SETS per=1; }
	got=$(api GET /api/v1/integrations | json '["items"][0]["alerts_total"]')
	incidents=$(api GET "/api/v1/incidents?limit=50" | python3 -c 'import json, sys
print(sum(i.get("source") == "alertmanager" for i in json.load(sys.stdin)["items"]))')
	fig "$1.stored" "$(calc "$got / ($sent * $per)" 3)"
	fig "$1.incidents" "$incidents"
}

# load MODE: one wrk run of MODE on each side, fresh.
load() {
	local m0 m1 jobs batches
	export ALERTS_MODE=$1 ALERTS_RUN=$RANDOM$RANDOM
	T=erms
	erms_up
	m0=$(curl -sf "$url/metrics")
	ALERTS_TARGET=erms measure "$1" "$intake" bench/alerts.lua
	m1=$(curl -sf "$url/metrics")
	shares "$1"
	stored "$1"
	jobs=erms_commit_jobs_total batches=erms_commit_batches_total
	jobs="$(metric $jobs "$m1") - $(metric $jobs "$m0")"
	batches="$(metric $batches "$m1") - $(metric $batches "$m0")"
	[ "$(calc "$batches" 0)" = 0 ] || fig "$1.batch" "$(calc "($jobs) / ($batches)")"
	erms_down
	T=am
	am_up
	ALERTS_TARGET=alertmanager measure "$1" "$url/api/v2/alerts" bench/alerts.lua
	stop
}

# first_out: (d) on each side, fresh.
first_out() {
	local port out
	port=$(free_port)
	T=erms
	erms_up --allow-private-webhooks
	api POST /api/v1/channels '{"name":"bench hook","kind":"webhook",
		"config":{"url":"http://127.0.0.1:'"$port"'/hook","secret":"bench-secret"},
		"rate_burst":10000,"rate_period_ms":1}' | json '["id"]' >"$tmp/channel"
	api PATCH /api/v1/groups/command '{"channels":['"$(cat "$tmp/channel")"']}' >/dev/null
	out=$("$first" erms "$port" "$intake" "$FIRST") || say "erms: $out"
	record_first "$out"
	erms_down
	T=am
	am_up "$port"
	out=$("$first" alertmanager "$port" "$url/api/v2/alerts" "$FIRST") || say "Alertmanager: $out"
	record_first "$out"
	stop
}
# record_first OUTPUT: erms-bench-first-out's figures.
record_first() {
	local k v
	# shellcheck disable=SC2086 # "name value" pairs, one word each
	set -- $1
	while [ $# -ge 2 ]; do
		k=$1 v=$2
		shift 2
		case $k in
		p50 | p99 | max | answer_p50 | answer_p99) fig "first.$k" "$v" ;;
		missed) fig first.missed "$v" ;;
		esac
	done
}

prepare
for r in $(seq "$ROUNDS"); do
	for mode in single repeat batch; do
		say "$mode, round $r of $ROUNDS"
		load "$mode"
	done
	say "first message out, round $r of $ROUNDS"
	first_out
done
# Alerts per second of the batches, and CPU per alert.
for T in erms am; do
	awk -v b="$ALERTS_BATCH" '$1 == "batch.rps" {print "batch.aps", $2 * b}
		$1 == "batch.cpu" {print "batch.cpua", $2 / b}' "$tmp/$T.fig" >"$tmp/derived"
	cat "$tmp/derived" >>"$tmp/$T.fig"
done

# The figures: name, unit, better (h, l), goal (erms/Alertmanager, or an
# absolute bound), label.
rows() {
	cat <<-ROWS
	single.rps	req/s	h	≥ 1.5	(a) single new alerts: requests/s (= alerts/s)
	single.p99	ms	l	< 1	(a) p99
	single.cpu	µs/req	l	-	(a) server CPU per request
	single.refused	%	-	-	(a) answers not 2xx
	single.stored	ratio	-	1	(a) erms: alerts stored per alert answered
	single.incidents	incidents	-	1	(a) erms: incidents the storm opened
	single.batch	writes	h	-	(a) erms: requests per commit (group commit)
	repeat.rps	req/s	h	≥ 1.5	(b) repeats of $ALERTS_SETS open alerts: requests/s
	repeat.p99	ms	l	< 1	(b) p99
	repeat.cpu	µs/req	l	-	(b) server CPU per request
	repeat.refused	%	-	-	(b) answers not 2xx
	repeat.stored	ratio	-	1	(b) erms: alerts stored per label set
	repeat.incidents	incidents	-	1	(b) erms: incidents opened
	repeat.batch	writes	h	-	(b) erms: requests per commit (group commit)
	batch.aps	alerts/s	h	≥ 2	(c) batches of $ALERTS_BATCH new alerts: alerts/s
	batch.rps	req/s	h	-	(c) requests/s
	batch.p99	ms	l	< 1	(c) p99
	batch.cpua	µs/alert	l	-	(c) server CPU per alert
	batch.refused	%	-	-	(c) answers not 2xx
	batch.stored	ratio	-	1	(c) erms: alerts stored per alert answered
	batch.incidents	incidents	-	1	(c) erms: incidents the storm opened
	batch.batch	writes	h	-	(c) erms: requests per commit (group commit)
	first.p50	ms	l	-	(d) alert in -> first webhook out: p50
	first.p99	ms	l	< 50 ms	(d) p99
	first.max	ms	l	-	(d) worst
	first.answer_p50	ms	l	-	(d) the alert's answer: p50
	first.missed	alerts	l	0	(d) alerts whose message did not come within 10 s
	ROWS
}
report() {
	local name unit better goal label a b
	echo "| figure | unit | better | erms | Alertmanager | erms/Alertmanager | goal |"
	echo "|---|---|---|---:|---:|---:|---|"
	rows | while IFS=$'\t' read -r name unit better goal label; do
		a=$(mean erms "$name")
		b=$(mean am "$name")
		[ "$a$b" = -- ] && continue
		case $better in h) better=higher ;; l) better=lower ;; *) better=- ;; esac
		echo "| $label | $unit | $better | $a | $b | $(ratio "$a" "$b") | $goal |"
	done
	echo
	echo "erms's threads during each load, share of a core (mean of the rounds):"
	echo
	echo "| load | thread | %core |"
	echo "|---|---|---:|"
	awk '$1 ~ /^thr\./ {print $1}' "$tmp/erms.fig" | sort -u | while read -r name; do
		IFS=. read -r _ mode thread <<<"$name"
		echo "| $mode | $thread | $(mean erms "$name") |"
	done
}
{
	echo "erms $(git describe --always --dirty) beside $(prometheus-alertmanager --version 2>&1 | head -1)."
	echo "wrk -t$THREADS -c$CONN -d$DUR over loopback, $(nproc) cores shared by wrk and the server, $(date -u '+%Y-%m-%d %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; first message: $FIRST alerts one at a time; mean of $ROUNDS rounds."
	echo
	report
} | tee "$tmp/table.md"
mkdir -p "$(dirname "$RESULTS")"
cp "$tmp/table.md" "$RESULTS"
say "written to $RESULTS"
