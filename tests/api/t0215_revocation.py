"""Revocation is immediate everywhere, open event streams included.

An open Server-Sent Events stream (GET /api/v1/events) ends within a few
seconds when its token is revoked, its session signed out, its user
disabled, or the user's password changed (which also ends the user's
other sessions and tokens, but not the session that made the change);
a stream of another user goes on. Tokens expire (90 days by default,
`expires_in_days` or `expires_at` at creation, a past time refused) and
sessions have an absolute lifetime (`--session-lifetime`) besides the
idle one, checked with the test clock.
"""

import os
import sys
import time
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSWORD, ServerTestCase, create_user  # noqa: E402
from t0210_events import Stream  # noqa: E402

ENDS_WITHIN = 5  # seconds


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Revocation(ServerTestCase):
    server_args = ("--test-clock", "--session-lifetime", "24")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()

    def setUp(self):
        self.streams = []

    def tearDown(self):
        for s in self.streams:
            s.close()

    def user(self, login):
        """A new user signed in with a session; returns (user, client)."""
        u = create_user(self.admin, login)
        c = self.server.client()
        c.login(login, PASSWORD)
        return u, c

    def token(self, client, name="stream", **body):
        r = client.post("/api/v1/tokens", {"name": name, **body})
        self.assertStatus(r, 201)
        return r.body

    def stream(self, **kw):
        s = Stream(self.server, **kw)
        self.streams.append(s)
        self.assertEqual(s.status, 200, getattr(s, "body", None))
        return s.connected()

    def assertEnds(self, s):
        start = time.monotonic()
        with s.cv:
            s.cv.wait_for(lambda: s.closed, ENDS_WITHIN)
        self.assertTrue(s.closed, "the stream still runs %gs after the revocation"
                        % (time.monotonic() - start))

    def assertRuns(self, s):
        time.sleep(1)
        self.assertFalse(s.closed, "a stream that was not revoked ended")

    def test_revoked_token_ends_its_stream(self):
        _, c = self.user("sse-token")
        tok = self.token(c)
        other = self.token(c, "other")
        s = self.stream(bearer=tok["token"])
        keep = self.stream(bearer=other["token"])
        self.assertStatus(c.delete("/api/v1/tokens/%d" % tok["id"]), 204)
        self.assertEnds(s)
        self.assertRuns(keep)
        again = Stream(self.server, bearer=tok["token"])
        self.assertEqual(again.status, 401)

    def test_sign_out_ends_the_sessions_stream(self):
        _, c = self.user("sse-session")
        s = self.stream(cookie=c.cookies["erms_session"])
        self.assertStatus(c.delete("/api/v1/session"), 204)
        self.assertEnds(s)

    def test_disabling_the_user_ends_their_streams(self):
        u, c = self.user("sse-disabled")
        by_token = self.stream(bearer=self.token(c)["token"])
        by_cookie = self.stream(cookie=c.cookies["erms_session"])
        _, bystander = self.user("sse-bystander")
        keep = self.stream(cookie=bystander.cookies["erms_session"])
        r = self.admin.patch("/api/v1/users/%d" % u["id"], {"disabled": True})
        self.assertStatus(r, 200)
        self.assertEnds(by_token)
        self.assertEnds(by_cookie)
        self.assertRuns(keep)

    def test_password_change_ends_other_sign_ins(self):
        _, c = self.user("sse-password")
        tok = self.token(c)
        other = self.server.client()
        other.login("sse-password", PASSWORD)
        by_token = self.stream(bearer=tok["token"])
        by_other = self.stream(cookie=other.cookies["erms_session"])
        own = self.stream(cookie=c.cookies["erms_session"])
        r = c.patch("/api/v1/me", {"password": "a-new-password-1",
                                   "current_password": PASSWORD})
        self.assertStatus(r, 200)
        self.assertEnds(by_token)
        self.assertEnds(by_other)
        # The session that made the change goes on; the others are gone.
        self.assertRuns(own)
        self.assertStatus(c.get("/api/v1/me"), 200)
        self.assertError(other.get("/api/v1/me"), 401, "unauthorized")
        t = self.server.client()
        t.bearer = tok["token"]
        self.assertError(t.get("/api/v1/me"), 401, "unauthorized")

    def test_admin_setting_a_password_ends_every_sign_in(self):
        u, c = self.user("sse-reset")
        s = self.stream(cookie=c.cookies["erms_session"])
        r = self.admin.patch("/api/v1/users/%d" % u["id"], {"password": "reset-by-admin-1"})
        self.assertStatus(r, 200)
        self.assertEnds(s)
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")

    def test_token_expiry(self):
        _, c = self.user("expiring")
        now = datetime.now(timezone.utc)
        t = self.token(c)
        exp = datetime.fromisoformat(t["expires_at"].replace("Z", "+00:00"))
        self.assertAlmostEqual((exp - now).total_seconds(), 90 * 86400, delta=120)
        t = self.token(c, expires_in_days=2)
        exp = datetime.fromisoformat(t["expires_at"].replace("Z", "+00:00"))
        self.assertAlmostEqual((exp - now).total_seconds(), 2 * 86400, delta=120)
        at = now + timedelta(hours=5)
        t = self.token(c, expires_at=rfc3339(at))
        exp = datetime.fromisoformat(t["expires_at"].replace("Z", "+00:00"))
        self.assertAlmostEqual((exp - at).total_seconds(), 0, delta=1)
        for bad in ({"expires_at": rfc3339(now - timedelta(minutes=1))},
                    {"expires_at": "tomorrow"},
                    {"expires_at": rfc3339(now + timedelta(days=4000))},
                    {"expires_at": rfc3339(at), "expires_in_days": 3},
                    {"expires_in_days": 0}):
            r = c.post("/api/v1/tokens", {"name": "bad", **bad})
            self.assertEqual(r.status, 400, (bad, r))
        # Used within its time, refused after (the test clock moves on).
        b = self.server.client()
        b.bearer = t["token"]
        self.assertStatus(b.get("/api/v1/me"), 200)
        s = self.stream(bearer=t["token"])
        self.assertStatus(self.admin.post("/api/v1/test/clock",
                                          {"now": rfc3339(at + timedelta(seconds=1))}), 200)
        try:
            self.assertError(b.get("/api/v1/me"), 401, "unauthorized")
            # An open stream ends at its token's end too (at a heartbeat).
            with s.cv:
                s.cv.wait_for(lambda: s.closed, 20)
            self.assertTrue(s.closed, "the stream outlived its token")
        finally:
            self.admin.post("/api/v1/test/clock", {"now": rfc3339(now)})

    def test_session_absolute_lifetime(self):
        _, c = self.user("long-day")
        now = datetime.now(timezone.utc)
        step = timedelta(hours=6)  # inside the idle timeout (12 h) each time
        try:
            for k in range(1, 4):
                self.assertStatus(self.admin.post("/api/v1/test/clock",
                                                  {"now": rfc3339(now + k * step)}), 200)
                self.assertStatus(c.get("/api/v1/me"), 200)
            # 24 hours after sign-in, however active, the session is over.
            self.assertStatus(self.admin.post("/api/v1/test/clock",
                                              {"now": rfc3339(now + 4 * step)}), 200)
            self.assertError(c.get("/api/v1/me"), 401, "unauthorized")
        finally:
            self.admin.post("/api/v1/test/clock", {"now": rfc3339(now)})

    def test_openapi_names_the_feed_token(self):
        doc = self.server.client().get("/api/v1/openapi.json").body
        feed = doc["components"]["securitySchemes"]["feed"]
        self.assertEqual((feed["in"], feed["name"]), ("query", "token"))
        for path in ("/api/v1/drills.ics", "/api/v1/users/{id}/shifts.ics"):
            self.assertIn({"feed": []}, doc["paths"][path]["get"]["security"], path)
        self.assertNotIn("security", doc["paths"]["/api/v1/me"]["get"])
        self.assertIn("/api/v1/me/feed-token", doc["paths"])


if __name__ == "__main__":
    unittest.main()
