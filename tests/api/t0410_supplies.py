"""Emergency supplies and funds: movements keep the quantity and never
take it below zero, also under 8 concurrent allocations of the last 10
units; allocations show on the incident; low stock is told to the
logistics team once; CSV export and all-or-nothing import; budgets,
expenses and what remains, with CSV export; rights."""

import concurrent.futures
import http.client
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ORG_GROUPS, PLAN_MINIMAL, ServerTestCase, run_erms, setup_org  # noqa: E402



class Supplies(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}), ("boss", {"leadership": "lead"}),
                        ("keeper", {"logistics": "lead"}), ("staff", {})),
                  groups=ORG_GROUPS + (("logistics", "team"),), plan=PLAN_MINIMAL,
                  approver="boss")
        cls.inc = cls.c["staff"].post("/api/v1/incidents", {
            "title": "机房断电", "category": "system-failure"}).body

    def supply(self, **fields):
        body = {"name": "应急发电机燃油", "unit": "桶", "location": "一号储备库",
                "quantity": 0, "min_quantity": 0, **fields}
        r = self.c["keeper"].post("/api/v1/supplies", body)
        self.assertEqual(r.status, 201, r)
        return r.body

    def move(self, who, sid, kind, qty, **more):
        return self.c[who].post("/api/v1/supplies/%d/movements" % sid,
                                {"kind": kind, "quantity": qty, **more})

    def erms(self, who, *args, code=0, stdin=None):
        p = run_erms(*args, "--server", "http://127.0.0.1:%d" % self.server.port,
                     "--token", self.c[who].bearer, stdin=stdin)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p.stdout

    def test_the_command_line(self):
        out = self.erms("keeper", "supply", "add", "--name", "应急照明灯", "--quantity", "4",
                        "--unit", "盏", "--location", "二号储备库", "--min", "2")
        sid = int(out.split()[0].lstrip("#"))
        self.assertIn("应急照明灯", self.erms("staff", "supply", "list"))
        out = self.erms("keeper", "supply", "move", str(sid), "allocate", "3",
                        "--incident", self.inc["number"], "--note", "机房照明")
        self.assertIn("1 盏", out)
        out = self.erms("staff", "supply", "show", str(sid))
        self.assertRegex(out, r"allocate\s+3\s+事件|allocate\s+3\s+incident")
        self.erms("keeper", "supply", "move", str(sid), "out", "5", code=1)
        self.erms("staff", "supply", "move", str(sid), "in", "1", code=1)
        self.assertEqual(self.c["staff"].get("/api/v1/supplies/%d" % sid).body["quantity"], 1)
        csv = self.erms("staff", "supply", "export")
        self.assertIn("应急照明灯", csv)
        out = self.erms("keeper", "supply", "import", "-",
                        stdin="id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n"
                              ",对讲机,,,6,台,1,,\r\n")
        self.assertIn("1", out)
        self.assertIn("对讲机", self.erms("staff", "supply", "list"))

    def test_rights_of_the_logistics_team_in_me(self):
        rights = set(self.c["keeper"].get("/api/v1/me").body["rights"])
        self.assertTrue({"supply.manage", "funds.read", "funds.spend"} <= rights, rights)
        self.assertNotIn("funds.manage", rights)
        self.assertNotIn("bulletin.post", rights)
        staff = set(self.c["staff"].get("/api/v1/me").body["rights"])
        self.assertFalse({"supply.manage", "funds.read", "funds.spend"} & staff, staff)

    def test_movements_keep_the_quantity(self):
        s = self.supply(quantity=5)
        self.assertEqual(self.move("keeper", s["id"], "in", 3).body["quantity"], 8)
        self.assertEqual(self.move("keeper", s["id"], "out", 2).body["quantity"], 6)
        self.assertError(self.move("keeper", s["id"], "out", 7), 409, "conflict")
        # In Chinese the general text, and the specific one kept in English.
        r = self.c["keeper"].post("/api/v1/supplies/%d/movements?lang=zh-CN" % s["id"],
                                  {"kind": "out", "quantity": 7})
        self.assertError(r, 409, "conflict")
        self.assertIn("only 6", r.body["error"]["message_en"])
        self.assertError(self.move("keeper", s["id"], "allocate", 1), 400, "missing_field")
        self.assertEqual(self.move("hq", s["id"], "allocate", 4,
                                   incident=self.inc["number"]).body["quantity"], 2)
        self.assertEqual(self.move("keeper", s["id"], "return", 1,
                                   incident=self.inc["number"]).body["quantity"], 3)
        self.assertError(self.move("staff", s["id"], "in", 1), 403, "forbidden")
        self.assertError(self.move("keeper", s["id"], "lend", 1), 400, "invalid", "kind")
        self.assertError(self.move("keeper", s["id"], "in", 0), 400, "invalid", "quantity")
        got = self.c["staff"].get("/api/v1/supplies/%d" % s["id"]).body
        self.assertEqual(got["quantity"], 3)
        self.assertEqual([m["kind"] for m in got["movements"]],
                         ["in", "out", "allocate", "return"])
        on_inc = self.c["staff"].get("/api/v1/incidents/%s/supplies" % self.inc["number"]).body
        self.assertEqual([(m["kind"], m["quantity"]) for m in on_inc["items"]
                          if m["supply_id"] == s["id"]],
                         [("allocate", 4), ("return", 1)])

    def test_eight_clients_race_for_the_last_ten(self):
        s = self.supply(quantity=10)
        port, token = self.server.port, self.c["hq"].bearer

        def allocate(_):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/api/v1/supplies/%d/movements" % s["id"],
                         json.dumps({"kind": "allocate", "quantity": 1,
                                     "incident": self.inc["number"]}),
                         {"Content-Type": "application/json",
                          "Authorization": "Bearer " + token})
            r = conn.getresponse()
            r.read()
            conn.close()
            return r.status

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(allocate, range(24)))
        self.assertEqual(results.count(201), 10, results)
        self.assertEqual(results.count(409), 14, results)
        self.assertEqual(self.c["staff"].get("/api/v1/supplies/%d" % s["id"]).body["quantity"], 0)

    def test_low_stock_told_once(self):
        s = self.supply(quantity=3, min_quantity=2, name="卫星电话")
        before = len(self.admin.get("/api/v1/notifications?limit=500").body["items"])
        self.move("keeper", s["id"], "out", 2)      # 1 < 2: low
        self.move("keeper", s["id"], "out", 1)      # still low: no second notice
        got = self.c["staff"].get("/api/v1/supplies/%d" % s["id"]).body
        self.assertTrue(got["low"])
        notes = self.admin.get("/api/v1/notifications?limit=500").body["items"]
        # The logistics lead has no e-mail and the group no channel here, so
        # the notice queues no message; what matters is it is not repeated.
        self.assertEqual(len(notes), before)

    def test_csv_export_and_import(self):
        self.supply(name='电缆, "加长"', quantity=7, notes="多行\n备注")
        csv = self.c["staff"].get("/api/v1/supplies.csv")
        self.assertTrue(csv.headers["content-type"].startswith("text/csv"))
        self.assertIn('"电缆, ""加长"""', csv.body)
        r = self.c["keeper"].post("/api/v1/supplies/import", {"csv": csv.body})
        self.assertEqual(r.status, 201, r)
        names = [x["name"] for x in self.c["staff"].get("/api/v1/supplies").body["items"]]
        self.assertEqual(names.count('电缆, "加长"'), 2)
        count = len(names)
        bad = "id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n" \
              ",好的,,,1,个,0,,\r\n,坏的,,,-1,个,0,,\r\n"
        self.assertError(self.c["keeper"].post("/api/v1/supplies/import", {"csv": bad}),
                         400, "invalid", "csv")
        self.assertEqual(len(self.c["staff"].get("/api/v1/supplies").body["items"]), count)

    def test_csv_import_rights_first_and_exact_width(self):
        head = "id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n"
        count = len(self.c["staff"].get("/api/v1/supplies").body["items"])
        # No rights: 403 whatever the body, also a malformed one.
        for body in ({"csv": head + '"open quote\r\n'}, {"csv": 5}, {"nope": 1},
                     {"csv": head + ",好的,,,1,个,0,,\r\n"}):
            with self.subTest(body=body):
                self.assertError(self.c["staff"].post("/api/v1/supplies/import", body),
                                 403, "forbidden")
        # A row with a field more than the header: refused, naming the line.
        extra = head + ",好的,,,1,个,0,,\r\n,多一列,,,1,个,0,,备注,多余\r\n"
        r = self.c["keeper"].post("/api/v1/supplies/import", {"csv": extra})
        self.assertError(r, 400, "invalid", "csv")
        self.assertIn("line 3: 9 fields wanted, 10 found", r.body["error"]["message_en"])
        short = head + ",少一列,,,1,个,0,\r\n"
        r = self.c["keeper"].post("/api/v1/supplies/import", {"csv": short})
        self.assertError(r, 400, "invalid", "csv")
        self.assertIn("line 2: 9 fields wanted, 8 found", r.body["error"]["message_en"])
        # A multi-line quoted note counts its lines; an open quote is refused.
        bad = head + ',"多行\n备注",,,1,个,0,,\r\n"open\r\n'
        r = self.c["keeper"].post("/api/v1/supplies/import", {"csv": bad})
        self.assertError(r, 400, "invalid", "csv")
        self.assertIn("line 4: a quote is not closed", r.body["error"]["message_en"])
        self.assertEqual(len(self.c["staff"].get("/api/v1/supplies").body["items"]), count)

    def test_funds(self):
        year = time.gmtime().tm_year
        self.assertError(self.c["hq"].put("/api/v1/budgets/%d" % year,
                                          {"amount_cents": 100}), 403, "forbidden")
        r = self.c["boss"].put("/api/v1/budgets/%d" % year, {"amount_cents": 1000000,
                                                             "note": "年度应急资金"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.c["keeper"].post("/api/v1/expenses", {
            "amount_cents": 250050, "purpose": "采购燃油",
            "incident": self.inc["number"]}).status, 201)
        self.assertError(self.c["staff"].post("/api/v1/expenses", {
            "amount_cents": 1, "purpose": "x"}), 403, "forbidden")
        self.assertError(self.c["keeper"].post("/api/v1/expenses", {
            "amount_cents": 0, "purpose": "x"}), 400, "invalid", "amount_cents")
        b = self.c["boss"].get("/api/v1/budgets/%d" % year).body
        self.assertEqual((b["budget_cents"], b["spent_cents"], b["remaining_cents"]),
                         (1000000, 250050, 749950))
        self.assertEqual(b["expenses"][0]["incident_id"], self.inc["id"])
        csv = self.c["boss"].get("/api/v1/expenses.csv?year=%d" % year).body
        self.assertIn("2500.50,采购燃油", csv)


if __name__ == "__main__":
    unittest.main()
