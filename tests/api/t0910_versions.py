"""Versions and conflicts: every editable object answers "version" and
"updated_by" and its GET an ETag equal to the version; a write that names
a stale version (If-Match, W/"n", a bare n, or a body's "version") is
refused with 409 version_conflict naming who changed it, in English and
Chinese, and changes nothing; the current version goes ahead and counts
one more; a write naming none goes ahead. Two people resolving one
incident at once: one succeeds, the other is told who resolved it."""

import concurrent.futures
import os
import re
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ORG_GROUPS, PLAN_MINIMAL, ServerTestCase, setup_org  # noqa: E402

NAMES = {"hq": "张指挥", "hq2": "李副指挥", "leader": "王领导", "keeper": "赵库管",
         "keeper2": "钱库管", "admin2": "孙管理员"}
RFC3339 = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"


class Versions(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = [(login, member_of, {"display_name": NAMES[login]}) for login, member_of in (
            ("hq", {"command": "lead"}), ("hq2", {"command": "member"}),
            ("leader", {"leadership": "lead"}), ("keeper", {"logistics": "lead"}),
            ("keeper2", {"logistics": "member"}))]
        users.append(("admin2", {}, {"display_name": NAMES["admin2"], "is_admin": True}))
        users.append(("staff", {}))
        setup_org(cls, users, groups=ORG_GROUPS + (("logistics", "team"),),
                  plan=PLAN_MINIMAL)
        me = cls.admin.get("/api/v1/me").body["user"]
        cls.ids["admin"] = me["id"]
        NAMES["admin"] = me["display_name"] or me["login"]

    # -- helpers ----------------------------------------------------------

    def conflict(self, r, by, version):
        """r is a 409 version_conflict saying `by` made it `version`."""
        self.assertError(r, 409, "version_conflict", "version")
        e = r.body["error"]
        self.assertEqual(e["current_version"], version, r)
        self.assertEqual(e["changed_by"], {"id": self.ids[by], "name": NAMES[by]}, r)
        self.assertRegex(e["changed_at"], RFC3339)
        self.assertIn(NAMES[by], e["message"])
        self.assertIn("version %d" % version, e.get("message_en", e["message"]))

    def stamped(self, r, by, version):
        """r is a 200 answer of the object at version, written by `by`."""
        self.assertStatus(r, 200)
        self.assertEqual(r.body["version"], version, r)
        self.assertEqual(r.body["updated_by"], {"id": self.ids[by], "name": NAMES[by]}, r)

    def etag(self, who, path):
        r = self.c[who].get(path)
        self.assertStatus(r, 200)
        self.assertEqual(r.headers.get("etag"), '"%d"' % r.body["version"], r.headers)
        return r.body

    def edit_cycle(self, path, a, b, body1, body2, field, method="patch"):
        """The whole contract on one object at path: b writes body1 from
        the version read, a's writes of body2 from that version are
        refused both ways, the object is unchanged, current versions in
        every form go ahead, and no version goes ahead."""
        def write(who, body, headers=None):
            return getattr(self.c[who], method)(path, body, headers=headers)

        v = self.etag(a, path)["version"]
        r = write(b, body1, {"If-Match": '"%d"' % v})
        self.stamped(r, b, v + 1)
        self.assertEqual(r.headers.get("etag"), '"%d"' % (v + 1))
        self.conflict(write(a, body2, {"If-Match": '"%d"' % v}), b, v + 1)
        self.conflict(write(a, dict(body2, version=v)), b, v + 1)
        self.conflict(write(a, body2, {"If-Match": str(v)}), b, v + 1)
        now = self.etag(a, path)
        self.assertEqual(now["version"], v + 1)
        self.assertEqual(now[field], body1[field], "a refused write changed nothing")
        self.stamped(write(a, body2, {"If-Match": 'W/"%d"' % (v + 1)}), a, v + 2)
        self.stamped(write(b, body1, {"If-Match": str(v + 2)}), b, v + 3)
        self.stamped(write(a, dict(body2, version=v + 3)), a, v + 4)
        self.stamped(write(b, body1), b, v + 5)  # no version: goes ahead
        self.assertEqual(self.etag(a, path)[field], body1[field])
        return v + 5

    # -- each kind of object ------------------------------------------------

    def test_users_and_me(self):
        path = "/api/v1/users/%d" % self.ids["staff"]
        self.edit_cycle(path, "admin", "admin2", {"email": "a@example.org"},
                        {"email": "b@example.org"}, "email")
        v = self.c["hq"].get("/api/v1/me").body["user"]["version"]
        r = self.c["admin2"].patch("/api/v1/users/%d" % self.ids["hq"], {"phone": "+8613800000123"})
        self.stamped(r, "admin2", v + 1)
        self.conflict(self.c["hq"].patch("/api/v1/me", {"phone": "+8613800000456"},
                                         headers={"If-Match": '"%d"' % v}), "admin2", v + 1)
        self.assertEqual(self.c["hq"].get("/api/v1/me").body["user"]["phone"], "+8613800000123")
        r = self.c["hq"].patch("/api/v1/me", {"phone": "+8613800000456", "version": v + 1})
        self.stamped(r, "hq", v + 2)

    def test_groups(self):
        self.edit_cycle("/api/v1/groups/logistics", "admin", "admin2",
                        {"name": "后勤保障组"}, {"name": "物资组"}, "name")

    def test_channels(self):
        r = self.c["admin2"].post("/api/v1/channels", {
            "name": "值班群", "kind": "webhook", "config": {"url": "http://127.0.0.1:9/x",
                                                  "secret": "s3cret-s3cret"}})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["version"], 1)
        self.assertEqual(r.body["updated_by"]["name"], NAMES["admin2"])
        path = "/api/v1/channels/%d" % r.body["id"]

        def get_channel(who, p):
            items = self.c[who].get("/api/v1/channels").body["items"]
            return [c for c in items if c["id"] == r.body["id"]][0]

        v = 1
        self.stamped(self.c["admin2"].patch(path, {"name": "一号群"},
                                            headers={"If-Match": '"1"'}), "admin2", 2)
        self.conflict(self.c["admin"].patch(path, {"name": "二号群"},
                                            headers={"If-Match": '"%d"' % v}), "admin2", 2)
        self.conflict(self.c["admin"].patch(path, {"name": "二号群", "version": 1}),
                      "admin2", 2)
        self.assertEqual(get_channel("admin", path)["name"], "一号群")
        self.assertEqual(get_channel("admin", path)["version"], 2)
        r = self.c["admin"].patch(path, {"name": "二号群"})
        self.assertEqual(r.body["version"], 3, r)

    def test_supplies(self):
        r = self.c["keeper"].post("/api/v1/supplies", {
            "name": "沙袋", "unit": "袋", "location": "一号库", "quantity": 10,
            "min_quantity": 0})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.body["version"], r.body["updated_by"]["name"]), (1, NAMES["keeper"]))
        path = "/api/v1/supplies/%d" % r.body["id"]
        v = self.edit_cycle(path, "keeper", "keeper2", {"location": "二号库"},
                            {"location": "三号库"}, "location")
        # A movement changes the quantity: it counts and names its actor,
        # so an edit from before it is refused.
        r = self.c["keeper2"].post(path + "/movements", {"kind": "out", "quantity": 2})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["version"], v + 1)
        self.conflict(self.c["keeper"].patch(path, {"notes": "x", "version": v}),
                      "keeper2", v + 1)

    def test_integrations(self):
        r = self.c["admin"].post("/api/v1/integrations", {"name": "水位", "kind": "events"})
        self.assertEqual(r.status, 201, r)
        path = "/api/v1/integrations/%d" % r.body["id"]
        v = self.edit_cycle(path, "admin", "admin2", {"title_template": "甲"},
                            {"title_template": "乙"}, "title_template")
        # A new key is a write too: an edit from before it is refused.
        r = self.c["admin2"].post(path + "/rotate", {})
        self.stamped(r, "admin2", v + 1)
        self.assertEqual(self.etag("admin", path)["version"], v + 1)
        self.conflict(self.c["admin"].patch(path, {"title_template": "丙", "version": v}),
                      "admin2", v + 1)

    def test_rotations_carry_a_version(self):
        r = self.c["hq"].post("/api/v1/groups/command/rotations", {
            "name": "白班", "members": [self.ids["hq"], self.ids["hq2"]],
            "shift_minutes": 720, "start": "2026-01-01T00:00:00Z"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["version"], 1)
        self.assertEqual(r.body["updated_by"], {"id": self.ids["hq"], "name": NAMES["hq"]})
        path = "/api/v1/groups/command/rotations/%d" % r.body["id"]
        self.stamped(self.c["hq2"].patch(path, {"name": "早班", "version": 1}), "hq2", 2)
        self.conflict(self.c["hq"].patch(path, {"shift_minutes": 480},
                                         headers={"If-Match": '"1"'}), "hq2", 2)
        rot = [x for x in self.c["hq"].get("/api/v1/groups/command/rotations").body["items"]
               if x["id"] == r.body["id"]][0]
        self.assertEqual((rot["name"], rot["shift_minutes"], rot["version"]), ("早班", 720, 2))

    def test_plan_versions(self):
        with open(PLAN_MINIMAL, encoding="utf-8") as f:
            yaml = f.read()
        r = self.c["hq"].post("/api/v1/plans", {"yaml": yaml})
        self.assertEqual(r.status, 201, r)
        n, path = r.body["n"], "/api/v1/plans/minimal/versions/%d" % r.body["n"]
        v = self.etag("hq", path)["version"]
        self.assertEqual(v, 1)
        edited = yaml.replace("最小预案", "最小预案（修订）")
        r = self.c["hq2"].put(path, {"yaml": edited}, headers={"If-Match": '"1"'})
        self.stamped(r, "hq2", 2)
        self.conflict(self.c["hq"].put(path, {"yaml": yaml}, headers={"If-Match": '"1"'}),
                      "hq2", 2)
        self.conflict(self.c["hq"].post(path + "/submit", {"version": 1}), "hq2", 2)
        got = self.etag("hq", path)
        self.assertEqual((got["version"], got["status"]), (2, "draft"))
        self.assertEqual(got["name"]["zh-CN"], "最小预案（修订）")
        self.stamped(self.c["hq"].post(path + "/submit", {}, headers={"If-Match": '"2"'}),
                     "hq", 3)
        self.assertEqual(n, got["n"])

    def test_drills(self):
        r = self.c["hq"].post("/api/v1/drills", {
            "title": "桌面推演", "kind": "tabletop", "category": "system-failure",
            "scheduled_at": "2026-12-10T02:00:00Z", "minutes": 60})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["version"], 1)
        path = "/api/v1/drills/%d" % r.body["id"]
        self.etag("hq", path)
        r = self.c["hq2"].post(path + "/start", {}, headers={"If-Match": '"1"'})
        self.stamped(r, "hq2", 2)
        # From the version before: refused as stale, not only as a step
        # the drill no longer allows.
        self.conflict(self.c["hq"].post(path + "/start", {"version": 1}), "hq2", 2)
        # Without a version, the state's own conflict still names who.
        r = self.c["hq"].post(path + "/start", {})
        self.assertError(r, 409, "conflict")
        self.assertEqual(r.body["error"]["changed_by"]["name"], NAMES["hq2"])
        self.assertEqual(self.etag("hq", path)["version"], 2)

    # -- incidents and tasks --------------------------------------------------

    def report(self, title="数据库宕机"):
        r = self.c["staff"].post("/api/v1/incidents", {"title": title,
                                                       "category": "system-failure"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["version"], 1)
        return r.body

    def active(self, title):
        inc = self.report(title)
        path = "/api/v1/incidents/%d" % inc["id"]
        self.assertStatus(self.c["hq"].post(path + "/ack", {}), 200)
        r = self.c["leader"].post(path + "/activate", {"level": "level-1"})
        self.assertStatus(r, 200)
        return r.body, path

    def test_incident_steps(self):
        inc = self.report()
        path = "/api/v1/incidents/%d" % inc["id"]
        self.assertEqual(self.etag("staff", path)["version"], 1)
        self.stamped(self.c["hq"].post(path + "/ack", {}, headers={"If-Match": '"1"'}), "hq", 2)
        self.conflict(self.c["leader"].post(path + "/activate",
                                            {"level": "level-1", "version": 1}), "hq", 2)
        self.conflict(self.c["leader"].post(path + "/dismiss", {"reason": "误报"},
                                            headers={"If-Match": 'W/"1"'}), "hq", 2)
        now = self.etag("staff", path)
        self.assertEqual((now["version"], now["status"]), (2, "acknowledged"))
        r = self.c["leader"].post(path + "/activate", {"level": "level-1"},
                                  headers={"If-Match": '"2"'})
        self.stamped(r, "leader", 3)
        self.assertEqual(r.body["status"], "active")
        # The list shows the same version.
        items = self.c["staff"].get("/api/v1/incidents?limit=50").body["items"]
        self.assertEqual([i["version"] for i in items if i["id"] == inc["id"]], [3])

    def test_chinese_conflict_message(self):
        inc = self.report("网络中断")
        path = "/api/v1/incidents/%d" % inc["id"]
        self.assertStatus(self.c["hq"].post(path + "/ack", {}), 200)
        r = self.c["leader"].post(path + "/activate", {"level": "level-1", "version": 1},
                                  headers={"Accept-Language": "zh-CN"})
        self.conflict(r, "hq", 2)
        msg = r.body["error"]["message"]
        self.assertIn("事件 %s" % inc["number"], msg)
        self.assertIn("已被%s于" % NAMES["hq"], msg)
        self.assertIn("当前版本 2", msg)
        self.assertIn("was changed by", r.body["error"]["message_en"])

    def test_bad_preconditions(self):
        inc = self.report("磁盘告警")
        path = "/api/v1/incidents/%d/ack" % inc["id"]
        for bad in ('"x"', '"1', "W/", "0", "-1", '"1" "2"'):
            self.assertError(self.c["hq"].post(path, {}, headers={"If-Match": bad}),
                             400, "invalid", "If-Match")
        self.assertError(self.c["hq"].post(path, {"version": 2}, headers={"If-Match": '"1"'}),
                         400, "invalid", "version")
        self.assertError(self.c["hq"].post(path, {"version": "1"}), 400, "wrong_type",
                         "version")
        self.assertError(self.c["hq"].post(path, {"version": 0}), 400, "invalid", "version")
        self.assertEqual(self.etag("staff", "/api/v1/incidents/%d" % inc["id"])["version"], 1)
        # "*" is no precondition.
        self.stamped(self.c["hq"].post(path, {}, headers={"If-Match": "*"}), "hq", 2)

    def test_tasks(self):
        inc, path = self.active("存储故障")
        tasks = self.c["hq"].get(path + "/tasks").body["items"]
        self.assertTrue(tasks, "activation made the level's measures tasks")
        t = tasks[0]
        self.assertEqual(t["version"], 1)
        tpath = "/api/v1/tasks/%d" % t["id"]
        r = self.c["hq2"].patch(tpath, {"status": "doing"}, headers={"If-Match": '"1"'})
        self.stamped(r, "hq2", 2)
        self.conflict(self.c["hq"].patch(tpath, {"status": "blocked", "notes": "等备件",
                                                 "version": 1}), "hq2", 2)
        now = [x for x in self.c["hq"].get(path + "/tasks").body["items"]
               if x["id"] == t["id"]][0]
        self.assertEqual((now["version"], now["status"], now["notes"]), (2, "doing", ""))
        self.stamped(self.c["hq"].patch(tpath, {"status": "done"}), "hq", 3)

    def test_two_resolve_at_once(self):
        for with_version in (True, False):
            inc, path = self.active("并发解决 %s" % with_version)
            v = inc["version"]
            start = threading.Barrier(2)

            def resolve(who):
                body = {"summary": "%s 已恢复" % NAMES[who]}
                if with_version:
                    body["version"] = v
                start.wait()
                return who, self.c[who].post(path + "/resolve", body)

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(resolve, ("hq", "hq2")))
            ok = [(w, r) for w, r in answers if r.status == 200]
            lost = [(w, r) for w, r in answers if r.status != 200]
            self.assertEqual(len(ok), 1, answers)
            self.assertEqual(len(lost), 1, answers)
            winner, loser = ok[0][0], lost[0][1]
            if with_version:
                self.conflict(loser, winner, v + 1)
            else:
                self.assertError(loser, 409, "conflict")
                self.assertEqual(loser.body["error"]["changed_by"]["name"], NAMES[winner])
                self.assertIn(NAMES[winner], loser.body["error"]["message"])
            now = self.etag("staff", path)
            self.assertEqual((now["status"], now["version"]), ("resolved", v + 1))
            self.assertEqual(now["summary"], "%s 已恢复" % NAMES[winner])
            self.assertTrue(re.match(RFC3339, now["updated_at"]))


if __name__ == "__main__":
    unittest.main()
