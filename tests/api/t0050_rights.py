"""Rights on the account routes: only admins manage users and groups; users
are listed by admins, leadership and command HQ, and read by them and by
themselves; an admin cannot delete themself; GET /api/v1/me reports groups
and rights, which follow group membership at once.

Groups: `leadership` (kind leadership), `command` (kind command), `tech`
(kind team). Users: `staff` (no group), `hq` (command), `techie` (tech),
`leader` (joins and leaves leadership during the tests).
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PASSWORD, ServerTestCase, create_user, list_all, put_member,  # noqa: E402
                     setup_org)


class Rights(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("staff", {}), ("hq", {"command": "member"}), ("techie", {"tech": "member"}),
                        ("leader", {})),
                  groups=(("leadership", "leadership", "应急领导小组"),
                          ("command", "command", "应急指挥部"), ("tech", "team", "技术支持组")),
                  session=True)
        cls.admin_id = cls.admin.get("/api/v1/me").body["user"]["id"]

    def users(self):
        return sorted(u["login"] for u in list_all(self.admin, "/api/v1/users"))

    def test_non_admin_cannot_create_user(self):
        before = self.users()
        for who in ("staff", "hq", "techie"):
            with self.subTest(who=who):
                r = self.c[who].post("/api/v1/users", {"login": "sneaky-" + who,
                                                       "display_name": "x", "password": PASSWORD})
                self.assertError(r, 403, "forbidden")
        self.assertEqual(self.users(), before)

    def test_non_admin_cannot_update_or_delete_user(self):
        r = self.c["staff"].patch("/api/v1/users/%d" % self.ids["staff"], {"is_admin": True})
        self.assertError(r, 403, "forbidden")
        r = self.c["hq"].delete("/api/v1/users/%d" % self.ids["techie"])
        self.assertError(r, 403, "forbidden")
        self.assertFalse(self.admin.get("/api/v1/users/%d" % self.ids["staff"]).body["is_admin"])
        self.assertFalse(self.admin.get("/api/v1/users/%d" % self.ids["techie"]).body["disabled"])

    def test_list_users(self):
        self.assertError(self.c["staff"].get("/api/v1/users"), 403, "forbidden")
        self.assertError(self.c["techie"].get("/api/v1/users"), 403, "forbidden")
        r = self.c["hq"].get("/api/v1/users")
        self.assertStatus(r, 200)
        self.assertIn("staff", [u["login"] for u in r.body["items"]])
        for u in r.body["items"]:
            self.assertNotIn("password", u)
            self.assertNotIn("password_hash", u)

    def test_read_user(self):
        staff = self.c["staff"]
        r = staff.get("/api/v1/users/%d" % self.ids["staff"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body["login"], "staff")
        self.assertError(staff.get("/api/v1/users/%d" % self.ids["hq"]), 403, "forbidden")
        self.assertError(staff.get("/api/v1/users/%d" % self.admin_id), 403, "forbidden")
        self.assertStatus(self.c["hq"].get("/api/v1/users/%d" % self.ids["staff"]), 200)
        self.assertError(self.admin.get("/api/v1/users/999999"), 404, "not_found")

    def test_admin_cannot_delete_self(self):
        r = self.admin.delete("/api/v1/users/%d" % self.admin_id)
        self.assertError(r, 403, "forbidden")
        self.assertStatus(self.admin.get("/api/v1/me"), 200)

    def test_admin_cannot_demote_self(self):
        # The last administrator must not lock everyone out.
        r = self.admin.patch("/api/v1/users/%d" % self.admin_id, {"is_admin": False})
        self.assertError(r, 403, "forbidden")
        me = self.admin.get("/api/v1/me").body["user"]
        self.assertTrue(me["is_admin"])
        # Other fields of one's own account may still change.
        r = self.admin.patch("/api/v1/users/%d" % self.admin_id, {"display_name": "管理员"})
        self.assertStatus(r, 200)

    def test_admin_deletes_user(self):
        create_user(self.admin, "doomed")
        d = self.server.client()
        d.login("doomed", PASSWORD)
        tok = d.post("/api/v1/tokens", {"name": "t"}).body["token"]
        uid = d.get("/api/v1/me").body["user"]["id"]
        self.assertStatus(self.admin.delete("/api/v1/users/%d" % uid), 204)
        self.assertError(d.get("/api/v1/me"), 401, "unauthorized")
        d.cookies.clear()
        d.bearer = tok
        self.assertError(d.get("/api/v1/me"), 401, "unauthorized")
        r = self.admin.get("/api/v1/users/%d" % uid)  # the row stays, disabled
        self.assertStatus(r, 200)
        self.assertTrue(r.body["disabled"])
        r = self.server.client().login("doomed", PASSWORD, check=False)
        self.assertEqual(r.status, 401, r)

    def test_groups_managed_by_admin_only(self):
        staff = self.c["staff"]
        self.assertError(staff.post("/api/v1/groups", {"key": "evil", "name": "x", "kind": "team"}),
                         403, "forbidden")
        self.assertError(staff.patch("/api/v1/groups/tech", {"name": "pwned"}), 403, "forbidden")
        self.assertError(staff.put("/api/v1/groups/leadership/members/%d" % self.ids["staff"],
                                   {"role": "lead"}), 403, "forbidden")
        self.assertError(staff.delete("/api/v1/groups/tech/members/%d" % self.ids["techie"]),
                         403, "forbidden")
        self.assertError(self.c["hq"].post("/api/v1/groups",
                                           {"key": "evil", "name": "x", "kind": "team"}),
                         403, "forbidden")
        # Nothing changed.
        self.assertError(staff.get("/api/v1/groups/evil"), 404, "not_found")
        g = staff.get("/api/v1/groups/tech").body
        self.assertEqual(g["name"], "技术支持组")
        self.assertEqual([m["login"] for m in g["members"]], ["techie"])

        r = self.admin.post("/api/v1/groups", {"key": "comms", "name": "通信联络组",
                                               "kind": "team", "duties": ["notify"]})
        self.assertStatus(r, 201)
        self.assertEqual((r.body["key"], r.body["kind"], r.body["duties"]),
                         ("comms", "team", ["notify"]))
        r = self.admin.patch("/api/v1/groups/comms", {"name": "Communications"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["name"], "Communications")
        r = self.admin.put("/api/v1/groups/comms/members/%d" % self.ids["staff"], {"role": "deputy"})
        self.assertStatus(r, 200)
        self.assertEqual([(m["user_id"], m["role"]) for m in r.body["members"]],
                         [(self.ids["staff"], "deputy")])
        self.assertError(self.admin.post("/api/v1/groups", {"key": "comms", "name": "again",
                                                            "kind": "team"}), 409, "conflict")
        self.assertError(self.admin.put("/api/v1/groups/comms/members/%d" % self.ids["staff"],
                                        {"role": "boss"}), 400, "invalid", "role")
        self.assertStatus(self.admin.delete("/api/v1/groups/comms/members/%d" % self.ids["staff"]),
                          204)

    def test_groups_readable_by_all(self):
        r = self.c["staff"].get("/api/v1/groups")
        self.assertStatus(r, 200)
        self.assertTrue({"leadership", "command", "tech"} <= {g["key"] for g in r.body["items"]})
        r = self.c["staff"].get("/api/v1/groups/command")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["kind"], "command")
        self.assertEqual([m["login"] for m in r.body["members"]], ["hq"])

    def test_me_groups(self):
        r = self.c["hq"].get("/api/v1/me")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["user"]["login"], "hq")
        self.assertEqual([(g["key"], g["kind"], g["role"]) for g in r.body["groups"]],
                         [("command", "command", "member")])
        self.assertIn("incident.ack", r.body["rights"])
        self.assertIn("user.list", r.body["rights"])
        self.assertNotIn("user.create", r.body["rights"])
        r = self.admin.get("/api/v1/me")
        self.assertIn("user.create", r.body["rights"])
        self.assertIn("audit.read", r.body["rights"])

    def test_rights_follow_leadership_membership(self):
        leader = self.c["leader"]
        me = leader.get("/api/v1/me").body
        self.assertEqual(me["groups"], [])
        self.assertNotIn("plan.approve", me["rights"])
        self.assertNotIn("user.list", me["rights"])
        self.assertError(leader.get("/api/v1/users"), 403, "forbidden")

        put_member(self.admin, "leadership", self.ids["leader"], role="lead")
        me = leader.get("/api/v1/me").body
        self.assertEqual([(g["key"], g["role"]) for g in me["groups"]], [("leadership", "lead")])
        self.assertIn("plan.approve", me["rights"])
        self.assertIn("incident.activate", me["rights"])
        self.assertStatus(leader.get("/api/v1/users"), 200)

        self.assertStatus(self.admin.delete("/api/v1/groups/leadership/members/%d"
                                            % self.ids["leader"]), 204)
        me = leader.get("/api/v1/me").body
        self.assertEqual(me["groups"], [])
        self.assertNotIn("plan.approve", me["rights"])
        self.assertError(leader.get("/api/v1/users"), 403, "forbidden")


if __name__ == "__main__":
    unittest.main()
