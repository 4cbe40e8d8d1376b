"""Plan revision: a file checked as import checks it without importing it
(`POST /api/v1/plans/validate`, problems at line:column with their path,
in the reader's language); drafts from the version in force and from an
incident's review (the findings listed); the diff placed by section, item
and field; submitting tells the leadership (their webhook and e-mail, and
`GET /api/v1/plans/pending`), approving and publishing tell the author,
publishing tells all staff in their language; reminders to acknowledge
after the plan's period, once per person per period (test clock); bad
input answers 400 and changes nothing.

Users (t0300's organisation): `leader` (leadership lead), `hq` (command
HQ lead, who imported the sample plan), `duty` (command HQ member),
`deputy` (command HQ deputy, locale en), `staff` (no group)."""

import os
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, list_all  # noqa: E402
from receivers import wait_until  # noqa: E402
import t0300_notify as notify  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")
PLAN = "/api/v1/plans/new-system"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class RevisionTestCase(notify.NotifyTestCase):
    SMTP = True
    server_args = ("--test-clock", "--public-url", notify.PUBLIC)

    @classmethod
    def setup_channels(cls):
        cls.lead_hook = cls.add_channel("leadership-hook", "webhook", {
            "url": cls.http.url("/leadership"), "secret": notify.SECRETS["webhook"]})
        cls.link("leadership", cls.lead_hook)

    def messages(self, event):
        return [m for m in list_all(self.admin, "/api/v1/notifications")
                if m["event"] == event]

    def versions(self):
        return self.c["staff"].get(PLAN + "/versions").body["items"]

    def draft(self, who="hq", status=201, **body):
        r = self.c[who].post(PLAN + "/versions", body)
        self.assertEqual(r.status, status, r)
        return r.body

    def step(self, who, n, step, **body):
        r = self.c[who].post(PLAN + "/versions/%d/%s" % (n, step), body)
        self.assertEqual(r.status, 200, (step, r))
        return r.body


