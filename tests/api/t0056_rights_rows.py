"""Rights that used to be written out by hand in handlers are rows of the
rights table now, and answer as before: seeing every user's tokens
(token.list_all: administrators; anyone else asking ?all=1 still sees only
their own) and reading a user's shifts feed (duty.shifts: one's own, or
any for an administrator). /me lists them for whoever has them.

Users: `staff` and `other` (no group), and the admin.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSWORD, ServerTestCase, bearer_client, create_user  # noqa: E402


class RightsRows(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            a = cls.admin = cls.server.admin()
            cls.ids = {login: create_user(a, login)["id"] for login in ("staff", "other")}
            cls.staff = bearer_client(cls.server, "staff", PASSWORD, "staff-token")
            cls.other = bearer_client(cls.server, "other", PASSWORD, "other-token")
        except BaseException:
            cls.tearDownClass()
            raise

    def rights(self, client):
        r = client.get("/api/v1/me")
        self.assertStatus(r, 200)
        return set(r.body["rights"])

    def test_me_lists_the_rows(self):
        admin = self.rights(self.admin)
        self.assertIn("token.list_all", admin)
        self.assertIn("duty.shifts", admin)
        staff = self.rights(self.staff)
        self.assertNotIn("token.list_all", staff)
        self.assertNotIn("duty.shifts", staff)   # only of an object of one's own
        self.assertIn("token.list", staff)

    def test_all_tokens_only_for_administrators(self):
        names = lambda r: {t["name"] for t in r.body["items"]}  # noqa: E731
        r = self.staff.get("/api/v1/tokens?all=1")
        self.assertStatus(r, 200)
        self.assertEqual({t["user_id"] for t in r.body["items"]}, {self.ids["staff"]})
        self.assertNotIn("other-token", names(r))
        r = self.admin.get("/api/v1/tokens?all=1")
        self.assertStatus(r, 200)
        self.assertTrue({"staff-token", "other-token"} <= names(r))
        r = self.admin.get("/api/v1/tokens")
        self.assertStatus(r, 200)
        self.assertNotIn("staff-token", names(r))

    def test_shifts_feed_own_or_administrator(self):
        own = "/api/v1/users/%d/shifts.ics" % self.ids["staff"]
        theirs = "/api/v1/users/%d/shifts.ics" % self.ids["other"]
        self.assertStatus(self.staff.get(own), 200)
        self.assertError(self.staff.get(theirs), 403, "forbidden")
        self.assertStatus(self.admin.get(theirs), 200)
        self.assertError(self.admin.get("/api/v1/users/999999/shifts.ics"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
