"""Audit log: GET /api/v1/audit (admin only) lists hash-chained rows in id
order; `erms audit verify` accepts the log of a running server and, once the
server is stopped, detects a row edited or deleted with the sqlite3 shell
(or psql) and names the row.
"""

import hashlib
import os
import shutil
import stat
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
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
        r = run_erms("audit", "verify", *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class Tamper(ServerTestCase):
    """Stops its server, then edits copies of the database (on PostgreSQL
    a database made from it as a template; the tests about the file, its
    triggers and its anchor beside it are SQLite's only)."""

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
        if self.server.engine == "postgres":
            return self.copy_pg(name, d)
        for suffix in ("", "-wal", "-shm", ".key"):
            if os.path.exists(self.server.db + suffix):
                shutil.copy(self.server.db + suffix, os.path.join(d, "erms.db" + suffix))
        shutil.copy(self.server.db[:-len(".db")] + ".db.anchor", os.path.join(d, "erms.db.anchor"))
        return os.path.join(d, "erms.db")

    def copy_pg(self, name, d):
        orig = urllib.parse.urlsplit(self.server.db).path.lstrip("/")
        copy = "%s_%s" % (orig, name)
        r = harness.psql(harness.postgres_url(), "-c",
                         'CREATE DATABASE "%s" TEMPLATE "%s"' % (copy, orig))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.addCleanup(harness.psql, harness.postgres_url(), "-c",
                        'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % copy)
        key = os.path.join(d, "erms.key")
        shutil.copy(self.server.key, key)
        shutil.copy(self.server.key[:-len(".key")] + ".anchor", os.path.join(d, "erms.anchor"))
        url = harness.database_url(harness.postgres_url(), copy)
        self.keys[url] = key
        return url

    keys = {}  # the key file of each PostgreSQL copy

    def tamper(self, db, sql, check, expected):
        """Run sql on db with the engine's shell; then check must print expected."""
        if db in self.keys:
            # An append-only trigger refuses: a real attacker disables it first.
            r = harness.psql(db, stdin="ALTER TABLE audit DISABLE TRIGGER USER;\n%s;\n" % sql)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(harness.psql(db, "-c", check).stdout.strip(), expected)
            return
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
        self.assertEqual(self.server.sql("SELECT count(*) FROM audit WHERE id = 1"), "1")

    def test_verify_clean(self):
        r = run_erms("audit", "verify", *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_edited_row_detected(self):
        db = self.copy_db("edited")
        self.tamper(db, "UPDATE audit SET summary='x' WHERE id=2",
                    "SELECT summary FROM audit WHERE id=2", "x")
        code, out = self.verify(db)
        self.assertNotEqual(code, 0, out)
        self.assertRegex(out, r"(?<!\d)2(?!\d)", "verify does not name row 2")

    def test_deleted_row_detected(self):
        db = self.copy_db("deleted")
        self.tamper(db, "DELETE FROM audit WHERE id=3",
                    "SELECT count(*) FROM audit WHERE id=3", "0")
        code, out = self.verify(db)
        self.assertNotEqual(code, 0, out)
        self.assertRegex(out, r"(?<!\d)[34](?!\d)", "verify names neither row 3 nor row 4")

    def run_sql(self, db, sql):
        """sql on the copy db with the engine's shell; CompletedProcess."""
        if db in self.keys:
            return harness.psql(db, stdin=sql + "\n")
        return sqlite3_shell(db, sql)

    def drop_triggers(self, db):
        if db in self.keys:
            r = harness.psql(db, "-c", "ALTER TABLE audit DISABLE TRIGGER USER")
            self.assertEqual(r.returncode, 0, r.stderr)
            return
        names = sqlite3_shell(db, "SELECT name FROM sqlite_master WHERE type='trigger' "
                                  "AND tbl_name='audit'").stdout.split()
        for n in names:
            self.assertEqual(sqlite3_shell(db, 'DROP TRIGGER "%s"' % n).returncode, 0)

    def verify(self, db, *extra):
        key = ("--key", self.keys[db]) if db in self.keys else ()
        r = run_erms("audit", "verify", "--db", db, *key, *extra)
        return r.returncode, r.stdout + r.stderr

    def test_triggers_refuse_update_and_delete(self):
        db = self.copy_db("triggers")
        for sql in ("UPDATE audit SET summary='x' WHERE id=2", "DELETE FROM audit WHERE id=2"):
            r = self.run_sql(db, sql)
            self.assertNotEqual(r.returncode, 0, sql)
            self.assertIn("audit rows cannot be", r.stdout + r.stderr)
        self.assertEqual(self.verify(db)[0], 0)

    def test_truncation_detected(self):
        db = self.copy_db("truncated")
        last = int(self.run_sql(db, "SELECT max(id) FROM audit").stdout)
        self.drop_triggers(db)
        self.assertEqual(self.run_sql(db, "DELETE FROM audit WHERE id > %d" % (last - 3)).returncode, 0)
        code, out = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("rows %d..%d missing: anchor says %d, database ends at %d"
                      % (last - 2, last, last, last - 3), out)

    def test_rehashed_chain_detected(self):
        """Edit a row, then recompute every hash as an attacker without the key can."""
        db = self.copy_db("rehashed")
        self.drop_triggers(db)
        self.assertEqual(self.run_sql(db, "UPDATE audit SET summary='forged' WHERE id=3")
                         .returncode, 0)
        hexed = ("encode(convert_to(%s, 'UTF8'), 'hex')" if db in self.keys else "hex(%s)")
        rows = self.run_sql(db, "SELECT id, at_ms, actor_id, %s, %s, %s FROM audit ORDER BY id"
                            % tuple(hexed % c for c in ("action", "object", "summary"))
                            ).stdout.split()
        prev, sql = "", []
        for line in rows:
            i, at, actor, a, o, s = line.split("|")
            a, o, s = (bytes.fromhex(x) for x in (a, o, s))
            text = b"%s|%s|%s|%d:%s|%d:%s|%d:%s|%s" % (i.encode(), at.encode(), actor.encode(),
                                                       len(a), a, len(o), o, len(s), s, prev.encode())
            h = hashlib.sha256(text).hexdigest()
            sql.append("UPDATE audit SET prev_hash='%s', hash='%s' WHERE id=%s;" % (prev, h, i))
            prev = h
        self.assertEqual(self.run_sql(db, "\n".join(sql)).returncode, 0)
        code, out = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertRegex(out, r"row \d+: MAC does not match")

    @unittest.skipIf(harness.postgres_url(), "SQLite file only: the key and anchor found by "
                     "default next to the database file (a URL needs --key, t0060)")
    def test_missing_anchor_or_key_fails(self):
        db = self.copy_db("noanchor")
        os.rename(db[:-3] + ".db.anchor", db + ".moved")
        code, out = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("anchor file", out)
        code, out = self.verify(db, "--anchor", db + ".moved")
        self.assertEqual(code, 0, out)
        os.rename(db + ".key", db + ".key2")
        code, out = self.verify(db, "--anchor", db + ".moved")
        self.assertEqual(code, 1, out)
        self.assertIn("--key", out)
        code, out = self.verify(db, "--anchor", db + ".moved", "--key", db + ".key2")
        self.assertEqual(code, 0, out)

    @unittest.skipIf(harness.postgres_url(), "SQLite file only: the modes of the database "
                     "file, its WAL and a backup file")
    def test_files_are_owner_only(self):
        paths = [self.server.db, self.server.db + ".key", self.server.db[:-3] + ".db.anchor"]
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.server.db + suffix):
                paths.append(self.server.db + suffix)
        backup = os.path.join(self.server.dir, "backup.db")
        r = run_erms("backup", "--db", self.server.db, backup)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        paths += [backup, backup + ".anchor"]
        for p in paths:
            self.assertEqual(stat.S_IMODE(os.stat(p).st_mode), 0o600, p)


class KeyFile(ServerTestCase):
    """The server refuses a database's wrong or missing key rather than making a new one."""

    def test_serve_refuses_another_key(self):
        self.server.stop()
        key = self.server.key or self.server.db + ".key"
        os.rename(key, key + ".real")
        try:
            r = run_erms("serve", "--listen", "127.0.0.1:0", "--db", self.server.db,
                         "--key", key, timeout=60)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("--key", r.stdout + r.stderr)
            self.assertFalse(os.path.exists(key), "a new key was made")
        finally:
            os.rename(key + ".real", key)
        self.server.restart()
        self.assertEqual(run_erms("audit", "verify", *self.server.db_args).returncode, 0)


class LegacyAckLinks(ServerTestCase):
    """A message queued before the database had a key kept its one-time
    token in its link; binding the database to a key replaces it by a
    derived token whose hash alone is stored."""

    def test_bind_drops_stored_tokens(self):
        r = self.server.admin().post("/api/v1/channels", {
            "name": "legacy", "kind": "webhook",
            "config": {"url": "http://127.0.0.1:1/hook", "secret": "s3cret-legacy"}})
        self.assertStatus(r, 201)
        channel = r.body["id"]
        self.server.stop()
        db, token = self.server.db, "legacyTOKENabcdefghijklmnopqrstuv0123456789"
        old_hash = hashlib.sha256(token.encode()).hexdigest()
        # The database as it was before keying: no binding, the full link stored.
        drop = "DROP TRIGGER audit_key_no_delete"
        if self.server.engine == "postgres":
            drop += " ON audit_key"
        sql = [drop, "DELETE FROM audit_key",
               "INSERT INTO notification (event, channel_id, recipient, locale, subject, text,"
               " markdown, link, ack_link, idem_key, ack_hash, ack_expires_ms, state,"
               " next_ms, created_ms) VALUES ('incident.reported', %d, 'r', 'en', 's', 't', 'm', 'l',"
               " 'http://erms.example/ack/%s', 'erms-legacy-1', '%s', 9999999999999,"
               " 'pending', 9999999999999, 1)" % (channel, token, old_hash)]
        self.server.sql(";\n".join(sql) + ";")
        self.server.start()
        self.server.stop()
        raw = self.server.dump().encode()
        for suffix in ("", "-wal") if self.server.engine == "sqlite" else ():
            if os.path.exists(db + suffix):
                with open(db + suffix, "rb") as f:
                    raw += f.read()
        self.assertFalse(token.encode() in raw, "the stored token is still in the file")
        row = self.server.sql("SELECT ack_link, ack_hash FROM notification"
                              " WHERE idem_key = 'erms-legacy-1'")
        link, new_hash = row.split("|")
        self.assertEqual(link, "http://erms.example/ack/")
        self.assertRegex(new_hash, r"^[0-9a-f]{64}$")
        self.assertNotEqual(new_hash, old_hash)
        self.server.start()
        self.assertEqual(self.server.client().post("/ack/" + token).status, 404)


if __name__ == "__main__":
    unittest.main()
