"""The reporting chain set up and checked through the API, delivered for
real to a receiver the test runs (receivers.py):

- Users' contacts: an administrator saves a user's mobile and chat ids
  ({"dingtalk", "wecom", "feishu"}); a partial change keeps the others;
  bad input (not an object, an unknown platform, an id with spaces or
  markup, one too long, a mobile with dashes) is 400 naming the field and
  changes nothing; only administrators edit other users; a user may set
  their own.
- Channels and groups: PUT attaches a channel to a group (twice is no
  change), DELETE detaches it (204; again 404); unknown groups or
  channels are 404; only administrators.
- Mentions: a report's tier 0 reaches command HQ's DingTalk, WeCom and
  Feishu robots, each @-mentioning the person on duty in the vendor's
  documented fields (DingTalk at.atUserIds / at.atMobiles with "@id" in
  the text, WeCom text.mentioned_list / mentioned_mobile_list, Feishu an
  "at" element of the post); an override's person is mentioned by mobile
  where they have no id; without a roster the leads and deputies are.
- The roster edited: a rotation changed (PATCH) and removed (DELETE), an
  override removed; a bad zone, a rotation of another group, an unknown
  override are refused with nothing changed.

Users: `hq` (command lead), `deputy` (command deputy), `duty` (command
member with every chat id), `mobile` (command member, a mobile only),
`staff` (no group, reports), and the admin.
"""

import json
import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PLAN_SAMPLE, ServerTestCase, list_all  # noqa: E402
from receivers import HttpReceiver, wait_until  # noqa: E402

FAST = {"rate_burst": 50, "rate_period_ms": 20}  # no digests here
DUTY_IDS = {"dingtalk": "dt-duty", "wecom": "wc-duty", "feishu": "ou_duty"}
MOBILE = "13800001111"


def setup_org(cls):
    users = (("leader", {"leadership": "lead"}, {}),
             ("hq", {"command": "lead"}, {"display_name": "总指挥", "chat_ids": {
                 "dingtalk": "dt-hq", "wecom": "wc-hq", "feishu": "ou_hq"}}),
             ("deputy", {"command": "deputy"}, {"display_name": "副总指挥",
                                                 "phone": "+8613900002222"}),
             ("duty", {"command": "member"}, {"display_name": "值班员",
                                               "chat_ids": DUTY_IDS}),
             ("mobile", {"command": "member"}, {"display_name": "手机", "phone": MOBILE}),
             ("staff", {}, {}))
    harness.setup_org(cls, users, plan=PLAN_SAMPLE, file="new-system.zh-CN.yaml")


