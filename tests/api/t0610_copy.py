"""erms copy: an installation with some activity on SQLite is copied to a
fresh SQLite file (and to a fresh PostgreSQL database when
ERMS_TEST_POSTGRES_URL names a server); the copy's audit chain verifies
with the source's key file, a server on the copy answers with the same
incidents (search included), and a second copy into it is refused.
"""

import os
import shutil
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ServerTestCase, Server, run_erms, sample_org,  # noqa: E402
                     _live_servers)


class CopyServer(Server):
    """erms serve on an existing database (a copy): no init."""

    def __init__(self, db, key):
        self.extra_args = ["--key", key]
        self.allow_private = True
        self.dir = tempfile.mkdtemp(prefix="erms-test-")
        self.db = db
        self.port_file = os.path.join(self.dir, "port")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None
        self._admin = None
        _live_servers.add(self)
        self.start()


def pg_url(db):
    """ERMS_TEST_POSTGRES_URL with its database replaced by db, or None."""
    base = os.environ.get("ERMS_TEST_POSTGRES_URL")
    if not base:
        return None
    head, _, query = base.partition("?")
    scheme, _, rest = head.partition("://")
    host = rest.split("/", 1)[0]
    return "%s://%s/%s%s" % (scheme, host, db, "?" + query if query else "")


class Copy(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
            cls.incs = []
            for title in ("核心系统故障", "Pump station flooded"):
                r = cls.c["staff"].post("/api/v1/incidents",
                                        {"title": title, "category": "system-failure"})
                assert r.status == 201, r
                cls.incs.append(r.body)
            r = cls.c["hq"].post("/api/v1/incidents/%d/ack" % cls.incs[0]["id"], {})
            assert r.status == 200, r
            # Copy a database at rest: its anchor is the chain's head.
            cls.server.stop()
        except BaseException:
            cls.tearDownClass()
            raise

    def copy_to(self, target):
        r = run_erms("copy", "--from", self.server.db, "--to", target)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"incident +2\n")
        self.assertRegex(r.stdout, r"audit +\d+\n")
        return r

    def check_copy(self, target, name):
        # The copy goes on with the source's key file and anchor (the
        # anchor moves with each audit row): copies of both, beside it.
        key = os.path.join(self.server.dir, name + ".key")
        src_key = self.server.key or self.server.db + ".key"  # a URL's is given, a file's beside it
        shutil.copy(src_key, key)
        shutil.copy(src_key[:-len(".key")] + ".anchor",
                    os.path.join(self.server.dir, name + ".anchor"))
        r = run_erms("audit", "verify", "--db", target, "--key", key)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("intact", r.stdout)

        srv = CopyServer(target, key)
        try:
            c = srv.admin()
            for inc in self.incs:
                r = c.get("/api/v1/incidents/%d" % inc["id"])
                self.assertStatus(r, 200)
                self.assertEqual((r.body["number"], r.body["title"]),
                                 (inc["number"], inc["title"]))
            r = c.get("/api/v1/incidents?q=" + "Pump")
            self.assertStatus(r, 200)
            self.assertEqual([i["id"] for i in r.body["items"]], [self.incs[1]["id"]])
            # New rows continue after the copied ones.
            r = c.post("/api/v1/incidents", {"title": "after the copy",
                                             "category": "system-failure"})
            self.assertStatus(r, 201)
            self.assertGreater(r.body["id"], self.incs[1]["id"])
        finally:
            srv.stop()
            srv.cleanup()

        r = run_erms("copy", "--from", self.server.db, "--to", target)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("not empty", r.stderr)

    def test_copy_to_sqlite(self):
        target = os.path.join(self.server.dir, "copy.db")
        self.copy_to(target)
        self.check_copy(target, "copy-sqlite")

    def test_copy_to_postgres(self):
        target = pg_url("erms_copy_" + uuid.uuid4().hex[:12])
        if target is None:
            self.skipTest("ERMS_TEST_POSTGRES_URL is not set")
        self.copy_to(target)
        self.check_copy(target, "copy-postgres")

    def test_refuses_bad_use(self):
        r = run_erms("copy", "--from", self.server.db)
        self.assertEqual(r.returncode, 2, r.stderr)
        r = run_erms("copy", "--from", self.server.db, "--to", self.server.db)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        missing = os.path.join(self.server.dir, "missing.db")
        r = run_erms("copy", "--from", missing, "--to",
                     os.path.join(self.server.dir, "t.db"))
        self.assertNotEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(missing))


if __name__ == "__main__":
    unittest.main()
