"""Faults: kill -9 in the middle of concurrent writes, ten times over, loses
no acknowledged write and leaves an audit chain that verifies; a full disk
(a small tmpfs) answers writes and /healthz with 503, loses nothing that
was acknowledged, and the server recovers when space is freed.
"""

import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, ServerTestCase, list_all, run_erms  # noqa: E402


def writers(server, bearer, prefix, stop, acked, lock, n=4):
    """n threads that create tokens named prefix-T-I until stop is set;
    every name the server answered 201 for goes into acked."""
    def run(t):
        c = server.client()
        c.bearer = bearer
        c.timeout = 5
        i = 0
        while not stop.is_set():
            name = "%s-%d-%d" % (prefix, t, i)
            i += 1
            try:
                r = c.post("/api/v1/tokens", {"name": name})
            except (AssertionError, OSError):
                time.sleep(0.01)  # the server is gone: try until stopped
                continue
            if r.status == 201:
                with lock:
                    acked.add(name)
    ths = [threading.Thread(target=run, args=(t,)) for t in range(n)]
    for th in ths:
        th.start()
    return ths


class KillLoop(ServerTestCase):
    def test_ten_crashes_under_concurrent_writes(self):
        admin = self.server.admin()
        rnd = random.Random(20261201)
        acked, lock = set(), threading.Lock()
        for cycle in range(10):
            stop = threading.Event()
            ths = writers(self.server, admin.bearer, "k%d" % cycle, stop, acked, lock)
            time.sleep(rnd.uniform(0.2, 0.8))
            self.server.kill9()
            stop.set()
            for th in ths:
                th.join()
            self.server.restart()
        names = {t["name"] for t in list_all(admin, "/api/v1/tokens")}
        self.assertGreater(len(acked), 20, "too few writes to mean anything")
        self.assertEqual(acked - names, set(), "acknowledged writes lost")
        r = run_erms("audit", "verify", *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class DiskFull(unittest.TestCase):
    def setUp(self):
        if harness.postgres_url():
            self.skipTest("full disk: SQLite file only (PostgreSQL's files are the "
                          "server's, not in a tmpfs of the test)")
        self.mnt = tempfile.mkdtemp(prefix="erms-full-")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", self.mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            os.rmdir(self.mnt)
            self.skipTest("cannot mount a tmpfs here (needs root): " + r.stderr.strip())
        old, tempfile.tempdir = tempfile.tempdir, self.mnt
        try:
            self.server = Server()
        finally:
            tempfile.tempdir = old
        self.filler = os.path.join(self.mnt, "filler")

    def tearDown(self):
        srv = getattr(self, "server", None)
        if srv:
            try:
                if os.path.exists(self.filler):
                    os.unlink(self.filler)
                srv.stop()
            finally:
                srv.cleanup()
                subprocess.run(["umount", self.mnt])
                os.rmdir(self.mnt)

    def fill(self):
        # Closing may fail too: a short last write leaves bytes that the
        # close tries to flush (whether it does depends on how much room
        # the database left, to the byte).
        try:
            with open(self.filler, "wb") as f:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
        except OSError:
            pass

    def health(self):
        return self.server.client().get("/healthz").status

    def wait_health(self, want, within=5):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.health() == want:
                return True
            time.sleep(0.1)
        return False

    def test_full_disk_is_503_and_loses_nothing(self):
        admin = self.server.admin()
        before = []
        for i in range(20):
            r = admin.post("/api/v1/tokens", {"name": "before-%d" % i})
            self.assertEqual(r.status, 201)
            before.append(r.body["name"] if isinstance(r.body, dict) and "name" in r.body
                          else "before-%d" % i)
        self.fill()
        statuses, acked = [], []
        for i in range(400):
            r = admin.post("/api/v1/tokens", {"name": "full-%d-%s" % (i, "x" * 40)})
            statuses.append(r.status)
            if r.status == 201:
                acked.append("full-%d-%s" % (i, "x" * 40))
            else:
                self.assertEqual(r.status, 503, r.body)
                self.assertIsInstance(r.body.get("error"), dict)
                break
        self.assertIn(503, statuses, "a full disk never refused a write")
        self.assertTrue(self.wait_health(503), "/healthz did not notice the full disk")
        names = {t["name"] for t in list_all(admin, "/api/v1/tokens")}
        self.assertEqual({"before-%d" % i for i in range(20)} - names, set())
        self.assertEqual(set(acked) - names, set())

        os.unlink(self.filler)
        self.assertTrue(self.wait_health(200), "/healthz did not recover")
        r = admin.post("/api/v1/tokens", {"name": "after"})
        self.assertEqual(r.status, 201, r.body)
        self.server.kill9()
        self.server.restart()
        names = {t["name"] for t in list_all(admin, "/api/v1/tokens")}
        self.assertIn("after", names)
        self.assertEqual(set(acked) - names, set())
        r = run_erms("audit", "verify", *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
