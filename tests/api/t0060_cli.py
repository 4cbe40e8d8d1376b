"""The local commands of the erms binary: --version, help (general and per
command, also as --help), unknown commands (exit 2), migrate (idempotent),
backup (of an idle and of a running database) and init (refuses to run
twice), and a database URL needs --key.
"""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (ADMIN_PASSWORD, Server, create_user, run_erms,  # noqa: E402
                     sqlite3_shell)


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="erms-cli-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def init(self, db, admin="admin"):
        return run_erms("init", "--db", db, "--admin", admin, stdin=ADMIN_PASSWORD + "\n")

    def assertExit(self, r, code):
        self.assertEqual(r.returncode, code, "exit %d\nstdout:\n%s\nstderr:\n%s"
                         % (r.returncode, r.stdout, r.stderr))

    def test_version(self):
        r = run_erms("--version")
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, r"\d+\.\d+")

    def test_help_lists_commands(self):
        r = run_erms("help")
        self.assertExit(r, 0)
        for cmd in ("serve", "init", "migrate", "backup", "audit", "demo"):
            self.assertRegex(r.stdout, r"\b%s\b" % cmd, "help does not list %s" % cmd)

    def test_command_help(self):
        for args in (("help", "serve"), ("serve", "--help")):
            with self.subTest(args=args):
                r = run_erms(*args)
                self.assertExit(r, 0)
                self.assertIn("--listen", r.stdout)
                self.assertIn("usage", r.stdout.lower())

    def test_unknown_command(self):
        r = run_erms("no-such-command")
        self.assertExit(r, 2)
        self.assertTrue(r.stderr.strip(), "no message on stderr")
        self.assertExit(run_erms("serve", "--no-such-option"), 2)

    def test_migrate_new_and_again(self):
        db = self.path("new.db")
        self.assertExit(run_erms("migrate", "--db", db), 0)
        self.assertTrue(os.path.exists(db))
        schema = sqlite3_shell(db, ".schema").stdout
        version = sqlite3_shell(db, "PRAGMA user_version").stdout
        self.assertIn("CREATE TABLE", schema)
        self.assertRegex(schema, r"CREATE TABLE (IF NOT EXISTS )?\"?users\b")
        self.assertExit(run_erms("migrate", "--db", db), 0)
        self.assertEqual(sqlite3_shell(db, ".schema").stdout, schema)
        self.assertEqual(sqlite3_shell(db, "PRAGMA user_version").stdout, version)

    def test_backup_idle(self):
        db, out = self.path("erms.db"), self.path("backup.db")
        self.assertExit(self.init(db), 0)
        self.assertExit(run_erms("backup", "--db", db, out), 0)
        r = sqlite3_shell(out, "select count(*) from users")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.strip(), "1")
        # The key stays apart from the backup; the backup has its own anchor.
        self.assertFalse(os.path.exists(out + ".key"))
        self.assertExit(run_erms("audit", "verify", "--db", out, "--key", db + ".key",
                                 "--anchor", out + ".anchor"), 0)

    def test_backup_running(self):
        if harness.postgres_url():
            self.skipTest("erms backup copies an SQLite file only (PostgreSQL: pg_dump)")
        s = Server()
        try:
            create_user(s.admin(), "in-backup")
            out = self.path("hot.db")
            self.assertExit(run_erms("backup", "--db", s.db, out), 0)
        finally:
            try:
                s.stop()
            finally:
                s.cleanup()
        r = sqlite3_shell(out, "select login from users order by id")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.split(), ["admin", "in-backup"])

    def test_init_twice(self):
        db = self.path("erms.db")
        self.assertExit(self.init(db), 0)
        r = self.init(db)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        r = sqlite3_shell(db, "select count(*) from users")
        self.assertEqual(r.stdout.strip(), "1")

    def test_url_needs_key(self):
        """A database URL has no file to put the key next to: init, serve
        and audit verify refuse it without --key, before connecting."""
        url = "postgres://nobody@127.0.0.1:1/erms"
        for args in (("init", "--db", url, "--admin", "admin"),
                     ("serve", "--listen", "127.0.0.1:0", "--db", url),
                     ("audit", "verify", "--db", url)):
            with self.subTest(command=args[0]):
                r = run_erms(*args, stdin=ADMIN_PASSWORD + "\n")
                self.assertExit(r, 2)
                self.assertIn("needs --key FILE", r.stderr)
                self.assertNotIn("connect", r.stderr)

    def test_init_rejects_bad_password(self):
        r = run_erms("init", "--db", self.path("erms.db"), "--admin", "admin", stdin="short\n")
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
