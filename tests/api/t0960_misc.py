"""The walk-through's fixes and the statistics: /hello is not served by
the product; the one-time acknowledgement page names the incident and,
once used, says so without a form; /api/v1/stats over a period, per level
and per category, with drills left out; /api/v1/incidents.csv with the
list's filters."""

import csv
import io
import json
import os
import re
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python()

import harness  # noqa: E402
from harness import ServerTestCase, sample_org  # noqa: E402
from receivers import HttpReceiver, wait_until  # noqa: E402

PUBLIC = "http://erms.example:8080"
# The test clock runs ahead of the real one (the clients' tokens stay
# valid): EARLY, then T0 ten days later, both at 01:00 UTC.
EARLY = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=1, minute=0, second=0,
                                                                 microsecond=0)
T0 = EARLY + timedelta(days=10)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


class NoHello(ServerTestCase):
    def test_hello_is_not_served(self):
        r = self.server.client().get("/hello")
        self.assertStatus(r, 404)
        spec = self.server.client().get("/api/v1/openapi.json").body
        self.assertNotIn("/hello", spec["paths"])


class AckPage(ServerTestCase):
    """A webhook on command HQ carries the message's one-time link."""

    server_args = ("--public-url", PUBLIC, "--notify-backoff-ms", "200")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = None
        try:
            sample_org(cls)
            cls.http = HttpReceiver()
            r = cls.admin.post("/api/v1/channels", {
                "name": "hook", "kind": "webhook", "rate_burst": 50, "rate_period_ms": 20,
                "config": {"url": cls.http.url("/hook"), "secret": "wh-secret-misc"}})
            assert r.status == 201, r
            cls.hook = r.body
            r = cls.admin.patch("/api/v1/groups/command", {"channels": [cls.hook["id"]]})
            assert r.status == 200, r
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

    def token_of(self, inc):
        """The ack token of the first message of inc sent to the hook."""
        got = []

        def sent():
            got[:] = self.http.received(
                lambda r: r.path == "/hook" and inc["number"] in r.body.decode("utf-8"))
            return got
        wait_until(sent, 15, 0.1, "the webhook message of " + inc["number"])
        link = json.loads(got[0].body)["ack_link"]
        self.assertTrue(link.startswith(PUBLIC + "/ack/"), link)
        return link.rsplit("/", 1)[1]

    def test_page_names_the_incident_then_says_used(self):
        title = '主库<script>alert("x")</script> & 备库'
        r = self.c["staff"].post("/api/v1/incidents",
                                 {"title": title, "category": "system-failure"})
        self.assertStatus(r, 201)
        inc = r.body
        token = self.token_of(inc)
        anon = self.server.client()

        r = anon.get("/ack/" + token)
        self.assertStatus(r, 200)
        self.assertIn(inc["number"], r.body)
        self.assertIn("主库&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 备库", r.body)
        self.assertNotIn("<script>", r.body)
        self.assertIn("未定级", r.body)
        self.assertIn("not yet levelled", r.body)
        self.assertRegex(r.body, r'<form[^>]*method="post"[^>]*action="/ack/%s"' % re.escape(token))

        # The level in force is named once there is one.
        self.assertStatus(self.c["hq"].post("/api/v1/incidents/%d/ack" % inc["id"], {}), 200)
        self.assertStatus(self.c["leader"].post("/api/v1/incidents/%d/activate" % inc["id"],
                                                {"level": "level-1"}), 200)
        r = anon.get("/ack/" + token)
        self.assertStatus(r, 200)
        self.assertIn("一级响应", r.body)

        r = anon.post("/ack/" + token, raw=b"", ctype="application/x-www-form-urlencoded")
        self.assertStatus(r, 200)
        self.assertIn("已确认", r.body)
        self.assertIn(inc["number"], r.body)

        # Used: the page says so, names the incident, and has no button.
        for method in ("get", "post"):
            r = getattr(anon, method)("/ack/" + token)
            self.assertStatus(r, 409)
            self.assertIn("已使用", r.body)
            self.assertIn("already acknowledged", r.body)
            self.assertIn(inc["number"], r.body)
            self.assertNotIn("<form", r.body)
            self.assertNotIn("<button", r.body)

        self.assertStatus(anon.get("/ack/" + "A" * len(token)), 404)
        self.assertNotIn("<form", anon.get("/ack/" + "A" * len(token)).body)


