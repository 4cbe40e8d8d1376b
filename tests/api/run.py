"""Run every t*.py API test module in this directory, each in its own
subprocess (300 s timeout), print one line per module and a total:

    ok t0001_health.py (6 tests)
    ok t0031_faults.py (2 tests, 1 skipped)
    FAIL t0010_auth.py (11 tests, 1 failed)
        <its output>
    ...
    40 passed, 1 failed

Exits non-zero if anything failed. Needs ERMS_BIN, like the modules.
Arguments, if any, select modules by name prefix (e.g. `run.py t0010`).

The engine: SQLite files by default; with ERMS_TEST_POSTGRES_URL (a
PostgreSQL server's URL, e.g. what `scripts/pg.sh start DIR` prints) every
server of the modules gets a fresh database there (tests/api/harness.py),
and the failover module (t0700) runs. ERMS_TEST_ENGINE=postgres (the meson
suite postgres sets it) makes a missing URL an error rather than a quiet
run on SQLite.
"""

import glob
import os
import re
import signal
import subprocess
import sys

TIMEOUT = 300
HERE = os.path.dirname(os.path.abspath(__file__))


def run_module(path):
    """Returns (ok, tests run, failed test cases, skipped, output)."""
    # A session of its own, so that a timeout also ends the servers it started.
    p = subprocess.Popen([sys.executable, path], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        out += b"\n*** timed out after %d s" % TIMEOUT
    out, rc = out.decode("utf-8", errors="replace"), p.returncode
    m = re.search(r"^Ran (\d+) tests?", out, re.M)
    ran = int(m.group(1)) if m else 0
    failed = 0
    m = re.search(r"^FAILED \((.*)\)", out, re.M)
    if m:
        for kind in ("failures", "errors", "unexpected successes"):
            k = re.search(r"%s=(\d+)" % kind, m.group(1))
            failed += int(k.group(1)) if k else 0
    m = re.search(r"^OK \(.*skipped=(\d+)", out, re.M)
    skipped = int(m.group(1)) if m else 0
    ok = rc == 0 and failed == 0 and re.search(r"^OK\b", out, re.M) is not None
    if not ok and failed == 0:
        failed = 1  # crashed, timed out or never reported: count the module as one failure
    return ok, ran, failed, skipped, out


def main(argv):
    if not os.environ.get("ERMS_BIN"):
        print("set ERMS_BIN to the erms binary, e.g. ERMS_BIN=build/erms", file=sys.stderr)
        return 2
    if os.environ.get("ERMS_TEST_ENGINE") == "postgres" and \
            not os.environ.get("ERMS_TEST_POSTGRES_URL"):
        print("ERMS_TEST_ENGINE=postgres but ERMS_TEST_POSTGRES_URL is not set: start a "
              "server (scripts/pg.sh start DIR prints its URL) and export it", file=sys.stderr)
        return 2
    modules = sorted(glob.glob(os.path.join(HERE, "t[0-9]*.py")))
    if argv:
        modules = [m for m in modules if any(os.path.basename(m).startswith(a) for a in argv)]
    passed = failed = 0
    for path in modules:
        name = os.path.basename(path)
        ok, ran, nfail, skipped, out = run_module(path)
        passed += max(ran - nfail, 0)
        failed += nfail
        if ok:
            print("ok %s (%d tests%s)" % (name, ran, ", %d skipped" % skipped if skipped else ""),
                  flush=True)
        else:
            print("FAIL %s (%d tests, %d failed)" % (name, ran, nfail))
            print("    " + out.rstrip().replace("\n", "\n    "), flush=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not modules else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