class Revision(RevisionTestCase):

    def test_validate_answers_problems_at_line_and_column(self):
        bad = read(os.path.join(DATA, "plan-meaning-errors.yaml"))
        r = self.c["hq"].post("/api/v1/plans/validate", {"yaml": bad, "file": "m.yaml"})
        self.assertStatus(r, 200)
        self.assertIs(r.body["ok"], False)
        by_pos = {(e["line"], e["column"]): e for e in r.body["errors"]}
        e = by_pos[(18, 11)]
        self.assertEqual(e["message"], "事件分类“network-attack”引用了不存在的组“team-network”")
        self.assertEqual(e["message_en"],
                         "category 'network-attack' names unknown group 'team-network'")
        self.assertTrue(e["path"].startswith("categories["), e)
        self.assertEqual(by_pos[(24, 24)]["message"], "“ack_min”必须在 1 到 525600 之间，不能是 -5")
        self.assertEqual(by_pos[(24, 24)]["path"], "levels[0].targets.ack_min")
        # In English for an English reader.
        en = self.c["hq"].post("/api/v1/plans/validate?lang=en", {"yaml": bad, "file": "m.yaml"})
        texts = [x["text"] for x in en.body["errors"]]
        self.assertIn("m.yaml:12:10: duplicate group key 'command'", texts)
        self.assertNotIn("message_en", en.body["errors"][0])
        # A syntax error stops at its place.
        syn = self.c["deputy"].post("/api/v1/plans/validate", {
            "yaml": read(os.path.join(DATA, "plan-broken-syntax.yaml"))}).body
        self.assertIs(syn["ok"], False)
        self.assertEqual(syn["errors"][0]["line"], 4)
        self.assertTrue(syn["errors"][0]["message"].startswith("YAML"), syn)
        ok = self.c["hq"].post("/api/v1/plans/validate", {
            "yaml": read(os.path.join(ROOT, "examples", "plans", "new-system.zh-CN.yaml"))})
        self.assertEqual(ok.body, {"ok": True, "errors": []})
        empty = self.c["hq"].post("/api/v1/plans/validate", {"yaml": ""}).body
        self.assertEqual([x["message"] for x in empty["errors"]], ["文件为空"])

    def test_validate_bad_input(self):
        before = self.versions()
        self.assertError(self.c["hq"].post("/api/v1/plans/validate", {}),
                         400, "missing_field", "yaml")
        self.assertError(self.c["hq"].post("/api/v1/plans/validate", {"yaml": 5}),
                         400, "wrong_type", "yaml")
        self.assertError(self.c["hq"].post("/api/v1/plans/validate", {"yaml": "a", "x": 1}),
                         400, "unknown_field", "x")
        self.assertError(self.c["staff"].post("/api/v1/plans/validate", {"yaml": "a"}),
                         403, "forbidden")
        self.assertEqual(self.versions(), before)

    def reviewed_incident(self):
        inc = self.report()
        for who, action, body in (
                ("hq", "ack", {}), ("leader", "activate", {"level": "level-3"}),
                ("hq", "resolve", {"summary": "已恢复"}), ("leader", "close", {}),
                ("hq", "review", {"review": {
                    "cause": "备份策略缺失", "lessons": "上报链第二层时限过长",
                    "action_items": [
                        {"title": "补充数据库备份恢复措施", "group": "tech",
                         "plan_revision": True},
                        {"title": "采购备用服务器"}]}})):
            r = self.c[who].post("/api/v1/incidents/%d/%s" % (inc["id"], action), body)
            self.assertEqual(r.status, 200, (action, r))
        return inc

    def test_drafts_from_the_version_in_force_and_from_a_review(self):
        current = self.c["staff"].get("/api/v1/plans/current").body
        d = self.draft()
        self.assertEqual(d["status"], "draft")
        self.assertEqual(d["based_on"], {"from_n": current["n"], "incident": None,
                                         "findings": []})
        diff = self.c["staff"].get(PLAN + "/versions/%d/diff/%d" % (current["n"], d["n"]))
        self.assertEqual(diff.body["changes"], [])
        exported = self.c["hq"].get(PLAN + "/versions/%d/export" % d["n"])
        self.assertIn("key: new-system", exported.body)

        inc = self.reviewed_incident()
        d2 = self.draft(from_review=inc["number"])
        self.assertEqual(d2["based_on"]["incident"], {"id": inc["id"], "number": inc["number"]})
        self.assertEqual([f["title"] for f in d2["based_on"]["findings"]],
                         ["补充数据库备份恢复措施", "上报链第二层时限过长"])
        self.assertEqual(self.c["leader"].get(PLAN + "/versions/%d" % d2["n"]).body["based_on"],
                         d2["based_on"])
        # By id, from a given version.
        d3 = self.draft(from_review=inc["id"], **{"from": current["n"]})
        self.assertEqual(d3["based_on"]["from_n"], current["n"])
        self.assertEqual(len(d3["based_on"]["findings"]), 2)

    def test_draft_bad_input_changes_nothing(self):
        open_inc = self.report()
        before = self.versions()
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"from_review": "INC-1999-0001"}),
                         400, "invalid_field", "from_review")
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"from_review": open_inc["id"]}),
                         409, "conflict", "from_review")
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"from": 999}), 404, "not_found")
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"from": "1"}),
                         400, "wrong_type", "from")
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"from": 0}),
                         400, "invalid", "from")
        self.assertError(self.c["hq"].post(PLAN + "/versions", {"what": 1}),
                         400, "unknown_field", "what")
        self.assertError(self.c["staff"].post(PLAN + "/versions", {}), 403, "forbidden")
        self.assertError(self.c["hq"].post("/api/v1/plans/nope/versions", {}), 404, "not_found")
        self.assertEqual(self.versions(), before)

    def edited(self, n):
        """Version n's file with level-1's ack target, a measure's title
        and the preface changed; PUT back as a draft."""
        yaml = self.c["hq"].get(PLAN + "/versions/%d/export" % n).body
        self.assertIn("ack_min: 5", yaml)
        yaml = yaml.replace("ack_min: 5", "ack_min: 3", 1)
        yaml = yaml.replace("全力抢修，尽快恢复系统运行", "全力抢修，30 分钟内恢复系统运行")
        r = self.c["hq"].put(PLAN + "/versions/%d" % n, {"yaml": yaml})
        self.assertStatus(r, 200)
        return yaml

    def test_structured_diff(self):
        current = self.c["staff"].get("/api/v1/plans/current").body["n"]
        d = self.draft()
        self.edited(d["n"])
        changes = self.c["staff"].get(
            PLAN + "/versions/%d/diff/%d" % (current, d["n"])).body["changes"]
        target = [c for c in changes if c["path"] == "levels[level-1].targets.ack_min"]
        self.assertEqual(target, [{"path": "levels[level-1].targets.ack_min", "op": "changed",
                                   "from": 5, "to": 3, "section": "levels",
                                   "item": "level-1", "field": "targets.ack_min"}])
        measures = [c for c in changes if c["field"].startswith("measures")]
        self.assertEqual({(c["section"], c["item"], c["op"]) for c in measures},
                         {("levels", "level-1", "removed"), ("levels", "level-1", "added")})

    def test_submit_approve_publish_tell_whom_they_concern(self):
        d = self.draft()
        self.edited(d["n"])
        n = d["n"]
        self.assertNotIn(n, [v["n"] for v in
                             self.c["leader"].get("/api/v1/plans/pending").body["items"]])

        self.step("hq", n, "submit")
        pending = self.c["leader"].get("/api/v1/plans/pending").body["items"]
        mine = [v for v in pending if v["n"] == n]
        self.assertEqual(len(mine), 1, pending)
        self.assertEqual(mine[0]["steps"], ["approve", "reject"])
        self.assertEqual([v for v in self.c["hq"].get("/api/v1/plans/pending").body["items"]
                          if v["n"] == n], [])
        self.assertEqual(self.c["staff"].get("/api/v1/plans/pending").body["items"], [])
        sub = [m for m in self.messages("plan.submitted") if "第 %d 版" % n in m["subject"]]
        self.assertIn(self.email["leader"], [m["recipient"] for m in sub])
        self.assertIn("【预案待审批】", sub[0]["subject"])
        self.assertTrue(wait_until(lambda: self.http.received(
            lambda r: r.path.startswith("/leadership") and "预案待审批".encode() in r.body),
            what="the leadership's webhook told"))
        wait_until(lambda: self.smtp.received(self.email["leader"]),
                   what="the leader's e-mail")

        self.step("leader", n, "approve", comment="同意")
        appr = self.messages("plan.approved")
        self.assertEqual([m["recipient"] for m in appr if "第 %d 版" % n in m["subject"]],
                         [self.email["hq"]])
        self.assertEqual([v["steps"] for v in
                          self.c["leader"].get("/api/v1/plans/pending").body["items"]
                          if v["n"] == n], [["publish"]])

        self.step("leader", n, "publish")
        pub = [m for m in self.messages("plan.published") if str(n) in m["subject"]]
        to = [m["recipient"] for m in pub if m["recipient"].endswith("@example.com")]
        for login in ("hq", "leader", "duty", "deputy"):
            self.assertIn(self.email[login], to, login)
        self.assertNotIn(self.email["staff"], to)   # in no group of the plan
        deputy = [m for m in pub if m["recipient"] == self.email["deputy"]]
        self.assertEqual(deputy[0]["locale"], "en")
        self.assertEqual(deputy[0]["subject"], "[Plan published] 新系统应急预案, "
                         "version %d" % n)
        duty = [m for m in pub if m["recipient"] == self.email["duty"]][0]
        self.assertIn("【新版预案已发布】", duty["subject"])
        author = [m for m in pub if m["recipient"] == self.email["hq"]]
        self.assertEqual(len(author), 2, author)    # as the author, and as staff
        self.assertEqual(self.c["leader"].get("/api/v1/plans/pending").body["items"], [])
        self.assertTrue(wait_until(lambda: self.http.received(
            lambda r: r.path.startswith("/leadership") and "新版预案已发布".encode() in r.body
            and "响应级别与措施".encode() in r.body),
            what="the staff told what changed"))


