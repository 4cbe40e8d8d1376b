"""What a person reads, end to end: one incident in the reader's language
and local time, from the first message to the review report.

The organisation is in Asia/Shanghai and the incident is reported on the
test clock at 2026-11-27T19:03:00Z, which is 03:03 the next morning in
Shanghai (+08:00). Every text the server writes for a person shows 03:03
and never 19:03: the zh notification bodies (a webhook and e-mails,
delivered to receivers on loopback), the timeline's texts, the incident
CSV and the review report (Markdown and HTML). A user whose own zone is
Europe/London reads 19:03 (+00:00) in their e-mail, CSV and report. The
API itself stays RFC 3339.

The incident goes through every step (acknowledged with an assessment
and a proposed level, activated, level raised, a target missed, tasks
through every status, bulletins, supplies, resolved, reopened, closed,
reviewed), and a zh reader's timeline and report hold none of the
machine words of those steps (states, task statuses, actions, events,
kinds, audiences), scanned as whole words. An English reader gets the
same entries and the plan's measures in English.
"""

import email.policy
import json
import os
import re
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("aiosmtpd")

from harness import ORG_GROUPS, ServerTestCase, setup_org  # noqa: E402
from receivers import HttpReceiver, SmtpReceiver, wait_until  # noqa: E402

T0 = datetime(2026, 11, 27, 19, 3, tzinfo=timezone.utc)
LOCAL = "2026-11-28 03:03"          # Asia/Shanghai
LOCAL_CSV = "2026-11-28T03:03:00+08:00"
LONDON = "2026-11-27 19:03"         # Europe/London (GMT in November)
LONDON_CSV = "2026-11-27T19:03:00+00:00"
UTC_CLOCK = "19:03"

# The values the server keeps as machine words: none may be read in zh.
MACHINE_WORDS = (
    # incident states and steps
    "none", "reported", "acknowledged", "active", "dismissed", "resolved", "closed",
    "reviewed", "report", "ack", "activate", "dismiss", "set-level", "resolve", "reopen",
    "close", "review",
    # task statuses, notification events and delivery states
    "todo", "doing", "done", "blocked", "escalate", "breach", "bulletin",
    "alerts.resolved", "pending", "sent", "failed", "merged",
    # timeline kinds, audiences, supply movements, names as keys
    "status", "level", "note", "task", "notification", "alert", "drill", "public",
    "internal", "allocate", "return", "group:", "level-1", "level-2", "command",
    "leadership", "tech", "system-failure", "null", "true", "false",
)

