# lib.sh - the bench's phases, figures and database cache; sourced by
# bench/run.sh and bench/compare.sh (see bench/README.md).
#
# A "side" is one binary measured: its tag T (new or old), its erms binary
# and its seeded database. Every phase appends "figure value" lines to
# $tmp/T.fig, one per round; the table gives the mean of the rounds.

DUR=${DUR:-10s}
CONN=${CONN:-64}
THREADS=${THREADS:-2}
N=${N:-1000000}
SUBS=${SUBS:-1000}
ROUNDS=${ROUNDS:-2}
LOADS=${LOADS:-5}
STARTS=${STARTS:-20}
CONSOLE=${CONSOLE:-1}
PLAN=${PLAN:-examples/plans/new-system.zh-CN.yaml}
SIGNIN_OPTS=${SIGNIN_OPTS:-}
CACHE=${ERMS_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/erms-bench}
HZ=$(getconf CLK_TCK)
SSE=${SSE:-}
pid=
url=

say() { echo "bench: $*" >&2; }
fail() { say "$*"; exit 1; }

# --- the database cache ----------------------------------------------
#
# $CACHE/seed-N-K/ holds the databases seeded with N incidents, K naming
# the seeder's other inputs (the plan's text and bench/seed.c). Inside,
# s-M/ is one seeded at the schema of migrations M (migrations.txt lists
# their files and hashes), s-M2-from-M/ the same rows migrated to M2 by a
# newer binary. Each holds pristine.db (with its .key and .anchor): never
# served, only copied.

# migs TREE: the migrations of a source tree, a line per file.
migs() { (cd "$1/migrations/sqlite" && sha256sum -- *.sql); }
short() { sha256sum | cut -c1-16; }
seed_dir() {
	echo "$CACHE/seed-$N-$({ echo "n=$N"; sha256sum <"$PLAN"; sha256sum <"$1"; } | short)"
}

# copydb FROM TO: a database with its key and anchor.
copydb() {
	rm -f "$2" "$2-wal" "$2-shm"
	for f in "" .key .anchor; do cp "$1$f" "$2$f"; done
}

# seed_db ERMS SEEDER SEEDC TREE: the pristine database at TREE's schema,
# seeded by SEEDER (built from SEEDC) when the cache has none; prints its
# path.
seed_db() {
	local d m
	d=$(seed_dir "$3")
	m=$(migs "$4" | short)
	if [ ! -f "$d/s-$m/pristine.db" ]; then
		mkdir -p "$d/s-$m"
		migs "$4" >"$d/s-$m/migrations.txt"
		rm -f "$d/s-$m/making.db"*
		say "seeding $N incidents into $d/s-$m (once; kept for later runs)"
		echo bench-pass-1 | "$1" init --db "$d/s-$m/making.db" --admin bench >/dev/null 2>&1
		ERMS_SEED_PLAN=$PLAN "$2" "$d/s-$m/making.db" "$N" >/dev/null \
			2> >(grep --line-buffered '^erms-bench-seed' >&2) ||
			fail "the seeder failed"
		for f in .key .anchor ""; do
			mv "$d/s-$m/making.db$f" "$d/s-$m/pristine.db$f"
		done
	fi
	echo "$d/s-$m/pristine.db"
}

# derive_db ERMS TREE FROM: FROM's rows at TREE's schema, migrated by
# ERMS (TREE's binary); prints its path. FROM itself when the schemas are
# the same.
derive_db() {
	local dir m from to
	dir=$(dirname "$3")
	m=$(migs "$2" | short)
	from=$(basename "$dir")
	case $from in "s-$m" | "s-$m-from-"*) echo "$3"; return ;; esac
	to="$(dirname "$dir")/s-$m-from-${from#s-}"
	if [ ! -f "$to/pristine.db" ]; then
		! comm -23 <(sort "$dir/migrations.txt") <(migs "$2" | sort) | grep -q . ||
			fail "$2 lacks migrations the cached database has"
		mkdir -p "$to"
		migs "$2" >"$to/migrations.txt"
		say "migrating a copy of $3 to $to"
		copydb "$3" "$to/making.db"
		"$1" migrate --db "$to/making.db" >/dev/null 2>&1 || fail "migrate failed"
		for f in .key .anchor ""; do mv "$to/making.db$f" "$to/pristine.db$f"; done
	fi
	echo "$to/pristine.db"
}

