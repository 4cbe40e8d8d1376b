"""Language and local time through the API.

The organisation's settings (GET for anyone signed in, PATCH for
administrators: an unknown zone is 400 naming time_zone with nothing
changed, a stale version 409), each user's own zone (PATCH /api/v1/me,
effective_time_zone in GET /api/v1/me), and `erms init --time-zone`.
"""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PASSWORD, ServerTestCase, bearer_client, create_user,  # noqa: E402
                     run_erms, sqlite3_shell)


class Organisation(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.admin = cls.server.admin()
            create_user(cls.admin, "staff", display_name="普通员工")
            cls.staff = bearer_client(cls.server, "staff", PASSWORD)
        except BaseException:
            cls.tearDownClass()
            raise

    def org(self):
        r = self.staff.get("/api/v1/organisation")
        self.assertStatus(r, 200)
        return r

    def test_a_default_and_read_by_anyone(self):
        r = self.org()
        o = r.body
        self.assertEqual(o["time_zone"], "Asia/Shanghai")
        self.assertEqual(o["locale"], "zh-CN")
        self.assertIsInstance(o["version"], int)
        self.assertEqual(r.headers.get("etag"), '"%d"' % o["version"])
        for k in ("name", "updated_at", "updated_by"):
            self.assertIn(k, o)

    def test_b_patch_by_admin_only(self):
        before = self.org().body
        r = self.staff.patch("/api/v1/organisation", {"time_zone": "Europe/Berlin"})
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.org().body, before)
        r = self.admin.patch("/api/v1/organisation",
                             {"name": "某市大数据中心", "time_zone": "Europe/Berlin",
                              "version": before["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["time_zone"], "Europe/Berlin")
        self.assertEqual(r.body["name"], "某市大数据中心")
        self.assertEqual(r.body["version"], before["version"] + 1)
        me = self.admin.get("/api/v1/me").body["user"]
        self.assertEqual(r.body["updated_by"], {"id": me["id"], "name": me["display_name"]})
        self.assertTrue(r.body["updated_at"])
        self.assertEqual(self.org().body, r.body)
        # Back for the other tests, with If-Match this time.
        r = self.admin.patch("/api/v1/organisation", {"time_zone": "Asia/Shanghai"},
                             headers={"If-Match": '"%d"' % r.body["version"]})
        self.assertStatus(r, 200)

    def test_c_bad_input_changes_nothing(self):
        before = self.org().body
        for body, code, field in (({"time_zone": "Mars/Olympus"}, "invalid_field", "time_zone"),
                                  ({"time_zone": "+08:00"}, "invalid_field", "time_zone"),
                                  ({"time_zone": ""}, None, "time_zone"),
                                  ({"locale": "fr"}, "invalid", "locale"),
                                  ({"zone": "UTC"}, "unknown_field", "zone"),
                                  ({"time_zone": 8}, "wrong_type", "time_zone")):
            r = self.admin.patch("/api/v1/organisation", body)
            self.assertEqual(r.status, 400, (body, r))
            if code:
                self.assertError(r, 400, code, field)
            self.assertEqual(r.body["error"].get("field"), field, r)
        r = self.admin.req("PATCH", "/api/v1/organisation", {"time_zone": "Asia/Tokyo"},
                           headers={"Accept-Language": "zh-CN"})
        self.assertStatus(r, 200)
        r = self.admin.patch("/api/v1/organisation", {"time_zone": "Asia/Shanghai"})
        self.assertStatus(r, 200)
        before = self.org().body
        r = self.admin.patch("/api/v1/organisation",
                             {"time_zone": "UTC", "version": before["version"] - 1})
        self.assertError(r, 409, "version_conflict")
        self.assertIn("version %d" % before["version"], r.body["error"]["message"])
        r = self.admin.patch("/api/v1/organisation", {"time_zone": "UTC"},
                             headers={"If-Match": 'W/"%d"' % (before["version"] + 5)})
        self.assertError(r, 409, "version_conflict")
        r = self.admin.patch("/api/v1/organisation", {"time_zone": "UTC"},
                             headers={"If-Match": "yesterday"})
        self.assertError(r, 400, "invalid", "If-Match")
        self.assertEqual(self.org().body, before)

    def test_d_zh_error(self):
        r = self.admin.req("PATCH", "/api/v1/organisation", {"time_zone": "Nowhere/City"},
                           headers={"Accept-Language": "zh-CN"})
        self.assertError(r, 400, "invalid_field", "time_zone")
        self.assertIn("time_zone", r.body["error"]["message"])
        self.assertIn("无效", r.body["error"]["message"])

    def test_e_my_zone(self):
        r = self.staff.get("/api/v1/me")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["user"]["time_zone"], "")
        self.assertEqual(r.body["effective_time_zone"], self.org().body["time_zone"])
        r = self.staff.patch("/api/v1/me", {"time_zone": "America/New_York"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["time_zone"], "America/New_York")
        r = self.staff.get("/api/v1/me")
        self.assertEqual(r.body["effective_time_zone"], "America/New_York")
        r = self.staff.patch("/api/v1/me", {"time_zone": "Atlantis/Capital"})
        self.assertError(r, 400, "invalid_field", "time_zone")
        self.assertEqual(self.staff.get("/api/v1/me").body["user"]["time_zone"],
                         "America/New_York")
        r = self.staff.patch("/api/v1/me", {"time_zone": ""})
        self.assertStatus(r, 200)
        r = self.staff.get("/api/v1/me")
        self.assertEqual(r.body["effective_time_zone"], self.org().body["time_zone"])
        # An administrator sets a user's zone too.
        uid = r.body["user"]["id"]
        r = self.admin.patch("/api/v1/users/%d" % uid, {"time_zone": "Asia/Kolkata"})
        self.assertStatus(r, 200)
        self.assertEqual(self.admin.get("/api/v1/users/%d" % uid).body["time_zone"],
                         "Asia/Kolkata")
        r = self.admin.patch("/api/v1/users/%d" % uid, {"time_zone": "Kolkata"})
        self.assertError(r, 400, "invalid_field", "time_zone")
        self.admin.patch("/api/v1/users/%d" % uid, {"time_zone": ""})


class InitZone(unittest.TestCase):
    """erms init --time-zone: the organisation's zone from the start; an
    unknown zone is refused before anything is made."""

    def test_init_time_zone(self):
        d = tempfile.mkdtemp(prefix="erms-test-")
        try:
            bad = os.path.join(d, "bad.db")
            r = run_erms("init", "--db", bad, "--admin", "root", "--time-zone", "Mars/Base",
                         stdin="password123\n")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("Mars/Base", r.stderr)
            self.assertFalse(os.path.exists(bad))
            good = os.path.join(d, "good.db")
            r = run_erms("init", "--db", good, "--admin", "root", "--time-zone",
                         "Europe/Berlin", stdin="password123\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            q = sqlite3_shell(good, "SELECT time_zone FROM organisation")
            self.assertEqual(q.stdout.strip(), "Europe/Berlin", q.stderr)
            other = os.path.join(d, "default.db")
            r = run_erms("init", "--db", other, "--admin", "root", stdin="password123\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            q = sqlite3_shell(other, "SELECT time_zone FROM organisation")
            self.assertEqual(q.stdout.strip(), "Asia/Shanghai", q.stderr)
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
