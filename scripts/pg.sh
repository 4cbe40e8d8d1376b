#!/usr/bin/env bash
# pg.sh - a throwaway PostgreSQL server for the tests.
#
#   scripts/pg.sh start DIR   initdb into DIR/data (as user postgres when
#                             run as root), start it on a free loopback
#                             port with its unix socket in DIR, and print
#                             its URL: postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/pg.sh stop DIR    stop it (DIR stays; remove it yourself)
#
# fsync stays on: the tests measure what a real installation does. The
# server binaries are Debian's (postgresql-15 brings pg_trgm too); set
# PG_BIN to use others.
set -euo pipefail

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bin=$d
	done
fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || {
	echo "pg.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2
	exit 1
}

# as_pg CMD...: run CMD as the postgres user (a server refuses to run as
# root), or as ourselves when we are not root.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# A loopback port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
	local dir=$1 port
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" -ne 0 ] || chown postgres "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			exit 1
		}
	fi
	port=$(free_port)
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" \
		start >/dev/null || {
		tail -20 "$dir/log" >&2
		exit 1
	}
	echo "$port" >"$dir/port"
	echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
	local dir=$1
	[ -f "$dir/data/postmaster.pid" ] || return 0
	as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
start) [ $# -eq 2 ] || { echo "usage: scripts/pg.sh start DIR" >&2; exit 2; }; start "$2" ;;
stop) [ $# -eq 2 ] || { echo "usage: scripts/pg.sh stop DIR" >&2; exit 2; }; stop "$2" ;;
*) echo "usage: scripts/pg.sh start|stop DIR" >&2; exit 2 ;;
esac