# cached_db ERMS SEEDER SEEDC TREE: the database for a run of one tree:
# seeded at its schema, or derived from one seeded at an older schema
# (with the same seeder inputs), else seeded now.
cached_db() {
	local d m e
	d=$(seed_dir "$3")
	m=$(migs "$4" | short)
	for e in "$d/s-$m/pristine.db" "$d/s-$m"-from-*/pristine.db; do
		[ -f "$e" ] && { echo "$e"; return; }
	done
	for e in "$d"/s-*/migrations.txt; do
		[ -f "$e" ] && [[ $e != *-from-* ]] || continue
		if ! comm -23 <(sort "$e") <(migs "$4" | sort) | grep -q .; then
			derive_db "$1" "$4" "$(dirname "$e")/pristine.db"
			return
		fi
	done
	seed_db "$@"
}

# --- the server and /proc ----------------------------------------------

# has_opt ERMS OPT: whether `erms serve` knows OPT.
has_opt() { "$1" serve --help 2>&1 | grep -q -- "$2\b"; }

# start ERMS DB [ARGS...]: serve DB; sets pid and url once /healthz answers.
start() {
	local bin=$1 db=$2
	shift 2
	rm -f "$tmp/port"
	"$bin" serve --listen 127.0.0.1:0 --db "$db" --port-file "$tmp/port" \
		--log-level warn --per-ip-connections 0 --max-connections 4096 "$@" 2>>"$tmp/$T.stderr" &
	pid=$!
	for _ in $(seq 600); do [ -s "$tmp/port" ] && break; sleep 0.05; done
	[ -s "$tmp/port" ] || fail "$bin serve did not start (see $tmp/$T.stderr)"
	url="http://127.0.0.1:$(cat "$tmp/port")"
	for _ in $(seq 200); do curl -sf -o /dev/null "$url/healthz" && break; sleep 0.05; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# ticks [TID]: CPU (user + system, clock ticks) of the server or a thread.
ticks() {
	local f=/proc/$pid/stat
	[ -z "${1:-}" ] || f=/proc/$pid/task/$1/stat
	sed 's/.*) //' "$f" | awk '{print $12 + $13}'
}
# tid NAME: the server's thread named NAME; nothing (and success) when it
# has none (another program: bench/alerts.sh's Alertmanager).
tid() {
	local t
	for t in /proc/"$pid"/task/*; do
		[ "$(cat "$t/comm")" = "$1" ] && { basename "$t"; return; }
	done
	return 0
}
# threads: "name#k ticks" per thread of the server, k counting the threads
# of the same name in the order they were made.
threads() {
	local t
	for t in /proc/"$pid"/task/*; do
		echo "$(basename "$t") $(cat "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
	done | sort -n | awk '{k[$2]++; print $2 "#" k[$2], $3}'
}
# kb FIELD: a line of /proc/PID/status (VmRSS, VmHWM) in kB.
kb() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$pid/status"; }

# settle: wait (up to a minute) until the server is idle: requests left
# over from the last run (a slow search goes on after wrk has hung up)
# must not be counted in the next.
settle() {
	local a b
	a=$(ticks)
	for _ in $(seq 300); do
		sleep 0.2
		b=$(ticks)
		[ $((b - a)) -gt $((HZ / 50)) ] || return 0
		a=$b
	done
}

# metric NAME TEXT: a counter in the text of /metrics.
metric() { awk -v n="$1" '$1 == n {print $2}' <<<"$2"; }
fig() { echo "$1 $2" >>"$tmp/$T.fig"; }
calc() { awk "BEGIN {printf \"%.${2:-1}f\", $1}"; }
now() { date +%s.%N; }

# token ERMS: an API token for the administrator.
token() {
	ERMS_TOKEN=$(echo bench-pass-1 | ERMS_SERVER=$url "$1" login bench)
	export ERMS_TOKEN
}

# measure NAME URL [SCRIPT]: one wrk run (C connections, default CONN):
# requests/s, p99, CPU of the server per request, of the writer thread
# per answered request, and of each thread as a share of a core.
measure() {
	local name=$1 c0 w0 t0 c1 w1 t1 out req bad ok wt
	settle
	wt=$(tid erms-writer)
	threads >"$tmp/th0"
	c0=$(ticks) w0=$(ticks "$wt") t0=$(now)
	out=$(wrk -t"$THREADS" -c"${C:-$CONN}" -d"$DUR" --timeout 10s --latency \
		${3:+-s "$3"} "$2")
	c1=$(ticks) w1=$(ticks "$wt") t1=$(now)
	threads >"$tmp/th1"
	echo "$out" >"$tmp/$T-$name.txt"
	req=$(awk '/requests in/ {print $1}' <<<"$out")
	bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	bad=${bad:-0} ok=$((req - bad))
	fig "$name.rps" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
	[ "$req" -eq 0 ] || fig "$name.p99" "$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
		else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
		print v}' <<<"$out")"
	if [ "$req" -gt 0 ]; then
		fig "$name.cpu" "$(calc "($c1 - $c0) * 1e6 / $HZ / $req")"
	fi
	# For figures derived from two runs (the subscribers' cost).
	last_us=$(calc "($c1 - $c0) * 1e6 / $HZ") last_ok=$ok
	last_rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	if [[ $name == report* ]] && [ -n "$wt" ] && [ "$ok" -gt 0 ]; then
		fig "$name.writer" "$(calc "($w1 - $w0) * 1e6 / $HZ / $ok")"
	fi
	[ "$req" -eq 0 ] || fig "$name.refused" "$(calc "$bad * 100 / $req")"
	if [ "$name" = ceiling ]; then
		awk -v hz="$HZ" -v s="$(calc "$t1 - $t0" 3)" 'NR == FNR {a[$1] = $2; next}
			{printf "thr.%s %.1f\n", $1, ($2 - a[$1]) * 100 / hz / s}' \
			"$tmp/th0" "$tmp/th1" >>"$tmp/$T.fig"
	fi
}

# --- the phases ----------------------------------------------------------
# Each takes the side's erms binary (and database); T names the side.

# fresh ERMS: a new database: the ceiling (with each thread's share), a
# read, the durable write with group commit and with --commit single, and
# a storm of sign-ins.
fresh() {
	local bin=$1 db=$tmp/$T.db o opts=()
	rm -f "$db" "$db".*
	echo bench-pass-1 | "$bin" init --db "$db" --admin bench >/dev/null 2>&1
	start "$bin" "$db"
	sleep 1
	fig idle.rss "$(calc "$(kb VmRSS) / 1024")"
	token "$bin"
	measure ceiling "$url/hello"
	measure read "$url/api/v1/me" bench/read.lua
	local m0 m1
	m0=$(curl -sf "$url/metrics")
	measure write "$url/api/v1/tokens" bench/write.lua
	m1=$(curl -sf "$url/metrics")
	local jobs=erms_commit_jobs_total batches=erms_commit_batches_total
	jobs="$(metric $jobs "$m1") - $(metric $jobs "$m0")"
	batches="$(metric $batches "$m1") - $(metric $batches "$m0")"
	fig write.batch "$(calc "($jobs) / ($batches)")"
	stop
	start "$bin" "$db" --commit single
	measure write-single "$url/api/v1/tokens" bench/write.lua
	stop
	# The sign-in limits relaxed with the options this binary knows.
	# (an option's values follow it; an unknown option is left out
	# with its values).
	local keep=0
	for o in $SIGNIN_OPTS; do
		if [[ $o == --* ]]; then
			keep=0
			if has_opt "$bin" "$o"; then keep=1; fi
		fi
		if [ "$keep" = 1 ]; then opts+=("$o"); fi
	done
	start "$bin" "$db" "${opts[@]}"
	C=64 measure signin "$url/api/v1/session" bench/signin.lua
	fig signin.hwm "$(calc "$(kb VmHWM) / 1024")"
	stop
}

# seeded ERMS PRISTINE: a copy of the seeded database: start to /healthz,
# idle memory, lists, searches, the status page, the console, then the
# reports (last: they add rows), without and with SUBS subscribers.
seeded() {
	local bin=$1 db=$tmp/$T-inc.db r s
	copydb "$2" "$db"
	read -r _ s _ r <<<"$(python3 bench/start.py "$bin" "$db" "$STARTS")"
	fig start.ms "$s"
	fig start.worst "$r"
	start "$bin" "$db"
	sleep 1
	fig idle1m.rss "$(calc "$(kb VmRSS) / 1024")"
	token "$bin"
	local api=$url/api/v1/incidents
	C=16 measure list "$api?limit=50" bench/read.lua
	C=16 measure list-active "$api?status=active&limit=500" bench/read.lua
	C=16 measure list-reported "$api?status=reported&limit=500" bench/read.lua
	C=16 measure search1 "$api?limit=50&q=%E5%BA%93" bench/read.lua
	C=16 measure search2 "$api?limit=50&q=%E4%B8%BB%E5%BA%93" bench/read.lua
	C=16 measure search3 "$api?limit=50&q=%E6%95%B0%E6%8D%AE%E5%BA%93" bench/read.lua
	C=16 measure search4 "$api?limit=50&q=%E4%BA%A4%E6%98%93%E7%B3%BB%E7%BB%9F" bench/read.lua
	C=16 measure latin "$api?limit=50&q=Redis" bench/read.lua
	measure status "$url/status"
	measure atom "$url/status.atom"
	if [ "$CONSOLE" = 1 ]; then
		if s=$(node bench/console.mjs "$url" "$LOADS"); then
			read -r _ s _ r <<<"$s"
			fig console.ms "$s"
			fig console.worst "$r"
		else
			say "the console measurement failed"
		fi
	fi
	measure report "$api" bench/report.lua
	if [ -n "$SSE" ]; then
		local before secs line us0=0 rps0=$last_rps
		[ "$last_ok" -eq 0 ] || us0=$(calc "$last_us / $last_ok" 3)
		before=$(kb VmRSS)
		secs=$(($(dur_s) + 4))
		"$SSE" "$url" "$ERMS_TOKEN" "$SUBS" "$secs" >"$tmp/sse.out" &
		s=$!
		sleep 2
		fig sse.kb "$(calc "($(kb VmRSS) - $before) / $SUBS")"
		measure report-sse "$api" bench/report.lua
		wait "$s" || true
		read -r _ r _ line _ <<<"$(cat "$tmp/sse.out")" || true
		line=${line:-0}
		fig sse.connected "$r"
		fig sse.events "$(calc "$line / $(dur_s)" 0)"
		[ "${rps0%.*}" = 0 ] || fig sse.keep "$(calc "$last_rps * 100 / $rps0")"
		# What the subscribers cost: the server's CPU beyond that of
		# the same reports without them, per event received.
		[ "$line" -eq 0 ] ||
			fig sse.fanout "$(calc "($last_us - $us0 * $last_ok) / $line" 2)"
	fi
	stop
	rm -f "$db" "$db".* "$db"-*
}

dur_s() {
	case $DUR in
	*ms) echo 1 ;;
	*s) echo "${DUR%s}" ;;
	*m) echo $((${DUR%m} * 60)) ;;
	*) echo "$DUR" ;;
	esac
}

# --- the table ------------------------------------------------------------

# The figures: name, unit, which is better (h: higher, l: lower), label.
figures() {
	cat <<-'ROWS'
	ceiling.rps	req/s	h	ceiling: GET /hello (64 connections)
	ceiling.p99	ms	l	ceiling: p99
	ceiling.cpu	µs/req	l	ceiling: server CPU per request
	read.rps	req/s	h	read: GET /api/v1/me
	read.p99	ms	l	read: p99
	write.rps	req/s	h	durable write, group commit: POST /api/v1/tokens
	write.p99	ms	l	durable write: p99
	write.batch	writes	h	durable write: writes per commit
	write-single.rps	req/s	h	durable write, --commit single
	signin.rps	req/s	h	sign-in storm: POST /api/v1/session (64 connections)
	signin.refused	%	-	sign-in storm: answers not 2xx (rate limits)
	signin.hwm	MB	l	sign-in storm: peak RSS (VmHWM)
	idle.rss	MB	l	idle RSS after start, fresh database
	idle1m.rss	MB	l	idle RSS after start, seeded database
	start.ms	ms	l	start to first /healthz, seeded database (median)
	start.worst	ms	l	start to first /healthz (worst)
	list.rps	req/s	h	list: limit=50 (16 connections)
	list.p99	ms	l	list: p99
	list.cpu	µs/req	l	list: server CPU per request
	list-active.rps	req/s	h	list: status=active&limit=500
	list-active.p99	ms	l	list active: p99
	list-active.cpu	µs/req	l	list active: server CPU per request
	list-reported.rps	req/s	h	list: status=reported&limit=500
	list-reported.p99	ms	l	list reported: p99
	list-reported.cpu	µs/req	l	list reported: server CPU per request
	search1.rps	req/s	h	search, 1 character: q=库
	search1.p99	ms	l	search 1: p99
	search1.cpu	µs/req	l	search 1: server CPU per request
	search2.rps	req/s	h	search, 2 characters: q=主库
	search2.p99	ms	l	search 2: p99
	search2.cpu	µs/req	l	search 2: server CPU per request
	search3.rps	req/s	h	search, 3 characters: q=数据库
	search3.p99	ms	l	search 3: p99
	search3.cpu	µs/req	l	search 3: server CPU per request
	search4.rps	req/s	h	search, 4 characters: q=交易系统
	search4.p99	ms	l	search 4: p99
	search4.cpu	µs/req	l	search 4: server CPU per request
	latin.rps	req/s	h	search, Latin: q=Redis
	latin.p99	ms	l	search Latin: p99
	latin.cpu	µs/req	l	search Latin: server CPU per request
	status.rps	req/s	h	public status page: GET /status
	atom.rps	req/s	h	its Atom feed: GET /status.atom
	console.ms	ms	l	console: dashboard on screen (median)
	console.worst	ms	l	console: dashboard on screen (worst)
	report.rps	req/s	h	report: POST /api/v1/incidents
	report.p99	ms	l	report: p99
	report.cpu	µs/req	l	report: server CPU per report
	report.writer	µs/req	l	report: writer thread CPU per report
	report.refused	%	-	report: answers not 2xx
	sse.connected	conns	h	subscribers connected (SSE)
	sse.kb	kB	l	RSS per idle subscriber
	report-sse.rps	req/s	h	report with the subscribers
	report-sse.p99	ms	l	report with the subscribers: p99
	report-sse.cpu	µs/req	l	report with the subscribers: server CPU per report
	report-sse.writer	µs/req	l	report with the subscribers: writer CPU per report
	sse.events	events/s	h	events received by the subscribers, per second
	sse.keep	%	h	reports/s with the subscribers, of those without
	sse.fanout	µs/event	l	fan-out: server CPU per event per subscriber
	ROWS
	# Each thread's share of a core during the ceiling (the order
	# the threads were made in), those that did any work.
	cat "$tmp"/*.fig | awk '$1 ~ /^thr\./ && $2 >= 1 {print $1}' | sort -u |
		while read -r t; do
			printf '%s\t%%core\t-\tceiling: CPU of thread %s\n' "$t" "${t#thr.}"
		done
}

# mean T NAME: the mean of the rounds' values, "-" when there is none.
mean() {
	awk -v n="$2" '$1 == n {s += $2; k++}
		END {if (!k) print "-"; else {v = s / k; if (v >= 100) printf "%.0f", v;
		else if (v >= 10) printf "%.1f", v; else printf "%.2f", v}}' "$tmp/$1.fig" 2>/dev/null || echo -
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b}'
}

# table SIDE...: one column per side; with two, their ratio.
table() {
	local name unit better label
	if [ $# = 2 ]; then
		echo "| figure | unit | better | new | old | new/old |"
		echo "|---|---|---|---:|---:|---:|"
	else
		echo "| figure | unit | better | value |"
		echo "|---|---|---|---:|"
	fi
	figures | while IFS=$'\t' read -r name unit better label; do
		local a b
		a=$(mean "$1" "$name")
		case $better in h) better=higher ;; l) better=lower ;; *) better=- ;; esac
		if [ $# = 2 ]; then
			b=$(mean "$2" "$name")
			[ "$a$b" = -- ] && continue
			echo "| $label | $unit | $better | $a | $b | $(ratio "$a" "$b") |"
		else
			[ "$a" = - ] && continue
			echo "| $label | $unit | $better | $a |"
		fi
	done
}

conditions() {
	echo "wrk -t$THREADS -c$CONN -d$DUR over loopback (lists and searches 16 connections, sign-ins 64), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $N incidents seeded with $PLAN; $SUBS subscribers; mean of $ROUNDS rounds."
}
