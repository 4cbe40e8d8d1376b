#!/usr/bin/env bash
# check-src.sh - rules a compiler does not enforce:
#  - no banned functions (git's banned.h, curl's checksrc);
#  - src/core/ includes no I/O library (the pure domain);
#  - no sqlite3 or libpq names outside src/store/ (one storage interface;
#    erms version asks store_engine_version()), and libpq only in the
#    PostgreSQL backend's src/store/postgres*.c;
#  - no libmicrohttpd outside src/http/server.c (handlers never see it),
#    except cmd-version.c printing its version;
#  - the layer table below: a file in one folder of src/ may include a
#    project header of another folder only along an arrow of the table,
#    and no two modules (x.c + x.h) include each other, directly or
#    around a longer cycle.
# Every breach is printed (file, line, include), not only the first.
# Usage: tools/check-src.sh [--no-layers | --layers-only]
set -u
cd "$(dirname "$0")/.."
bad=0
say() { echo "check-src: $*"; bad=1; }

# The layer table: FOLDER: the folders its files may include (besides
# its own folder and the C library). docs/architecture.md explains it.
# core may include only the pure util headers named in CORE_UTIL.
LAYERS='
util:
core:   util
plan:   core util
store:  core util
notify: core util
doc:    util
app:    core plan store notify doc util
http:   app core plan util
cli:    app http core util
main.c: cli util
'
CORE_UTIL='util/err.h util/buf.h util/xalloc.h util/utf8.h'

# check_layers: print every include against the table and every
# include cycle between modules; return 1 if there is any.
check_layers() {
	LAYERS=$LAYERS CORE_UTIL=$CORE_UTIL python3 - <<'PY'
import os, re, sys
table = {}
for line in os.environ["LAYERS"].strip().splitlines():
    k, _, v = line.partition(":")
    table[k.strip()] = set(v.split())
core_util = set(os.environ["CORE_UTIL"].split())
inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
files = []
for d, _, names in os.walk("src"):
    files += [os.path.join(d, n) for n in names if n.endswith((".c", ".h"))]
files.sort()
def layer(path):  # src/http/x.c -> http, src/main.c -> main.c
    return path.split("/")[1]
def module(path):
    return os.path.splitext(path)[0]
bad = 0
heads = {}
for f in files:
    src = layer(f)
    with open(f, encoding="utf-8", errors="replace") as fh:
        for n, text in enumerate(fh, 1):
            m = inc.match(text)
            if not m:
                continue
            name = m.group(1)
            target = os.path.normpath("src/" + name if "/" in name else
                                      os.path.join(os.path.dirname(f), name))
            if not os.path.exists(target):
                continue  # a generated header (build dir), not a layer arrow
            dst = layer(target)
            if src not in table:
                print(f"check-src: {f}:{n}: folder {src} is not in the layer table")
                bad = 1
            elif dst != src and dst not in table[src]:
                print(f"check-src: {f}:{n}: includes {name}: {src} -> {dst} is not in the layer table")
                bad = 1
            elif src == "core" and dst == "util" and name not in core_util:
                print(f"check-src: {f}:{n}: includes {name}: core may include only {' '.join(sorted(core_util))}")
                bad = 1
            heads.setdefault(f, set()).add(target)
# Module A (a .c file and its header) depends on module B when A's .c
# file reaches B's header, directly or through other headers. A cycle of
# such dependencies, or of headers including each other, is refused.
def reach(f, seen):
    for h in heads.get(f, ()):
        if h not in seen:
            seen.add(h)
            reach(h, seen)
    return seen
edges = {}
for f in files:
    if f.endswith(".h"):
        continue
    for h in reach(f, set()):
        b = module(h)
        if b != module(f) and os.path.exists(b + ".c"):
            edges.setdefault(module(f), set()).add(b)
for f in files:
    if f.endswith(".h"):
        for h in heads.get(f, ()):
            edges.setdefault(f, set()).add(h)
# Tarjan's strongly connected components: each with more than one
# member is an include cycle.
index, low, stack, on, sccs = {}, {}, [], set(), []
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v); on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
for v in sorted(edges):
    if v not in index:
        visit(v)
for comp in sorted(sccs):
    print("check-src: include cycle between " + " ".join(c[len("src/"):] for c in comp))
    for a in comp:
        for b in sorted(edges.get(a, set()) & set(comp)):
            print(f"check-src:   {a[len('src/'):]} -> {b[len('src/'):]}")
    bad = 1
sys.exit(bad)
PY
}

mode=${1:-all}
case $mode in
all | --no-layers | --layers-only) ;;
*) echo "usage: tools/check-src.sh [--no-layers | --layers-only]" >&2; exit 2 ;;
esac

if [ "$mode" != --layers-only ]; then
	banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gmtime|localtime|ctime|asctime|gets)\s*\('
	if grep -nE "$banned" -r src tests/unit tests/store --include='*.c' --include='*.h' 2>/dev/null; then
		say "banned function used (see above)"
	fi
	if grep -nE '#include <(sqlite3|libpq-fe|microhttpd|jansson|curl/curl|sodium)\.h>' -r src/core; then
		say "src/core must not include I/O libraries"
	fi
	if grep -nlE '#include <(sqlite3|libpq-fe)\.h>|sqlite3_|PQexec' -r src | grep -v '^src/store/'; then
		say "database types or calls outside src/store"
	fi
	if grep -nlE '#include <libpq-fe\.h>|\bPQ[a-zA-Z]+\(' -r src/store | grep -vE '^src/store/postgres[^/]*\.c$'; then
		say "libpq outside src/store/postgres*.c"
	fi
	if grep -nlE '#include <microhttpd\.h>|MHD_' -r src | grep -vE 'src/http/server.c|src/cli/cmd-version.c'; then
		say "libmicrohttpd outside src/http/server.c"
	fi
fi
if [ "$mode" != --no-layers ]; then
	check_layers || bad=1
fi
exit $bad