class Contacts(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            setup_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def user(self, login):
        r = self.admin.get("/api/v1/users/%d" % self.ids[login])
        self.assertStatus(r, 200)
        return r.body

    def test_chat_ids_saved_and_kept(self):
        self.assertEqual(self.user("duty")["chat_ids"], DUTY_IDS)
        self.assertEqual(self.user("staff")["chat_ids"],
                         {"dingtalk": "", "wecom": "", "feishu": ""})
        r = self.admin.patch("/api/v1/users/%d" % self.ids["staff"],
                             {"phone": "+8613700003333", "email": "staff@example.com",
                              "chat_ids": {"wecom": "wc-staff"}})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["chat_ids"], {"dingtalk": "", "wecom": "wc-staff", "feishu": ""})
        self.assertEqual(r.body["phone"], "+8613700003333")
        # A partial change keeps the other platforms; "" clears one.
        r = self.admin.patch("/api/v1/users/%d" % self.ids["staff"],
                             {"chat_ids": {"feishu": "ou_staff"}})
        self.assertEqual(r.body["chat_ids"],
                         {"dingtalk": "", "wecom": "wc-staff", "feishu": "ou_staff"})
        r = self.admin.patch("/api/v1/users/%d" % self.ids["staff"],
                             {"chat_ids": {"wecom": ""}})
        self.assertEqual(r.body["chat_ids"], {"dingtalk": "", "wecom": "", "feishu": "ou_staff"})
        self.assertEqual(self.user("staff")["chat_ids"]["feishu"], "ou_staff")

    def test_bad_contacts_are_refused_and_change_nothing(self):
        before = self.user("duty")
        path = "/api/v1/users/%d" % self.ids["duty"]
        for body, field in (
                ({"chat_ids": "dt-duty"}, "chat_ids"),
                ({"chat_ids": ["dt-duty"]}, "chat_ids"),
                ({"chat_ids": {"slack": "U123"}}, "chat_ids"),
                ({"chat_ids": {"dingtalk": "dt duty"}}, "chat_ids.dingtalk"),
                ({"chat_ids": {"feishu": "<at user_id=\"all\">"}}, "chat_ids.feishu"),
                ({"chat_ids": {"wecom": "x" * 65}}, "chat_ids.wecom"),
                ({"chat_ids": {"wecom": 7}}, "chat_ids.wecom"),
                ({"phone": "138-0000-1111", "chat_ids": {"wecom": "ok"}}, "phone"),
                ({"phone": "1234"}, "phone"),
                ({"chat_ids": {"dingtalk": "ok"}, "email": "nope"}, "email")):
            r = self.admin.patch(path, body)
            self.assertError(r, 400, r.body["error"]["code"], field)
            self.assertEqual(self.user("duty"), before, body)
        # Other users' contacts are the administrators' to edit.
        r = self.c["staff"].patch(path, {"chat_ids": {"dingtalk": "mine"}})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.user("duty"), before)

    def test_own_chat_ids_and_mobile(self):
        r = self.c["leader"].patch("/api/v1/me", {"phone": "13600004444",
                                                  "chat_ids": {"dingtalk": "dt-leader"}})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["chat_ids"]["dingtalk"], "dt-leader")
        r = self.c["leader"].patch("/api/v1/me", {"chat_ids": {"dingtalk": "a&b"}})
        self.assertError(r, 400, r.body["error"]["code"], "chat_ids.dingtalk")
        self.assertEqual(self.user("leader")["chat_ids"]["dingtalk"], "dt-leader")