class Stats(ServerTestCase):
    """Incidents stepped on the test clock, so that every span is known."""

    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def at(self, t):
        self.assertStatus(self.admin.post("/api/v1/test/clock", {"now": stamp(t)}), 200)

    def step(self, who, inc, action, body=None):
        r = self.c[who].post("/api/v1/incidents/%d/%s" % (inc["id"], action), body or {})
        self.assertStatus(r, 200)

    def report(self, t, category="system-failure", drill=False, title="故障"):
        self.at(t)
        r = self.c["staff"].post("/api/v1/incidents", {"title": title, "category": category,
                                                       "is_drill": drill})
        self.assertStatus(r, 201)
        return r.body

    def run_one(self, t, level, ack_min, act_min, res_min, category="system-failure",
                drill=False):
        inc = self.report(t, category, drill)
        self.at(t + timedelta(minutes=ack_min))
        self.step("hq", inc, "ack")
        self.at(t + timedelta(minutes=act_min))
        self.step("leader", inc, "activate", {"level": level})
        if res_min is not None:
            self.at(t + timedelta(minutes=res_min))
            self.step("hq", inc, "resolve", {"summary": "已恢复"})
        return inc

    def test_spans_per_level_and_category(self):
        self.report(EARLY)                                                     # before the period
        self.run_one(T0, "level-1", 2, 10, 60)
        self.run_one(T0 + timedelta(hours=1), "level-1", 4, 20, 120)
        self.run_one(T0 + timedelta(hours=2), "level-2", 6, 30, None, category="network-attack")
        self.run_one(T0 + timedelta(hours=3), "level-1", 1, 2, 3, drill=True)  # left out
        self.report(T0 + timedelta(hours=4))                                   # only reported

        q = "/api/v1/stats?from=%s&to=%s" % (stamp(T0 - timedelta(days=1)),
                                             stamp(T0 + timedelta(days=1)))
        r = self.c["staff"].get(q)
        self.assertStatus(r, 200)
        s = r.body
        self.assertIsNone(s["year"])
        self.assertTrue(s["drills_excluded"])
        self.assertEqual(s["total"], 4)
        o = s["overall"]
        self.assertEqual((o["count"], o["acknowledged"], o["activated"], o["resolved"]),
                         (4, 3, 3, 2))
        self.assertAlmostEqual(o["mtta_s"], 4 * 60)
        self.assertAlmostEqual(o["time_to_activate_s"], 20 * 60)
        self.assertAlmostEqual(o["mttr_s"], 90 * 60)
        levels = {x["level"]: x for x in s["levels"]}
        self.assertEqual(set(levels), {"level-1", "level-2", None})
        self.assertEqual(levels["level-1"]["count"], 2)
        self.assertAlmostEqual(levels["level-1"]["mtta_s"], 3 * 60)
        self.assertAlmostEqual(levels["level-1"]["time_to_activate_s"], 15 * 60)
        self.assertAlmostEqual(levels["level-1"]["mttr_s"], 90 * 60)
        self.assertIsNone(levels["level-2"]["mttr_s"])
        self.assertAlmostEqual(levels["level-2"]["time_to_activate_s"], 30 * 60)
        self.assertEqual(levels[None]["count"], 1)
        self.assertIsNone(levels[None]["mtta_s"])
        cats = {x["category"]: x for x in s["categories"]}
        self.assertEqual(cats["system-failure"]["count"], 3)
        self.assertEqual(cats["network-attack"]["count"], 1)
        self.assertAlmostEqual(cats["network-attack"]["mtta_s"], 6 * 60)
        self.assertEqual(s["by_level"], {"level-1": 2, "level-2": 1, "none": 1})

        # A period holding only the early report; the year as before.
        r = self.c["staff"].get("/api/v1/stats?to=%s" % stamp(T0 - timedelta(days=1)))
        self.assertStatus(r, 200)
        self.assertEqual(r.body["total"], 1)
        self.assertIsNone(r.body["overall"]["mtta_s"])
        r = self.c["staff"].get("/api/v1/stats?year=%d" % T0.year)
        self.assertStatus(r, 200)
        self.assertEqual((r.body["year"], r.body["total"]),
                         (T0.year, 4 + (EARLY.year == T0.year)))

        # Bad periods: 400, naming the argument.
        for path, field in (("/api/v1/stats?from=yesterday", "from"),
                            ("/api/v1/stats?to=2030-13-01T00:00:00Z", "to"),
                            ("/api/v1/stats?from=2030-03-02T00:00:00Z&to=2030-03-01T00:00:00Z",
                             "to"),
                            ("/api/v1/stats?from=2030-03-01T00:00:00Z&to=2030-03-01T00:00:00Z",
                             "to"),
                            ("/api/v1/stats?year=2030&from=2030-03-01T00:00:00Z", "year"),
                            ("/api/v1/stats?year=12", "year")):
            with self.subTest(path=path):
                self.assertError(self.c["staff"].get(path), 400, "invalid", field)
        self.assertStatus(self.server.client().get("/api/v1/stats"), 401)


