"""Drills: planned, started (a drill incident that runs the real workflow,
its messages marked as drill), completed and evaluated (scores, durations
against the level's targets, findings that become tasks); compliance
reports the other six categories as outstanding; command HQ is told near
the year's end, once; drill incidents stay out of the statistics; the .ics
feed parses; bad input changes nothing; rights."""

import os
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import run_erms  # noqa: E402
from receivers import use_debian_python, wait_until  # noqa: E402
import t0300_notify as notify  # noqa: E402

use_debian_python("icalendar")
import icalendar  # noqa: E402

CATEGORIES = ["system-failure", "network-attack", "data-leak", "hardware-failure",
              "software-vuln", "operator-error", "natural-disaster"]


class Drills(notify.NotifyTestCase):
    server_args = ("--test-clock", "--public-url", notify.PUBLIC,
                   "--drill-warn-days", "30")

    @classmethod
    def setup_channels(cls):
        cls.cmd_hook = cls.add_channel("command-hook", "webhook", {
            "url": cls.http.url("/command"), "secret": notify.SECRETS["webhook"]})
        cls.link("command", cls.cmd_hook)
        # The year-end warning is tested on the test clock: hold it in the
        # middle of the year until then, whatever the real date.
        year = datetime.now(timezone.utc).year
        r = cls.admin.post("/api/v1/test/clock", {"now": "%d-06-01T00:00:00Z" % year})
        assert r.status == 200, r

    def plan(self, who="hq", status=201, **fields):
        body = {"title": "核心系统宕机实战演练", "kind": "live", "category": "system-failure",
                "level": "level-2", "scheduled_at": "2026-12-10T02:00:00.000Z",
                "minutes": 120, "location": "指挥中心",
                "participants": ["应急指挥部", "技术保障组"],
                "scenario": "核心数据库主库宕机，业务中断。",
                "injects": [{"at_min": 0, "text": "监控告警：数据库连接失败"},
                            {"at_min": 20, "text": "备库切换失败"}], **fields}
        r = self.c[who].post("/api/v1/drills", body)
        self.assertEqual(r.status, status, r)
        return r.body

    def drills(self):
        return self.c["staff"].get("/api/v1/drills").body["items"]

    def step(self, drill, step, who="hq", **body):
        r = self.c[who].post("/api/v1/drills/%d/%s" % (drill["id"], step), body)
        self.assertEqual(r.status, 200, r)
        return r.body

    def act(self, who, inc, action, **body):
        r = self.c[who].post("/api/v1/incidents/%d/%s" % (inc, action), body)
        self.assertEqual(r.status, 200, (action, r))
        return r.body

    def test_a_drill_from_plan_to_evaluation(self):
        year = datetime.now(timezone.utc).year
        stats0 = self.c["staff"].get("/api/v1/stats").body
        d = self.plan()
        self.assertEqual(d["status"], "planned")
        self.assertEqual(d["participants"], ["应急指挥部", "技术保障组"])
        self.assertEqual(d["injects"][1], {"at_min": 20, "text": "备库切换失败"})
        self.assertIsNone(d["incident_id"])

        d = self.step(d, "start")
        self.assertEqual(d["status"], "running")
        inc = self.c["staff"].get("/api/v1/incidents/%d" % d["incident_id"]).body
        self.assertIs(inc["is_drill"], True)
        self.assertEqual(inc["category"], "system-failure")
        self.assertEqual(inc["proposed_level"], "level-2")
        self.assertError(self.c["hq"].post("/api/v1/drills/%d/start" % d["id"], {}),
                         409, "conflict")
        # The real workflow, and its messages are marked as drill.
        self.act("hq", inc["id"], "ack")
        self.act("leader", inc["id"], "activate", level="level-2")
        self.act("hq", inc["id"], "resolve", summary="切换到备库")
        self.act("leader", inc["id"], "close")
        self.act("hq", inc["id"], "review", review={"cause": "演练：主库宕机"})
        hook = wait_until(lambda: self.http.received(
            lambda r: r.path.startswith("/command")
            and "[演练]".encode() in r.body), what="a drill message to command HQ")
        self.assertTrue(hook)

        d = self.step(d, "complete")
        self.assertEqual(d["status"], "completed")
        # A bad evaluation changes nothing.
        for body, field in (({}, "scores"),
                            ({"scores": [{"criterion": "响应", "score": 11, "max": 10}]}, "scores"),
                            ({"scores": [{"criterion": "响应", "score": 1, "max": 10}],
                              "findings": [{"title": "x", "group": "nobody"}]}, "findings")):
            with self.subTest(body=body):
                self.assertError(self.c["hq"].post("/api/v1/drills/%d/evaluate" % d["id"], body),
                                 400, "invalid", field)
        self.assertEqual(self.c["staff"].get("/api/v1/drills/%d" % d["id"]).body["status"],
                         "completed")
        tasks0 = self.c["staff"].get("/api/v1/incidents/%d/tasks" % inc["id"]).body["items"]
        d = self.step(d, "evaluate", scores=[
            {"criterion": "响应及时性 / Timeliness", "score": 8, "max": 10},
            {"criterion": "处置有效性 / Effectiveness", "score": 7, "max": 10},
            {"criterion": "协同配合 / Coordination", "score": 5, "max": 10}],
            findings=[{"title": "备库切换脚本缺少校验", "group": "tech"},
                      {"title": "通讯录过期", "revise_plan": True}],
            notes="总体良好")
        self.assertEqual(d["status"], "evaluated")
        ev = d["evaluation"]
        self.assertEqual((ev["total"], ev["max"], ev["percent"]), (20, 30, 67))
        self.assertTrue(ev["plan_revision"])
        steps = {s["step"]: s for s in ev["durations"]}
        self.assertEqual(set(steps), {"ack", "activate", "resolve", "close"})
        self.assertEqual(steps["ack"]["verdict"], "met")
        self.assertEqual(steps["ack"]["target_ms"], inc["targets"]["ack_min"] * 60000)
        tasks = self.c["staff"].get("/api/v1/incidents/%d/tasks" % inc["id"]).body["items"]
        self.assertEqual(len(tasks), len(tasks0) + 2)
        by_id = {t["id"]: t for t in tasks}
        f = ev["findings"]
        self.assertEqual(by_id[f[0]["task_id"]]["group"], "tech")
        self.assertEqual(by_id[f[1]["task_id"]]["group"], "command")
        self.assertIn("Revise plan", by_id[f[1]["task_id"]]["title"])
        self.assertError(self.c["hq"].post("/api/v1/drills/%d/cancel" % d["id"], {}),
                         409, "conflict")

        # Compliance: system-failure done once; its live rule met too; the
        # other six categories are outstanding.
        c = self.c["staff"].get("/api/v1/drills/compliance?year=%d" % year).body
        self.assertEqual(c["year"], year)
        self.assertEqual(c["overdue"], CATEGORIES[1:])
        self.assertTrue(all(x["title"] for x in c["lines"]), c["lines"])
        sf = [x for x in c["lines"] if x["category"] == "system-failure"]
        self.assertTrue(sf and all(x["done"] >= 1 and not x["overdue"] for x in sf), sf)

        # The drill incident is not a real statistic; a real one is.
        stats = self.c["staff"].get("/api/v1/stats").body
        self.assertEqual(stats["total"], stats0["total"])
        self.assertTrue(stats["drills_excluded"])
        self.c["staff"].post("/api/v1/incidents", {"title": "真实故障",
                                                   "category": "data-leak"})
        stats = self.c["staff"].get("/api/v1/stats").body
        self.assertEqual(stats["total"], stats0["total"] + 1)
        self.assertEqual(stats["by_category"].get("data-leak"), 1)
        self.assertNotIn("system-failure", stats["by_category"])

    def test_b_bad_input_and_rights(self):
        before = self.drills()
        for fields, status, code, field in (
                ({"category": "volcano"}, 400, "invalid", "category"),
                ({"level": "level-9"}, 400, "invalid", "level"),
                ({"kind": "musical"}, 400, "invalid", "kind"),
                ({"scheduled_at": "tomorrow"}, 400, "invalid", "scheduled_at"),
                ({"injects": [{"at_min": -1, "text": "x"}]}, 400, "invalid", "injects"),
                ({"participants": [1]}, 400, "invalid", "participants"),
                ({"surprise": 1}, 400, "unknown_field", "surprise")):
            with self.subTest(fields=fields):
                body = {"title": "x", "kind": "tabletop", "category": "data-leak",
                        "scheduled_at": "2026-12-01T00:00:00Z", **fields}
                self.assertError(self.c["hq"].post("/api/v1/drills", body), status, code, field)
        self.assertError(self.c["staff"].post("/api/v1/drills", {
            "title": "x", "kind": "tabletop", "category": "data-leak",
            "scheduled_at": "2026-12-01T00:00:00Z"}), 403, "forbidden")
        self.assertEqual(self.drills(), before)
        d = self.plan(kind="tabletop", category="data-leak", title="数据泄露桌面推演")
        self.assertError(self.c["staff"].post("/api/v1/drills/%d/start" % d["id"], {}),
                         403, "forbidden")
        self.assertError(self.c["hq"].post("/api/v1/drills/%d/complete" % d["id"], {}),
                         409, "conflict")
        self.assertError(self.c["hq"].post("/api/v1/drills/%d/dance" % d["id"], {}),
                         404, "not_found")
        self.assertError(self.c["staff"].get("/api/v1/drills/compliance?year=abc"),
                         400, "invalid", "year")
        self.assertError(self.c["staff"].get("/api/v1/drills/999999"), 404, "not_found")
        for path in ("/api/v1/drills?year=1900", "/api/v1/stats?year=x"):
            self.assertError(self.c["staff"].get(path), 400, "invalid", "year")
        anon = self.server.client()
        for path in ("/api/v1/drills", "/api/v1/drills/%d" % d["id"], "/api/v1/drills.ics",
                     "/api/v1/drills/compliance", "/api/v1/stats"):
            self.assertEqual(anon.get(path).status, 401, path)
        self.assertEqual(anon.post("/api/v1/drills/%d/start" % d["id"], {}).status, 401)
        self.assertEqual(self.step(d, "cancel")["status"], "cancelled")

    def test_c_ics_feed(self):
        d = self.plan(title="网络攻击桌面推演, 第一次; 演练", kind="tabletop",
                      category="network-attack", level="",
                      scheduled_at="2026-12-20T06:30:00Z", minutes=90)
        r = self.c["staff"].get("/api/v1/drills.ics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/calendar"))
        cal = icalendar.Calendar.from_ical(r.body)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        e = events["drill-%d@erms" % d["id"]]
        self.assertIn("网络攻击桌面推演, 第一次; 演练", str(e["SUMMARY"]))
        self.assertEqual(e["DTSTART"].dt, datetime(2026, 12, 20, 6, 30, tzinfo=timezone.utc))
        self.assertEqual((e["DTEND"].dt - e["DTSTART"].dt).total_seconds(), 90 * 60)
        # Evaluated and cancelled drills are not on the calendar.
        for other in self.drills():
            if other["status"] in ("evaluated", "cancelled"):
                self.assertNotIn("drill-%d@erms" % other["id"], events)
        # A calendar app subscribes with the feed URL handed out, which
        # carries a feed token; an API token in its place is refused.
        r = self.c["staff"].post("/api/v1/me/feed-token")
        self.assertEqual(r.status, 201, r)
        url = r.body["feeds"]["drills"]
        self.assertIn("/api/v1/drills.ics?token=ermsf_", url)
        anon = self.server.client()
        r = anon.get(url[url.index("/api/v1/"):])
        self.assertEqual(r.status, 200, r)
        self.assertIn("drill-%d@erms" % d["id"], r.body)
        if self.c["staff"].bearer:
            r = anon.get("/api/v1/drills.ics?token=" + self.c["staff"].bearer)
            self.assertEqual(r.status, 401, r)

    def test_d_year_end_warning_to_command_hq_once(self):
        year = datetime.now(timezone.utc).year

        def warned():
            return [m for m in self.admin.get("/api/v1/notifications?limit=500").body["items"]
                    if m["event"] == "drill.overdue" and m["subject"].endswith(str(year))]
        # In December the server's own ticks (real time) may have warned
        # already: then that is the one warning of the year.
        before = warned()
        self.assertLessEqual(len(before), 1, before)
        self.admin.post("/api/v1/test/clock", {"now": "%d-11-30T00:00:00Z" % year})
        self.assertEqual(warned(), before)
        for _ in range(2):
            r = self.admin.post("/api/v1/test/clock", {"now": "%d-12-15T00:00:00Z" % year})
            self.assertStatus(r, 200)
        msgs = warned()
        self.assertEqual(len(msgs), 1, msgs)
        self.assertIn("演练未完成 / Drills overdue", msgs[0]["subject"])
        hook = wait_until(lambda: self.http.received(
            lambda r: r.path.startswith("/command") and "Drills overdue".encode() in r.body),
            what="the warning at command HQ's webhook")
        self.assertTrue(hook)

    def erms(self, *args, code=0):
        p = run_erms(*args, "--server", "http://127.0.0.1:%d" % self.server.port,
                     "--token", self.c["hq"].bearer)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p.stdout

    def test_e_the_command_line(self):
        out = self.erms("drill", "plan", "--title", "硬件故障桌面推演", "--kind", "tabletop",
                        "--category", "hardware-failure", "--at", "2026-12-05T09:00:00+08:00",
                        "--participants", "技术保障组,后勤保障组", "--minutes", "45")
        self.assertIn("硬件故障桌面推演", out)
        did = int(out.split()[0].lstrip("#"))
        self.assertIn("硬件故障桌面推演", self.erms("drill", "list"))
        self.erms("drill", "start", str(did))
        # Not while its incident is open (t0920_command has the rest).
        self.erms("drill", "complete", str(did), code=1)
        inc = {"id": self.c["staff"].get("/api/v1/drills/%d" % did).body["incident_id"]}
        self.act("hq", inc["id"], "ack")
        self.act("leader", inc["id"], "activate", level="level-3")
        self.act("hq", inc["id"], "resolve", summary="演练处置完毕")
        self.erms("drill", "complete", str(did))
        self.erms("drill", "evaluate", str(did), "--score", "bad", code=2)
        out = self.erms("drill", "evaluate", str(did), "--score", "响应=9/10",
                        "--score", "协同=6/10", "--finding", "备件清单缺失@logistics",
                        "--revise", "补充硬件故障处置流程")
        self.assertIn("15/20 (75%)", out)
        d = self.c["staff"].get("/api/v1/drills/%d" % did).body
        self.assertEqual(d["participants"], ["技术保障组", "后勤保障组"])
        self.assertEqual([f["group"] for f in d["evaluation"]["findings"]],
                         ["logistics", "command"])
        out = self.erms("drill", "compliance")
        self.assertRegex(out, r"hardware-failure\s+any\s+1\s+1")
        self.assertIn("BEGIN:VCALENDAR", self.erms("drill", "ics"))
        self.erms("drill", "plan", "--title", "x", "--kind", "tabletop", "--category", "nope",
                  "--at", "2026-12-05T09:00:00Z", code=2)


if __name__ == "__main__":
    unittest.main()
