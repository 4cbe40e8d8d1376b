"""Failover: erms on a PostgreSQL primary with a synchronous streaming
standby, connected with a two-host URL
(postgres://postgres@127.0.0.1:P1,127.0.0.1:P2/erms?target_session_attrs=read-write).
Under a steady write load the primary is stopped hard (pg_ctl stop -m
immediate) and the standby promoted (pg_ctl promote):

- erms writes again within 15 s of the primary's loss;
- every write answered 2xx, before or after, is there afterwards;
- a write in the gap is answered 503, never 2xx and then missing.

The two servers are this test's own (scripts/pg.sh, initdb as the
postgres user when run as root), not the server of ERMS_TEST_POSTGRES_URL;
the module runs only when that URL is set (the postgres suite), so a plain
run on SQLite skips it. By hand:

    D=$(mktemp -d); export ERMS_TEST_POSTGRES_URL=$(scripts/pg.sh start $D)
    ERMS_BIN=build-asan/erms python3 tests/api/run.py t0700
    scripts/pg.sh stop $D
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Client, Server, list_all  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PG_SH = os.path.join(ROOT, "scripts", "pg.sh")
RECOVERY_LIMIT_S = 15.0


def pg_bin():
    """The directory of PostgreSQL's server programs, or None."""
    if os.environ.get("PG_BIN"):
        return os.environ["PG_BIN"]
    dirs = sorted(d for d in glob.glob("/usr/lib/postgresql/*/bin")
                  if os.access(os.path.join(d, "initdb"), os.X_OK))
    return dirs[-1] if dirs else None


