"""Password hashing is bounded: with one hashing slot and a queue of one,
a storm of sign-ins gets 200 or 503 "busy" (with Retry-After, in the
client's language), never another 5xx; every sign-in that got 200 works,
a busy one counted no attempt, and /healthz answers during the storm.
"""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSWORD, ServerTestCase, create_user  # noqa: E402

USERS = 6
ADDRS = 4           # sources 127.0.0.2..5: each pair (login, address) once
STORM = USERS * ADDRS
ROUNDS = 8          # storms until one finds the queue full


class HashGate(ServerTestCase):
    server_args = ("--hash-slots", "1", "--hash-queue", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.server.admin()
        cls.logins = ["storm%d" % i for i in range(USERS)]
        for login in cls.logins:
            create_user(admin, login)

    def storm(self, during=None):
        """STORM simultaneous sign-ins; returns [(client, response)].
        during() runs while the storm is under way."""
        barrier = threading.Barrier(STORM + 1)
        out = [None] * STORM

        def one(i):
            c = self.server.client()
            c.source = "127.0.0.%d" % (2 + i // USERS)
            zh = i % 2 == 0
            headers = {"Accept-Language": "zh-CN" if zh else "en"}
            barrier.wait()
            r = c.req("POST", "/api/v1/session",
                      {"login": self.logins[i % USERS], "password": PASSWORD},
                      headers=headers)
            if r.status == 200:
                c.csrf = r.body["csrf_token"]
            out[i] = (c, r, zh)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(STORM)]
        for t in threads:
            t.start()
        barrier.wait()
        if during:
            during()
        for t in threads:
            t.join()
        return out

    def check_round(self, out):
        busy = 0
        for c, r, zh in out:
            self.assertIn(r.status, (200, 503), "answer %d %r" % (r.status, r.body))
            if r.status == 503:
                busy += 1
                self.assertError(r, 503, "busy")
                self.assertEqual(r.headers.get("retry-after"), "1")
                self.assertNotIn("set-cookie", r.headers)
                if zh:
                    self.assertIn("忙", r.body["error"]["message"])
                else:
                    self.assertIn("try again", r.body["error"]["message"])
                continue
            me = c.get("/api/v1/me")
            self.assertStatus(me, 200)
        return busy

    def test_storm_gets_busy_not_errors(self):
        busy = 0
        for _ in range(ROUNDS):
            busy += self.check_round(self.storm())
            if busy:
                break
        self.assertGreater(busy, 0, "no storm found the queue full")
        # Busy answers counted no attempt: everyone still signs in.
        for login in self.logins:
            c = self.server.client()
            c.source = "127.0.0.2"
            c.login(login, PASSWORD)

    def test_healthz_answers_during_a_storm(self):
        seen = []

        def health():
            seen.append(self.server.client().get("/healthz").status)

        self.check_round(self.storm(during=health))
        self.assertEqual(seen, [200])

    def test_wrong_password_still_refused(self):
        c = self.server.client()
        c.source = "127.0.0.6"
        r = c.post("/api/v1/session", {"login": self.logins[0], "password": "nope"})
        self.assertError(r, 401, "bad_credentials")
        r = c.post("/api/v1/session", {"login": "nobody-here", "password": "nope"})
        self.assertError(r, 401, "bad_credentials")


if __name__ == "__main__":
    unittest.main()
