"""The intake's HTTP edge, against a real server: a 10 MB body answers
413 and changes nothing while a 2 MB payload (past the server's usual
1 MiB) is taken; a key that does not work (unknown, disabled, rotated
away, deleted) gets one and the same 401; past an integration's rate
limit 429 with Retry-After; bad payloads 400 naming the field and
storing nothing; events answered in PagerDuty's shape, on the
integration's URL and on /v2/enqueue; heartbeats by GET and by POST of
any body; the CLI's `integration` and `alert send` end to end."""

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PLAN_MINIMAL, ServerTestCase, run_erms, setup_org  # noqa: E402


def am_payload(n=1, group="g1", status="firing", prefix="a"):
    """An Alertmanager webhook payload of n alerts of one group."""
    return {
        "version": "4", "status": status, "receiver": "erms", "groupKey": group,
        "alerts": [{"status": status,
                    "labels": {"alertname": "DiskFull", "instance": "%s-%d" % (prefix, i),
                               "severity": "critical"},
                    "annotations": {"summary": "disk full on %s-%d" % (prefix, i)},
                    "startsAt": "2026-12-01T10:00:00Z",
                    "endsAt": "0001-01-01T00:00:00Z"} for i in range(n)],
    }


def trigger(summary="db down", dedup=None, routing_key=None):
    e = {"event_action": "trigger",
         "payload": {"summary": summary, "source": "db1", "severity": "critical"}}
    if dedup:
        e["dedup_key"] = dedup
    if routing_key:
        e["routing_key"] = routing_key
    return e


