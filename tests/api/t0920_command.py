"""Command without getting stuck (test clock, the sample plan, webhook
receivers for command HQ and the leadership):

- Leadership: before the reporting chain reaches the leadership group, a
  leader may not acknowledge (403) nor activate a report nobody
  acknowledged (403); once the chain's leadership tier is told, a leader
  may acknowledge, activate straight from `reported` (which acknowledges
  too) and dismiss; the incident says chain_reached_leadership.
- The acknowledgement carries command HQ's assessment and proposed level
  (stored, on the timeline); a bad level is 400 on proposed_level and
  changes nothing; an assessment on another step is 400.
- Tasks: raising the level adds only the measures not there yet; lowering
  and raising again adds none; the incident counts open and blocked
  tasks; resolving with open tasks is still allowed through the API; a
  task's changes (status, assignee, due time, notes) are on its history.
- Drills: timed injects are delivered at their minute (a timeline entry
  on the drill incident and a message to the participants' group),
  exactly once; a drill cannot complete while its incident is open (409,
  in Chinese too); a planned and a running drill can be cancelled; the
  compliance counts neither a cancelled drill nor one whose incident was
  dismissed.
"""

import json
import os
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import wait_until  # noqa: E402
import t0300_notify as notify  # noqa: E402
from t0300_notify import plus  # noqa: E402

YEAR = datetime.now(timezone.utc).year


