"""Incidents through the API: one scripted life with one user per role, in
which at every step every illegal action answers 409 and every
unauthorised one 403 and leaves the incident as it was; dismiss, reopen,
raising and lowering the level (measures become tasks, never twice);
8 x 100 concurrent reports numbered without gaps; targets breached on the
test clock, each recorded once (timeline, `breaches`, one event); search
in Chinese (also two characters, also notes), filters and pagination; the
review report in both languages, with user text escaped; bad input.

Users: `leader` (leadership), `hq` (command HQ, lead: the default
commander), `techie` (team `tech`), `staff` (no group), and the admin (no
group: administrators do not command emergencies).
"""

import http.client
import json
import os
import re
import sys
import threading
import time
import unittest
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase, list_all, sample_org  # noqa: E402


ACTIONS = ("ack", "activate", "dismiss", "set-level", "resolve", "reopen",
           "close", "review")
# SPEC.md section 2: the actions legal in each state.
LEGAL = {
    # activate from reported: the leadership, once the reporting chain
    # reached them (t0920_command); here it never does.
    "reported": {"ack", "activate", "dismiss"},
    "acknowledged": {"activate", "dismiss"},
    "active": {"set-level", "resolve"},
    "resolved": {"reopen", "close"},
    "closed": {"review"},
    "reviewed": set(),
    "dismissed": set(),
}
# A valid body for each action, so that only rights and state decide.
BODIES = {
    "ack": {},
    "activate": {"level": "level-2"},
    "dismiss": {"reason": "误报"},
    "set-level": {"level": "level-3", "reason": "影响缩小"},
    "resolve": {"summary": "已恢复"},
    "reopen": {"reason": "再次出现"},
    "close": {},
    "review": {"review": {"cause": "配置错误"}},
}
RANKS = {"level-1": 1, "level-2": 2, "level-3": 3}
# The measures of the sample plan's levels, as (group, title).
MEASURES = {
    "level-1": {("leadership", "领导小组成员立即到位，决定资源调配和是否请求外部支援"),
                ("command", "启动应急指挥部，召开应急会议，指定现场负责人"),
                ("command", "按时限向监管部门报送事件初报"),
                ("tech", "全力抢修，尽快恢复系统运行"),
                ("business", "启用业务应急流程，保证关键业务不中断"),
                ("comms", "发布内部通报和对外公告，每 30 分钟更新一次"),
                ("logistics", "调拨备用设备和应急物资，安排现场后勤")},
    "level-2": {("command", "启动应急指挥部，召开应急会议"),
                ("tech", "分析故障原因，制定并实施处置方案"),
                ("business", "调整受影响的业务流程，安排替代办理方式"),
                ("comms", "向受影响部门和用户通报情况，每 60 分钟更新一次"),
                ("logistics", "按需提供备件和应急物资")},
}
USERS = ("leader", "hq", "techie", "staff", "admin")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def fmt_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def plus(s, minutes=0, ms=0):
    """The RFC 3339 time s plus minutes and milliseconds, formatted."""
    return fmt_time(parse_time(s) + timedelta(minutes=minutes, milliseconds=ms))


def may(user, action, inc, body):
    """Does SPEC.md section 2 let user take action on inc (whatever its state)?
    Activating a report nobody acknowledged needs the reporting chain to
    have reached the leadership, which it does not in these tests."""
    if action == "activate" and inc["status"] == "reported":
        return False
    if user == "leader":
        return action in ("activate", "dismiss", "set-level", "close")
    if user == "hq":
        if action == "set-level":  # command HQ may lower a level in force
            return 0 < inc["level_rank"] < RANKS[body["level"]]
        return action in ("ack", "dismiss", "resolve", "reopen", "review")
    return False


def setup_org(cls):
    """The sample organisation (harness.sample_org); cls.ids["admin"] too."""
    sample_org(cls)
    cls.ids["admin"] = cls.admin.get("/api/v1/me").body["user"]["id"]


