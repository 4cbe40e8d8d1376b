"""Audit log: GET /api/v1/audit (admin only) lists hash-chained rows in id
order; `erms audit verify` accepts the log of a running server and, once the
server is stopped, detects a row edited or deleted with the sqlite3 shell
and names the row.
"""

import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PASSWORD, ServerTestCase, create_group, create_user,  # noqa: E402
                     list_all, put_member, run_erms, sqlite3_shell)


class Audit(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()
        cls.staff = create_user(cls.admin, "staff")
        create_user(cls.admin, "other")
        create_group(cls.admin, "tech", kind="team")
        put_member(cls.admin, "tech", cls.staff["id"])

    def test_api_lists_chained_rows(self):
        rows = list_all(self.admin, "/api/v1/audit")
        self.assertGreaterEqual(len(rows), 4, rows)
        ids = [r["id"] for r in rows]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), len(set(ids)))
        for r in rows:
            for k in ("id", "at", "actor_id", "action", "object", "summary", "prev_hash", "hash"):
                self.assertIn(k, r)
            self.assertTrue(r["hash"], r)
        for prev, row in zip(rows, rows[1:]):
            self.assertEqual(row["prev_hash"], prev["hash"], "chain broken at row %d" % row["id"])
        self.assertIn("user.create", [r["action"] for r in rows])

    def test_api_after_and_limit(self):
        rows = list_all(self.admin, "/api/v1/audit")
        r = self.admin.get("/api/v1/audit?after=%d&limit=2" % rows[0]["id"])
        self.assertStatus(r, 200)
        self.assertEqual([x["id"] for x in r.body["items"]], [x["id"] for x in rows[1:3]])

    def test_api_admin_only(self):
        c = self.server.client()
        c.login("staff", PASSWORD)
        self.assertError(c.get("/api/v1/audit"), 403, "forbidden")
        self.assertError(self.server.client().get("/api/v1/audit"), 401, "unauthorized")

    def test_verify_running(self):
        r = run_erms("audit", "verify", "--db", self.server.db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class Tamper(ServerTestCase):
    """Stops its server, then edits copies of the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.server.admin()
        for i in range(4):
            create_user(admin, "user-%d" % i)
        cls.server.stop()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def copy_db(self, name):
        """A copy of the stopped server's database (with WAL files, if any),
        its key file and its audit anchor."""
        d = os.path.join(self.server.dir, name)
        os.mkdir(d)
        for suffix in ("", "-wal", "-shm", ".key"):
            if os.path.exists(self.server.db + suffix):
                shutil.copy(self.server.db + suffix, os.path.join(d, "erms.db" + suffix))
        shutil.copy(self.server.db[:-len(".db")] + ".db.anchor", os.path.join(d, "erms.db.anchor"))
        return os.path.join(d, "erms.db")

    def tamper(self, db, sql, check, expected):
        """Run sql on db with the sqlite3 shell; then check must print expected."""
        r = sqlite3_shell(db, sql)
        if r.returncode != 0 or sqlite3_shell(db, check).stdout.strip() != expected:
            # An append-only trigger refused: a real attacker drops it first.
            names = sqlite3_shell(db, "SELECT name FROM sqlite_master WHERE type='trigger' "
                                      "AND tbl_name='audit'").stdout.split()
            for n in names:
                sqlite3_shell(db, 'DROP TRIGGER "%s"' % n)
            r = sqlite3_shell(db, sql)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sqlite3_shell(db, check).stdout.strip(), expected)

    def test_table_is_audit(self):
        r = sqlite3_shell(self.server.db, ".tables")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("audit", r.stdout.split())

    def test_verify_clean(self):
        r = run_erms("audit", "verify", "--db", self.server.db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_edited_row_detected(self):
        db = self.copy_db("edited")
        self.tamper(db, "UPDATE audit SET summary='x' WHERE id=2",
                    "SELECT summary FROM audit WHERE id=2", "x")
        r = run_erms("audit", "verify", "--db", db)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, out)
        self.assertRegex(out, r"(?<!\d)2(?!\d)", "verify does not name row 2")

    def test_deleted_row_detected(self):
        db = self.copy_db("deleted")
        self.tamper(db, "DELETE FROM audit WHERE id=3",
                    "SELECT count(*) FROM audit WHERE id=3", "0")
        r = run_erms("audit", "verify", "--db", db)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, out)
        self.assertRegex(out, r"(?<!\d)[34](?!\d)", "verify names neither row 3 nor row 4")


if __name__ == "__main__":
    unittest.main()
