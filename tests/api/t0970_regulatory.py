"""The duty to report to regulators (《国家网络安全事件报告管理办法》) on the
test clock, with the sample plan (level-1 → national II, level-2 → III,
level-3 → IV) and webhook receivers for command HQ and the leadership:

- Organisation: operator type, regulators and the working-day calendar
  are kept and checked (bad values 400 at their field, nothing changed).
- For each operator type a 较大 incident opens an obligation due 60, 120 or
  240 minutes after its discovery; reminders at half time and ten minutes
  before; no first report → late, with the notice and a timeline entry; a
  first report in time → reported and no more reminders; a 一般 incident
  opens none; raising the level opens one counted from the discovery;
  lowering it below III closes it (the record stays).
- Reports: pre-filled content in the rules' order with the GB/T 20986-2023
  code; the HTML and PDF documents hold every item in order and local
  times; follow-ups list what changed; recorded reports cannot be changed
  (409); command HQ and the leadership record, others read (403).
- Working days: the final report is due five working days after the
  resolution, across a weekend, a make-up working day and a holiday.
- The record of a year: obligations, on-time rate, drills apart, CSV.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import t0300_notify as notify  # noqa: E402
from t0300_notify import plus, parse_time  # noqa: E402

# Sessions and tokens are made at the real time: the test clock stays near
# it. The next Monday, 00:00 UTC; a Friday a week later for working days.
_today = datetime.now(timezone.utc).date()
MONDAY = _today + timedelta(days=7 - _today.weekday())
START = MONDAY.isoformat() + "T00:00:00.000Z"
YEAR = MONDAY.year
FRIDAY = MONDAY + timedelta(days=4)


def day(d):
    return d.isoformat()
ORDER = ["unit", "system", "discovered_at", "place", "category", "level", "impact",
         "measures", "trend", "cause", "next_steps", "support", "scene", "clues", "other"]
LABELS = ["单位名称", "涉事系统", "发现（发生）时间", "发生地点", "事件类型", "事件级别",
          "已造成的影响和危害", "已采取的措施及效果", "事态发展趋势及可能造成的进一步影响",
          "初步原因分析", "下一步应对措施", "需要支持的事项", "现场保护情况",
          "溯源追踪线索", "其他情况"]


class Regulatory(notify.NotifyTestCase):
    server_args = ("--test-clock", "--public-url", notify.PUBLIC)
    now = START

    @classmethod
    def setup_channels(cls):
        cls.hook_command_and_leadership()
        r = cls.admin.post("/api/v1/test/clock", {"now": START})
        assert r.status == 200, r
        r = cls.admin.patch("/api/v1/organisation", {
            "name": "某市大数据中心",
            "regulators": [{"name": "省委网信办", "role": "属地省级网信部门",
                            "phone": "0571-12345678"},
                           {"name": "市公安局网安支队", "role": "公安机关"}]})
        assert r.status == 200, r

    # -- helpers --------------------------------------------------------------

    def clock(self, minutes):
        Regulatory.now = plus(Regulatory.now, minutes)
        self.assertStatus(self.admin.post("/api/v1/test/clock", {"now": Regulatory.now}), 200)

    def operator(self, kind):
        r = self.admin.patch("/api/v1/organisation", {"operator_type": kind})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["report_deadline_min"], {"cii": 60, "central": 120,
                                                         "other": 240}[kind])

    def get(self, inc):
        r = self.c["staff"].get("/api/v1/incidents/%d" % inc["id"])
        self.assertStatus(r, 200)
        return r.body

    def activate(self, inc, level="level-2"):
        r = self.c["hq"].post("/api/v1/incidents/%d/ack" % inc["id"], {})
        self.assertStatus(r, 200)
        r = self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"], {"level": level})
        self.assertStatus(r, 200)
        return r.body

    def incident(self, ago_min=10, **fields):
        return self.report(title="核心系统中断", impact="柜面业务无法办理",
                           detected_at=plus(Regulatory.now, -ago_min), **fields)

    def notices(self, inc, notice):
        """The messages of notice (open, half, ten, missed) about inc."""
        return [m for m in self.log() if m["event"] == "regulatory." + notice
                and inc["number"] in (m.get("subject") or "")]

    def record(self, inc, who="hq", status=201, **body):
        body.setdefault("kind", "first")
        body.setdefault("to", "省委网信办")
        body.setdefault("via", "phone")
        r = self.c[who].post("/api/v1/incidents/%d/regulatory-reports" % inc["id"], body)
        self.assertEqual(r.status, status, r)
        return r.body

    # -- the organisation -----------------------------------------------------

    def test_organisation_settings(self):
        r = self.c["staff"].get("/api/v1/organisation")
        self.assertStatus(r, 200)
        self.assertEqual([x["name"] for x in r.body["regulators"]], ["省委网信办", "市公安局网安支队"])
        version = r.body["version"]
        for body, field in (({"operator_type": "bank"}, "operator_type"),
                            ({"regulators": [{"role": "x"}]}, "regulators[0].name"),
                            ({"regulators": [{"name": "x", "fax": "1"}]}, "regulators[0].fax"),
                            ({"calendar": {"2030": {"holidays": ["2030-02-30"]}}},
                             "calendar.2030.holidays"),
                            ({"calendar": {"2030": {"holidays": ["2031-01-01"]}}},
                             "calendar.2030.holidays"),
                            ({"calendar": {"2030": {"holidays": ["2030-10-01"],
                                                    "workdays": ["2030-10-01"]}}},
                             "calendar.2030.workdays"),
                            ({"calendar": {"2030": {"weekends": []}}}, "calendar.2030"),
                            ({"calendar": {"30": {}}}, "calendar.30")):
            r = self.admin.patch("/api/v1/organisation", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertEqual(r.body["error"]["field"], field, r)
        self.assertStatus(self.c["hq"].patch("/api/v1/organisation", {"operator_type": "cii"}), 403)
        self.assertEqual(self.admin.get("/api/v1/organisation").body["version"], version)
        r = self.admin.patch("/api/v1/organisation", {"calendar": {
            "2029": {"holidays": ["2029-01-01"]},
            "2030": {"holidays": ["2030-10-03", "2030-10-01", "2030-10-02", "2030-10-01"],
                     "workdays": ["2030-09-29"]}}})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["calendar"]["2030"]["holidays"],
                         ["2030-10-01", "2030-10-02", "2030-10-03"])
        r = self.admin.patch("/api/v1/organisation", {"calendar": {"2029": None}})
        self.assertEqual(sorted(r.body["calendar"]), ["2030"])

    # -- the clock ------------------------------------------------------------

    def run_clock(self, kind, minutes):
        self.operator(kind)
        inc = self.incident(ago_min=10)
        detected = parse_time(self.get(inc)["detected_at"])
        reg = self.activate(inc)["regulatory"]
        self.assertTrue(reg["required"])
        self.assertEqual(reg["national_level"], "III")
        self.assertEqual(reg["operator_type"], kind)
        self.assertEqual(reg["status"], "due")
        self.assertEqual((parse_time(reg["deadline_at"]) - detected).total_seconds(), minutes * 60)
        self.assertEqual(len(self.notices(inc, "open")), 2)   # command HQ's and the leaders' hooks
        self.assertFalse(self.notices(inc, "half"))
        self.clock(minutes // 2 - 10 + 1)                     # past half time
        self.assertTrue(self.notices(inc, "half"))
        self.assertFalse(self.notices(inc, "ten"))
        self.clock(minutes - minutes // 2 - 10)               # ten minutes before
        self.assertTrue(self.notices(inc, "ten"))
        self.assertEqual(self.get(inc)["regulatory"]["status"], "due")
        return inc

    def test_late_for_each_operator_type(self):
        for kind, minutes in (("cii", 60), ("central", 120), ("other", 240)):
            with self.subTest(kind=kind):
                inc = self.run_clock(kind, minutes)
                self.assertFalse(self.notices(inc, "missed"))
                self.clock(12)
                reg = self.get(inc)["regulatory"]
                self.assertEqual(reg["status"], "late")
                self.assertEqual(reg["late_by_min"], 3)      # 9 min before + 12
                self.assertTrue(self.notices(inc, "missed"))
                tl = self.timeline(inc)
                self.assertTrue([e for e in tl if e["kind"] == "breach"
                                 and e["data"].get("regulatory") == "missed"])
                # A first report after the deadline stays late, by how much it was.
                rep = self.record(inc)
                self.assertIs(rep["on_time"], False)
                reg = self.get(inc)["regulatory"]
                self.assertEqual(reg["status"], "late")
                self.assertEqual(reg["late_by_min"], 3)

    def test_reported_in_time(self):
        inc = self.run_clock("cii", 60)
        rep = self.record(inc, who="leader", via="platform")
        self.assertIs(rep["on_time"], True)
        self.assertEqual(rep["number"], inc["number"] + "-R1")
        reg = self.get(inc)["regulatory"]
        self.assertEqual(reg["status"], "reported")
        self.assertIsNone(reg["late_by_min"])
        self.assertEqual([x["kind"] for x in reg["reports"]], ["first"])
        self.clock(30)
        self.assertFalse(self.notices(inc, "missed"))
        self.assertEqual(self.get(inc)["regulatory"]["status"], "reported")

    def test_minor_incident_opens_none(self):
        self.operator("other")
        inc = self.incident()
        reg = self.activate(inc, level="level-3")["regulatory"]
        self.assertIs(reg["required"], False)
        self.assertIsNone(reg["deadline_at"])
        self.record(inc, status=409)

    def test_raised_counts_from_discovery_and_lowered_closes(self):
        self.operator("cii")
        inc = self.incident(ago_min=20)
        detected = parse_time(self.get(inc)["detected_at"])
        self.activate(inc, level="level-3")
        self.clock(15)
        r = self.c["leader"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                                  {"level": "level-2", "reason": "核心功能中断"})
        self.assertStatus(r, 200)
        reg = r.body["regulatory"]
        self.assertEqual(reg["status"], "due")
        self.assertEqual((parse_time(reg["deadline_at"]) - detected).total_seconds(), 3600)
        # Opened 35 min after discovery: half time had passed, no half notice.
        self.clock(1)
        self.assertFalse(self.notices(inc, "half"))
        r = self.c["hq"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                              {"level": "level-3", "reason": "影响已缩小到个别功能"})
        self.assertStatus(r, 200)
        reg = r.body["regulatory"]
        self.assertEqual(reg["status"], "closed")
        self.assertTrue(reg["required"])
        self.clock(40)
        self.assertFalse(self.notices(inc, "missed"))
        self.assertEqual(self.get(inc)["regulatory"]["status"], "closed")

    def test_lowered_after_the_deadline_stays_late(self):
        self.operator("cii")
        inc = self.incident(ago_min=5)
        self.activate(inc)
        self.clock(56)                                        # a minute past the deadline
        r = self.c["hq"].post("/api/v1/incidents/%d/set-level" % inc["id"],
                              {"level": "level-3", "reason": "影响已缩小"})
        self.assertStatus(r, 200)
        self.assertIn(r.body["regulatory"]["status"], ("due", "late"))
        self.clock(1)
        reg = self.get(inc)["regulatory"]
        self.assertEqual(reg["status"], "late", reg)
        self.assertTrue(self.notices(inc, "missed"))

    def test_drill_runs_the_clock_marked(self):
        self.operator("cii")
        inc = self.incident(is_drill=True)
        reg = self.activate(inc)["regulatory"]
        self.assertTrue(reg["drill"])
        self.assertTrue(all("[演练]" in m["subject"] or "[DRILL]" in m["subject"]
                            for m in self.notices(inc, "open")))

    # -- reports --------------------------------------------------------------

    def test_reports_documents_and_rules(self):
        self.operator("other")
        inc = self.incident()
        self.activate(inc)
        url = "/api/v1/incidents/%d/regulatory-reports" % inc["id"]
        draft = self.c["hq"].get(url + "/draft?kind=first").body
        self.assertEqual([i["key"] for i in draft["items"]], ORDER)
        self.assertEqual([i["label"] for i in draft["items"]], LABELS)
        c = draft["content"]
        self.assertEqual(c["unit"], "某市大数据中心")
        self.assertIn("DE/DETECH", c["category"])
        self.assertIn("技术故障", c["category"])
        self.assertIn("+08:00", c["discovered_at"])
        self.assertIn("较大", c["level"])
        self.assertEqual(c["impact"], "柜面业务无法办理")
        en = self.c["hq"].get(url + "/draft?kind=first&lang=en").body
        self.assertEqual(en["items"][0]["label"], "Organisation")
        # Bad input: 400 at its field, nothing recorded.
        for body, field in (({"kind": "second"}, "kind"), ({"via": "pigeon"}, "via"),
                            ({"to": ""}, "to"), ({"content": {"colour": "x"}}, "content.colour"),
                            ({"sent_at": "yesterday"}, "sent_at"),
                            ({"sent_at": plus(Regulatory.now, 60)}, "sent_at"),
                            # before the event was discovered: no backdating
                            ({"sent_at": "2020-01-01T00:00:00.000Z"}, "sent_at")):
            r = self.c["hq"].post(url, {"kind": "first", "to": "省委网信办", "via": "phone",
                                        **body})
            self.assertEqual(r.status, 400, (body, r))
            self.assertEqual(r.body["error"]["field"], field, r)
        self.assertEqual(self.c["staff"].get(url).body["items"], [])
        # Rights: others read, do not record.
        self.record(inc, who="staff", status=403)
        self.record(inc, kind="follow_up", status=409)          # no first report yet
        first = self.record(inc, content={"place": "主数据中心 A 机房", "trend": "影响仍在扩大"},
                            sent_at=plus(Regulatory.now, -1))
        self.assertEqual(first["content"]["place"], "主数据中心 A 机房")
        self.assertEqual(first["changes"], [])
        self.record(inc, status=409)                            # a second first report
        r = self.c["hq"].post(url, {"kind": "follow_up", "to": "省委网信办", "via": "phone",
                                    "sent_at": plus(Regulatory.now, -2)})
        self.assertEqual((r.status, r.body["error"]["field"]), (400, "sent_at"), r)
        follow = self.record(inc, kind="follow_up", via="email",
                             content={"trend": "已得到控制", "cause": "存储控制器故障"})
        self.assertEqual(follow["changes"], ["trend", "cause"])
        self.assertEqual(follow["content"]["place"], "主数据中心 A 机房")
        r = self.c["staff"].get(url)
        self.assertEqual([x["kind"] for x in r.body["items"]], ["first", "follow_up"])
        self.assertNotIn("content", r.body["items"][0])
        one = self.c["staff"].get(url + "/2").body
        self.assertEqual(one["content"]["trend"], "已得到控制")
        self.assertTrue(one["recorded_by"]["name"])
        self.assertEqual(one["via"], "email")
        # Immutable.
        for method in ("PATCH", "PUT", "DELETE"):
            r = self.c["hq"].req(method, url + "/1", {"content": {"trend": "改"}})
            self.assertEqual(r.status, 409, (method, r))
            self.assertEqual(r.body["error"]["code"], "immutable")
        self.assertEqual(self.c["staff"].get(url + "/1").body["content"]["trend"], "影响仍在扩大")
        self.assertStatus(self.c["staff"].get(url + "/9"), 404)
        self.assertStatus(self.c["staff"].get(url + "/1.doc"), 404)
        audit = notify.list_all(self.admin, "/api/v1/audit")
        self.assertTrue([a for a in audit if a["action"] == "regulatory.report"
                         and "report=2 kind=follow_up" in a["summary"]])
        # The documents: every item in order, the code, local times.
        html = self.c["staff"].get(url + "/1.html")
        self.assertStatus(html, 200)
        text = html.body
        at = [text.find(label) for label in LABELS]
        self.assertTrue(all(i > 0 for i in at), list(zip(LABELS, at)))
        self.assertEqual(at, sorted(at))
        self.assertIn("DE/DETECH", text)
        self.assertIn("+08:00", text)
        self.assertIn("某市大数据中心", text)
        self.assertIn(inc["number"] + "-R1", text)
        follow_html = self.c["staff"].get(url + "/2.html").body
        self.assertIn("与上次报告相比的变化", follow_html)
        self.assertTrue(shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing")
        r = self.c["staff"].req("GET", url + "/2.pdf")
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["content-type"], "application/pdf")

    def test_pdf_text(self):
        self.operator("central")
        inc = self.incident()
        self.activate(inc)
        self.record(inc, to="本部门网信工作机构", content={"clues": "可疑 IP 10.0.0.8"})
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.request("GET", "/api/v1/incidents/%d/regulatory-reports/1.pdf" % inc["id"],
                     headers={"Authorization": "Bearer " + self.c["staff"].bearer})
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        self.assertTrue(raw.startswith(b"%PDF-"))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.pdf")
            with open(path, "wb") as f:
                f.write(raw)
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True,
                                  capture_output=True).stdout.decode("utf-8")
        flat = "".join(text.split())
        for needle in ("网络安全事件报告（初报）", "DE/DETECH", "可疑IP10.0.0.8", "溯源追踪线索",
                       "+08:00", inc["number"] + "-R1", "本部门网信工作机构"):
            self.assertIn(needle, flat)
        at = [flat.find(label) for label in LABELS]
        self.assertTrue(all(i >= 0 for i in at), list(zip(LABELS, at)))
        self.assertEqual(at, sorted(at))

    def test_document_escapes_what_was_typed(self):
        self.operator("other")
        inc = self.incident()
        self.activate(inc)
        self.record(inc, to="<b>网信办</b>", content={
            "trend": "<script>alert(1)</script>", "place": '"><img src=x onerror=alert(1)>'})
        r = self.c["staff"].get("/api/v1/incidents/%d/regulatory-reports/1.html" % inc["id"])
        self.assertStatus(r, 200)
        self.assertIn("default-src 'none'", r.headers["content-security-policy"])
        self.assertNotRegex(r.body, r"(?i)<script|<img|<b>")
        for typed in ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;网信办&lt;/b&gt;",
                      "&lt;img src=x onerror=alert(1)&gt;"):
            self.assertIn(typed, r.body)

    # -- the command line -----------------------------------------------------

    def test_cli(self):
        from t0061_cli_parity import erms_env, ZH
        self.operator("cii")
        inc = self.incident()
        self.activate(inc)
        server = "http://127.0.0.1:%d" % self.server.port

        def cli(who, *args, rc=0):
            p = erms_env(*args, "--server", server, "--token", self.c[who].bearer, env=ZH)
            self.assertEqual(p.returncode, rc, (args, p.stdout, p.stderr))
            return p.stdout
        self.assertIn("待报", cli("staff", "regulatory", "show", inc["number"]))
        line = [x for x in cli("staff", "incident", "show", inc["number"]).splitlines()
                if "监管报告" in x]
        self.assertEqual(len(line), 1, line)
        self.assertIn("III", line[0])
        self.assertIn("待报", line[0])
        cli("staff", "regulatory", "report", inc["number"], "--to", "省委网信办",
            "--via", "phone", rc=1)                               # 403
        cli("hq", "regulatory", "report", inc["number"], "--to", "省委网信办",
            "--via", "pigeon", rc=2)                              # 400
        out = cli("hq", "regulatory", "report", inc["number"], "--to", "省委网信办",
                  "--via", "fax", "--set", "place=主数据中心", "--set", "trend=已控制")
        self.assertIn(inc["number"] + "-R1", out)
        r = self.c["staff"].get("/api/v1/incidents/%d/regulatory-reports/1" % inc["id"]).body
        self.assertEqual((r["via"], r["content"]["place"], r["content"]["trend"]),
                         ("fax", "主数据中心", "已控制"))
        self.assertIn("已按时初报", cli("staff", "regulatory", "show", inc["number"]))
        out = cli("staff", "regulatory", "list", "--year", str(YEAR))
        self.assertIn(inc["number"], out)
        self.assertIn("按时率", out)

    # -- the record -----------------------------------------------------------

    def test_year_record_and_csv(self):
        self.operator("cii")
        on_time = self.incident()
        self.activate(on_time)
        self.record(on_time)
        drill = self.incident(is_drill=True)
        self.activate(drill)
        r = self.c["staff"].get("/api/v1/regulatory?year=%d" % YEAR)
        self.assertStatus(r, 200)
        items = {x["incident"]["number"]: x for x in r.body["items"]}
        self.assertEqual(items[on_time["number"]]["status"], "reported")
        self.assertTrue(items[drill["number"]]["incident"]["drill"])
        s = r.body["summary"]
        self.assertEqual(s["obligations"], s["on_time"] + s["late"] + s["due"])
        self.assertGreaterEqual(s["on_time"], 1)
        self.assertAlmostEqual(s["on_time_rate"], s["on_time"] / (s["on_time"] + s["late"]))
        self.assertEqual(self.c["staff"].get("/api/v1/regulatory?year=2001").body["items"], [])
        self.assertEqual(self.c["staff"].get("/api/v1/regulatory?year=1066").status, 400)
        csv = self.c["staff"].req("GET", "/api/v1/regulatory.csv?year=%d" % YEAR)
        self.assertStatus(csv, 200)
        self.assertIn("事件编号", csv.body)
        self.assertIn(on_time["number"], csv.body)


class WorkingDays(notify.NotifyTestCase):
    """The final report's due date across a weekend, a make-up working day
    and an entered holiday, in the organisation's zone."""

    server_args = ("--test-clock",)

    def test_final_due_after_five_working_days(self):
        # A Friday, 10:00 in Shanghai; the following days, by their offset.
        f = FRIDAY
        self.assertStatus(self.admin.post("/api/v1/test/clock",
                                          {"now": day(f) + "T02:00:00.000Z"}), 200)
        holidays = [f + timedelta(days=n) for n in (4, 5, 6, 7, 10)]
        made_up = f + timedelta(days=2)                       # the Sunday
        calendar = {}
        for d in holidays + [made_up]:
            y = calendar.setdefault(str(d.year), {"holidays": [], "workdays": []})
            y["workdays" if d == made_up else "holidays"].append(day(d))
        r = self.admin.patch("/api/v1/organisation", {"operator_type": "other",
                                                      "calendar": calendar})
        self.assertStatus(r, 200)
        inc = self.report(title="数据库故障")
        self.assertStatus(self.c["hq"].post("/api/v1/incidents/%d/ack" % inc["id"], {}), 200)
        self.assertStatus(self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"],
                                                {"level": "level-2"}), 200)
        r = self.c["hq"].post("/api/v1/incidents/%d/resolve" % inc["id"],
                              {"summary": "已恢复"})
        self.assertStatus(r, 200)
        # Sat off, Sun made up (1), Mon (2), Tue-Fri holidays, Sat and Sun
        # off, Mon holiday, Tue (3), Wed (4), Thu (5): 13 days after the
        # Friday, 23:59:59 in Shanghai.
        due = FRIDAY + timedelta(days=13)
        self.assertEqual(r.body["regulatory"]["final_due_at"], day(due) + "T15:59:59.000Z")
        self.record_final(inc)

    def record_final(self, inc):
        url = "/api/v1/incidents/%d/regulatory-reports" % inc["id"]
        self.assertStatus(self.c["hq"].post(url, {"kind": "first", "to": "省委网信办",
                                                  "via": "phone"}), 201)
        draft = self.c["hq"].get(url + "/draft?kind=final").body
        keys = [i["key"] for i in draft["items"]]
        for k in ("cause", "measures", "harm", "accountability", "rectification", "lessons"):
            self.assertIn(k, keys)
        # Before the review: the resolution among the measures, no cause.
        self.assertTrue(draft["content"]["measures"].endswith("处置结果：已恢复"), draft)
        self.assertEqual(draft["content"]["cause"], "")
        # The review's cause, harm, action items and lessons fill it.
        self.assertStatus(self.c["leader"].post("/api/v1/incidents/%d/close" % inc["id"], {}), 200)
        review = {"cause": "存储控制器固件缺陷", "impact": "交易中断 40 分钟",
                  "went_badly": "告警滞后", "lessons": "加强巡检",
                  "action_items": [{"title": "升级控制器固件", "group": "tech"}]}
        self.assertStatus(self.c["hq"].post("/api/v1/incidents/%d/review" % inc["id"],
                                            {"review": review}), 200)
        c = self.c["hq"].get(url + "/draft?kind=final").body["content"]
        self.assertEqual((c["cause"], c["harm"], c["rectification"], c["lessons"]),
                         ("存储控制器固件缺陷", "交易中断 40 分钟", "1. 升级控制器固件",
                          "加强巡检\n告警滞后"))
        r = self.c["hq"].post(url, {"kind": "final", "to": "省委网信办", "via": "letter",
                                    "content": {"accountability": "运维值班人员通报批评"}})
        self.assertStatus(r, 201)
        reg = self.c["staff"].get("/api/v1/incidents/%d" % inc["id"]).body["regulatory"]
        self.assertIsNotNone(reg["final_report_at"])
        html = self.c["staff"].get(url + "/2.html").body
        self.assertIn("网络安全事件总结报告", html)
        self.assertIn("运维值班人员通报批评", html)


if __name__ == "__main__":
    unittest.main()
