"""Durability: a write answered 2xx survives kill -9 of the server, alone
and when 200 writes arrive concurrently from 8 threads (group commit). The
audit chain still verifies after the crashes.
"""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase, create_user, list_all, run_erms  # noqa: E402


class Durability(ServerTestCase):
    def test_user_survives_kill9(self):
        admin = self.server.admin()
        u = create_user(admin, "durable")
        self.server.kill9()
        self.server.restart()
        r = admin.get("/api/v1/users/%d" % u["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body["login"], "durable")
        self.assertIn("durable", [x["login"] for x in list_all(admin, "/api/v1/users")])

    def test_concurrent_writes_survive_kill9(self):
        admin = self.server.admin()
        n_threads, per_thread = 8, 25
        statuses, lock = [], threading.Lock()

        def writer(t):
            c = self.server.client()
            c.bearer = admin.bearer
            for i in range(per_thread):
                r = c.post("/api/v1/tokens", {"name": "burst-%d-%d" % (t, i)})
                with lock:
                    statuses.append((r.status, r.body if r.status != 201 else None))

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        bad = [s for s in statuses if s[0] != 201]
        self.assertEqual(len(statuses), n_threads * per_thread)
        self.assertEqual(bad, [], "non-201 answers")

        self.server.kill9()
        self.server.restart()
        names = [t["name"] for t in list_all(admin, "/api/v1/tokens")]
        burst = {n for n in names if n.startswith("burst-")}
        expected = {"burst-%d-%d" % (t, i) for t in range(n_threads) for i in range(per_thread)}
        self.assertEqual(len(burst), 200)
        self.assertEqual(burst, expected)

        r = run_erms("audit", "verify", *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