def read_events(server, bearer, until, last_event_id=None, timeout=20):
    """Read GET /api/v1/events until until(event) is true for an event;
    returns the events [{id, event, data}] up to that one."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    path = "/api/v1/events"
    if last_event_id is not None:
        path += "?last_event_id=%d" % last_event_id
    conn.request("GET", path, headers={"Authorization": "Bearer " + bearer,
                                       "Accept": "text/event-stream"})
    resp = conn.getresponse()
    assert resp.status == 200, (resp.status, resp.read())
    deadline = time.monotonic() + timeout
    events, ev = [], {}
    try:
        while time.monotonic() < deadline:
            line = resp.readline()
            if not line:
                raise AssertionError("event stream ended; events so far: %r" % events)
            line = line.decode("utf-8").rstrip("\r\n")
            if line == "":
                if "data" in ev:
                    ev["data"] = json.loads(ev["data"])
                    events.append(ev)
                    if until(ev):
                        return events
                ev = {}
            elif not line.startswith(":"):
                k, _, v = line.partition(":")
                v = v[1:] if v.startswith(" ") else v
                ev[k] = int(v) if k == "id" else v
    finally:
        conn.close()
    raise AssertionError("the awaited event did not come within %gs: %r" % (timeout, events))


class OrgTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            setup_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def report(self, who="staff", status=201, **fields):
        body = {"title": "核心系统故障", "category": "system-failure"}
        body.update(fields)
        r = self.c[who].post("/api/v1/incidents", body)
        self.assertEqual(r.status, status, r)
        return r.body

    def get(self, inc, who="staff"):
        r = self.c[who].get("/api/v1/incidents/%s" % inc["id"])
        self.assertStatus(r, 200)
        return r.body

    def timeline(self, inc, who="staff"):
        r = self.c[who].get("/api/v1/incidents/%s/timeline" % inc["id"])
        self.assertStatus(r, 200)
        return r.body["items"]

    def tasks(self, inc, who="staff"):
        r = self.c[who].get("/api/v1/incidents/%s/tasks" % inc["id"])
        self.assertStatus(r, 200)
        return r.body["items"]

    def act(self, who, inc, action, status=200, **body):
        r = self.c[who].post("/api/v1/incidents/%s/%s" % (inc["id"], action), body)
        self.assertEqual(r.status, status, "%s by %s: %d %r" % (action, who, r.status, r.body))
        return r.body

    def snapshot(self, inc):
        return self.get(inc), self.timeline(inc), self.tasks(inc)

    def assertUnchanged(self, inc, before, what):
        after = self.snapshot(inc)
        self.assertEqual(after[0], before[0], "incident changed by " + what)
        self.assertEqual(after[1], before[1], "timeline changed by " + what)
        self.assertEqual(after[2], before[2], "tasks changed by " + what)


class Lifecycle(OrgTestCase):
    def check_step(self, inc):
        """In inc's state: every action the user may not take is 403, every
        one they may take but that is illegal now is 409; nothing changes."""
        before = self.snapshot(inc)
        cur = before[0]
        state = cur["status"]
        self.assertEqual(sorted(cur["actions"]), sorted(LEGAL[state]), cur)
        for action in ACTIONS:
            body = BODIES[action]
            for who in USERS:
                allowed = may(who, action, cur, body)
                if allowed and action in LEGAL[state]:
                    continue
                with self.subTest(state=state, action=action, who=who):
                    r = self.c[who].post("/api/v1/incidents/%s/%s" % (cur["id"], action), body)
                    if allowed:
                        self.assertError(r, 409, "conflict")
                    else:
                        self.assertError(r, 403, "forbidden")
        self.assertUnchanged(inc, before, "refused actions in state " + state)

    def step(self, who, inc, action, to, **body):
        """Take a legal step; checks the answer, the stored incident and the
        timeline entry it adds, and that older entries stay as they were."""
        tl = self.timeline(inc)
        out = self.act(who, inc, action, **body)
        self.assertEqual(out["status"], to, out)
        self.assertEqual(self.get(inc), out)
        tl2 = self.timeline(inc)
        self.assertEqual(tl2[:len(tl)], tl, "timeline entries changed")
        # The step's own entry (a duty to report it opens has its own).
        steps = [e for e in tl2[len(tl):] if e["kind"] in ("status", "level")
                 and "action" in e["data"]]
        self.assertEqual(len(steps), 1, tl2[len(tl):])
        self.assertEqual(steps[0]["actor_id"], self.ids[who])
        self.assertEqual(steps[0]["data"]["action"], action)
        self.assertEqual(steps[0]["data"]["to"], to)
        return out

    def test_whole_life_with_one_user_per_role(self):
        inc = self.report("staff", title="新系统登录失败", description="所有用户无法登录",
                          impact="全部业务")
        self.assertRegex(inc["number"], r"^INC-\d{4}-\d{4}$")
        self.assertEqual(inc["status"], "reported")
        self.assertIsNone(inc["level"])
        self.assertEqual(inc["level_rank"], 0)
        self.assertEqual(inc["category"], "system-failure")
        self.assertIs(inc["is_drill"], False)
        self.assertEqual(inc["reporter_id"], self.ids["staff"])
        self.assertEqual(inc["commander_id"], self.ids["hq"])
        self.assertIsInstance(inc["plan_version_id"], int)
        self.assertRegex(inc["reported_at"], TIME_RE)
        self.assertEqual(inc["detected_at"], inc["reported_at"])
        for f in ("acked_at", "activated_at", "resolved_at", "closed_at", "reviewed_at",
                  "dismissed_at"):
            self.assertIsNone(inc[f], f)
        self.assertEqual(inc["targets"]["ack_min"], 5)
        self.assertEqual(inc["targets"]["activate_min"], 15)
        self.assertEqual(inc["deadlines"]["ack"], plus(inc["reported_at"], 5))
        self.assertEqual(inc["deadlines"]["activate"], plus(inc["reported_at"], 15))
        self.assertIsNone(inc["deadlines"]["resolve"])
        self.assertEqual(inc["breaches"], [])
        self.assertIsNone(inc["proposed_level"])
        # Rights first, then the state, then the arguments: an unknown level
        # is 403 for staff, and for the leadership too while the report is
        # unacknowledged and the chain has not reached them (t0920_command).
        before = self.snapshot(inc)
        for who, action, body, status, code in (
                ("staff", "activate", {"level": "level-9"}, 403, "forbidden"),
                ("hq", "set-level", {"level": "level-9", "reason": "x"}, 403, "forbidden"),
                ("leader", "activate", {"level": "level-9"}, 403, "forbidden"),
                ("leader", "activate", {}, 403, "forbidden")):
            with self.subTest(order=(who, action, body)):
                self.assertError(self.c[who].post("/api/v1/incidents/%d/%s" % (inc["id"], action),
                                                  body), status, code)
        self.assertUnchanged(inc, before, "activations out of order")
        by_number = self.c["techie"].get("/api/v1/incidents/" + inc["number"])
        self.assertStatus(by_number, 200)
        self.assertEqual(by_number.body, self.get(inc))
        tl = self.timeline(inc)
        self.assertEqual([(e["kind"], e["actor_id"]) for e in tl],
                         [("report", self.ids["staff"])])
        self.check_step(inc)

        inc = self.step("hq", inc, "ack", "acknowledged")
        self.assertRegex(inc["acked_at"], TIME_RE)
        self.assertIsNone(inc["deadlines"]["ack"])
        self.assertEqual(inc["deadlines"]["activate"], plus(inc["reported_at"], 15))
        self.check_step(inc)
        # A level is needed, and one of the plan's.
        before = self.snapshot(inc)
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"], {}),
                         400, "missing_field", "level")
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"],
                                               {"level": "level-9"}), 400, "invalid", "level")
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/explode" % inc["id"], {}),
                         404, "not_found")
        self.assertUnchanged(inc, before, "bad activations")

        inc = self.step("leader", inc, "activate", "active", level="level-2")
        self.assertEqual((inc["level"], inc["level_rank"]), ("level-2", 2))
        # The ack and activate timers have run with the targets they had;
        # the level brings the resolve target.
        self.assertEqual(inc["targets"], {"ack_min": 5, "activate_min": 15, "resolve_min": 480})
        self.assertEqual(inc["deadlines"]["activate"], None)
        self.assertEqual(inc["deadlines"]["resolve"], plus(inc["activated_at"], 480))
        tasks = self.tasks(inc)
        self.assertEqual({(t["group"], t["title"]) for t in tasks}, MEASURES["level-2"])
        self.assertEqual(len(tasks), 5)
        for t in tasks:
            self.assertEqual((t["status"], t["origin"], t["incident_id"]),
                             ("todo", "measure:level-2", inc["id"]))
        self.check_step(inc)

        # The tech group works on its task; others may not touch it.
        tech = next(t for t in tasks if t["group"] == "tech")
        cmd = next(t for t in tasks if t["group"] == "command")
        before = self.snapshot(inc)
        for who in ("staff", "leader", "admin"):
            self.assertError(self.c[who].patch("/api/v1/tasks/%d" % tech["id"],
                                               {"status": "done"}), 403, "forbidden")
        self.assertError(self.c["techie"].patch("/api/v1/tasks/%d" % cmd["id"],
                                                {"status": "done"}), 403, "forbidden")
        self.assertError(self.c["techie"].patch("/api/v1/tasks/%d" % tech["id"],
                                                {"status": "finished"}), 400, "invalid", "status")
        self.assertUnchanged(inc, before, "refused task updates")
        r = self.c["techie"].patch("/api/v1/tasks/%d" % tech["id"],
                                   {"status": "doing", "assignee_id": self.ids["techie"]})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["status"], r.body["assignee_id"]), ("doing", self.ids["techie"]))
        r = self.c["techie"].patch("/api/v1/tasks/%d" % tech["id"],
                                   {"status": "done", "notes": "已切换到备库"})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["status"], r.body["notes"]), ("done", "已切换到备库"))
        r = self.c["hq"].patch("/api/v1/tasks/%d" % cmd["id"], {"status": "done"})
        self.assertStatus(r, 200)
        done = {t["id"]: t["status"] for t in self.tasks(inc)}
        self.assertEqual((done[tech["id"]], done[cmd["id"]]), ("done", "done"))
        task_entries = [e for e in self.timeline(inc)[len(before[1]):] if e["kind"] == "task"]
        self.assertEqual(len(task_entries), 3, task_entries)
        r = self.c["hq"].post("/api/v1/incidents/%d/notes" % inc["id"], {"text": "已通知厂商"})
        self.assertStatus(r, 201)
        self.assertEqual(self.timeline(inc)[-1]["kind"], "note")
        self.assertEqual(self.timeline(inc)[-1]["text"], "已通知厂商")

        # Resolve needs a summary.
        before = self.snapshot(inc)
        self.assertError(self.c["hq"].post("/api/v1/incidents/%d/resolve" % inc["id"], {}),
                         400, "missing_field", "summary")
        self.assertUnchanged(inc, before, "resolve without a summary")
        inc = self.step("hq", inc, "resolve", "resolved", summary="主备切换后恢复")
        self.assertRegex(inc["resolved_at"], TIME_RE)
        self.assertEqual(inc["summary"], "主备切换后恢复")
        self.assertIsNone(inc["deadlines"]["resolve"])
        self.check_step(inc)

        # Reopen (needs a reason), resolve again.
        before = self.snapshot(inc)
        self.assertError(self.c["hq"].post("/api/v1/incidents/%d/reopen" % inc["id"], {}),
                         400, "missing_field", "reason")
        self.assertUnchanged(inc, before, "reopen without a reason")
        inc = self.step("hq", inc, "reopen", "active", reason="故障复现")
        self.assertIsNone(inc["resolved_at"])
        self.assertEqual(inc["level"], "level-2")
        self.assertEqual(len(self.tasks(inc)), 5)
        self.check_step(inc)
        inc = self.step("hq", inc, "resolve", "resolved", summary="更换磁盘后恢复")

        inc = self.step("leader", inc, "close", "closed")
        self.assertRegex(inc["closed_at"], TIME_RE)
        self.check_step(inc)

        before = self.snapshot(inc)
        self.assertError(self.c["hq"].post("/api/v1/incidents/%d/review" % inc["id"], {}),
                         400, "missing_field", "review")
        self.assertError(self.c["hq"].post("/api/v1/incidents/%d/review" % inc["id"],
                                           {"review": {"impact": "x"}}),
                         400, "missing_field", "review.cause")
        self.assertUnchanged(inc, before, "reviews without a cause")
        review = {"cause": "磁盘故障", "impact": "登录中断 40 分钟", "went_well": "切换迅速",
                  "went_badly": "告警滞后", "lessons": "加强巡检",
                  "action_items": [{"title": "补充磁盘监控", "group": "tech",
                                    "plan_revision": True}]}
        inc = self.step("hq", inc, "review", "reviewed", review=review)
        self.assertRegex(inc["reviewed_at"], TIME_RE)
        self.assertEqual(inc["review"], review)
        items = [t for t in self.tasks(inc) if t["title"] == "补充磁盘监控"]
        self.assertEqual(len(items), 1, self.tasks(inc))
        self.assertEqual((items[0]["group"], items[0]["status"]), ("tech", "todo"))
        self.assertTrue(items[0]["origin"].startswith("review"), items[0])
        self.check_step(inc)
        # The timestamps of the life, in order.
        times = [inc[f] for f in ("reported_at", "acked_at", "activated_at", "resolved_at",
                                  "closed_at", "reviewed_at")]
        self.assertEqual(times, sorted(times))
        self.assertIsNone(inc["dismissed_at"])
        kinds = [e["kind"] for e in self.timeline(inc)]
        self.assertEqual(kinds[0], "report")
        # activate, and the duty to report it opens (level-2 is national III)
        self.assertEqual(kinds.count("level"), 2)
        self.assertEqual(kinds.count("status"), 6)  # ack, resolve x2, reopen, close, review

    def test_dismiss_from_reported_and_from_acknowledged(self):
        a = self.report("staff", title="监控误报")
        before = self.snapshot(a)
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/dismiss" % a["id"], {}),
                         400, "missing_field", "reason")
        self.assertUnchanged(a, before, "dismiss without a reason")
        a = self.step("leader", a, "dismiss", "dismissed", reason="监控误报")
        self.assertRegex(a["dismissed_at"], TIME_RE)
        self.assertIsNone(a["acked_at"])
        self.assertEqual(a["deadlines"], {"ack": None, "activate": None, "resolve": None})
        self.assertIn("监控误报", self.timeline(a)[-1]["text"])
        self.check_step(a)

        b = self.report("staff", title="短暂抖动")
        b = self.step("hq", b, "ack", "acknowledged")
        b = self.step("hq", b, "dismiss", "dismissed", reason="已自行恢复")
        self.assertRegex(b["dismissed_at"], TIME_RE)
        self.assertIsNone(b["activated_at"])
        self.assertEqual(self.tasks(b), [])
        self.check_step(b)

    def test_set_level_raise_and_lower(self):
        inc = self.report("staff", title="部分功能异常")
        inc = self.step("hq", inc, "ack", "acknowledged")
        inc = self.step("leader", inc, "activate", "active", level="level-2")
        self.assertEqual(len(self.tasks(inc)), 5)
        # Raising: leadership only; a reason is needed; not to the level in force.
        before = self.snapshot(inc)
        for who in ("hq", "techie", "staff", "admin"):
            self.assertError(self.c[who].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                              {"level": "level-1", "reason": "扩大"}),
                             403, "forbidden")
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                               {"level": "level-1"}),
                         400, "missing_field", "reason")
        self.assertError(self.c["leader"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                               {"reason": "扩大"}),
                         400, "missing_field", "level")
        r = self.c["leader"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                  {"level": "level-2", "reason": "不变"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.body["error"]["field"], "level", r)
        self.assertUnchanged(inc, before, "refused level changes")

        inc = self.step("leader", inc, "set-level", "active", level="level-1", reason="影响扩大")
        self.assertEqual((inc["level"], inc["level_rank"]), ("level-1", 1))
        self.assertEqual(inc["targets"]["resolve_min"], 240)
        self.assertEqual(inc["deadlines"]["resolve"], plus(inc["activated_at"], 240))
        tasks = self.tasks(inc)
        self.assertEqual({(t["group"], t["title"]) for t in tasks},
                         MEASURES["level-1"] | MEASURES["level-2"])
        self.assertEqual(len(tasks), 12)
        self.assertEqual(Counter(t["origin"] for t in tasks),
                         Counter({"measure:level-1": 7, "measure:level-2": 5}))

        # Lowering: command HQ may; no new tasks.
        for who in ("techie", "staff", "admin"):
            self.assertError(self.c[who].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                              {"level": "level-3", "reason": "缓解"}),
                             403, "forbidden")
        inc = self.step("hq", inc, "set-level", "active", level="level-3", reason="影响缓解")
        self.assertEqual((inc["level"], inc["level_rank"]), ("level-3", 3))
        self.assertEqual(inc["targets"]["resolve_min"], 1440)
        self.assertEqual(self.tasks(inc), tasks)
        # Command HQ still may not raise, not even to a level below the first.
        before = self.snapshot(inc)
        self.assertError(self.c["hq"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                           {"level": "level-2", "reason": "再扩大"}),
                         403, "forbidden")
        self.assertUnchanged(inc, before, "command HQ raising")
        # Raising again to levels whose measures are all there adds none.
        inc = self.step("leader", inc, "set-level", "active", level="level-2", reason="再扩大")
        self.assertEqual(self.tasks(inc), tasks)
        inc = self.step("leader", inc, "set-level", "active", level="level-1", reason="再扩大")
        self.assertEqual(self.tasks(inc), tasks)
        # The leadership may lower too.
        inc = self.step("leader", inc, "set-level", "active", level="level-2", reason="缓解")
        self.assertEqual(self.tasks(inc), tasks)
        levels = [e["data"].get("level") for e in self.timeline(inc)
                  if e["kind"] == "level" and "action" in e["data"]]
        self.assertEqual(levels, ["level-2", "level-1", "level-3", "level-2", "level-1",
                                  "level-2"])

    def test_proposed_level_sets_the_activation_target(self):
        inc = self.report("staff", title="个别功能异常", proposed_level="level-3",
                          detected_at="2020-01-02T03:04:05Z")
        self.assertEqual(inc["proposed_level"], "level-3")
        self.assertIsNone(inc["level"])
        self.assertEqual(inc["detected_at"], "2020-01-02T03:04:05.000Z")
        self.assertEqual(inc["targets"]["ack_min"], 5)       # the chain's second tier
        self.assertEqual(inc["targets"]["activate_min"], 120)  # level-3's
        self.assertEqual(inc["deadlines"]["ack"], plus(inc["reported_at"], 5))
        self.assertEqual(inc["deadlines"]["activate"], plus(inc["reported_at"], 120))
        drill = self.report("hq", title="演练", is_drill=True,
                            detected_at="2020-01-02T11:04:05+08:00")
        self.assertIs(drill["is_drill"], True)
        self.assertEqual(drill["detected_at"], "2020-01-02T03:04:05.000Z")

    def test_report_durations_and_escaping(self):
        evil = "<script>alert('x')</script>"
        inc = self.report("staff", title="报表 " + evil, description="描述 " + evil,
                          impact="<img src=x onerror=alert(1)>")
        self.act("hq", inc, "ack")
        self.act("leader", inc, "activate", level="level-3")
        self.act("hq", inc, "resolve", summary="已恢复 " + evil)
        self.act("leader", inc, "close")
        self.act("hq", inc, "review", review={"cause": "原因 " + evil, "lessons": "经验",
                                              "action_items": [{"title": "整改 " + evil}]})
        base = "/api/v1/incidents/%d/report" % inc["id"]
        md = {}
        for lang in ("zh-CN", "en"):
            r = self.c["staff"].get(base + "?format=md&lang=" + lang)
            self.assertStatus(r, 200)
            self.assertTrue(r.headers["content-type"].startswith("text/markdown"), r.headers)
            md[lang] = r.body
        for label in ("报告 → 确认", "确认 → 启动", "启动 → 处置完成", "处置完成 → 关闭", "达标"):
            self.assertIn(label, md["zh-CN"])
        for label in ("report → acknowledged", "acknowledged → activated",
                      "activated → resolved", "resolved → closed", "met"):
            self.assertIn(label, md["en"])
        for text in (inc["number"], "原因", "经验", "整改"):
            self.assertIn(text, md["zh-CN"])
            self.assertIn(text, md["en"])
        # Acknowledged at once: the ack target is met.
        row = next(l for l in md["en"].splitlines() if "report → acknowledged" in l)
        self.assertIn("met", row)
        self.assertNotIn("missed", row)
        r = self.c["staff"].get(base + "?lang=en")
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/html"), r.headers)
        html = r.body
        self.assertIn("<table", html)
        self.assertIn("report → acknowledged", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;", html)
        r = self.c["staff"].get(base + "?format=html&lang=zh-CN")
        self.assertStatus(r, 200)
        self.assertIn("报告 → 确认", r.body)
        self.assertNotIn("<script", r.body)
        self.assertError(self.c["staff"].get(base + "?format=docx"), 400, "invalid", "format")
        self.assertError(self.c["staff"].get("/api/v1/incidents/999999/report"),
                         404, "not_found")

    def test_bad_input_creates_nothing(self):
        base = {"title": "坏输入", "category": "system-failure"}
        before = list_all(self.admin, "/api/v1/incidents")
        cases = [
            ({"title": 42}, "wrong_type", "title"),
            ({"title": None}, "wrong_type", "title"),
            ({"category": ["system-failure"]}, "wrong_type", "category"),
            ({"is_drill": "yes"}, "wrong_type", "is_drill"),
            ({"description": 1}, "wrong_type", "description"),
            ({"severity": "high"}, "unknown_field", "severity"),
            ({"level": "level-1"}, "unknown_field", "level"),
            ({"detected_at": "yesterday"}, "invalid", "detected_at"),
            ({"detected_at": "2026-13-01T00:00:00Z"}, "invalid", "detected_at"),
            ({"detected_at": "2026-01-01 00:00:00"}, "invalid", "detected_at"),
            ({"detected_at": "2999-01-01T00:00:00Z"}, "invalid", "detected_at"),
            ({"proposed_level": "level-9"}, "invalid", "proposed_level"),
            ({"category": "earthquake"}, "invalid", "category"),
            ({"title": "长" * 5000}, "invalid", "title"),
            ({"title": ""}, "invalid", "title"),
        ]
        for extra, code, field in cases:
            with self.subTest(extra=str(extra)[:60]):
                body = dict(base, **extra)
                self.assertError(self.c["staff"].post("/api/v1/incidents", body),
                                 400, code, field)
        for missing in ("title", "category"):
            body = dict(base)
            del body[missing]
            self.assertError(self.c["staff"].post("/api/v1/incidents", body),
                             400, "missing_field", missing)
        self.assertError(self.c["staff"].post("/api/v1/incidents", raw=b"{\"title\": "),
                         400, "bad_json")
        self.assertError(self.c["staff"].post("/api/v1/incidents", ["x"]), 400, "wrong_type")
        self.assertError(self.server.client().post("/api/v1/incidents", base),
                         401, "unauthorized")
        self.assertEqual(list_all(self.admin, "/api/v1/incidents"), before)

        # Actions: wrong types and unknown fields change nothing.
        inc = self.report("staff", title="动作坏输入")
        snap = self.snapshot(inc)
        url = "/api/v1/incidents/%d/" % inc["id"]
        self.assertError(self.c["hq"].post(url + "ack", {"force": True}),
                         400, "unknown_field", "force")
        self.assertError(self.c["hq"].post(url + "dismiss", {"reason": 7}),
                         400, "wrong_type", "reason")
        self.assertError(self.c["hq"].post(url + "ack", raw=b"not json"), 400, "bad_json")
        self.assertError(self.c["hq"].post("/api/v1/incidents/999999/ack", {}), 404, "not_found")
        self.assertError(self.c["hq"].post("/api/v1/incidents/INC-1999-0001/ack", {}),
                         404, "not_found")
        self.assertError(self.c["staff"].get("/api/v1/incidents/999999"), 404, "not_found")
        self.act("hq", inc, "ack")
        snap = self.snapshot(inc)
        self.assertError(self.c["leader"].post(url + "activate", {"level": 2}),
                         400, "wrong_type", "level")
        self.assertError(self.c["leader"].post(url + "activate", {"level": "level-2",
                                                                  "colour": "red"}),
                         400, "unknown_field", "colour")
        self.assertUnchanged(inc, snap, "bad actions")
        self.act("leader", inc, "activate", level="level-3")
        self.act("hq", inc, "resolve", summary="好了")
        self.act("leader", inc, "close")
        snap = self.snapshot(inc)
        self.assertError(self.c["hq"].post(url + "review", {"review": "写好了"}),
                         400, "wrong_type", "review")
        r = self.c["hq"].post(url + "review", {"review": {"cause": "x", "mood": "bad"}})
        self.assertError(r, 400, "unknown_field")
        self.assertTrue(r.body["error"].get("field", "").startswith("review"), r.body)
        r = self.c["hq"].post(url + "review", {"review": {"cause": "x",
                                                          "action_items": [{"group": "tech"}]}})
        self.assertError(r, 400, "missing_field")
        self.assertTrue(r.body["error"].get("field", "").startswith("review"), r.body)
        self.assertUnchanged(inc, snap, "bad reviews")
        # Task updates: wrong types, unknown fields.
        task = self.tasks(inc)[0]
        self.assertError(self.c["hq"].patch("/api/v1/tasks/%d" % task["id"], {"status": 1}),
                         400, "wrong_type", "status")
        self.assertError(self.c["hq"].patch("/api/v1/tasks/%d" % task["id"], {"owner": 1}),
                         400, "unknown_field", "owner")
        self.assertError(self.c["hq"].patch("/api/v1/tasks/%d" % task["id"],
                                            {"due_at": "tomorrow"}), 400, "invalid", "due_at")
        self.assertError(self.c["hq"].patch("/api/v1/tasks/999999", {"status": "done"}),
                         404, "not_found")
        self.assertUnchanged(inc, snap, "bad task updates")


class Search(OrgTestCase):
    """Search, filters and pagination, on a server of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.c
        mk = cls._mk
        cls.db = mk(c["staff"], title="核心数据库主库宕机", category="system-failure",
                    description="主从切换失败")
        cls.attack = mk(c["staff"], title="网站遭受攻击", category="network-attack")
        cls.leak = mk(c["techie"], title="客户资料外泄", category="data-leak")
        cls.drill = mk(c["hq"], title="年度演练：机房断电", category="system-failure",
                       is_drill=True)
        cls.plain = mk(c["staff"], title="Disk almost full on app01", category="system-failure")
        r = c["hq"].post("/api/v1/incidents/%d/ack" % cls.attack["id"], {})
        assert r.status == 200, r
        r = c["hq"].post("/api/v1/incidents/%d/notes" % cls.leak["id"],
                         {"text": "疑似勒索软件加密了文件服务器"})
        assert r.status == 201, r
        cls.all = [cls.plain, cls.drill, cls.leak, cls.attack, cls.db]  # newest first

    @classmethod
    def _mk(cls, client, **body):
        r = client.post("/api/v1/incidents", body)
        assert r.status == 201, r
        return r.body

    def found(self, query="", who="staff"):
        """The ids listed for query ("?a=b&c=d", values not yet encoded)."""
        args = [kv.partition("=") for kv in query.lstrip("?").split("&") if kv]
        url = "/api/v1/incidents"
        if args:
            url += "?" + urlencode([(k, v) for k, _, v in args])
        r = self.c[who].get(url)
        self.assertStatus(r, 200)
        return [i["id"] for i in r.body["items"]]

    def test_chinese_search_also_two_characters_and_notes(self):
        self.assertEqual(self.found("?q=数据库"), [self.db["id"]])
        self.assertEqual(self.found("?q=主库"), [self.db["id"]])
        self.assertEqual(self.found("?q=宕机"), [self.db["id"]])
        self.assertEqual(self.found("?q=核心数据库主库宕机"), [self.db["id"]])
        self.assertEqual(self.found("?q=主从切换"), [self.db["id"]])  # the description
        self.assertEqual(self.found("?q=勒索软件"), [self.leak["id"]])  # a note
        self.assertEqual(self.found("?q=勒索"), [self.leak["id"]])
        self.assertEqual(self.found("?q=宕"), [self.db["id"]])  # one character
        self.assertEqual(self.found("?q=disk"), [self.plain["id"]])
        self.assertEqual(self.found("?q=火星基地"), [])
        self.assertEqual(self.found("?q=数据湖"), [])
        self.assertEqual(self.found("?q=数据库&status=dismissed"), [])
        self.assertEqual(self.found("?q=数据库&category=system-failure"), [self.db["id"]])

    def test_filters(self):
        every = [i["id"] for i in self.all]
        self.assertEqual(self.found(""), every)
        self.assertEqual(self.found("?status=acknowledged"), [self.attack["id"]])
        self.assertEqual(self.found("?status=reported"),
                         [i for i in every if i != self.attack["id"]])
        self.assertEqual(self.found("?status=closed"), [])
        self.assertEqual(self.found("?category=network-attack"), [self.attack["id"]])
        self.assertEqual(self.found("?category=system-failure"),
                         [self.plain["id"], self.drill["id"], self.db["id"]])
        self.assertEqual(self.found("?is_drill=true"), [self.drill["id"]])
        self.assertEqual(self.found("?is_drill=false"),
                         [i for i in every if i != self.drill["id"]])
        self.assertEqual(self.found("?category=system-failure&is_drill=false&status=reported"),
                         [self.plain["id"], self.db["id"]])
        self.assertEqual(self.found("?level=level-1"), [])
        t = self.db["reported_at"]
        self.assertEqual(self.found("?from=" + plus(t, ms=-1)), every)
        self.assertEqual(self.found("?to=" + plus(t, minutes=-1)), [])
        self.assertError(self.c["staff"].get("/api/v1/incidents?status=open"),
                         400, "invalid", "status")
        self.assertError(self.c["staff"].get("/api/v1/incidents?is_drill=maybe"),
                         400, "invalid", "is_drill")
        self.assertError(self.c["staff"].get("/api/v1/incidents?from=today"),
                         400, "invalid", "from")
        self.assertError(self.server.client().get("/api/v1/incidents"), 401, "unauthorized")

    def test_pagination(self):
        every = [i["id"] for i in self.all]
        seen, cursor, pages = [], None, 0
        while True:
            url = "/api/v1/incidents?limit=2" + ("&cursor=" + cursor if cursor else "")
            r = self.c["staff"].get(url)
            self.assertStatus(r, 200)
            self.assertLessEqual(len(r.body["items"]), 2)
            seen += [i["id"] for i in r.body["items"]]
            pages += 1
            cursor = r.body["next_cursor"]
            if not cursor:
                break
            self.assertLess(pages, 10, "pagination does not end")
        self.assertEqual(seen, every)
        self.assertEqual(pages, 3)
        # Pages of a filtered list.
        r = self.c["staff"].get("/api/v1/incidents?category=system-failure&limit=2")
        self.assertEqual([i["id"] for i in r.body["items"]], [self.plain["id"], self.drill["id"]])
        r = self.c["staff"].get("/api/v1/incidents?category=system-failure&limit=2&cursor="
                                + r.body["next_cursor"])
        self.assertEqual([i["id"] for i in r.body["items"]], [self.db["id"]])
        self.assertIsNone(r.body["next_cursor"])
        for bad in ("limit=0", "limit=501", "limit=x", "cursor=%25%25"):
            r = self.c["staff"].get("/api/v1/incidents?" + bad)
            self.assertEqual(r.status, 400, (bad, r))