PLAN = """\
format: erms-plan/1
key: bilingual
name: {zh-CN: 双语预案, en: Bilingual plan}
groups:
  - key: leadership
    name: {zh-CN: 应急领导小组, en: Leadership group}
    kind: leadership
  - key: command
    name: {zh-CN: 应急指挥部, en: Command HQ}
    kind: command
  - key: tech
    name: {zh-CN: 技术支持小组, en: Technical team}
    kind: team
categories:
  - key: system-failure
    name: {zh-CN: 系统故障, en: System failure}
    team: tech
levels:
  - key: level-1
    name: {zh-CN: 一级, en: Level 1}
    rank: 1
    criteria: {zh-CN: 关键业务中断, en: Key services down}
    targets: {ack_min: 5, activate_min: 15, resolve_min: 240}
    measures:
      - {title: {zh-CN: 启动备用系统, en: Start the standby system}, group: tech}
    notify: [leadership, command, tech]
  - key: level-2
    name: {zh-CN: 二级, en: Level 2}
    rank: 2
    criteria: {zh-CN: 部分业务受影响, en: Some services affected}
    targets: {ack_min: 15, activate_min: 60, resolve_min: 480}
    measures:
      - {title: {zh-CN: 通知受影响的业务部门, en: Tell the business units affected},
         group: command}
escalation:
  - {notify: [command], after_min: 0}
  - {notify: [leadership], after_min: 15}
"""


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def plain(text):
    """Text without markup, style sheets or Markdown escapes."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\\(.)", r"\1", text)


def machine_words(text):
    """The machine words found in text as whole words (a word's letters,
    digits, '-', '.', '_' and ':' around it do not count as a boundary);
    links are left out."""
    low = re.sub(r"https?://\S+", " ", text).lower()
    return sorted(w for w in MACHINE_WORDS
                  if re.search(r"(?<![a-z0-9_.:-])%s(?![a-z0-9_-])" % re.escape(w), low))


class Reader(ServerTestCase):
    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = cls.smtp = None
        try:
            cls.http = HttpReceiver()
            cls.smtp = SmtpReceiver()
            cls.story()
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
            if cls.smtp:
                cls.smtp.close()

    @classmethod
    def clock(cls, minutes):
        r = cls.admin.post("/api/v1/test/clock", {"now": stamp(T0 + timedelta(minutes=minutes))})
        assert r.status == 200, r

    @classmethod
    def step(cls, who, path, body=None, status=200, method="POST"):
        r = cls.c[who].req(method, path, body if body is not None else {})
        assert r.status == status, (who, path, r)
        return r.body

    @classmethod
    def story(cls):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False,
                                         encoding="utf-8") as f:
            f.write(PLAN)
        try:
            setup_org(cls, (
                ("hq", {"command": "lead"}, {"display_name": "张指挥",
                                             "email": "hq@example.com"}),
                ("boss", {"leadership": "lead"}, {"display_name": "Li Boss", "locale": "en",
                                                  "email": "boss@example.com"}),
                ("techie", {"tech": "member"}, {"display_name": "赵技术",
                                                "email": "techie@example.com"}),
                ("remote", {"tech": "member"}, {"display_name": "孙伦敦",
                                                "email": "remote@example.com",
                                                "time_zone": "Europe/London"}),
                ("staff", {}, {"display_name": "钱员工"})),
                groups=ORG_GROUPS, plan=f.name, approver="boss")
        finally:
            os.unlink(f.name)
        a = cls.admin
        r = a.patch("/api/v1/organisation", {"time_zone": "Asia/Shanghai", "locale": "zh-CN"})
        assert r.status == 200, r
        hook = a.post("/api/v1/channels", {"name": "指挥部值班群", "kind": "webhook",
                                           "config": {"url": cls.http.url("/command"),
                                                      "secret": "hook-secret-1"}})
        assert hook.status == 201, hook
        cls.hook = hook.body
        mail = a.post("/api/v1/channels", {"name": "邮件", "kind": "email",
                                           "config": {"host": "127.0.0.1",
                                                      "port": cls.smtp.port, "tls": "none",
                                                      "from": "erms@example.com"}})
        assert mail.status == 201, mail
        assert a.patch("/api/v1/groups/command", {"channels": [cls.hook["id"]]}).status == 200

        cls.clock(0)
        cls.inc = cls.step("staff", "/api/v1/incidents", {
            "title": "网上银行登录失败", "category": "system-failure",
            "impact": "客户无法登录"}, status=201)
        url = cls.url = "/api/v1/incidents/%d" % cls.inc["id"]
        # The command group's chat acknowledges by the message's link.
        first = cls.wait_request(lambda q: json.loads(q.body)["event"]["type"] == "report")
        link = json.loads(first.body)["ack_link"]
        r = cls.server.client().post(urlsplit(link).path)
        assert r.status == 200, r
        cls.clock(2)
        cls.step("hq", url + "/ack", {"assessment": "主库故障，影响登录",
                                      "proposed_level": "level-2"})
        # The activation target (15 minutes) is missed before activating.
        cls.clock(20)
        cls.step("boss", url + "/activate", {"level": "level-2"})
        cls.step("boss", url + "/set-level", {"level": "level-1", "reason": "影响扩大"})
        tasks = cls.step("hq", url + "/tasks", method="GET")["items"]
        for t in tasks:
            for s in ("doing", "blocked", "done"):
                cls.step("hq", "/api/v1/tasks/%d" % t["id"], {"status": s}, method="PATCH")
        cls.step("hq", url + "/notes", {"text": "主库已切换"}, status=201)
        cls.step("hq", url + "/bulletins", {"text": "网上银行暂时无法登录", "audience": "public"},
                 status=201)
        cls.step("hq", url + "/bulletins", {"text": "请技术组关注主库", "audience": "internal"},
                 status=201)
        s = cls.step("hq", "/api/v1/supplies", {"name": "备用服务器", "quantity": 5, "unit": "台"},
                     status=201)
        cls.step("hq", "/api/v1/supplies/%d/movements" % s["id"],
                 {"kind": "allocate", "quantity": 2, "incident": cls.inc["number"]}, status=201)
        cls.step("hq", "/api/v1/supplies/%d/movements" % s["id"],
                 {"kind": "return", "quantity": 1, "incident": cls.inc["number"]}, status=201)
        cls.clock(40)
        cls.step("hq", url + "/resolve", {"summary": "已切换到备库"})
        cls.step("hq", url + "/reopen", {"reason": "再次出现"})
        cls.step("hq", url + "/resolve", {"summary": "已恢复"})
        cls.step("boss", url + "/close")
        cls.step("hq", url + "/review", {"review": {
            "cause": "主库磁盘写满", "lessons": "监控要覆盖磁盘",
            "action_items": [{"title": "补充磁盘监控", "owner_id": cls.ids["techie"],
                              "due_at": "2026-12-01T09:30:00+08:00"}]}})
        # Every message delivered (the e-mails of each step and the chat's).
        wait_until(lambda: all(m["state"] == "sent" for m in cls.notifications()), 30, 0.1,
                   "every message to be sent")

    @classmethod
    def wait_request(cls, pred, timeout=15):
        found = []

        def check():
            found[:] = [q for q in cls.http.received() if pred(q)]
            return found
        wait_until(check, timeout, 0.05, "a message at the receiver")
        return found[0]

    @classmethod
    def notifications(cls):
        r = cls.admin.get("/api/v1/notifications?incident=%d&limit=500" % cls.inc["id"])
        assert r.status == 200, r
        return r.body["items"]

    def mails_to(self, rcpt):
        return [m for _, m in self.smtp.received(rcpt)]

    def body_of(self, m):
        return m.get_body(("plain",)).get_content()

    def text_of(self, who, path):
        r = self.c[who].get(path)
        self.assertStatus(r, 200)
        return r.body if isinstance(r.body, str) else r.body.decode("utf-8")

    # -- messages ---------------------------------------------------------

    def test_chat_message_in_local_time(self):
        reqs = [json.loads(q.body) for q in self.http.received()]
        self.assertTrue(reqs)
        report = next(p for p in reqs if p["event"]["type"] == "report")
        self.assertIn("上报时间：%s +08:00" % LOCAL, report["text"])
        self.assertIn("本次时间：%s +08:00" % LOCAL, report["text"])
        for p in reqs:
            with self.subTest(event=p["event"]["type"]):
                self.assertNotIn(UTC_CLOCK, p["text"])
                self.assertNotIn(UTC_CLOCK, p["subject"])
                self.assertIn("上报时间：%s" % LOCAL, p["text"])
                self.assertEqual(machine_words(plain(p["text"])), [], p["text"])
        # The later steps: their own local time.
        activated = next(p for p in reqs if p["event"]["type"] == "activate")
        self.assertIn("本次时间：2026-11-28 03:23 +08:00", activated["text"])

    def test_email_in_each_readers_zone(self):
        zh = self.mails_to("hq@example.com")
        self.assertTrue(zh)
        for m in zh:
            with self.subTest(subject=m["subject"]):
                body = self.body_of(m)
                self.assertIn("上报时间：%s +08:00" % LOCAL, body)
                self.assertNotIn(UTC_CLOCK, body)
                self.assertEqual(machine_words(body), [], body)
        # A missed target is named in words, not by its key.
        breach = [self.body_of(m) for m in zh if "处置目标超时" in m["subject"]]
        self.assertTrue(breach, [m["subject"] for m in zh])
        self.assertIn("说明: 未在时限内启动\r\n", breach[0])
        # Europe/London: the same instant, in their own zone.
        remote = self.mails_to("remote@example.com")
        self.assertTrue(remote)
        for m in remote:
            body = self.body_of(m)
            self.assertIn("上报时间：%s +00:00" % LONDON, body)
            self.assertNotIn(LOCAL, body)
        # English, in the organisation's zone.
        en = self.mails_to("boss@example.com")
        self.assertTrue(en)
        body = self.body_of(en[0])
        self.assertIn("Reported: %s +08:00" % LOCAL, body)
        self.assertIn("Category: System failure", body)
        breach = [self.body_of(m) for m in en if "Target missed" in m["subject"]]
        self.assertTrue(breach, [m["subject"] for m in en])
        self.assertIn("Detail: Target missed: activate\r\n", breach[0])

    # -- the timeline -------------------------------------------------------

    def timeline(self, who, lang=None):
        """The timeline's entries in lang, or without ?lang= in the
        reader's own language."""
        q = "limit=500" + ("&lang=" + lang if lang else "")
        r = self.c[who].get("%s/timeline?%s" % (self.url, q))
        self.assertStatus(r, 200)
        return r.body["items"]

    def test_timeline_keeps_rfc3339_and_texts_in_local_time(self):
        items = self.timeline("hq", "zh-CN")
        self.assertEqual(items[0]["key"], "tl.report")
        # The API: RFC 3339, the instant itself.
        at = datetime.fromisoformat(items[0]["at"].replace("Z", "+00:00"))
        self.assertEqual(at, T0)
        for e in items:
            with self.subTest(entry=e["text"]):
                self.assertNotIn(UTC_CLOCK, e["text"])

    def test_timeline_zh_has_no_machine_words(self):
        items = self.timeline("techie", "zh-CN")
        keys = {e.get("key") for e in items}
        # Every kind of generated entry is there to be read.
        for k in ("tl.report", "tl.status", "tl.status_reason", "tl.level", "tl.level_reason",
                  "tl.task_created", "tl.task_status", "tl.breach", "tl.notified",
                  "tl.notify_acked_group", "tl.bulletin", "tl.supply", "tl.assessment_level"):
            self.assertIn(k, keys)
        for e in items:
            with self.subTest(key=e.get("key"), text=e["text"]):
                self.assertEqual(machine_words(e["text"]), [])
        texts = [e["text"] for e in items]
        for s in ("已上报 → 已确认", "已确认 → 响应中（二级）", "响应中 → 响应中（一级）：影响扩大",
                  "超过时限：启动", "任务“启动备用系统”：受阻", "对外发布：网上银行暂时无法登录",
                  "调拨：2 台 备用服务器", "归还：1 台 备用服务器",
                  "应急指挥部的群已确认收到（事件报告）", "研判：主库故障，影响登录（建议级别：二级）",
                  "已处置 → 已结束", "已结束 → 已总结"):
            self.assertTrue(any(s in t for t in texts), (s, texts))

    def test_timeline_en_for_an_english_reader(self):
        # The user's own language without ?lang=, and the same with it.
        texts = [e["text"] for e in self.timeline("boss")]
        self.assertEqual(texts, [e["text"] for e in self.timeline("boss", "en")])
        self.assertEqual([e["text"] for e in self.timeline("techie")],
                         [e["text"] for e in self.timeline("techie", "zh-CN")])
        self.assertNotEqual(texts, [e["text"] for e in self.timeline("techie")])
        for s in ("Reported: 网上银行登录失败", "Reported → Acknowledged",
                  "Acknowledged → Active (Level 2)", "New task: Start the standby system → "
                  "Technical team", "Task “Start the standby system”: Blocked",
                  "Target missed: activate", "Public bulletin: 网上银行暂时无法登录"):
            self.assertTrue(any(s in t for t in texts), (s, texts))
        for t in texts:
            for s in ("启动备用系统", "技术支持小组", "应急指挥部", "已确认", "响应中", "一级",
                      "二级", "任务", "通报"):
                self.assertNotIn(s, t)

    def test_task_titles_in_the_readers_language(self):
        zh = self.step("techie", self.url + "/tasks?lang=zh-CN", method="GET")["items"]
        en = self.step("boss", self.url + "/tasks?lang=en", method="GET")["items"]
        measures = lambda items: sorted(t["title"] for t in items  # noqa: E731
                                        if t["origin"].startswith("measure"))
        self.assertEqual(measures(zh), ["启动备用系统", "通知受影响的业务部门"])
        self.assertEqual(measures(en), ["Start the standby system",
                                        "Tell the business units affected"])

    # -- the CSV --------------------------------------------------------------

    def test_csv_in_each_readers_zone(self):
        text = self.text_of("hq", "/api/v1/incidents.csv?lang=zh-CN")
        row = next(line for line in text.splitlines() if line.startswith(self.inc["number"]))
        self.assertIn(LOCAL_CSV, row)
        self.assertNotIn(UTC_CLOCK, text)
        self.assertIn("已总结", row)
        self.assertEqual(machine_words(row.replace(self.inc["number"], "")), [], row)
        text = self.text_of("remote", "/api/v1/incidents.csv?lang=zh-CN")
        row = next(line for line in text.splitlines() if line.startswith(self.inc["number"]))
        self.assertIn(LONDON_CSV, row)
        self.assertNotIn("03:03", row)

    # -- the review report ------------------------------------------------------

    def report(self, who, fmt, lang="zh-CN"):
        return plain(self.text_of(who, "%s/report?format=%s&lang=%s" % (self.url, fmt, lang)))

    def test_report_in_local_time(self):
        for fmt in ("md", "html"):
            with self.subTest(fmt=fmt):
                text = self.report("hq", fmt)
                self.assertIn(LOCAL, text)
                self.assertNotIn(UTC_CLOCK, text)
                self.assertIn("Asia/Shanghai", text)
                # The later steps in the same zone: activation 20 minutes on.
                self.assertIn("2026-11-28 03:23", text)
                text = self.report("remote", fmt)
                self.assertIn(LONDON, text)
                self.assertNotIn(LOCAL, text)
                self.assertIn("Europe/London", text)

    def test_report_zh_has_no_machine_words(self):
        for fmt in ("md", "html"):
            with self.subTest(fmt=fmt):
                text = self.report("techie", fmt)
                # The organisation's zone is a name, not a machine word.
                found = machine_words(text.replace("Asia/Shanghai", ""))
                self.assertEqual(found, [], text)
                for s in ("超时", "受阻", "已完成", "对外发布：", "内部通报：", "调拨", "归还",
                          "应急指挥部", "技术支持小组", "二级", "一级", "已总结"):
                    self.assertIn(s, text)

    def test_report_en_is_english(self):
        text = self.report("boss", "md", "en")
        for s in ("Reported → Acknowledged", "Start the standby system", "Technical team",
                  "Level 1", "Blocked"):
            self.assertIn(s, text)
        for s in ("已上报", "已确认", "响应中", "技术支持小组", "启动备用系统"):
            self.assertNotIn(s, text)


if __name__ == "__main__":
    unittest.main()
