"""Authentication: sign-in (bad credentials, rate limits after 5 failures
for one login from one address and 20 from one address, cookie attributes,
CSRF token), CSRF protection of cookie writes, bearer tokens (use,
revocation, forgery, no secret in listings), password change, sign-out.

Sign-in limits that cannot be turned against the owner: an address that
exhausted its attempts for a login does not lock the right password out
from another address (127.0.0.2 and 127.0.0.1, both loopback); failures
from many addresses only slow the login, for at most a minute; parallel
wrong guesses never pass the limit, because an attempt is reserved before
the password hash is checked.
"""

import os
import sys
import threading
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN_LOGIN, ADMIN_PASSWORD, PASSWORD,  # noqa: E402
                     ServerTestCase, create_user)


class Auth(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()

    def test_wrong_password(self):
        r = self.server.client().login(ADMIN_LOGIN, "wrong-password", check=False)
        self.assertError(r, 401, "bad_credentials")
        self.assertNotIn("erms_session=", r.headers.get("set-cookie", ""))

    def test_unknown_login(self):
        r = self.server.client().login("nobody-here", "whatever-123", check=False)
        self.assertError(r, 401, "bad_credentials")

    def test_rate_limit_after_five_failures(self):
        create_user(self.admin, "victim")
        c = self.server.client()
        for i in range(5):
            r = c.login("victim", "wrong-password-%d" % i, check=False)
            self.assertError(r, 401, "bad_credentials")
        r = c.login("victim", PASSWORD, check=False)
        self.assertError(r, 429, "rate_limited")
        self.assertIn("retry-after", r.headers)
        self.assertGreater(int(r.headers["retry-after"]), 0)
        self.assertNotIn("erms_session=", r.headers.get("set-cookie", ""))
        # Other logins are not locked out.
        create_user(self.admin, "bystander")
        self.assertStatus(self.server.client().login("bystander", PASSWORD, check=False), 200)

    def test_sign_in_cookie_and_csrf(self):
        c = self.server.client()
        r = c.login(ADMIN_LOGIN, ADMIN_PASSWORD, check=False)
        self.assertStatus(r, 200)
        cookie = r.headers.get("set-cookie", "")
        self.assertIn("erms_session=", cookie)
        self.assertIn("httponly", cookie.lower())
        self.assertIn("samesite=strict", cookie.lower().replace(" ", ""))
        self.assertIsInstance(r.body.get("csrf_token"), str)
        self.assertTrue(r.body["csrf_token"])
        self.assertEqual(r.body["user"]["login"], ADMIN_LOGIN)
        self.assertNotIn("password", r.body["user"])
        # The session is readable with the cookie alone.
        r = c.get("/api/v1/session")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["user"]["login"], ADMIN_LOGIN)
        self.assertEqual(r.body["csrf_token"], c.csrf)
        self.assertEqual(c.get("/api/v1/me").body["user"]["login"], ADMIN_LOGIN)

    def test_csrf_required_for_cookie_writes(self):
        create_user(self.admin, "csrf-user")
        c = self.server.client()
        c.login("csrf-user", PASSWORD)
        right = c.csrf

        c.csrf = None
        self.assertError(c.post("/api/v1/tokens", {"name": "no-csrf"}), 403, "csrf")
        c.csrf = "x" + right[1:] if right[0] != "x" else "y" + right[1:]
        self.assertError(c.post("/api/v1/tokens", {"name": "bad-csrf"}), 403, "csrf")
        c.csrf = right
        r = c.post("/api/v1/tokens", {"name": "good-csrf"})
        self.assertStatus(r, 201)
        # The rejected writes created nothing.
        names = [t["name"] for t in c.get("/api/v1/tokens").body["items"]]
        self.assertEqual(names, ["good-csrf"])

    def test_bearer_token_life(self):
        create_user(self.admin, "token-user")
        c = self.server.client()
        c.login("token-user", PASSWORD)
        r = c.post("/api/v1/tokens", {"name": "cli"})
        self.assertStatus(r, 201)
        tok = r.body
        self.assertTrue(tok["token"].startswith("erms_"), tok)
        self.assertEqual(tok["name"], "cli")
        self.assertFalse(tok["revoked"])

        b = self.server.client()
        b.bearer = tok["token"]
        r = b.get("/api/v1/me")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["user"]["login"], "token-user")
        # Bearer writes need no CSRF token.
        self.assertStatus(b.post("/api/v1/tokens", {"name": "second"}), 201)

        # The list never shows a secret.
        r = c.get("/api/v1/tokens")
        self.assertStatus(r, 200)
        self.assertEqual(sorted(t["name"] for t in r.body["items"]), ["cli", "second"])
        for t in r.body["items"]:
            self.assertIsNone(t.get("token"), t)
        self.assertNotIn(tok["token"], str(r.body))
        self.assertNotIn(tok["token"][5:], str(r.body))

        self.assertStatus(c.delete("/api/v1/tokens/%d" % tok["id"]), 204)
        self.assertError(b.get("/api/v1/me"), 401, "unauthorized")
        revoked = [t for t in c.get("/api/v1/tokens").body["items"] if t["id"] == tok["id"]]
        self.assertTrue(revoked and revoked[0]["revoked"], revoked)

    def test_other_users_token_cannot_be_revoked(self):
        create_user(self.admin, "owner-a")
        create_user(self.admin, "owner-b")
        a = self.server.client()
        a.login("owner-a", PASSWORD)
        tok = a.post("/api/v1/tokens", {"name": "mine"}).body
        b = self.server.client()
        b.login("owner-b", PASSWORD)
        r = b.delete("/api/v1/tokens/%d" % tok["id"])
        self.assertIn(r.status, (403, 404), r)
        t = self.server.client()
        t.bearer = tok["token"]
        self.assertStatus(t.get("/api/v1/me"), 200)

    def test_forged_token(self):
        c = self.server.client()
        c.bearer = "erms_" + os.urandom(24).hex()
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")
        c.bearer = "erms_"
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")
        r = c.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
        self.assertError(r, 401, "unauthorized")

    def test_forged_cookie(self):
        c = self.server.client()
        c.cookies["erms_session"] = os.urandom(24).hex()
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")

    def test_anonymous(self):
        c = self.server.client()
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")
        self.assertError(c.get("/api/v1/users"), 401, "unauthorized")
        self.assertError(c.post("/api/v1/tokens", {"name": "x"}), 401, "unauthorized")

    def test_sign_out(self):
        create_user(self.admin, "leaver")
        c = self.server.client()
        c.login("leaver", PASSWORD)
        old_cookie = dict(c.cookies)
        self.assertStatus(c.delete("/api/v1/session"), 204)
        c.cookies = old_cookie  # replay the revoked cookie
        self.assertError(c.get("/api/v1/me"), 401, "unauthorized")
        self.assertError(c.get("/api/v1/session"), 401, "unauthorized")

    def test_password_change_needs_current_password(self):
        create_user(self.admin, "changer")
        c = self.server.client()
        c.login("changer", PASSWORD)
        r = c.patch("/api/v1/me", {"password": "brand-new-pass"})
        self.assertError(r, 400, "invalid", "current_password")
        r = c.patch("/api/v1/me", {"password": "brand-new-pass", "current_password": "not-it-123"})
        self.assertTrue(400 <= r.status < 500, r)
        r = c.patch("/api/v1/me", {"password": "brand-new-pass", "current_password": PASSWORD})
        self.assertStatus(r, 200)
        self.assertNotIn("password", r.body)
        self.assertError(self.server.client().login("changer", PASSWORD, check=False),
                         401, "bad_credentials")
        self.assertStatus(self.server.client().login("changer", "brand-new-pass", check=False), 200)