def as_pg(*cmd, timeout=120):
    """Run cmd as the postgres user (as ourselves when not root); fail unless it succeeds."""
    if os.getuid() == 0:
        cmd = ("runuser", "-u", "postgres", "--") + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError("%s failed (exit %d):\n%s%s"
                             % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


def pg_sh(*args):
    r = subprocess.run([PG_SH, *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("scripts/pg.sh %s failed:\n%s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def port_of(d):
    with open(os.path.join(d, "port")) as f:
        return int(f.read())


class FailoverServer(Server):
    """An erms server on a given database URL (made by init) with a key
    file in its own directory."""

    def __init__(self, url, extra_args=()):
        self.extra_args = list(extra_args)
        self.allow_private = True
        self.dir = tempfile.mkdtemp(prefix="erms-failover-")
        self.db = url
        harness._keys[url] = os.path.join(self.dir, "erms.key")
        self.port_file = os.path.join(self.dir, "port")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None
        self._admin = None
        r = harness.run_erms("init", *self.db_args, "--admin", harness.ADMIN_LOGIN,
                             stdin=harness.ADMIN_PASSWORD + "\n")
        if r.returncode != 0:
            self.cleanup()
            raise AssertionError("erms init failed (exit %d):\n%s%s"
                                 % (r.returncode, r.stdout, r.stderr))
        harness._live_servers.add(self)
        self.start()


@unittest.skipUnless(harness.postgres_url(), "needs ERMS_TEST_POSTGRES_URL (the postgres suite)")
class PrimaryLoss(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A server URL means the server programs are here (scripts/pg.sh
        # found them): their absence is an error, not a skip.
        assert pg_bin(), "ERMS_TEST_POSTGRES_URL is set but no PostgreSQL server programs were found"
        cls.bin = pg_bin()
        cls.top = tempfile.mkdtemp(prefix="erms-failover-pg-")
        os.chmod(cls.top, 0o755)  # the postgres user walks into it
        cls.primary = os.path.join(cls.top, "primary")
        cls.standby = os.path.join(cls.top, "standby")
        cls.server = None
        try:
            cls.start_pair()
            url = ("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d/erms"
                   "?target_session_attrs=read-write"
                   % (port_of(cls.primary), port_of(cls.standby)))
            cls.server = FailoverServer(url)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def start_pair(cls):
        """The primary (scripts/pg.sh), a standby copied from it with
        pg_basebackup -R, and the primary made to wait for the standby's
        flush at every commit."""
        pg_sh("start", cls.primary)
        p1 = port_of(cls.primary)
        os.makedirs(cls.standby)
        if os.getuid() == 0:
            shutil.chown(cls.standby, "postgres")
        as_pg(os.path.join(cls.bin, "pg_basebackup"), "-D", os.path.join(cls.standby, "data"),
              "-R", "-X", "stream", "-c", "fast",
              "-d", "host=127.0.0.1 port=%d user=postgres application_name=standby" % p1)
        pg_sh("start", cls.standby)
        primary_url = "postgres://postgres@127.0.0.1:%d/postgres" % p1
        for q in ("ALTER SYSTEM SET synchronous_standby_names = '*'",
                  "SELECT pg_reload_conf()"):
            r = harness.psql(primary_url, "-c", q)
            if r.returncode:
                raise AssertionError("%s: %s" % (q, r.stderr))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            r = harness.psql(primary_url, "-c",
                             "SELECT sync_state FROM pg_stat_replication")
            if r.stdout.split() == ["sync"]:
                return
            time.sleep(0.2)
        raise AssertionError("the standby is not synchronous: %r" % r.stdout)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                try:
                    cls.server.stop()
                finally:
                    cls.server.cleanup()
        finally:
            for d in (cls.primary, cls.standby):
                if os.path.isdir(d):
                    subprocess.run([PG_SH, "stop", d], capture_output=True, timeout=120)
            if not os.environ.get("ERMS_KEEP"):
                shutil.rmtree(cls.top, ignore_errors=True)

    def test_standby_promoted_takes_the_writes(self):
        bearer = self.server.admin().bearer
        answers, lock, stop = [], threading.Lock(), threading.Event()

        def writer():
            c = Client(self.server, timeout=10)
            c.bearer = bearer
            i = 0
            while not stop.is_set():
                name, sent = "load-%d" % i, time.monotonic()
                i += 1
                try:
                    status = c.post("/api/v1/tokens", {"name": name}).status
                except (AssertionError, OSError) as e:
                    status = "no answer: %s" % e
                with lock:
                    answers.append((name, sent, time.monotonic(), status))
                time.sleep(0.02)

        th = threading.Thread(target=writer)
        th.start()
        try:
            time.sleep(2)
            lost_at = time.monotonic()
            as_pg(os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.primary, "data"),
                  "-m", "immediate", "stop")
            time.sleep(1)  # the writes find no primary for a while
            as_pg(os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.standby, "data"),
                  "-w", "promote")
            back_at = None
            deadline = lost_at + RECOVERY_LIMIT_S + 5
            while time.monotonic() < deadline and back_at is None:
                time.sleep(0.1)
                with lock:
                    ok = [a for a in answers if a[1] > lost_at and a[3] == 201]
                if ok:
                    back_at = ok[0][2]
            time.sleep(2)  # a steady run on the new primary
        finally:
            stop.set()
            th.join()

        before = [a for a in answers if a[2] < lost_at]
        gap = [a for a in answers if a[3] != 201]
        self.assertTrue(any(a[3] == 201 for a in before), "no write before the failover")
        self.assertIsNotNone(back_at, "no write answered 201 within %gs of the primary's loss"
                             % (RECOVERY_LIMIT_S + 5))
        took = back_at - lost_at
        print("failover: writes again %.1f s after the primary's loss; %d writes, "
              "%d refused in the gap" % (took, len(answers), len(gap)), file=sys.stderr)
        self.assertLess(took, RECOVERY_LIMIT_S)
        self.assertEqual([a for a in gap if a[3] != 503], [],
                         "a write in the gap was not answered 503")
        names = {t["name"] for t in list_all(self.server.admin(), "/api/v1/tokens")}
        acked = {a[0] for a in answers if a[3] == 201}
        self.assertEqual(acked - names, set(), "writes answered 201 are missing")


if __name__ == "__main__":
    unittest.main()