class IncidentsCsv(ServerTestCase):
    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def at(self, t):
        self.assertStatus(self.admin.post("/api/v1/test/clock", {"now": stamp(t)}), 200)

    def report(self, t, title, category="system-failure", drill=False):
        self.at(t)
        r = self.c["staff"].post("/api/v1/incidents", {"title": title, "category": category,
                                                       "is_drill": drill})
        self.assertStatus(r, 201)
        return r.body

    def rows(self, path, who="staff"):
        r = self.c[who].get(path)
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"), r.headers)
        self.assertIn("attachment", r.headers.get("content-disposition", ""))
        text = r.body if isinstance(r.body, str) else r.body.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"), text[:10])
        self.assertIn("\r\n", text)
        return list(csv.reader(io.StringIO(text[1:], newline="")))

    def test_filters_header_rows_escaping(self):
        a = self.report(T0, '核心库, "主" 宕机\n第二行')
        self.at(T0 + timedelta(minutes=3))
        self.assertStatus(self.c["hq"].post("/api/v1/incidents/%d/ack" % a["id"], {}), 200)
        b = self.report(T0 + timedelta(hours=1), "=HYPERLINK(\"http://x\")", "network-attack")
        d = self.report(T0 + timedelta(hours=2), "演练故障", drill=True)

        rows = self.rows("/api/v1/incidents.csv?lang=en")
        self.assertEqual(rows[0], ["number", "title", "status", "level", "category", "drill",
                                   "reported_at", "acknowledged_at", "activated_at",
                                   "resolved_at", "closed_at"])
        self.assertEqual([x[0] for x in rows[1:]], [d["number"], b["number"], a["number"]])
        ra = rows[3]
        self.assertEqual(ra[1], '核心库, "主" 宕机\n第二行')
        self.assertEqual(ra[2], "Acknowledged")
        self.assertEqual(ra[5], "no")
        # Local time of the organisation (Asia/Shanghai), with its offset.
        local = (T0 + timedelta(hours=8)).strftime("%Y-%m-%dT09:0")
        self.assertEqual(ra[6], local + "0:00+08:00")
        self.assertEqual(ra[7], local + "3:00+08:00")
        self.assertEqual(ra[8], "")
        # A reader with a zone of their own reads times in it.
        self.assertStatus(self.c["staff"].patch("/api/v1/me", {"time_zone": "Europe/London"}), 200)
        mine = self.rows("/api/v1/incidents.csv?lang=en&status=acknowledged")
        self.assertRegex(mine[1][6], r"T01:00:00\+00:00$|T02:00:00\+01:00$")
        self.assertStatus(self.c["staff"].patch("/api/v1/me", {"time_zone": ""}), 200)
        # A title a spreadsheet would run as a formula stays text.
        self.assertEqual(rows[2][1], "'=HYPERLINK(\"http://x\")")
        self.assertEqual(rows[1][5], "yes")

        # The list's filters, the same as /api/v1/incidents takes.
        def numbers(q):
            return [x[0] for x in self.rows("/api/v1/incidents.csv?lang=en&" + q)[1:]]
        self.assertEqual(numbers("is_drill=false"), [b["number"], a["number"]])
        self.assertEqual(numbers("category=network-attack"), [b["number"]])
        self.assertEqual(numbers("status=acknowledged"), [a["number"]])
        self.assertEqual(numbers("from=%s&to=%s" % (stamp(T0 + timedelta(minutes=30)),
                                                    stamp(T0 + timedelta(minutes=90)))),
                         [b["number"]])
        listed = [i["number"] for i in self.c["staff"].get(
            "/api/v1/incidents?is_drill=false&category=system-failure").body["items"]]
        self.assertEqual(numbers("is_drill=false&category=system-failure"), listed)

        # In Chinese: headings, states and names.
        rows = self.rows("/api/v1/incidents.csv?lang=zh-CN&status=acknowledged")
        self.assertEqual(rows[0][:3], ["编号", "标题", "状态"])
        self.assertEqual(rows[1][2], "已确认")
        self.assertEqual(rows[1][4], "系统故障")
        self.assertEqual(rows[1][5], "否")

        # Bad filters: 400 naming the argument; no sign-in: 401.
        for q, field in (("status=burning", "status"), ("is_drill=maybe", "is_drill"),
                         ("from=yesterday", "from")):
            with self.subTest(q=q):
                self.assertError(self.c["staff"].get("/api/v1/incidents.csv?" + q), 400,
                                 "invalid", field)
        self.assertStatus(self.server.client().get("/api/v1/incidents.csv"), 401)


if __name__ == "__main__":
    unittest.main()
