#!/usr/bin/env bash
# deps.sh - install the Debian packages erms needs, only those missing.
# Usage: scripts/deps.sh [build|test|bench]   (default: build)
set -euo pipefail

build=(meson ninja-build pkg-config gcc python3 libmicrohttpd-dev
       libjansson-dev libsqlite3-dev libsodium-dev libfyaml-dev libmd4c-dev
       libmd4c-html0-dev libcurl4-openssl-dev libcmocka-dev libpq-dev
       libglib2.0-dev tzdata libcairo2-dev libpango1.0-dev fonts-wqy-microhei
       libzip-dev)
# glib: time zones (src/util/tz.c); cairo + pango with a CJK font: the
# PDF documents the server renders itself; libzip: the emergency pack's
# download.
# postgresql: the server the postgres suite starts (scripts/pg.sh), with
# pg_trgm (postgresql-contrib). prometheus-alertmanager: the real
# Alertmanager the intake tests (tests/api/t0800_intake.py) and the intake
# bench post through.
test=(clang libclang-rt-14-dev sqlite3 curl python3-aiosmtpd python3-icalendar
      postgresql postgresql-contrib prometheus-alertmanager poppler-utils
      unzip)
bench=(wrk hyperfine)
browser=(chromium)

want=("${build[@]}")
case "${1:-build}" in
test) want+=("${test[@]}" "${browser[@]}") ;;
bench) want+=("${test[@]}" "${bench[@]}") ;;
esac
# Node.js for the browser tests' driver and the OpenAPI checks
# (tests/openapi/): the machine's own, else Debian's.
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null; then
	want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: run as root (or install: ${missing[*]})" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