class AddressLimit(ServerTestCase):
    """20 failed sign-ins from one address lock out every login from it."""

    def test_rate_limit_per_address(self):
        create_user(self.server.admin(), "innocent")
        c = self.server.client()
        for i in range(20):  # 4 failures for each of 5 logins: under the per-login limit
            r = c.login("guess-%d" % (i % 5), "wrong-password", check=False)
            self.assertError(r, 401, "bad_credentials")
        r = c.login("innocent", PASSWORD, check=False)
        self.assertError(r, 429, "rate_limited")
        self.assertGreater(int(r.headers["retry-after"]), 0)


class OwnerNotLockedOut(ServerTestCase):
    """Wrong passwords from one address do not lock the owner out."""

    server_args = ("--test-clock",)

    def from_addr(self, addr):
        c = self.server.client()
        c.source = addr
        return c

    def set_clock(self, when):
        r = self.server.admin().post("/api/v1/test/clock",
                                     {"now": when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"})
        self.assertStatus(r, 200)

    def test_a_attacker_address_exhausted_owner_signs_in_elsewhere(self):
        create_user(self.server.admin(), "commander")
        attacker = self.from_addr("127.0.0.2")
        for i in range(5):
            r = attacker.login("commander", "wrong-password-%d" % i, check=False)
            self.assertError(r, 401, "bad_credentials")
        # The attacker's address is limited for this login, even with the
        # right password...
        r = attacker.login("commander", PASSWORD, check=False)
        self.assertError(r, 429, "rate_limited")
        # ...the owner from another address is not.
        owner = self.from_addr("127.0.0.1")
        self.assertStatus(owner.login("commander", PASSWORD, check=False), 200)
        self.assertStatus(owner.get("/api/v1/me"), 200)

    def test_b_many_addresses_only_slow_the_login(self):
        create_user(self.server.admin(), "duty-lead")
        now = datetime.now(timezone.utc) + timedelta(minutes=1)
        self.set_clock(now)
        refused = 0
        for n in range(3, 9):  # six addresses, five wrong guesses each
            c = self.from_addr("127.0.0.%d" % n)
            for i in range(5):
                r = c.login("duty-lead", "wrong-%d" % i, check=False)
                self.assertIn(r.status, (401, 429), r)
                refused += r.status == 429
        self.assertGreater(refused, 0, "the login's backoff never slowed anyone")
        owner = self.from_addr("127.0.0.1")
        r = owner.login("duty-lead", PASSWORD, check=False)
        self.assertError(r, 429, "rate_limited")
        wait = int(r.headers["retry-after"])
        self.assertTrue(0 < wait <= 60, wait)
        # After the delay the right password gets through: never locked.
        self.set_clock(now + timedelta(seconds=wait))
        self.assertStatus(owner.login("duty-lead", PASSWORD, check=False), 200)

    def test_c_parallel_guesses_never_pass_the_limit(self):
        create_user(self.server.admin(), "target")
        statuses, lock = [], threading.Lock()

        def guess(i):
            c = self.from_addr("127.0.0.9")
            r = c.login("target", "parallel-wrong-%d" % i, check=False)
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(len(statuses), 24)
        self.assertEqual(set(statuses) - {401, 429}, set(), statuses)
        # The (login, address) limit is five failures: never more.
        self.assertLessEqual(statuses.count(401), 5, statuses)
        self.assertGreaterEqual(statuses.count(429), 19, statuses)


if __name__ == "__main__":
    unittest.main()