class Command(notify.NotifyTestCase):
    server_args = ("--test-clock", "--public-url", notify.PUBLIC)
    now = None

    @classmethod
    def setup_channels(cls):
        cls.hook_command_and_leadership()
        cls.now = "%d-06-01T00:00:00.000Z" % YEAR
        r = cls.admin.post("/api/v1/test/clock", {"now": cls.now})
        assert r.status == 200, r

    # -- helpers --------------------------------------------------------------

    def clock(self, minutes):
        """Move the test clock on by `minutes` (it never goes back)."""
        Command.now = plus(Command.now, minutes)
        r = self.admin.post("/api/v1/test/clock", {"now": Command.now})
        self.assertStatus(r, 200)

    def get(self, inc):
        r = self.c["staff"].get("/api/v1/incidents/%d" % inc["id"])
        self.assertStatus(r, 200)
        return r.body

    def act(self, who, inc, action, status=200, **body):
        r = self.c[who].post("/api/v1/incidents/%d/%s" % (inc["id"], action), body)
        self.assertEqual(r.status, status, (who, action, r))
        return r

    def tasks(self, inc):
        return self.c["staff"].get("/api/v1/incidents/%d/tasks" % inc["id"]).body["items"]

    # -- leadership -----------------------------------------------------------

    def test_leadership_decides_once_the_chain_reaches_them(self):
        inc = self.report(title="无人确认的故障")
        self.assertIs(self.get(inc)["chain_reached_leadership"], False)
        # Command HQ silent, the chain not at the leadership yet (15 min).
        self.clock(14)
        self.assertError(self.act("leader", inc, "ack", 403), 403, "forbidden")
        self.assertError(self.act("leader", inc, "activate", 403, level="level-1"),
                         403, "forbidden")
        self.assertEqual(self.get(inc)["status"], "reported")

        self.clock(1)
        got = self.get(inc)
        self.assertIs(got["chain_reached_leadership"], True)
        self.assertIn("activate", got["actions"])
        wait_until(lambda: self.http.received(lambda r: r.path.startswith("/leadership")),
                   what="the leadership's tier")
        r = self.act("leader", inc, "ack", assessment="核心交易中断，影响全部用户",
                     proposed_level="level-1")
        self.assertEqual(r.body["status"], "acknowledged")
        self.assertEqual(r.body["assessment"], "核心交易中断，影响全部用户")
        self.assertEqual(r.body["proposed_level"], "level-1")
        entry = [e for e in self.timeline(inc) if e["data"].get("key", "").startswith("tl.assessment")]
        self.assertEqual(len(entry), 1, self.timeline(inc))
        self.assertEqual(entry[0]["data"]["key"], "tl.assessment_level")
        self.assertEqual(entry[0]["data"]["params"]["level"], "level-1")
        self.assertEqual(entry[0]["actor_id"], self.ids["leader"])
        r = self.act("leader", inc, "activate", level="level-1")
        self.assertEqual(r.body["status"], "active")

        # Straight from reported: the decision acknowledges too.
        inc2 = self.report(title="再次无人确认")
        self.clock(15)
        r = self.act("leader", inc2, "activate", level="level-2")
        self.assertEqual(r.body["status"], "active")
        self.assertEqual(r.body["acked_at"], r.body["activated_at"])
        self.assertEqual(len(self.tasks(inc2)), 5)
        # ... and dismiss.
        inc3 = self.report(title="误报")
        self.clock(15)
        r = self.act("leader", inc3, "dismiss", reason="误报，系统正常")
        self.assertEqual(r.body["status"], "dismissed")
        # Others gain nothing from the chain.
        inc4 = self.report(title="仍无人确认")
        self.clock(15)
        self.assertError(self.act("staff", inc4, "ack", 403), 403, "forbidden")
        self.assertError(self.act("duty", inc4, "activate", 403, level="level-1"),
                         403, "forbidden")
        self.act("duty", inc4, "ack")

    def test_ack_with_assessment_and_bad_input(self):
        inc = self.report(title="待研判")
        before = self.get(inc)
        for body, field in (({"proposed_level": "level-9"}, "proposed_level"),
                            ({"proposed_level": ""}, "proposed_level"),
                            ({"assessment": 5}, "assessment")):
            with self.subTest(body=body):
                r = self.c["hq"].post("/api/v1/incidents/%d/ack" % inc["id"], body)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.body["error"]["field"], field, r)
        after = self.get(inc)
        self.assertEqual((after["status"], after["assessment"], after["proposed_level"],
                          after["updated_at"]),
                         ("reported", "", None, before["updated_at"]))
        self.assertEqual([e for e in self.timeline(inc) if e["data"].get("key", "").startswith("tl.assessment")], [])

        r = self.act("hq", inc, "ack", assessment="门户登录缓慢，约三成用户受影响",
                     proposed_level="level-2")
        self.assertEqual((r.body["assessment"], r.body["proposed_level"]),
                         ("门户登录缓慢，约三成用户受影响", "level-2"))
        got = self.get(inc)
        self.assertEqual(got["assessment"], "门户登录缓慢，约三成用户受影响")
        # An assessment goes with the acknowledgement only.
        r = self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"],
                                  {"level": "level-2", "assessment": "x"})
        self.assertError(r, 400, "invalid", "assessment")
        self.assertEqual(self.get(inc)["status"], "acknowledged")
        # The list shows the assessment too.
        rows = self.c["staff"].get("/api/v1/incidents?limit=50").body["items"]
        self.assertEqual(next(x for x in rows if x["id"] == inc["id"])["assessment"],
                         "门户登录缓慢，约三成用户受影响")

    # -- tasks ----------------------------------------------------------------

    def test_relevel_adds_only_new_measures_and_counts(self):
        inc = self.report(title="逐步升级")
        self.act("hq", inc, "ack")
        self.act("leader", inc, "activate", level="level-2")
        two = self.tasks(inc)
        self.assertEqual(len(two), 5)
        self.act("leader", inc, "set-level", level="level-1", reason="影响扩大")
        one = self.tasks(inc)
        self.assertEqual(len(one), 12)
        titles = [(t["group"], t["title"]) for t in one]
        self.assertEqual(len(titles), len(set(titles)), titles)
        self.act("hq", inc, "set-level", level="level-2", reason="影响缩小")
        self.act("leader", inc, "set-level", level="level-1", reason="再次扩大")
        self.assertEqual(len(self.tasks(inc)), 12)

        got = self.get(inc)
        self.assertEqual((got["open_tasks"], got["blocked_tasks"]), (12, 0))
        tech = next(t for t in one if t["group"] == "tech")
        r = self.c["hq"].patch("/api/v1/tasks/%d" % tech["id"], {
            "status": "blocked", "assignee_id": self.ids["duty"],
            "due_at": plus(Command.now, 60), "notes": "等待厂商备件"})
        self.assertStatus(r, 200)
        for t in [x for x in one if x["id"] != tech["id"]][:3]:
            self.assertStatus(self.c["hq"].patch("/api/v1/tasks/%d" % t["id"],
                                                 {"status": "done"}), 200)
        got = self.get(inc)
        self.assertEqual((got["open_tasks"], got["blocked_tasks"]), (8, 1))
        # The task's history: what changed, field by field.
        hist = [e for e in self.timeline(inc) if e["kind"] == "task"
                and e["data"].get("task") == tech["id"] and e["data"]["change"] == "updated"]
        self.assertEqual(len(hist), 1, hist)
        ch = hist[0]["data"]["changes"]
        self.assertEqual(ch["status"], {"from": "todo", "to": "blocked"})
        self.assertEqual(ch["assignee_id"], {"from": None, "to": self.ids["duty"]})
        self.assertEqual(ch["notes"], "等待厂商备件")
        self.assertEqual(ch["due_at"]["from"], None)
        self.assertEqual(hist[0]["actor_id"], self.ids["hq"])
        # Resolving with open tasks is allowed (the console warns).
        r = self.act("hq", inc, "resolve", summary="已恢复")
        self.assertEqual((r.body["status"], r.body["open_tasks"], r.body["blocked_tasks"]),
                         ("resolved", 8, 1))

    # -- drills ---------------------------------------------------------------

    def drill(self, category="network-attack", **fields):
        body = {"title": "网络攻击桌面推演", "kind": "tabletop", "category": category,
                "scheduled_at": Command.now, "minutes": 60,
                "participants": ["应急指挥部", "某某"],
                "injects": [{"at_min": 0, "text": "流量告警：入口带宽打满"},
                            {"at_min": 3, "text": "攻击者索要赎金"}], **fields}
        r = self.c["hq"].post("/api/v1/drills", body)
        self.assertStatus(r, 201)
        return r.body

    def step(self, d, step, status=200, **body):
        r = self.c["hq"].post("/api/v1/drills/%d/%s" % (d["id"], step), body)
        self.assertEqual(r.status, status, (step, r))
        return r

    def injects_on(self, inc_id):
        r = self.c["staff"].get("/api/v1/incidents/%d/timeline" % inc_id)
        return [e for e in r.body["items"] if e["data"].get("key") == "tl.drill_inject"]

    def inject_hooks(self, text):
        return self.http.received(lambda r: r.path.startswith("/command")
                                  and text.encode() in r.body)

    def test_drill_injects_complete_cancel_compliance(self):
        compliance0 = self.c["staff"].get("/api/v1/drills/compliance?year=%d" % YEAR).body
        done0 = {(x["category"], x["kind"]): x["done"] for x in compliance0["lines"]}
        d = self.drill()
        d = self.step(d, "start").body
        inc = d["incident_id"]
        # The minute-0 inject comes with the next tick.
        first = wait_until(lambda: self.injects_on(inc), what="the minute-0 inject")
        self.assertEqual(len(first), 1)
        self.assertEqual(first[0]["data"]["key"], "tl.drill_inject")
        self.assertEqual(first[0]["data"]["params"]["text"], "流量告警：入口带宽打满")
        wait_until(lambda: self.inject_hooks("流量告警：入口带宽打满"),
                   what="the inject's message to command HQ")
        self.clock(2)
        self.assertEqual(len(self.injects_on(inc)), 1)
        self.clock(1)
        self.assertEqual([e["data"]["params"]["text"] for e in self.injects_on(inc)],
                         ["流量告警：入口带宽打满", "攻击者索要赎金"])
        wait_until(lambda: self.inject_hooks("攻击者索要赎金"), what="the second message")
        got = self.c["staff"].get("/api/v1/drills/%d" % d["id"]).body
        self.assertTrue(all(i.get("delivered_at") for i in got["injects"]), got)
        # Exactly once, however many ticks follow.
        self.clock(5)
        self.clock(5)
        self.assertEqual(len(self.injects_on(inc)), 2)
        hooks = self.inject_hooks("攻击者索要赎金") + self.inject_hooks("流量告警：入口带宽打满")
        self.assertEqual(len({json.loads(h.body).get("idempotency_key", h.body) for h in hooks}),
                         2, [h.body for h in hooks])

        # Not complete while its incident is open.
        for lang, word in (("en", "still"), ("zh-CN", "演练事件仍在处置中")):
            r = self.c["hq"].post("/api/v1/drills/%d/complete" % d["id"], {},
                                  headers={"Accept-Language": lang})
            self.assertError(r, 409, "drill_incident_open")
            self.assertIn(word, r.body["error"]["message"])
        self.assertEqual(self.c["staff"].get("/api/v1/drills/%d" % d["id"]).body["status"],
                         "running")
        self.act("hq", {"id": inc}, "dismiss", reason="演练中止")
        self.assertEqual(self.step(d, "complete").body["status"], "completed")

        # A completed one that counts, a planned and a running one cancelled.
        d2 = self.step(self.drill(injects=[]), "start").body
        self.act("hq", {"id": d2["incident_id"]}, "ack")
        self.act("leader", {"id": d2["incident_id"]}, "activate", level="level-3")
        self.act("hq", {"id": d2["incident_id"]}, "resolve", summary="演练处置完毕")
        self.assertEqual(self.step(d2, "complete").body["status"], "completed")
        d3 = self.drill(injects=[])
        self.assertEqual(self.step(d3, "cancel").body["status"], "cancelled")
        d4 = self.step(self.drill(injects=[{"at_min": 1, "text": "不应送达的注入"}]),
                       "start").body
        self.assertEqual(self.step(d4, "cancel").body["status"], "cancelled")
        self.clock(2)
        self.assertEqual(self.injects_on(d4["incident_id"]), [])
        self.step(d4, "complete", 409)

        c = self.c["staff"].get("/api/v1/drills/compliance?year=%d" % YEAR).body
        done = {(x["category"], x["kind"]): x["done"] for x in c["lines"]}
        self.assertEqual(done[("network-attack", "any")],
                         done0.get(("network-attack", "any"), 0) + 1, c)


if __name__ == "__main__":
    unittest.main()