class IntakeHttp(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}), ("boss", {"leadership": "lead"}),
                        ("staff", {})), plan=PLAN_MINIMAL, approver="boss")

    made = [0]

    def make(self, kind, name=None, **fields):
        self.made[0] += 1
        body = {"name": name or "%s %d" % (kind, self.made[0]), "kind": kind}
        body.update(fields)
        r = self.admin.post("/api/v1/integrations", body)
        self.assertStatus(r, 201)
        self.assertTrue(r.body["key"], r)
        self.assertEqual(r.body["key_prefix"], r.body["key"][:6])
        self.assertTrue(r.body["url"].endswith("/api/v1/intake/" + r.body["key"]), r)
        return r.body

    def post(self, key, body=None, raw=None, ctype="application/json", path=None):
        return self.server.client().req("POST", path or "/api/v1/intake/" + key,
                                        body=body, raw=raw, ctype=ctype)

    def counts(self, integration):
        r = self.admin.get("/api/v1/integrations/%d" % integration["id"])
        self.assertStatus(r, 200)
        self.assertNotIn("key", r.body)
        return r.body["received"], r.body["alerts_total"]

    def test_body_limit(self):
        """10 MB: 413, nothing stored; 2 MB of alerts: taken, though other
        routes stop at 1 MiB."""
        ig = self.make("alertmanager")
        big = b'{"alerts": [], "pad": "' + b"x" * (10 * 1000 * 1000) + b'"}'
        self.assertError(self.post(ig["key"], raw=big), 413, "too_large")
        self.assertEqual(self.counts(ig), (0, 0))
        p = am_payload(1)
        p["alerts"][0]["annotations"]["description"] = "y" * 4000
        p["pad"] = "z" * (2 * 1024 * 1024)
        r = self.post(ig["key"], p)
        self.assertStatus(r, 200)
        self.assertEqual(r.body["alerts"], 1)
        self.assertEqual(self.counts(ig), (1, 1))
        r = self.c["staff"].req("POST", "/api/v1/incidents",
                                raw=json.dumps({"title": "x" * (2 * 1024 * 1024),
                                                "category": "c"}).encode())
        self.assertError(r, 413, "too_large")

    def test_bad_keys_all_alike(self):
        """Unknown, disabled, rotated away, deleted: the same 401."""
        answers = [self.post("no-such-key", am_payload())]
        answers.append(self.post("x" * 500, am_payload()))
        ig = self.make("alertmanager")
        self.assertStatus(self.admin.patch("/api/v1/integrations/%d" % ig["id"],
                                           {"enabled": False}), 200)
        answers.append(self.post(ig["key"], am_payload()))
        ig = self.make("alertmanager")
        r = self.admin.post("/api/v1/integrations/%d/rotate" % ig["id"])
        self.assertStatus(r, 200)
        self.assertNotEqual(r.body["key"], ig["key"])
        answers.append(self.post(ig["key"], am_payload()))
        self.assertStatus(self.post(r.body["key"], am_payload()), 200)
        ig = self.make("events")
        self.assertStatus(self.admin.delete("/api/v1/integrations/%d" % ig["id"]), 204)
        answers.append(self.post(ig["key"], trigger()))
        answers.append(self.post("", trigger(routing_key="nope"), path="/v2/enqueue"))
        for r in answers:
            self.assertError(r, 401, "unauthorized")
            self.assertEqual(r.body, answers[0].body)
        # Even before the body is looked at: malformed JSON to a bad key.
        self.assertError(self.post("no-such-key", raw=b"{nope"), 401, "unauthorized")

    def test_rate_limit(self):
        ig = self.make("alertmanager", rate_limit_per_min=2)
        codes = [self.post(ig["key"], am_payload(prefix="r%d" % i)).status for i in range(2)]
        self.assertEqual(codes, [200, 200])
        r = self.post(ig["key"], am_payload(prefix="r9"))
        self.assertError(r, 429, "rate_limited")
        self.assertRegex(r.headers.get("retry-after", ""), r"^[1-9][0-9]*$")
        self.assertEqual(self.counts(ig), (2, 2))

    def test_bad_payloads_name_the_field(self):
        ig = self.make("alertmanager")
        key = ig["key"]
        self.assertError(self.post(key, raw=b"{nope"), 400, "bad_json")
        self.assertError(self.post(key, raw=b""), 400, "bad_json")
        self.assertError(self.post(key, raw=b'{"alerts": [], "a": "\xff"}'), 400,
                         "invalid_utf8")
        self.assertError(self.post(key, {"alerts": [], "version": "3"}), 400, "invalid",
                         "version")
        p = am_payload(2)
        p["alerts"][1]["status"] = "burning"
        self.assertError(self.post(key, p), 400, "invalid", "alerts[1].status")
        p = am_payload(1)
        p["alerts"][0]["labels"]["severity"] = 3
        self.assertError(self.post(key, p), 400, "wrong_type", "alerts[0].labels.severity")
        p = am_payload(1)
        del p["alerts"][0]["labels"]
        self.assertError(self.post(key, p), 400, "missing_field", "alerts[0].labels")
        self.assertError(self.post(key, {"alerts": "x"}), 400, "wrong_type", "alerts")
        # Nothing stored by any of them; the content type is no matter.
        self.assertEqual(self.counts(ig), (0, 0))
        r = self.post(key, raw=json.dumps(am_payload(1)).encode(), ctype="text/plain")
        self.assertStatus(r, 200)
        self.assertEqual(self.counts(ig), (1, 1))

    def test_events_answers(self):
        ig = self.make("events")
        key = ig["key"]
        r = self.post(key, trigger(dedup="db-1"))
        self.assertStatus(r, 202)
        self.assertEqual(r.body, {"status": "success", "message": "Event processed",
                                  "dedup_key": "db-1"})
        # No dedup_key: a new one. The integration's path or PagerDuty's.
        r = self.post(key, trigger(summary="other"))
        self.assertStatus(r, 202)
        self.assertRegex(r.body["dedup_key"], r"^[0-9a-f]{32}$")
        r = self.post("", trigger(summary="third", routing_key=key), path="/v2/enqueue")
        self.assertStatus(r, 202)
        # PagerDuty's 400, with our error object too.
        for body, field in (({"event_action": "explode", "dedup_key": "d"}, "event_action"),
                            ({"event_action": "resolve"}, "dedup_key"),
                            ({"event_action": "trigger"}, "payload"),
                            (trigger(routing_key="not-this-key"), "routing_key")):
            r = self.post(key, body)
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.body["status"], "invalid event")
            self.assertEqual(r.body["message"], "Event object is invalid")
            self.assertEqual(len(r.body["errors"]), 1, r)
            self.assertEqual(r.body["error"]["field"], field, r)
        r = self.post(key, raw=b"[1,")
        self.assertEqual((r.status, r.body["status"], r.body["error"]["code"]),
                         (400, "invalid event", "bad_json"))
        r = self.post("", {"event_action": "trigger"}, path="/v2/enqueue")
        self.assertEqual((r.status, r.body["error"]["field"]), (400, "routing_key"))
        # An Alertmanager key is no routing key.
        am = self.make("alertmanager")
        self.assertError(self.post("", trigger(routing_key=am["key"]), path="/v2/enqueue"),
                         401, "unauthorized")
        self.assertEqual(self.counts(ig)[1], 3)
        # The incident's alerts, with their labels.
        r = self.post(key, trigger(summary="listed", dedup="listed-1"))
        self.assertStatus(r, 202)
        incs = self.c["hq"].get("/api/v1/incidents?limit=50")
        self.assertStatus(incs, 200)
        found = None
        for inc in incs.body["items"]:
            if inc.get("source") == "events" and inc.get("integration_id") == ig["id"]:
                a = self.c["hq"].get("/api/v1/incidents/%s/alerts" % inc["number"])
                self.assertStatus(a, 200)
                for alert in a.body["items"]:
                    if alert["fingerprint"] == "listed-1":
                        found = alert
        self.assertIsNotNone(found)
        self.assertEqual(found["labels"]["source"], "db1")
        self.assertEqual(found["status"], "firing")

    def test_heartbeat(self):
        hb = self.make("heartbeat", interval_s=60)
        c = self.server.client()
        r = c.get("/api/v1/intake/" + hb["key"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body, {"status": "ok"})
        r = self.post(hb["key"], raw=b"any old text", ctype="text/plain")
        self.assertEqual((r.status, r.body), (200, {"status": "ok"}))
        self.assertStatus(self.post(hb["key"]), 200)
        self.assertEqual(self.counts(hb)[0], 3)
        # GET is for heartbeats; a bad key is 401 on GET too.
        am = self.make("alertmanager")
        r = c.get("/api/v1/intake/" + am["key"])
        self.assertError(r, 405, "method_not_allowed")
        self.assertError(c.get("/api/v1/intake/nope"), 401, "unauthorized")

    def test_only_admins_manage(self):
        staff = self.c["staff"]
        self.assertError(staff.get("/api/v1/integrations"), 403, "forbidden")
        self.assertError(staff.post("/api/v1/integrations", {"name": "x", "kind": "events"}),
                         403, "forbidden")
        ig = self.make("events")
        for m, p in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/rotate"),
                     ("POST", "/test")):
            r = staff.req(m, "/api/v1/integrations/%d%s" % (ig["id"], p),
                          body={} if m == "PATCH" else None)
            self.assertError(r, 403, "forbidden")
        self.assertError(self.admin.post("/api/v1/integrations", {"name": "x", "kind": "events",
                                                                  "nope": 1}),
                         400, "unknown_field", "nope")
        self.assertError(self.admin.get("/api/v1/integrations/x"), 404, "not_found")
        # The key is shown once: never in a list or a read.
        r = self.admin.get("/api/v1/integrations")
        self.assertStatus(r, 200)
        for x in r.body["items"]:
            self.assertNotIn("key", x)
            self.assertIsNone(x["url"])

    def erms(self, *args, code=0, token=True):
        extra = ["--server", "http://127.0.0.1:%d" % self.server.port]
        if token:
            extra += ["--token", self.admin.bearer]
        p = run_erms(*args, *extra)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p

    def test_cli(self):
        out = self.erms("integration", "add", "--name", "cron jobs", "--kind", "events",
                        "--auto-dismiss", "--group-by", "source,component").stdout
        key = re.search(r"key\s+(\S+)", out).group(1)
        self.assertIn("/api/v1/intake/" + key, out)
        ig_id = int(re.search(r"#(\d+)", out).group(1))
        data = json.loads(self.erms("integration", "show", str(ig_id), "--json").stdout)
        self.assertEqual(data["group_by"], ["source", "component"])
        self.assertTrue(data["auto_dismiss"])
        listing = self.erms("integration", "list").stdout
        self.assertIn("cron jobs", listing)
        self.assertIn(key[:6], listing)
        self.assertNotIn(key, listing)
        url = "http://127.0.0.1:%d/api/v1/intake/%s" % (self.server.port, key)
        # alert send: needs no sign-in; prints the dedup_key.
        p = run_erms("alert", "send", "--url", url, "--summary", "backup failed",
                     "--detail", "job=nightly", "--dedup-key", "backup-1")
        self.assertEqual((p.returncode, p.stdout.strip()), (0, "backup-1"), p.stderr)
        p = run_erms("alert", "send", "--url", "http://127.0.0.1:%d" % self.server.port,
                     "--key", key, "--summary", "disk", "--severity", "warning")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.strip(), r"^[0-9a-f]{32}$")
        p = run_erms("alert", "send", "--url", url, "--action", "resolve",
                     "--dedup-key", "backup-1")
        self.assertEqual(p.returncode, 0, p.stderr)
        # A bad one: the server's 400, exit 2; a usage error, exit 2.
        p = run_erms("alert", "send", "--url", url, "--summary", "x", "--severity", "high")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("payload.severity", p.stderr)
        p = run_erms("alert", "send", "--url", url, "--action", "resolve")
        self.assertEqual(p.returncode, 2)
        # rotate: a new key printed once, the old one refused.
        out = self.erms("integration", "rotate", str(ig_id)).stdout
        new = re.search(r"key\s+(\S+)", out).group(1)
        self.assertNotEqual(new, key)
        p = run_erms("alert", "send", "--url", url, "--summary", "after rotate")
        self.assertEqual(p.returncode, 1)
        self.assertIn("401", p.stderr)
        p = run_erms("alert", "send", "--url", url.replace(key, new), "--summary", "again")
        self.assertEqual(p.returncode, 0, p.stderr)
        # disable, enable, delete.
        self.erms("integration", "disable", str(ig_id))
        p = run_erms("alert", "send", "--url", url.replace(key, new), "--summary", "off")
        self.assertEqual(p.returncode, 1)
        self.erms("integration", "enable", str(ig_id))
        # A heartbeat from the command line.
        out = self.erms("integration", "add", "--name", "nightly", "--kind", "heartbeat",
                        "--interval", "3600").stdout
        hb = re.search(r"key\s+(\S+)", out).group(1)
        p = run_erms("alert", "send", "--url", "http://127.0.0.1:%d/api/v1/intake/%s"
                     % (self.server.port, hb), "--action", "heartbeat")
        self.assertEqual((p.returncode, p.stdout.strip()), (0, "ok"), p.stderr)
        self.erms("integration", "delete", str(ig_id))
        self.erms("integration", "show", str(ig_id), code=1)
        # Only administrators: a staff token is refused with 403.
        p = run_erms("integration", "list", "--server", "http://127.0.0.1:%d" % self.server.port,
                     "--token", self.c["staff"].bearer)
        self.assertEqual(p.returncode, 1)
        self.assertIn("403", p.stderr)
        self.assertIn("rotate", run_erms("integration", "--help").stdout)
        self.assertIn("heartbeat", run_erms("alert", "--help").stdout)


if __name__ == "__main__":
    unittest.main()
