"""The OpenAPI document (/api/v1/openapi.json) against the server itself:
redocly lints it with no error and no warning; every route of the table
is an operation with an operationId, a tag and an answer for each status
it gives; each step is an operation of its own; request bodies list the
fields the server accepts; and real answers of the main routes (and the
error answers 400, 401, 403, 404, 409) match their schemas (ajv, run by
tests/openapi/validate.mjs).

Needs the npm packages of tests/openapi/ (`npm ci` there; scripts/test.sh
does it). Without them the node checks are skipped, unless
ERMS_OPENAPI_REQUIRED=1 (scripts/test.sh sets it).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSWORD, ServerTestCase  # noqa: E402
from t0200_incidents import setup_org  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
NODE_DIR = os.path.join(ROOT, "tests", "openapi")
REDOCLY = os.path.join(NODE_DIR, "node_modules", ".bin", "redocly")


def need_node(test):
    if os.path.exists(os.path.join(NODE_DIR, "node_modules", "ajv")):
        return
    if os.environ.get("ERMS_OPENAPI_REQUIRED") == "1":
        test.fail("tests/openapi/node_modules is missing: run npm ci there")
    test.skipTest("tests/openapi/node_modules missing (npm ci there)")


class OpenAPITest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            setup_org(cls)
            r = cls.server.client().get("/api/v1/openapi.json")
            assert r.status == 200, r
            cls.spec = r.body
            cls.tmp = tempfile.mkdtemp(prefix="erms-openapi-")
            cls.spec_path = os.path.join(cls.tmp, "openapi.json")
            with open(cls.spec_path, "w", encoding="utf-8") as f:
                json.dump(cls.spec, f)
        except BaseException:
            cls.tearDownClass()
            raise

    def op(self, method, path):
        return self.spec["paths"][path][method.lower()]

    def test_lint_clean(self):
        need_node(self)
        env = dict(os.environ, REDOCLY_TELEMETRY="off",
                   REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
        p = subprocess.run([REDOCLY, "lint", "--config",
                            os.path.join(NODE_DIR, "redocly.yaml"), self.spec_path],
                           capture_output=True, text=True, timeout=120, env=env)
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, out[-3000:])
        self.assertNotRegex(out, r"You have \d+ warnings?", out[-3000:])

    def test_every_operation_described(self):
        ids = set()
        for path, item in self.spec["paths"].items():
            for method, op in item.items():
                where = "%s %s" % (method, path)
                self.assertTrue(op.get("operationId"), where)
                self.assertNotIn(op["operationId"], ids, where)
                ids.add(op["operationId"])
                self.assertEqual(len(op.get("tags", [])), 1, where)
                ok = [s for s in op["responses"] if s.startswith("2")]
                # A recorded report to a regulator is never changed: its
                # PATCH, PUT and DELETE only ever answer 409.
                if path.endswith("/regulatory-reports/{n}") and method != "get":
                    self.assertEqual([c for c in op["responses"] if c[0] in "23"],
                                     [], where)
                    self.assertIn("409", op["responses"], where)
                    continue
                # One success answer; the intake's also 202, PagerDuty's
                # answer to an event.
                if ok != ["200", "202"] or path != "/api/v1/intake/{key}":
                    self.assertEqual(len(ok), 1, where)
                if ok[0] != "204":
                    self.assertIn("content", op["responses"][ok[0]], where)
                if op.get("security") != []:
                    self.assertIn("401", op["responses"], where)
                self.assertNotIn("{action}", path)
                self.assertNotIn("{step}", path)
        self.assertTrue(self.spec["servers"])
        tags = {t["name"] for t in self.spec["tags"]}
        for item in self.spec["paths"].values():
            for op in item.values():
                self.assertIn(op["tags"][0], tags)

    def test_docs_list_every_operation(self):
        """docs/api.md has a row for every operation, and no other (but
        the web console's `/`, served from the embedded files)."""
        with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as f:
            rows = set(re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)`",
                                  f.read(), re.M))
        ops = {(m.upper(), p) for p, item in self.spec["paths"].items() for m in item}
        self.assertEqual(rows - {("GET", "/")}, ops)
        # The routes the docs give to administrators alone are the ones
        # whose coarse right is the administrator's (the test clock, off
        # by default, answers 404 before it asks).
        with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as f:
            who = re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]*) \|",
                             f.read(), re.M)
        docs_admin = {(m, p) for m, p, w in who
                      if re.match(r"admin( \(not self\))?$", w.strip())}
        spec_admin = {(m.upper(), p) for p, item in self.spec["paths"].items()
                      for m, op in item.items()
                      if op.get("description") == "Administrators only."}
        self.assertEqual(docs_admin, spec_admin)

    def test_steps_are_operations(self):
        for step in ("ack", "activate", "dismiss", "set-level", "resolve",
                     "reopen", "close", "review"):
            self.op("POST", "/api/v1/incidents/{id}/" + step)
        for step in ("submit", "approve", "reject", "publish"):
            self.op("POST", "/api/v1/plans/{id}/versions/{n}/" + step)
        for step in ("start", "complete", "evaluate", "cancel"):
            self.op("POST", "/api/v1/drills/{id}/" + step)

    def test_bodies_from_field_tables(self):
        s = self.op("POST", "/api/v1/incidents")["requestBody"]["content"][
            "application/json"]["schema"]
        self.assertFalse(s["additionalProperties"])
        self.assertEqual(set(s["required"]), {"title", "category"})
        self.assertEqual(s["properties"]["is_drill"]["type"], "boolean")
        self.assertEqual(s["properties"]["title"]["maxLength"], 600)
        # The nested review and its action items are described too.
        s = self.op("POST", "/api/v1/incidents/{id}/review")["requestBody"][
            "content"]["application/json"]["schema"]
        items = s["properties"]["review"]["properties"]["action_items"]["items"]
        self.assertEqual(items["required"], ["title"])
        q = {p["name"] for p in self.op("GET", "/api/v1/incidents")["parameters"]}
        self.assertLessEqual({"status", "level", "q", "cursor", "limit"}, q)

    def test_answers_match(self):
        need_node(self)
        a, hq, leader, staff = (self.c[k] for k in ("admin", "hq", "leader", "staff"))
        answers = []

        def rec(client, method, route, path, body=None):
            r = client.req(method, path, body)
            answers.append({"method": method, "route": route, "status": r.status,
                            "body": r.body})
            return r

        rec(a, "GET", "/api/v1/me", "/api/v1/me")
        rec(a, "GET", "/api/v1/users", "/api/v1/users")
        uid = self.ids["staff"]
        rec(a, "GET", "/api/v1/users/{id}", "/api/v1/users/%d" % uid)
        rec(a, "POST", "/api/v1/users", "/api/v1/users",
            {"login": "oa-user", "display_name": "OA", "password": PASSWORD})
        rec(a, "GET", "/api/v1/groups", "/api/v1/groups")
        rec(a, "GET", "/api/v1/groups/{key}", "/api/v1/groups/command")
        rec(a, "GET", "/api/v1/plans", "/api/v1/plans")
        rec(a, "GET", "/api/v1/plans/current", "/api/v1/plans/current")
        rec(a, "GET", "/api/v1/plans/{id}", "/api/v1/plans/new-system")
        rec(a, "GET", "/api/v1/plans/{id}/versions", "/api/v1/plans/new-system/versions")
        rec(a, "GET", "/api/v1/plans/{id}/versions/{n}", "/api/v1/plans/new-system/versions/1")
        r = rec(staff, "POST", "/api/v1/incidents", "/api/v1/incidents",
                {"title": "核心系统无法登录", "category": "system-failure"})
        self.assertEqual(r.status, 201, r)
        inc = r.body["number"]
        rec(staff, "GET", "/api/v1/incidents", "/api/v1/incidents")
        rec(staff, "GET", "/api/v1/incidents/{id}", "/api/v1/incidents/" + inc)
        rec(hq, "POST", "/api/v1/incidents/{id}/ack", "/api/v1/incidents/%s/ack" % inc, {})
        rec(leader, "POST", "/api/v1/incidents/{id}/activate",
            "/api/v1/incidents/%s/activate" % inc, {"level": "level-2"})
        rec(staff, "GET", "/api/v1/incidents/{id}/timeline",
            "/api/v1/incidents/%s/timeline" % inc)
        r = rec(hq, "POST", "/api/v1/incidents/{id}/tasks", "/api/v1/incidents/%s/tasks" % inc,
                {"title": "检查备份", "group": "tech"})
        rec(staff, "GET", "/api/v1/incidents/{id}/tasks", "/api/v1/incidents/%s/tasks" % inc)
        rec(hq, "PATCH", "/api/v1/tasks/{id}", "/api/v1/tasks/%d" % r.body["id"],
            {"status": "doing"})
        r = rec(a, "POST", "/api/v1/channels", "/api/v1/channels",
                {"name": "hook", "kind": "webhook",
                 "config": {"url": "https://hooks.example.org/x", "secret": "s3cret"}})
        self.assertEqual(r.status, 201, r)
        rec(a, "GET", "/api/v1/channels", "/api/v1/channels")
        rec(a, "GET", "/api/v1/notifications", "/api/v1/notifications")
        r = rec(a, "POST", "/api/v1/drills", "/api/v1/drills",
                {"title": "演练", "kind": "tabletop", "category": "system-failure",
                 "scheduled_at": "2030-05-01T02:00:00.000Z"})
        self.assertEqual(r.status, 201, r)
        rec(a, "GET", "/api/v1/drills", "/api/v1/drills")
        rec(a, "GET", "/api/v1/drills/{id}", "/api/v1/drills/%d" % r.body["id"])
        r = rec(a, "POST", "/api/v1/supplies", "/api/v1/supplies",
                {"name": "发电机", "quantity": 2, "unit": "台"})
        self.assertEqual(r.status, 201, r)
        sid = r.body["id"]
        rec(a, "POST", "/api/v1/supplies/{id}/movements", "/api/v1/supplies/%d/movements" % sid,
            {"kind": "allocate", "quantity": 1, "incident": inc})
        rec(a, "GET", "/api/v1/supplies", "/api/v1/supplies")
        rec(a, "GET", "/api/v1/supplies/{id}", "/api/v1/supplies/%d" % sid)
        rec(hq, "POST", "/api/v1/incidents/{id}/notes", "/api/v1/incidents/%s/notes" % inc,
            {"text": "已通知机房"})
        rec(a, "GET", "/api/v1/plans/{id}/versions/{n}/acks",
            "/api/v1/plans/new-system/versions/1/acks")
        rec(a, "GET", "/api/v1/groups/{key}/on-duty", "/api/v1/groups/command/on-duty")
        rec(a, "PUT", "/api/v1/budgets/{year}", "/api/v1/budgets/2030", {"amount_cents": 100000})
        rec(a, "POST", "/api/v1/expenses", "/api/v1/expenses",
            {"amount_cents": 500, "purpose": "柴油", "year": 2030, "incident": inc})
        rec(a, "GET", "/api/v1/budgets/{year}", "/api/v1/budgets/2030")
        rec(a, "GET", "/api/v1/drills/compliance", "/api/v1/drills/compliance")
        rec(a, "GET", "/api/v1/stats", "/api/v1/stats")
        # Integrations, the intake and an incident's alerts.
        r = rec(a, "POST", "/api/v1/integrations", "/api/v1/integrations",
                {"name": "oa-am", "kind": "alertmanager"})
        self.assertEqual(r.status, 201, r)
        am = r.body
        r = rec(a, "POST", "/api/v1/integrations", "/api/v1/integrations",
                {"name": "oa-events", "kind": "events"})
        ev = r.body
        r = rec(a, "POST", "/api/v1/integrations", "/api/v1/integrations",
                {"name": "oa-hb", "kind": "heartbeat", "interval_s": 600})
        hb = r.body
        rec(a, "GET", "/api/v1/integrations", "/api/v1/integrations")
        rec(a, "GET", "/api/v1/integrations/{id}", "/api/v1/integrations/%d" % am["id"])
        rec(a, "PATCH", "/api/v1/integrations/{id}", "/api/v1/integrations/%d" % am["id"],
            {"group_by": ["alertname"], "category": None})
        anon = self.server.client()
        r = rec(anon, "POST", "/api/v1/intake/{key}", "/api/v1/intake/" + am["key"],
                {"version": "4", "groupKey": "g", "alerts": [
                    {"status": "firing", "labels": {"alertname": "OaDown"},
                     "annotations": {"summary": "down"}}]})
        rec(anon, "POST", "/api/v1/intake/{key}", "/api/v1/intake/" + ev["key"],
            {"event_action": "trigger",
             "payload": {"summary": "s", "source": "h", "severity": "info"}})
        rec(anon, "POST", "/v2/enqueue", "/v2/enqueue",
            {"routing_key": ev["key"], "event_action": "trigger",
             "payload": {"summary": "s2", "source": "h", "severity": "info"}})
        rec(anon, "GET", "/api/v1/intake/{key}", "/api/v1/intake/" + hb["key"])
        rec(a, "POST", "/api/v1/integrations/{id}/test",
            "/api/v1/integrations/%d/test" % am["id"])
        rec(a, "POST", "/api/v1/integrations/{id}/rotate",
            "/api/v1/integrations/%d/rotate" % am["id"])
        rec(staff, "GET", "/api/v1/incidents/{id}/alerts", "/api/v1/incidents/%s/alerts" % inc)
        rec(a, "DELETE", "/api/v1/integrations/{id}", "/api/v1/integrations/%d" % hb["id"])
        rec(a, "GET", "/status.json", "/status.json")
        rec(a, "GET", "/healthz", "/healthz")
        failed = [x for x in answers if not 200 <= x["status"] < 300]
        self.assertFalse(failed, failed)
        # Errors: 400, 401, 403, 404, 409.
        r = rec(staff, "POST", "/api/v1/incidents", "/api/v1/incidents", {"nope": 1})
        self.assertEqual(r.status, 400, r)
        r = rec(self.server.client(), "GET", "/api/v1/me", "/api/v1/me")
        self.assertEqual(r.status, 401, r)
        r = rec(staff, "GET", "/api/v1/channels", "/api/v1/channels")
        self.assertEqual(r.status, 403, r)
        r = rec(staff, "GET", "/api/v1/incidents/{id}", "/api/v1/incidents/INC-1999-9999")
        self.assertEqual(r.status, 404, r)
        r = rec(hq, "POST", "/api/v1/incidents/{id}/ack", "/api/v1/incidents/%s/ack" % inc, {})
        self.assertEqual(r.status, 409, r)
        r = rec(self.server.client(), "GET", "/ack/{token}", "/ack/not-a-token")
        self.assertEqual(r.status, 404, r)
        r = rec(self.server.client(), "POST", "/api/v1/intake/{key}", "/api/v1/intake/nope",
                {"alerts": []})
        self.assertEqual(r.status, 401, r)
        r = rec(self.server.client(), "POST", "/v2/enqueue", "/v2/enqueue",
                {"routing_key": ev["key"], "event_action": "explode"})
        self.assertEqual(r.status, 400, r)
        bad = [x for x in answers if x["status"] >= 500]
        self.assertFalse(bad, bad)

        path = os.path.join(self.tmp, "answers.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(answers, f, ensure_ascii=False)
        p = subprocess.run(["node", os.path.join(NODE_DIR, "validate.mjs"),
                            self.spec_path, path],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"(\d+) of \1 answers match")

    def test_admin_routes_refuse_before_arguments(self):
        """An administrators' route answers 403 to anyone else before it
        looks at the query or the body (the route's coarse right); an
        administrator gets the 400 for the same request."""
        staff, a = self.c["staff"], self.c["admin"]
        self.assertError(staff.get("/api/v1/audit?limit=0"), 403, "forbidden")
        self.assertError(a.get("/api/v1/audit?limit=0"), 400, "invalid")
        self.assertError(staff.post("/api/v1/channels", {"nope": 1}), 403, "forbidden")
        self.assertError(a.post("/api/v1/channels", {"nope": 1}), 400, "unknown_field")
        self.assertEqual(self.op("GET", "/api/v1/audit")["description"],
                         "Administrators only.")
        # A step that does not exist is no route at all.
        self.assertError(a.post("/api/v1/incidents/1/explode", {}), 404, "not_found")

    def test_incident_by_id_or_number(self):
        """A movement's and an expense's `incident` is the incident's id
        (a JSON integer or digits) or its number, as docs/api.md says."""
        a, staff = self.c["admin"], self.c["staff"]
        r = staff.post("/api/v1/incidents", {"title": "机房断电", "category": "system-failure"})
        self.assertEqual(r.status, 201, r)
        inc = r.body
        r = a.post("/api/v1/supplies", {"name": "UPS", "quantity": 5})
        self.assertEqual(r.status, 201, r)
        path = "/api/v1/supplies/%d/movements" % r.body["id"]
        for ref in (inc["id"], str(inc["id"]), inc["number"]):
            r = a.post(path, {"kind": "allocate", "quantity": 1, "incident": ref})
            self.assertEqual(r.status, 201, (ref, r))
            r = a.post("/api/v1/expenses", {"amount_cents": 100, "purpose": "UPS",
                                             "incident": ref})
            self.assertEqual(r.status, 201, (ref, r))
        r = a.get("/api/v1/incidents/%s/supplies" % inc["number"])
        self.assertEqual(len(r.body["items"]), 3, r)
        for bad in (0, -1, True, 1.5):
            r = a.post(path, {"kind": "allocate", "quantity": 1, "incident": bad})
            self.assertEqual(r.status, 400, (bad, r))
            self.assertEqual(r.body["error"]["field"], "incident")


if __name__ == "__main__":
    unittest.main()