class Reminders(RevisionTestCase):
    """The sample plan asks for acknowledgement within 7 days."""

    def reminders(self):
        return self.messages("plan.reminder")

    def clock(self, ms):
        for _ in range(2):      # a second tick at the same time adds nothing
            at = datetime.fromtimestamp(ms / 1000, timezone.utc)
            r = self.admin.post("/api/v1/test/clock", {"now": notify.fmt_time(at)})
            self.assertStatus(r, 200)

    def test_reminders_after_the_period_once_per_person(self):
        current = self.c["staff"].get("/api/v1/plans/current").body
        t0 = int(notify.parse_time(current["published_at"]).timestamp() * 1000)
        day = 86400 * 1000
        r = self.c["duty"].post(PLAN + "/versions/%d/ack" % current["n"], {})
        self.assertStatus(r, 200)
        self.clock(t0 + 7 * day - 60000)
        self.assertEqual(self.reminders(), [])
        self.clock(t0 + 7 * day + 60000)
        first = self.reminders()
        to = sorted(m["recipient"] for m in first)
        self.assertEqual(to, sorted(self.email[x] for x in ("leader", "hq", "deputy", "staff")))
        hq = [m for m in first if m["recipient"] == self.email["hq"]][0]
        self.assertIn("【请确认预案】", hq["subject"])
        dep = [m for m in first if m["recipient"] == self.email["deputy"]][0]
        self.assertTrue(dep["subject"].startswith("[Please acknowledge]"), dep)
        # Not again within the period, nor for who acknowledged meanwhile.
        self.assertStatus(self.c["staff"].post(PLAN + "/versions/%d/ack" % current["n"], {}), 200)
        self.clock(t0 + 13 * day)
        self.assertEqual(len(self.reminders()), 4)
        self.clock(t0 + 14 * day + 2 * 60000)
        second = [m for m in self.reminders() if m["id"] not in {x["id"] for x in first}]
        self.assertEqual(sorted(m["recipient"] for m in second),
                         sorted(self.email[x] for x in ("leader", "hq", "deputy")))


if __name__ == "__main__":
    unittest.main()
