#!/usr/bin/env bash
# check-src.sh - rules a compiler does not enforce:
#  - no banned functions (git's banned.h, curl's checksrc);
#  - src/core/ includes only libc and core/ headers (the pure domain);
#  - no sqlite3 or libpq names outside src/store/ (one storage interface);
#  - no libmicrohttpd outside src/http/server.c (handlers never see it),
#    except cmd-version.c printing its version.
set -u
cd "$(dirname "$0")/.."
bad=0
say() { echo "check-src: $*"; bad=1; }

banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gmtime|localtime|ctime|asctime|gets)\s*\('
if grep -nE "$banned" -r src tests/unit tests/store --include='*.c' --include='*.h'; then
	say "banned function used (see above)"
fi
if grep -nE '#include <(sqlite3|libpq-fe|microhttpd|jansson|curl/curl|sodium)\.h>' -r src/core; then
	say "src/core must not include I/O libraries"
fi
if grep -nlE '#include <(sqlite3|libpq-fe)\.h>|sqlite3_|PQexec' -r src | grep -vE '^src/store/|src/cli/cmd-version.c'; then
	say "database types or calls outside src/store"
fi
if grep -nlE '#include <microhttpd\.h>|MHD_' -r src | grep -vE 'src/http/server.c|src/cli/cmd-version.c'; then
	say "libmicrohttpd outside src/http/server.c"
fi
exit $bad