class Chain(ServerTestCase):
    """Command HQ's three robots on one receiver; a roster with `duty` on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = None
        try:
            setup_org(cls)
            cls.http = h = HttpReceiver()
            cls.ch = {}
            for kind, path in (("dingtalk", "/robot/send?access_token=t"),
                               ("wecom", "/cgi-bin/webhook/send?key=k"),
                               ("feishu", "/open-apis/bot/v2/hook/h")):
                r = cls.admin.post("/api/v1/channels", {"name": kind, "kind": kind,
                                                        "config": {"url": h.url(path)}, **FAST})
                assert r.status == 201, r
                cls.ch[kind] = r.body
            cls.kind_of = {c["id"]: k for k, c in cls.ch.items()}
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            if cls.http:
                cls.http.close()

    def setUp(self):
        for c in self.ch.values():
            r = self.admin.put("/api/v1/groups/command/channels/%d" % c["id"])
            self.assertStatus(r, 200)
        for rot in self.rotations():
            r = self.admin.delete("/api/v1/groups/command/rotations/%d" % rot["id"])
            self.assertEqual(r.status, 204, r)

    def rotations(self, group="command"):
        r = self.admin.get("/api/v1/groups/%s/rotations" % group)
        self.assertStatus(r, 200)
        return r.body["items"]

    def add_rotation(self, members, start=None, minutes=60 * 24 * 366):
        # One shift from yesterday for a year: the first member is on duty now.
        start = start or (datetime.now(timezone.utc) - timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        r = self.c["hq"].post("/api/v1/groups/command/rotations", {
            "name": "指挥部值班", "members": [self.ids[m] for m in members],
            "shift_minutes": minutes, "start": start})
        self.assertEqual(r.status, 201, r)
        return r.body

    def deliver(self, title):
        """Report; the tier-0 requests to the three robots, by kind."""
        r = self.c["staff"].post("/api/v1/incidents", {"title": title,
                                                       "category": "system-failure"})
        self.assertEqual(r.status, 201, r)
        inc = r.body

        def sent():
            items = list_all(self.admin, "/api/v1/notifications?incident=%d" % inc["id"])
            mine = [m for m in items if m["channel_id"] in self.kind_of]
            return len(mine) == 3 and all(m["state"] == "sent" for m in mine) and mine
        msgs = wait_until(sent, 15, 0.1, "delivery to the three robots")
        out = {}
        for m in msgs:
            reqs = self.http.received(
                lambda q, k=m["idempotency_key"]: q.headers.get("idempotency-key") == k)
            self.assertEqual(len(reqs), 1, reqs)
            out[self.kind_of[m["channel_id"]]] = json.loads(reqs[0].body)
        return out

    @staticmethod
    def feishu_ats(body):
        para = body["content"]["post"]["zh_cn"]["content"][0]
        return [e for e in para if e["tag"] == "at"]

    def test_attach_and_detach(self):
        ding = self.ch["dingtalk"]["id"]
        r = self.admin.put("/api/v1/groups/command/channels/%d" % ding)  # again: no change
        self.assertStatus(r, 200)
        self.assertEqual(sorted(r.body["channels"]), sorted(self.kind_of))
        r = self.admin.delete("/api/v1/groups/command/channels/%d" % ding)
        self.assertEqual(r.status, 204, r)
        r = self.admin.get("/api/v1/groups/command")
        self.assertNotIn(ding, r.body["channels"])
        self.assertEqual(len(r.body["channels"]), 2)
        r = self.admin.delete("/api/v1/groups/command/channels/%d" % ding)
        self.assertError(r, 404, "not_found")
        r = self.admin.put("/api/v1/groups/command/channels/%d" % (ding + 1000))
        self.assertError(r, 404, "not_found")
        r = self.admin.put("/api/v1/groups/nosuch/channels/%d" % ding)
        self.assertError(r, 404, "not_found")
        r = self.c["hq"].put("/api/v1/groups/command/channels/%d" % ding)
        self.assertEqual(r.status, 403, r)
        r = self.admin.get("/api/v1/groups/command")
        self.assertNotIn(ding, r.body["channels"])
        r = self.admin.put("/api/v1/groups/command/channels/%d" % ding)
        self.assertIn(ding, r.body["channels"])
        self.assertIn("group.channel.detach",
                      [a["action"] for a in list_all(self.admin, "/api/v1/audit")])

    def test_the_person_on_duty_is_mentioned(self):
        self.add_rotation(["duty"])
        got = self.deliver("数据库主库宕机")
        d = got["dingtalk"]
        self.assertEqual(d["msgtype"], "markdown")
        self.assertEqual(d["at"], {"atMobiles": [], "atUserIds": ["dt-duty"], "isAtAll": False})
        self.assertIn("@dt-duty", d["markdown"]["text"])
        w = got["wecom"]
        self.assertEqual(w["msgtype"], "text")
        self.assertEqual(w["text"]["mentioned_list"], ["wc-duty"])
        self.assertNotIn("mentioned_mobile_list", w["text"])
        self.assertIn("数据库主库宕机", w["text"]["content"])
        self.assertLessEqual(len(w["text"]["content"].encode()), 2048)
        self.assertEqual(self.feishu_ats(got["feishu"]),
                         [{"tag": "at", "user_id": "ou_duty", "user_name": "值班员"}])

    def test_an_override_with_a_mobile_only(self):
        rot = self.add_rotation(["duty"])
        r = self.c["hq"].post("/api/v1/groups/command/rotations/%d/overrides" % rot["id"], {
            "user_id": self.ids["mobile"], "start": "2026-01-01T00:00:00Z",
            "end": "2099-01-01T00:00:00Z"})
        self.assertEqual(r.status, 201, r)
        got = self.deliver("网络中断")
        self.assertEqual(got["dingtalk"]["at"],
                         {"atMobiles": [MOBILE], "atUserIds": [], "isAtAll": False})
        self.assertIn("@" + MOBILE, got["dingtalk"]["markdown"]["text"])
        self.assertEqual(got["wecom"]["text"]["mentioned_mobile_list"], [MOBILE])
        self.assertNotIn("mentioned_list", got["wecom"]["text"])
        self.assertEqual(self.feishu_ats(got["feishu"]), [])  # Feishu mentions by id only
        # The override removed: the rotation's person again.
        r = self.c["hq"].delete("/api/v1/groups/command/rotations/%d/overrides/%d"
                                % (rot["id"], r.body["id"]))
        self.assertEqual(r.status, 204, r)
        got = self.deliver("网络中断 2")
        self.assertEqual(got["dingtalk"]["at"]["atUserIds"], ["dt-duty"])

    def test_without_a_roster_the_leads_are_mentioned(self):
        got = self.deliver("无人值班")
        self.assertEqual(got["dingtalk"]["at"], {"atMobiles": ["+8613900002222"],
                                                 "atUserIds": ["dt-hq"], "isAtAll": False})
        self.assertEqual(got["wecom"]["text"]["mentioned_list"], ["wc-hq"])
        self.assertEqual(got["wecom"]["text"]["mentioned_mobile_list"], ["+8613900002222"])
        self.assertEqual(self.feishu_ats(got["feishu"]),
                         [{"tag": "at", "user_id": "ou_hq", "user_name": "总指挥"}])

    def test_roster_edited(self):
        rot = self.add_rotation(["duty", "mobile"], minutes=720)
        path = "/api/v1/groups/command/rotations/%d" % rot["id"]
        r = self.c["hq"].patch(path, {"members": [self.ids["mobile"], self.ids["duty"]],
                                      "shift_minutes": 480, "time_zone": "Europe/Paris",
                                      "name": "夜班"})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["members"], r.body["shift_minutes"], r.body["time_zone"],
                          r.body["name"], r.body["start"]),
                         ([self.ids["mobile"], self.ids["duty"]], 480, "Europe/Paris", "夜班",
                          rot["start"]))
        edited = r.body
        for body, status, field in (({"time_zone": "Mars/Olympus"}, 400, "time_zone"),
                                    ({"members": []}, 400, "members"),
                                    ({"members": [self.ids["staff"] + 1000]}, 400, "members"),
                                    ({"start": "yesterday"}, 400, "start"),
                                    ({"shift_minutes": 0}, 400, "shift_minutes"),
                                    ({"colour": "red"}, 400, None)):
            r = self.c["hq"].patch(path, body)
            self.assertEqual(r.status, status, (body, r))
            if field:
                self.assertEqual(r.body["error"].get("field"), field, r)
        self.assertEqual(self.rotations()[0], edited)
        r = self.c["hq"].post("/api/v1/groups/command/rotations", {
            "name": "x", "members": [self.ids["duty"]], "shift_minutes": 60,
            "start": "2026-01-01T00:00:00Z", "time_zone": "Nowhere/Land"})
        self.assertError(r, 400, r.body["error"]["code"], "time_zone")
        self.assertEqual(len(self.rotations()), 1)
        # Another group's rotation, an unknown override: 404.
        r = self.c["hq"].patch("/api/v1/groups/leadership/rotations/%d" % rot["id"],
                               {"name": "y"})
        self.assertError(r, 404, "not_found")
        r = self.c["hq"].delete(path + "/overrides/999999")
        self.assertError(r, 404, "not_found")
        r = self.c["staff"].delete(path)
        self.assertEqual(r.status, 403, r)
        r = self.c["hq"].delete(path)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.rotations(), [])
        r = self.c["hq"].delete(path)
        self.assertError(r, 404, "not_found")


if __name__ == "__main__":
    unittest.main()