class ConcurrentReports(OrgTestCase):
    """8 clients x 100 reports at once, on a server of their own."""

    CLIENTS, EACH = 8, 100

    def test_concurrent_reports_are_numbered_without_gaps(self):
        results = [[] for _ in range(self.CLIENTS)]
        errors = []
        start = threading.Barrier(self.CLIENTS)
        bearer = self.c["staff"].bearer

        def worker(k):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
            try:
                start.wait()
                for i in range(self.EACH):
                    body = json.dumps({"title": "并发报告 %d-%d" % (k, i),
                                       "category": "system-failure"}).encode()
                    conn.request("POST", "/api/v1/incidents", body=body, headers={
                        "Authorization": "Bearer " + bearer,
                        "Content-Type": "application/json"})
                    resp = conn.getresponse()
                    payload = resp.read()
                    if resp.status != 201:
                        errors.append((k, i, resp.status, payload[:200]))
                        continue
                    results[k].append(json.loads(payload))
                    if resp.will_close:
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                                          timeout=60)
            except Exception as e:  # reported below
                errors.append((k, repr(e)))
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(self.CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(240)
        self.assertFalse(any(t.is_alive() for t in threads), "a reporter hangs")
        self.assertEqual(errors, [])
        made = [inc for res in results for inc in res]
        total = self.CLIENTS * self.EACH
        self.assertEqual(len(made), total)
        numbers = [inc["number"] for inc in made]
        self.assertEqual(len(set(numbers)), total, "numbers not unique")
        years = {inc["reported_at"][:4] for inc in made}
        self.assertEqual(len(years), 1, years)
        year = years.pop()
        self.assertEqual(set(numbers), {"INC-%s-%04d" % (year, n) for n in range(1, total + 1)})
        # Within one client, numbers grow with time.
        for res in results:
            ns = [int(inc["number"][-4:]) for inc in res]
            self.assertEqual(ns, sorted(ns))
        # Nothing lost: the list has them all, newest first.
        listed = list_all(self.c["staff"], "/api/v1/incidents", limit=97)
        self.assertEqual(len(listed), total)
        self.assertEqual({i["id"] for i in listed}, {inc["id"] for inc in made})
        self.assertEqual({i["number"] for i in listed}, set(numbers))
        ids = [i["id"] for i in listed]
        self.assertEqual(ids, sorted(ids, reverse=True))
        by_number = {i["number"]: i for i in listed}
        for inc in made:
            self.assertEqual(by_number[inc["number"]]["title"], inc["title"])


class Breaches(OrgTestCase):
    """Targets breached on the test clock."""

    server_args = ("--test-clock",)

    def clock(self, now, breaches):
        r = self.admin.post("/api/v1/test/clock", {"now": now})
        self.assertStatus(r, 200)
        self.assertEqual(r.body, {"now": now, "breaches": breaches})

    def breach_entries(self, inc):
        return [e for e in self.timeline(inc) if e["kind"] == "breach"]

    def test_each_target_breached_once(self):
        # Only an administrator sets the clock.
        self.assertError(self.c["leader"].post("/api/v1/test/clock",
                                               {"now": "2030-01-01T00:00:00.000Z"}),
                         403, "forbidden")
        self.assertError(self.admin.post("/api/v1/test/clock", {"now": "soon"}), 400, "invalid")
        inc = self.report("staff", title="无人确认的故障")
        t0 = inc["reported_at"]
        self.assertEqual(inc["deadlines"]["ack"], plus(t0, 5))
        self.assertEqual(inc["deadlines"]["activate"], plus(t0, 15))
        # The ack target: 5 minutes (the reporting chain's second tier).
        self.clock(plus(t0, 5, -1), 0)
        self.assertEqual(self.get(inc)["breaches"], [])
        self.assertEqual(self.breach_entries(inc), [])
        self.clock(plus(t0, 5), 1)
        inc = self.get(inc)
        self.assertEqual(inc["breaches"], ["ack"])
        entries = self.breach_entries(inc)
        self.assertEqual(len(entries), 1, entries)
        self.assertEqual(entries[0]["at"], plus(t0, 5))
        self.assertIsNone(entries[0]["actor_id"])
        self.assertEqual(entries[0]["data"].get("target"), "ack")
        # Later: nothing new until the activate target (15 minutes).
        self.clock(plus(t0, 6), 0)
        self.clock(plus(t0, 15, -1), 0)
        self.assertEqual(len(self.breach_entries(inc)), 1)
        self.clock(plus(t0, 15), 1)
        self.assertEqual(self.get(inc)["breaches"], ["ack", "activate"])
        # Late steps; then the resolve target, from the activation.
        self.clock(plus(t0, 20), 0)
        self.act("hq", inc, "ack")
        self.clock(plus(t0, 30), 0)
        inc = self.act("leader", inc, "activate", level="level-3")
        self.assertEqual(inc["activated_at"], plus(t0, 30))
        self.assertEqual(inc["deadlines"]["resolve"], plus(t0, 30 + 1440))
        self.clock(plus(t0, 30 + 1440, -1), 0)
        self.clock(plus(t0, 30 + 1440), 1)
        self.clock(plus(t0, 30 + 1440 + 60), 0)
        inc = self.get(inc)
        self.assertEqual(inc["breaches"], ["ack", "activate", "resolve"])
        entries = self.breach_entries(inc)
        self.assertEqual([e["data"].get("target") for e in entries],
                         ["ack", "activate", "resolve"])
        self.assertEqual([e["at"] for e in entries],
                         [plus(t0, 5), plus(t0, 15), plus(t0, 30 + 1440)])
        # The report agrees with the breaches recorded: each of the three
        # targets was missed.
        self.act("hq", inc, "resolve", summary="终于恢复")
        md = self.c["staff"].get("/api/v1/incidents/%d/report?format=md&lang=en" % inc["id"]).body
        for step in ("report → acknowledged", "acknowledged → activated",
                     "activated → resolved"):
            with self.subTest(step=step):
                row = next(l for l in md.splitlines() if step in l)
                self.assertIn("missed", row)
        # One breach event per target on the event stream (replayed from the start).
        marker = "breach-test-marker"
        r = self.c["hq"].post("/api/v1/incidents/%d/notes" % inc["id"], {"text": marker})
        self.assertStatus(r, 201)
        events = read_events(self.server, self.c["staff"].bearer, last_event_id=0,
                             until=lambda e: e["event"] == "timeline"
                             and e["data"].get("text") == marker)
        ids = [e["id"] for e in events]
        self.assertEqual(ids, sorted(set(ids)))
        breaches = [e["data"] for e in events if e["event"] == "breach"]
        self.assertEqual(Counter(b.get("target") for b in breaches
                                 if b.get("number") == inc["number"]),
                         Counter({"ack": 1, "activate": 1, "resolve": 1}), breaches)


class NoPlan(ServerTestCase):
    def test_report_without_a_plan_in_force(self):
        admin = self.server.admin()
        r = admin.post("/api/v1/incidents", {"title": "没有预案", "category": "system-failure"})
        self.assertError(r, 409, "conflict")
        self.assertEqual(list_all(admin, "/api/v1/incidents"), [])


if __name__ == "__main__":
    unittest.main()
