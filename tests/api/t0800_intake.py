"""Monitoring intake through the API, with a real Prometheus Alertmanager
(Debian's prometheus-alertmanager) started by the test on loopback.

- Alertmanager: alerts posted to its /api/v2/alerts reach erms through a
  webhook receiver (an `alertmanager` integration) and through a
  pagerduty_configs receiver (an `events` integration, on /v2/enqueue):
  one incident per group, the alerts listed with labels, annotations,
  status and count; repeats (ours and Alertmanager's own re-sends) open
  nothing; an endsAt in the past arrives resolved and is recorded, and
  the timeline says when all alerts of the incident are resolved.
- Grafana's documented webhook payload (tests/data/intake/), firing then
  resolved; PagerDuty Events v2 trigger/trigger again/acknowledge/resolve
  by dedup_key, on the integration's URL and on /v2/enqueue.
- Routing: a rule's category, level and title; a drop rule; a
  maintenance window (recorded suppressed, no incident); severity
  normalised; auto-dismiss when everything resolves before an ack.
- Bad payloads answer 4xx and change nothing (incidents, alert counts,
  the integration's `received`).
- Heartbeat on the test clock: missed → an incident; the next call
  resolves its alert.
- Storm: 5,000 alerts of one group are one incident, one first message to
  command HQ's webhook and a handful of timeline entries; the first
  message leaves within a second of the alert's arrival.
- Rights: only administrators manage integrations; the key is shown only
  by create and rotate (never by GET, the list or the audit log); the old
  key is refused after a rotation.

Users: `leader` (leadership lead), `hq` (command HQ lead), `techie` (team
`tech`), `staff` (no group), and the admin.
"""

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServerTestCase, list_all, sample_org  # noqa: E402
from receivers import HttpReceiver, wait_until  # noqa: E402

PUBLIC = "https://erms.example.org"
DATA = os.path.join(harness.ROOT, "tests", "data", "intake")
ALERTMANAGER = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
INTAKE_KEYS = ("id", "name", "kind", "enabled", "key_prefix", "category", "level",
               "title_template", "group_by", "group_window_s", "auto_dismiss", "interval_s",
               "rate_limit_per_min", "rules", "maintenance", "last_received_at", "received",
               "alerts_total", "alerts_firing", "created_at", "updated_at")
ALERT_KEYS = ("id", "integration_id", "incident_id", "fingerprint", "status", "severity",
              "summary", "labels", "annotations", "source", "source_url", "details",
              "group_key", "count", "suppressed", "starts_at", "ends_at", "first_seen_at",
              "last_seen_at", "resolved_at")


def fixture(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def now_utc(**delta):
    return datetime.now(timezone.utc) + timedelta(**delta)


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def am_payload(alerts, group_key, receiver="erms", status=None):
    """An Alertmanager webhook payload (version 4) for alerts given as
    (labels, annotations, status, ends_at or None)."""
    out = []
    for labels, annotations, st, ends in alerts:
        out.append({"status": st, "labels": labels, "annotations": annotations,
                    "startsAt": rfc3339(now_utc(minutes=-5)),
                    "endsAt": ends or "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=up"})
    firing = any(a["status"] == "firing" for a in out)
    return {"receiver": receiver, "status": status or ("firing" if firing else "resolved"),
            "alerts": out, "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
            "externalURL": "http://alertmanager.example.org:9093", "version": "4",
            "groupKey": group_key, "truncatedAlerts": 0}


class IntakeCase(ServerTestCase):
    """One server with the sample organisation and its plan; helpers for
    integrations, incidents and alerts."""

    server_args = ("--public-url", PUBLIC)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
            cls.setup_more()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def setup_more(cls):
        pass

    @classmethod
    def add_integration(cls, name, kind, **fields):
        r = cls.admin.post("/api/v1/integrations", {"name": name, "kind": kind, **fields})
        assert r.status == 201, r
        return r.body

    # -- helpers --------------------------------------------------------------

    def intake(self, key, body=None, raw=None, ctype="application/json", method="POST"):
        c = self.server.client()
        return c.req(method, "/api/v1/intake/" + key, body, raw=raw, ctype=ctype)

    def integration(self, integ):
        r = self.admin.get("/api/v1/integrations/%d" % integ["id"])
        self.assertStatus(r, 200)
        return r.body

    def incidents_of(self, integ):
        return [i for i in list_all(self.c["hq"], "/api/v1/incidents")
                if i.get("integration_id") == integ["id"]]

    def wait_incidents(self, integ, n, what=None, timeout=15):
        return wait_until(lambda: (lambda l: l if len(l) >= n else None)(self.incidents_of(integ)),
                          timeout, 0.1, what or "%d incidents of %s" % (n, integ["name"]))

    def incident(self, inc):
        r = self.c["hq"].get("/api/v1/incidents/%d" % inc["id"])
        self.assertStatus(r, 200)
        return r.body

    def alerts(self, inc):
        return list_all(self.c["hq"], "/api/v1/incidents/%d/alerts" % inc["id"])

    def timeline(self, inc):
        r = self.c["hq"].get("/api/v1/incidents/%d/timeline" % inc["id"])
        self.assertStatus(r, 200)
        return r.body["items"]

    def snapshot(self, *integs):
        """What a refused payload must leave as it was."""
        incs = list_all(self.admin, "/api/v1/incidents")
        state = [len(incs)]
        for i in integs:
            g = self.integration(i)
            state.append((g["received"], g["alerts_total"], g["alerts_firing"],
                          g["last_received_at"]))
        return state

    def assertIntegration(self, body, key_shown):
        for k in INTAKE_KEYS:
            self.assertIn(k, body, body)
        if key_shown:
            self.assertIsInstance(body["key"], str)
            self.assertGreaterEqual(len(body["key"]), 20, body)
            self.assertEqual(body["key_prefix"], body["key"][:6])
            self.assertEqual(body["url"], PUBLIC + "/api/v1/intake/" + body["key"])
        else:
            self.assertNotIn("key", body, body)
            self.assertIsNone(body.get("url"), body)
            self.assertEqual(len(body["key_prefix"]), 6, body)

    def assertBad(self, r, field):
        """A 400 naming field (invalid, wrong_type or missing_field)."""
        msg = "answer %d %r" % (r.status, r.body)
        self.assertEqual(r.status, 400, msg)
        self.assertIn(r.body["error"]["code"], ("invalid", "wrong_type", "missing_field"), msg)
        self.assertEqual(r.body["error"].get("field"), field, msg)
        self.assertTrue(r.body["error"]["message"], msg)

    def assertAlert(self, a):
        for k in ALERT_KEYS:
            self.assertIn(k, a, a)
        self.assertIn(a["status"], ("firing", "resolved"), a)
        self.assertIn(a["severity"], ("critical", "high", "warning", "info"), a)


# -- a real Alertmanager -------------------------------------------------------

AM_CONFIG = """\
route:
  receiver: erms
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: erms-pagerduty
      matchers: ['to="pd"']
receivers:
  - name: erms
    webhook_configs:
      - url: '{webhook_url}'
        send_resolved: true
  - name: erms-pagerduty
    pagerduty_configs:
      - url: '{enqueue_url}'
        routing_key_file: '{routing_key_file}'
        send_resolved: true
"""


class Alertmanager:
    """prometheus-alertmanager on 127.0.0.1 with its own config and data
    folder, no cluster."""

    def __init__(self, config):
        self.dir = tempfile.mkdtemp(prefix="erms-am-")
        self.port = free_port()
        self.config = os.path.join(self.dir, "alertmanager.yml")
        with open(self.config, "w") as f:
            f.write(config)
        self.log_path = os.path.join(self.dir, "alertmanager.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [ALERTMANAGER, "--config.file=" + self.config,
             "--storage.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port, "--cluster.listen-address=",
             "--log.level=info"], stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("alertmanager exited with %d:\n%s"
                                     % (self.proc.returncode, harness.tail(self.log_path)))
            try:
                with urllib.request.urlopen(self.url("/-/ready"), timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.close()
        raise AssertionError("alertmanager not ready:\n%s" % harness.tail(self.log_path))

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def post_alerts(self, alerts):
        """POST /api/v2/alerts; alerts are dicts of labels, annotations,
        startsAt, endsAt."""
        req = urllib.request.Request(self.url("/api/v2/alerts"), json.dumps(alerts).encode(),
                                     {"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200, r.status

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if os.environ.get("ERMS_KEEP"):
            print("alertmanager dir kept: %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def am_alert(alertname, ends=None, **labels):
    a = {"labels": {"alertname": alertname, "severity": "critical", **labels},
         "annotations": {"summary": "%s on %s" % (alertname, labels.get("instance", "?")),
                         "description": "from the test's Alertmanager"},
         "startsAt": rfc3339(now_utc(minutes=-1)),
         "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=up"}
    if ends is not None:
        a["endsAt"] = ends
    return a


class RealAlertmanager(IntakeCase):
    """Alerts posted to a real Alertmanager reach erms by its webhook and
    its PagerDuty receivers."""

    am = None

    @classmethod
    def setup_more(cls):
        # Part of the suite, not optional: missing, the class fails.
        if not ALERTMANAGER:
            raise RuntimeError("prometheus-alertmanager is not installed "
                               "(scripts/deps.sh test installs it)")
        cls.hook = cls.add_integration("Prometheus prod", "alertmanager")
        cls.pd = cls.add_integration("Alertmanager via PagerDuty", "events")
        base = "http://127.0.0.1:%d" % cls.server.port
        key_file = os.path.join(cls.server.dir, "pd-routing-key")
        with open(key_file, "w") as f:
            f.write(cls.pd["key"])
        cls.am = Alertmanager(AM_CONFIG.format(
            webhook_url=base + "/api/v1/intake/" + cls.hook["key"],
            enqueue_url=base + "/v2/enqueue", routing_key_file=key_file))

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.am is not None:
                cls.am.close()
        finally:
            super().tearDownClass()

    def named(self, integ, alertname):
        """The incidents of integ with an alert of this alertname."""
        return [i for i in self.incidents_of(integ)
                if any(a["labels"].get("alertname") == alertname for a in self.alerts(i))]

    def group(self, integ, alertname, timeout=20):
        """Wait for the incident(s) of one alertname; returns them."""
        return wait_until(lambda: self.named(integ, alertname), timeout, 0.2,
                          "the incident of %s" % alertname)

    def count_named(self, integ, *names):
        return sum(len(self.named(integ, n)) for n in names)

    def wait_alerts(self, inc, pred, what, timeout=20):
        return wait_until(lambda: (lambda a: a if pred(a) else None)(self.alerts(inc)),
                          timeout, 0.2, what)

    def test_one_incident_per_group_and_repeats_open_nothing(self):
        self.am.post_alerts([am_alert("DiskFull", instance="db-1"),
                             am_alert("DiskFull", instance="db-2"),
                             am_alert("HighLatency", instance="web-1")])
        disk = self.group(self.hook, "DiskFull")[0]
        lat = self.group(self.hook, "HighLatency")[0]
        self.assertNotEqual(disk["id"], lat["id"])
        for inc in (disk, lat):
            self.assertEqual(inc["source"], "alertmanager", inc)
            self.assertEqual(inc["integration_id"], self.hook["id"], inc)
            self.assertEqual(inc["status"], "reported", inc)
            self.assertEqual(inc["category"], "system-failure", inc)  # the plan's first

        alerts = self.wait_alerts(disk, lambda a: len(a) == 2, "both DiskFull alerts")
        self.assertEqual(sorted(a["labels"]["instance"] for a in alerts), ["db-1", "db-2"])
        for a in alerts:
            self.assertAlert(a)
            self.assertEqual(a["integration_id"], self.hook["id"])
            self.assertEqual(a["incident_id"], disk["id"])
            self.assertEqual(a["status"], "firing")
            self.assertEqual(a["severity"], "critical")
            self.assertEqual(a["labels"]["alertname"], "DiskFull")
            self.assertEqual(a["labels"]["severity"], "critical")
            self.assertEqual(a["annotations"]["summary"],
                             "DiskFull on %s" % a["labels"]["instance"])
            self.assertEqual(a["annotations"]["description"], "from the test's Alertmanager")
            self.assertEqual(a["source_url"], "http://prometheus.example.org:9090/graph?g0.expr=up")
            # Alertmanager may already have sent the group again (a slow
            # run): a repeat counts on the alert, never a new one.
            self.assertGreaterEqual(a["count"], 1)
            self.assertIsNone(a["resolved_at"])
            self.assertFalse(a["suppressed"])
            self.assertRegex(a["fingerprint"], r"^[0-9a-f]{16}$")  # Alertmanager's
        self.assertEqual(len(self.alerts(lat)), 1)

        # The same alerts again: Alertmanager has nothing new to send, and
        # nothing opens.
        self.am.post_alerts([am_alert("DiskFull", instance="db-1"),
                             am_alert("DiskFull", instance="db-2")])
        time.sleep(2.5)  # two group intervals
        self.assertEqual(self.count_named(self.hook, "DiskFull", "HighLatency"), 2)

        # A third alert of the group: Alertmanager sends the whole group
        # again, so db-1 and db-2 come a second time: updated, not new.
        self.am.post_alerts([am_alert("DiskFull", instance="db-3")])
        alerts = self.wait_alerts(disk, lambda a: len(a) == 3, "the third DiskFull alert")
        by = {a["labels"]["instance"]: a for a in alerts}
        self.assertEqual(by["db-3"]["count"], 1)
        self.assertEqual(by["db-1"]["count"], 2, by["db-1"])
        self.assertEqual(by["db-2"]["count"], 2, by["db-2"])
        self.assertGreater(by["db-1"]["last_seen_at"], by["db-1"]["first_seen_at"])
        self.assertEqual(self.count_named(self.hook, "DiskFull", "HighLatency"), 2)

        # Our own repeat of Alertmanager's payload, straight to erms.
        fp = by["db-1"]["fingerprint"]
        body = am_payload([(by["db-1"]["labels"], by["db-1"]["annotations"], "firing", None)],
                          '{}:{alertname="DiskFull"}')
        body["alerts"][0]["fingerprint"] = fp
        r = self.intake(self.hook["key"], body)
        self.assertStatus(r, 200)
        self.assertEqual((r.body["status"], r.body["alerts"], r.body["created"],
                          r.body["updated"], r.body["incidents_opened"]),
                         ("ok", 1, 0, 1, 0), r.body)
        self.assertEqual(r.body["incident"], disk["number"])
        self.assertEqual({a["fingerprint"]: a["count"] for a in self.alerts(disk)}[fp], 3)
        self.assertEqual(self.count_named(self.hook, "DiskFull", "HighLatency"), 2)

        g = self.integration(self.hook)
        self.assertGreaterEqual(g["received"], 3)
        self.assertGreaterEqual(g["alerts_total"], 4)
        self.assertGreaterEqual(g["alerts_firing"], 4)
        self.assertIsNotNone(g["last_received_at"])

    def test_ends_at_in_the_past_arrives_resolved(self):
        self.am.post_alerts([am_alert("CertExpiry", instance="api-1"),
                             am_alert("CertExpiry", instance="api-2")])
        inc = self.group(self.hook, "CertExpiry")[0]
        self.wait_alerts(inc, lambda a: len(a) == 2, "both CertExpiry alerts")
        before = self.timeline(inc)

        past = rfc3339(now_utc(seconds=-2))
        self.am.post_alerts([am_alert("CertExpiry", ends=past, instance="api-1")])
        alerts = self.wait_alerts(inc, lambda a: any(x["status"] == "resolved" for x in a),
                                  "api-1 resolved")
        by = {a["labels"]["instance"]: a for a in alerts}
        self.assertEqual(by["api-1"]["status"], "resolved")
        self.assertIsNotNone(by["api-1"]["resolved_at"])
        self.assertIsNotNone(by["api-1"]["ends_at"])
        self.assertEqual(by["api-2"]["status"], "firing")
        self.assertIsNone(by["api-2"]["resolved_at"])
        self.assertFalse(self.all_resolved_entries(inc, before))

        self.am.post_alerts([am_alert("CertExpiry", ends=past, instance="api-2")])
        self.wait_alerts(inc, lambda a: all(x["status"] == "resolved" for x in a),
                         "every CertExpiry alert resolved")
        wait_until(lambda: self.all_resolved_entries(inc, before), 10, 0.2,
                   "the timeline entry telling every alert is resolved")
        # Resolving the alerts does not end the emergency: people do.
        self.assertEqual(self.incident(inc)["status"], "reported")
        self.assertEqual(len(self.named(self.hook, "CertExpiry")), 1)

    def all_resolved_entries(self, inc, before):
        """Timeline entries added since `before` that tell every alert is
        resolved (in the reader's language: zh-CN here)."""
        seen = {e["id"] for e in before}
        return [e for e in self.timeline(inc) if e["id"] not in seen and e["kind"] == "alert"
                and e["data"].get("change") == "resolved" and "2 条告警已全部恢复" in e["text"]
                and e["key"] == "tl.alerts_resolved" and e["params"] == {"n": 2}]

    def test_storm_through_alertmanager(self):
        n = 1000
        self.am.post_alerts([am_alert("LinkFlapStorm", instance="sw-%04d" % i)
                             for i in range(n)])
        inc = self.group(self.hook, "LinkFlapStorm")[0]
        alerts = wait_until(lambda: (lambda a: a if len(a) >= n else None)(self.alerts(inc)),
                            30, 0.5, "the storm's %d alerts" % n)
        self.assertEqual(len(alerts), n)
        self.assertEqual(len(self.named(self.hook, "LinkFlapStorm")), 1)
        self.assertLessEqual(len(self.timeline(inc)), 20)

    def test_pagerduty_receiver_to_an_events_integration(self):
        self.am.post_alerts([am_alert("QueueStuck", to="pd", instance="mq-1"),
                             am_alert("QueueStuck", to="pd", instance="mq-2")])
        inc = wait_until(lambda: self.incidents_of(self.pd), 20, 0.2,
                         "the incident from the PagerDuty receiver")[0]
        self.assertEqual(inc["source"], "events", inc)
        self.assertEqual(inc["integration_id"], self.pd["id"])
        alerts = self.alerts(inc)
        # Alertmanager pages once per group: one event, its dedup_key the
        # hash of the group key.
        self.assertEqual(len(alerts), 1, alerts)
        a = alerts[0]
        self.assertAlert(a)
        self.assertRegex(a["fingerprint"], r"^[0-9a-f]{64}$")
        self.assertEqual(a["status"], "firing")
        self.assertIn("QueueStuck", a["summary"])
        self.assertEqual(a["severity"], "high")  # Alertmanager's default "error"
        # The webhook integration saw nothing of it.
        self.assertFalse([i for i in self.incidents_of(self.hook) if "QueueStuck" in i["title"]])

        # A change of the group is a new trigger of the same dedup_key.
        self.am.post_alerts([am_alert("QueueStuck", to="pd", instance="mq-3")])
        self.wait_alerts(inc, lambda x: x and x[0]["count"] >= 2, "the second trigger")
        self.assertEqual(len(self.incidents_of(self.pd)), 1)

        past = rfc3339(now_utc(seconds=-2))
        self.am.post_alerts([am_alert("QueueStuck", ends=past, to="pd", instance=i)
                             for i in ("mq-1", "mq-2", "mq-3")])
        a = self.wait_alerts(inc, lambda x: x and x[0]["status"] == "resolved",
                             "the resolve event")[0]
        self.assertIsNotNone(a["resolved_at"])
        self.assertEqual(len(self.incidents_of(self.pd)), 1)


# -- payloads posted directly ---------------------------------------------------

class Payloads(IntakeCase):
    """Grafana, Events v2, routing and auto-dismiss, payloads posted by the test."""

    @classmethod
    def setup_more(cls):
        cls.grafana = cls.add_integration("Grafana", "grafana")
        cls.events = cls.add_integration("Zabbix", "events")
        cls.routed = cls.add_integration(
            "routed", "alertmanager", category="network-attack", level="level-3",
            rules=[{"matchers": ['service="db"', 'env!="dev"'], "category": "data-leak",
                    "level": "level-1", "title": "数据库告警 database alert"},
                   {"matchers": ['env="dev"'], "drop": True},
                   {"matchers": ['service=~"pay.*"'], "level": "level-2"}],
            maintenance=[{"matchers": ['instance=~"web-.*"'],
                          "starts_at": rfc3339(now_utc(hours=-1)),
                          "ends_at": rfc3339(now_utc(hours=2)), "reason": "计划内维护 patching"}])
        cls.dismiss = cls.add_integration("flappy", "alertmanager", auto_dismiss=True)
        cls.templ = cls.add_integration("templated", "alertmanager",
                                        title_template="{{alertname}} @ {{ instance }}: "
                                                       "{{annotations.summary}}")

    def test_title_template_and_label_fingerprint(self):
        # No fingerprint in the payload: erms computes Prometheus's, the
        # value a real Alertmanager 0.25 sent for these labels.
        labels = {"alertname": "DiskFull", "instance": "db-1", "severity": "critical"}
        r = self.intake(self.templ["key"], am_payload([(labels, {"summary": "磁盘满 disk full"},
                                                        "firing", None)], "g-fp"))
        self.assertStatus(r, 200)
        inc, = self.incidents_of(self.templ)
        self.assertEqual(inc["title"], "DiskFull @ db-1: 磁盘满 disk full")
        a, = self.alerts(inc)
        self.assertEqual(a["fingerprint"], "9556f853bb27ef8b")

    def test_integration_json(self):
        r = self.admin.get("/api/v1/integrations/%d" % self.routed["id"])
        self.assertStatus(r, 200)
        g = r.body
        self.assertIntegration(g, key_shown=False)
        self.assertEqual((g["name"], g["kind"], g["enabled"], g["category"], g["level"]),
                         ("routed", "alertmanager", True, "network-attack", "level-3"))
        self.assertEqual(g["rules"][0]["matchers"], ['service="db"', 'env!="dev"'])
        self.assertEqual(g["rules"][1]["drop"], True)
        self.assertEqual(g["maintenance"][0]["reason"], "计划内维护 patching")
        self.assertEqual(g["group_by"], [])
        self.assertEqual(g["rate_limit_per_min"], 6000)
        self.assertIsNone(g["interval_s"])
        self.assertEqual(g["auto_dismiss"], False)

    def test_grafana_documented_payload(self):
        r = self.intake(self.grafana["key"], fixture("grafana-firing.json"))
        self.assertStatus(r, 200)
        self.assertEqual((r.body["status"], r.body["alerts"], r.body["created"],
                          r.body["incidents_opened"]), ("ok", 1, 1, 1), r.body)
        incs = self.incidents_of(self.grafana)
        self.assertEqual(len(incs), 1)
        inc = incs[0]
        self.assertEqual(r.body["incident"], inc["number"])
        self.assertEqual((inc["source"], inc["integration_id"]), ("grafana", self.grafana["id"]))
        a, = self.alerts(inc)
        self.assertAlert(a)
        self.assertEqual(a["fingerprint"], "c6eadffa33fcdf37")
        self.assertEqual(a["labels"], {"alertname": "High memory usage", "team": "blue",
                                       "zone": "us-1"})
        self.assertEqual(a["annotations"]["runbook_url"], "https://myrunbook.com/runbook/1234")
        self.assertEqual(a["source_url"], "https://play.grafana.org/alerting/1afz29v7z/edit")
        self.assertEqual(a["status"], "firing")
        self.assertEqual(a["starts_at"], "2021-10-12T07:51:03.157Z")
        self.assertIsNotNone(a["details"])
        self.assertIn("44.23", json.dumps(a["details"]))
        # The summary is the documented "...", no words: the title is the
        # alertname.
        self.assertEqual(inc["title"], "High memory usage")

        # Again: a repeat.
        r = self.intake(self.grafana["key"], fixture("grafana-firing.json"))
        self.assertEqual((r.body["created"], r.body["updated"], r.body["incidents_opened"]),
                         (0, 1, 0), r.body)
        r = self.intake(self.grafana["key"], fixture("grafana-resolved.json"))
        self.assertStatus(r, 200)
        self.assertEqual((r.body["alerts"], r.body["resolved"], r.body["incidents_opened"]),
                         (1, 1, 0), r.body)
        a, = self.alerts(inc)
        self.assertEqual(a["status"], "resolved")
        self.assertEqual(a["ends_at"], "2021-10-12T08:06:03.157Z")
        self.assertIsNotNone(a["resolved_at"])
        self.assertEqual(len(self.incidents_of(self.grafana)), 1)
        g = self.integration(self.grafana)
        self.assertEqual((g["received"], g["alerts_total"], g["alerts_firing"]), (3, 1, 0))

    def test_alertmanager_documented_payload(self):
        integ = self.add_integration("documented", "alertmanager")
        r = self.intake(integ["key"], fixture("alertmanager-firing.json"))
        self.assertStatus(r, 200)
        self.assertEqual((r.body["alerts"], r.body["created"], r.body["incidents_opened"]),
                         (1, 1, 1), r.body)
        inc, = self.incidents_of(integ)
        self.assertIn("BlackBox Probe Failure", inc["title"])  # the summary
        self.assertEqual(inc["detected_at"], "2023-02-06T13:08:45.828Z")
        a, = self.alerts(inc)
        self.assertEqual((a["fingerprint"], a["severity"], a["source"]),
                         ("1a30ba71cca2921f", "critical", "https://core.example.com"))
        self.assertEqual(a["group_key"],
                         '{}/{severity="critical"}:{alertname="ProbeFailure"}')

    def test_events_trigger_acknowledge_resolve(self):
        key = self.events["key"]
        r = self.intake(key, fixture("events-trigger.json"))
        self.assertStatus(r, 202)
        self.assertEqual((r.body["status"], r.body["message"]), ("success", "Event processed"))
        dedup = r.body["dedup_key"]
        self.assertTrue(dedup)
        inc, = self.incidents_of(self.events)
        self.assertEqual((inc["source"], inc["integration_id"]), ("events", self.events["id"]))
        self.assertIn("DISK at 99%", inc["title"])
        a, = self.alerts(inc)
        self.assertEqual((a["fingerprint"], a["severity"], a["source"], a["count"]),
                         (dedup, "critical", "prod-datapipe03.example.com", 1))
        self.assertEqual(a["source_url"], "http://pagerduty.example.com")
        self.assertEqual(a["details"]["free space"], "1%")
        self.assertEqual(a["labels"].get("component"), "mysql")

        # The same dedup_key again, through PagerDuty's own path.
        again = fixture("events-trigger.json")
        again.update(routing_key=key, dedup_key=dedup)
        r = self.server.client().post("/v2/enqueue", again)
        self.assertStatus(r, 202)
        self.assertEqual((r.body["status"], r.body["dedup_key"]), ("success", dedup))
        a, = self.alerts(inc)
        self.assertEqual(a["count"], 2)
        self.assertEqual(len(self.incidents_of(self.events)), 1)

        r = self.intake(key, {"routing_key": key, "event_action": "acknowledge",
                              "dedup_key": dedup})
        self.assertStatus(r, 202)
        self.assertEqual(r.body["dedup_key"], dedup)
        inc = self.incident(inc)
        self.assertEqual(inc["status"], "acknowledged", inc)
        self.assertIsNotNone(inc["acked_at"])

        r = self.intake(key, {"event_action": "resolve", "dedup_key": dedup})
        self.assertStatus(r, 202)
        a, = self.alerts(inc)
        self.assertEqual(a["status"], "resolved")
        self.assertIsNotNone(a["resolved_at"])
        # Acknowledged before it resolved: not dismissed, whatever the setting.
        self.assertEqual(self.incident(inc)["status"], "acknowledged")
        self.assertEqual(len(self.incidents_of(self.events)), 1)

        # A trigger without dedup_key gets one of its own: a new alert.
        body = fixture("events-trigger.json")
        body["payload"]["summary"] = "CPU at 100% on machine prod-datapipe04"
        body["payload"]["severity"] = "error"
        r = self.intake(key, body)
        self.assertStatus(r, 202)
        self.assertNotEqual(r.body["dedup_key"], dedup)
        incs = self.incidents_of(self.events)
        self.assertEqual(len(incs), 2)
        new = [i for i in incs if i["id"] != inc["id"]][0]
        a, = self.alerts(new)
        self.assertEqual((a["fingerprint"], a["severity"]), (r.body["dedup_key"], "high"))

    def test_erms_alert_send(self):
        integ = self.add_integration("cron", "events")
        url = "http://127.0.0.1:%d/api/v1/intake/%s" % (self.server.port, integ["key"])
        r = harness.run_erms("alert", "send", "--url", url, "--summary",
                             "备份失败 backup failed on db-1", "--severity", "critical",
                             "--dedup-key", "backup-db-1", "--detail", "job=nightly")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("backup-db-1", r.stdout)
        inc, = self.incidents_of(integ)
        self.assertEqual(inc["source"], "events")
        a, = self.alerts(inc)
        self.assertEqual((a["fingerprint"], a["severity"], a["status"]),
                         ("backup-db-1", "critical", "firing"))
        self.assertEqual(a["labels"].get("job"), "nightly")
        r = harness.run_erms("alert", "send", "--url", url, "--dedup-key", "backup-db-1",
                             "--action", "resolve")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        a, = self.alerts(inc)
        self.assertEqual(a["status"], "resolved")

    def test_routing_rules(self):
        key = self.routed["key"]

        def post(labels, gk):
            r = self.intake(key, am_payload([(labels, {"summary": "s"}, "firing", None)], gk))
            self.assertStatus(r, 200)
            return r.body

        # A rule: its category, level and title.
        res = post({"alertname": "Replication", "service": "db", "severity": "disaster"},
                   "g-db")
        self.assertEqual((res["created"], res["incidents_opened"], res["suppressed"]), (1, 1, 0))
        inc = [i for i in self.incidents_of(self.routed) if i["number"] == res["incident"]][0]
        self.assertEqual((inc["category"], inc["proposed_level"], inc["title"]),
                         ("data-leak", "level-1", "数据库告警 database alert"))
        a, = self.alerts(inc)
        self.assertEqual(a["severity"], "critical")  # "disaster", normalised

        # The first matching rule wins; the integration's defaults otherwise.
        res = post({"alertname": "PayLag", "service": "payments", "severity": "warn"}, "g-pay")
        inc = [i for i in self.incidents_of(self.routed) if i["number"] == res["incident"]][0]
        self.assertEqual((inc["category"], inc["proposed_level"]), ("network-attack", "level-2"))
        self.assertEqual(self.alerts(inc)[0]["severity"], "warning")
        res = post({"alertname": "Other", "severity": "P5"}, "g-other")
        inc = [i for i in self.incidents_of(self.routed) if i["number"] == res["incident"]][0]
        self.assertEqual((inc["category"], inc["proposed_level"]), ("network-attack", "level-3"))
        self.assertEqual(self.alerts(inc)[0]["severity"], "info")
        self.assertEqual(len(self.incidents_of(self.routed)), 3)

        # A drop rule (env="dev", even for service="db": the first rule does
        # not match it) and a maintenance window open nothing.
        before = self.integration(self.routed)
        res = post({"alertname": "Replication", "service": "db", "env": "dev"}, "g-dev")
        self.assertEqual((res["alerts"], res["incidents_opened"], res["suppressed"]), (1, 0, 1))
        self.assertIsNone(res["incident"])
        res = post({"alertname": "WebDown", "instance": "web-7", "severity": "critical"},
                   "g-web")
        self.assertEqual((res["alerts"], res["created"], res["incidents_opened"],
                          res["suppressed"]), (1, 1, 0, 1), res)
        self.assertIsNone(res["incident"])
        # Again: a repeat, still held back.
        res = post({"alertname": "WebDown", "instance": "web-7", "severity": "critical"},
                   "g-web")
        self.assertEqual((res["alerts"], res["created"], res["incidents_opened"],
                          res["suppressed"]), (1, 0, 0, 1), res)
        self.assertIsNone(res["incident"])
        self.assertEqual(len(self.incidents_of(self.routed)), 3)
        after = self.integration(self.routed)
        self.assertEqual(after["received"], before["received"] + 3)
        # The window's alert is recorded (the dropped one may be).
        self.assertGreaterEqual(after["alerts_total"], before["alerts_total"] + 1)

        # Outside the window's matchers: an incident as usual.
        res = post({"alertname": "WebDown", "instance": "api-7", "severity": "critical"},
                   "g-web")
        self.assertEqual((res["incidents_opened"], res["suppressed"]), (1, 0), res)

    def test_auto_dismiss_before_acknowledgement(self):
        key = self.dismiss["key"]
        labels = {"alertname": "Flap", "instance": "sw-1", "severity": "warning"}
        r = self.intake(key, am_payload([(labels, {"summary": "link flap"}, "firing", None)],
                                        "g-flap"))
        self.assertStatus(r, 200)
        inc, = self.incidents_of(self.dismiss)
        self.assertEqual(inc["status"], "reported")
        r = self.intake(key, am_payload([(labels, {"summary": "link flap"}, "resolved",
                                          rfc3339(now_utc(seconds=-1)))], "g-flap"))
        self.assertStatus(r, 200)
        self.assertEqual(r.body["resolved"], 1, r.body)
        inc = wait_until(lambda: (lambda i: i if i["status"] == "dismissed" else None)(
            self.incident(inc)), 10, 0.1, "the incident dismissed")
        self.assertIsNotNone(inc["dismissed_at"])

        # Acknowledged first: it stays.
        labels2 = dict(labels, instance="sw-2", alertname="Flap2")
        r = self.intake(key, am_payload([(labels2, {}, "firing", None)], "g-flap2"))
        inc2 = [i for i in self.incidents_of(self.dismiss) if i["number"] == r.body["incident"]][0]
        r = self.c["hq"].post("/api/v1/incidents/%d/ack" % inc2["id"], {})
        self.assertStatus(r, 200)
        r = self.intake(key, am_payload([(labels2, {}, "resolved", rfc3339(now_utc(seconds=-1)))],
                                        "g-flap2"))
        self.assertEqual(r.body["resolved"], 1, r.body)
        time.sleep(0.5)
        self.assertEqual(self.incident(inc2)["status"], "acknowledged")

    def test_rate_limit(self):
        integ = self.add_integration("chatty", "alertmanager", rate_limit_per_min=3)
        body = am_payload([({"alertname": "Chatty"}, {}, "firing", None)], "g-chatty")
        for _ in range(3):
            self.assertStatus(self.intake(integ["key"], body), 200)
        before = len(self.incidents_of(integ))
        r = self.intake(integ["key"], am_payload([({"alertname": "Chatty2"}, {}, "firing",
                                                    None)], "g-chatty2"))
        self.assertError(r, 429, "rate_limited")
        self.assertEqual(len(self.incidents_of(integ)), before)
        self.assertGreaterEqual(int(r.headers["retry-after"]), 1, r.headers)
        self.assertLessEqual(int(r.headers["retry-after"]), 60, r.headers)
        self.assertEqual(self.integration(integ)["received"], 3)

    def test_concurrent_posts_of_one_group(self):
        # Alertmanager pairs (HA) send the same group at once: one incident,
        # each alert once, its count the number of posts.
        integ = self.add_integration("ha pair", "alertmanager")
        results = []

        def post(k):
            body = am_payload([({"alertname": "HaPair", "instance": "i%d" % (k % 3)}, {},
                                "firing", None)], "g-ha")
            results.append(self.intake(integ["key"], body))
        threads = [threading.Thread(target=post, args=(k,)) for k in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in results], [200] * 12, results)
        self.assertEqual(sum(r.body["incidents_opened"] for r in results), 1)
        self.assertEqual(sum(r.body["created"] for r in results), 3)
        inc, = self.incidents_of(integ)
        self.assertEqual(sorted((a["labels"]["instance"], a["count"]) for a in self.alerts(inc)),
                         [("i0", 4), ("i1", 4), ("i2", 4)])

    def test_test_alert_is_a_drill(self):
        integ = self.add_integration("drill", "alertmanager")
        r = self.admin.post("/api/v1/integrations/%d/test" % integ["id"], {})
        self.assertStatus(r, 201)
        self.assertAlert(r.body["alert"])
        self.assertEqual(r.body["alert"]["integration_id"], integ["id"])
        inc = r.body["incident"]
        self.assertIsNotNone(inc)
        self.assertTrue(inc["is_drill"], inc)
        self.assertEqual((inc["source"], inc["integration_id"]), ("alertmanager", integ["id"]))
        r = self.c["hq"].post("/api/v1/integrations/%d/test" % integ["id"], {})
        self.assertError(r, 403, "forbidden")


class BadPayloads(IntakeCase):
    """Refused payloads: 4xx, and nothing changed."""

    @classmethod
    def setup_more(cls):
        cls.am = cls.add_integration("am", "alertmanager")
        cls.ev = cls.add_integration("ev", "events")
        cls.off = cls.add_integration("off", "alertmanager")
        r = cls.admin.patch("/api/v1/integrations/%d" % cls.off["id"], {"enabled": False})
        assert r.status == 200 and r.body["enabled"] is False, r
        # One good payload first, so that counts are not all zero.
        good = am_payload([({"alertname": "Seed"}, {}, "firing", None)], "seed")
        r = cls.server.client().post("/api/v1/intake/" + cls.am["key"], good)
        assert r.status == 200, r

    def setUp(self):
        self.before = self.snapshot(self.am, self.ev, self.off)

    def tearDown(self):
        self.assertEqual(self.snapshot(self.am, self.ev, self.off), self.before,
                         "a refused payload changed something")

    def good(self):
        return am_payload([({"alertname": "Bad", "instance": "x"}, {"summary": "s"}, "firing",
                            None)], "bad")

    def test_malformed_json(self):
        for raw in (b'{"alerts": [', b"not json", b'{"alerts": [}]}'):
            r = self.intake(self.am["key"], raw=raw)
            self.assertError(r, 400, "bad_json")
        r = self.intake(self.ev["key"], raw=b'{"event_action": ')
        self.assertStatus(r, 400)

    def test_wrong_types_name_the_field(self):
        cases = []
        b = self.good()
        b["alerts"][0]["labels"] = ["alertname", "Bad"]
        cases.append((b, "alerts[0].labels"))
        b = self.good()
        b["alerts"][0]["status"] = "burning"
        cases.append((b, "alerts[0].status"))
        b = self.good()
        b["alerts"].append(copy.deepcopy(b["alerts"][0]))
        b["alerts"][1]["labels"]["instance"] = 7
        cases.append((b, "alerts[1].labels.instance"))
        b = self.good()
        b["alerts"][0]["startsAt"] = "yesterday"
        cases.append((b, "alerts[0].startsAt"))
        b = self.good()
        b["alerts"] = {"0": b["alerts"][0]}
        cases.append((b, "alerts"))
        b = self.good()
        b["version"] = "3"
        cases.append((b, "version"))
        for body, field in cases:
            r = self.intake(self.am["key"], body)
            self.assertBad(r, field)
        r = self.intake(self.am["key"], [self.good()])
        self.assertStatus(r, 400)

    def test_body_over_8_mib(self):
        b = self.good()
        b["alerts"][0]["annotations"]["description"] = "x" * (10 << 20)
        raw = json.dumps(b).encode()
        self.assertGreater(len(raw), 10 << 20)
        r = self.intake(self.am["key"], raw=raw)
        self.assertError(r, 413, "too_large")

    def test_too_many_alerts(self):
        body = am_payload([({"alertname": "Many", "i": str(i)}, {}, "firing", None)
                           for i in range(10001)], "g-many")
        r = self.intake(self.am["key"], body)
        self.assertError(r, 413, "too_large")

    def test_events_errors_in_pagerduty_shape(self):
        bad = [({"event_action": "explode", "dedup_key": "k"}, "event_action"),
               ({"dedup_key": "k"}, "event_action"),
               ({"event_action": "acknowledge"}, "dedup_key"),
               ({"event_action": "trigger", "payload": {"summary": "s", "source": "h"}},
                "payload.severity"),
               ({"event_action": "trigger", "payload": {"summary": "s", "source": "h",
                                                        "severity": "apocalyptic"}},
                "payload.severity"),
               ({"event_action": "trigger"}, "payload")]
        for body, field in bad:
            r = self.intake(self.ev["key"], body)
            self.assertStatus(r, 400)
            self.assertEqual((r.body["status"], r.body["message"]),
                             ("invalid event", "Event object is invalid"), r.body)
            self.assertIsInstance(r.body["errors"], list)
            self.assertTrue(r.body["errors"], r.body)
            self.assertEqual(r.body["error"]["field"], field, r.body)
        # routing_key, when given, must be this integration's key.
        body = fixture("events-trigger.json")
        body["routing_key"] = self.am["key"]
        r = self.intake(self.ev["key"], body)
        self.assertIn(r.status, (400, 401), r)
        # /v2/enqueue: a key that is no events integration's.
        body["routing_key"] = self.am["key"]
        r = self.server.client().post("/v2/enqueue", body)
        self.assertError(r, 401, "unauthorized")

    def test_wrong_key_same_answer(self):
        unknown = self.intake("ermsi_" + "0" * 40, self.good())
        self.assertError(unknown, 401, "unauthorized")
        disabled = self.intake(self.off["key"], self.good())
        self.assertError(disabled, 401, "unauthorized")
        self.assertEqual(unknown.body, disabled.body)
        empty = self.server.client().post("/api/v1/intake/", self.good())
        self.assertIn(empty.status, (401, 404), empty)
        # A signed-in administrator's token is no intake key.
        r = self.admin.post("/api/v1/intake/" + self.admin.bearer, self.good())
        self.assertError(r, 401, "unauthorized")
        self.assertEqual(r.body, unknown.body)


class NoPlan(ServerTestCase):
    """No plan in force: an alert cannot be reported; the answer says so,
    nothing is kept, and the server stays sound (its exit is checked)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()

    def test_alerts_without_a_plan(self):
        for kind, body, ok in (
                ("alertmanager", am_payload([({"alertname": "NoPlan"}, {}, "firing", None)],
                                            "g"), 200),
                ("events", fixture("events-trigger.json"), 202)):
            r = self.admin.post("/api/v1/integrations", {"name": "no plan " + kind,
                                                         "kind": kind})
            self.assertStatus(r, 201)
            integ = r.body
            r = self.server.client().post("/api/v1/intake/" + integ["key"], body)
            self.assertEqual(r.status, 409, r)
            self.assertEqual(r.body["error"]["code"], "conflict", r.body)
            g = self.admin.get("/api/v1/integrations/%d" % integ["id"]).body
            self.assertEqual((g["received"], g["alerts_total"]), (0, 0), g)
        r = self.admin.get("/api/v1/incidents")
        self.assertEqual(r.body["items"], [])


class TestClock(IntakeCase):
    """On the test clock: a heartbeat missed, then recovered; later alerts
    of an incident in one timeline entry a minute."""

    server_args = ("--test-clock", "--public-url", PUBLIC)

    last = None

    def clock(self, t):
        r = self.admin.post("/api/v1/test/clock", {"now": rfc3339(t)})
        self.assertStatus(r, 200)
        if TestClock.last is None or t > TestClock.last:
            TestClock.last = t

    def base(self):
        """An hour past both now and the clock's latest setting: the clock
        only moves on."""
        t = now_utc()
        if TestClock.last is not None and TestClock.last > t:
            t = TestClock.last
        return t + timedelta(hours=1)

    def test_later_alerts_in_timeline_batches(self):
        t0 = self.base()
        self.clock(t0)
        integ = self.add_integration("batched", "alertmanager")

        def post(names, start, n):
            alerts = [({"alertname": names[i % len(names)], "instance": "h-%d" % (start + i)},
                       {"summary": "s"}, "firing", None) for i in range(n)]
            r = self.intake(integ["key"], am_payload(alerts, "g-batch"))
            self.assertStatus(r, 200)
            return r.body

        def batches():
            return [e for e in self.timeline(inc) if e["kind"] == "alert"]

        res = post(["HighLatency"], 0, 1)
        self.assertEqual(res["incidents_opened"], 1)
        inc, = self.incidents_of(integ)
        self.assertEqual(batches(), [])
        # The first batch after the report at once, then at most one entry
        # a minute, the rest written by the ticker.
        self.clock(t0 + timedelta(seconds=10))
        post(["HighLatency", "HighLatency", "HighLatency", "HighLatency", "DiskFull"], 1, 10)
        first = batches()
        self.assertEqual(len(first), 1, first)
        self.assertEqual(first[0]["data"]["alerts"], 10, first)
        self.assertIn("又有 10 条告警", first[0]["text"])
        self.assertEqual(first[0]["key"], "tl.alerts_more")
        self.assertIn("HighLatency×8", first[0]["text"])
        self.assertIn("DiskFull×2", first[0]["text"])
        self.clock(t0 + timedelta(seconds=20))
        post(["HighLatency", "DiskFull"], 11, 2)
        post(["HighLatency"], 1, 3)  # repeats are no new alerts
        self.assertEqual(batches(), first)
        self.assertEqual(len(self.incidents_of(integ)), 1)

        self.clock(t0 + timedelta(seconds=100))
        later = wait_until(lambda: batches()[1:], 10, 0.1, "the timeline batch of the ticker")
        self.assertEqual(len(later), 1, later)
        self.assertEqual(later[0]["data"]["alerts"], 2, later)
        self.assertEqual(later[0]["data"]["names"], {"HighLatency": 1, "DiskFull": 1})
        self.clock(t0 + timedelta(seconds=300))
        time.sleep(0.3)
        self.assertEqual(len(batches()), 2)

    def test_maintenance_window_in_time(self):
        t0 = self.base()
        self.clock(t0)
        start, end = t0 + timedelta(hours=1), t0 + timedelta(hours=2)
        integ = self.add_integration("windowed", "alertmanager", maintenance=[
            {"matchers": ['instance=~"web-.*"'], "starts_at": rfc3339(start),
             "ends_at": rfc3339(end), "reason": "计划内维护 patching"}])

        def post(at, name):
            self.clock(at)
            r = self.intake(integ["key"], am_payload(
                [({"alertname": name, "instance": "web-1"}, {}, "firing", None)], "g-" + name))
            self.assertStatus(r, 200)
            return r.body

        for at, name, held in ((start - timedelta(seconds=1), "Before", False),
                               (start, "AtStart", True),
                               (end - timedelta(milliseconds=1), "LastMs", True),
                               (end, "AtEnd", False)):
            res = post(at, name)
            self.assertEqual((res["suppressed"], res["incidents_opened"]),
                             (1, 0) if held else (0, 1), (name, res))
        self.assertEqual(sorted(i["title"] for i in self.incidents_of(integ)),
                         ["AtEnd", "Before"])
        # Still firing when the window is over: as when a silence expires in
        # Alertmanager, the next post of a held-back alert reports it.
        res = post(end + timedelta(seconds=30), "AtStart")
        self.assertEqual((res["alerts"], res["suppressed"], res["incidents_opened"]),
                         (1, 0, 1), res)
        # Firing once each: Before, LastMs (held), AtEnd, AtStart.
        self.assertEqual(self.integration(integ)["alerts_firing"], 4)
        self.assertEqual(sorted(i["title"] for i in self.incidents_of(integ)),
                         ["AtEnd", "AtStart", "Before"])

    def test_any_body(self):
        hb = self.add_integration("any body", "heartbeat", interval_s=60)
        for raw, ctype in ((b"backup ok\n", "text/plain"), (b"", None),
                           (b'{"anything": [1, 2]}', "application/json")):
            r = self.intake(hb["key"], raw=raw, ctype=ctype)
            self.assertStatus(r, 200)
            self.assertEqual(r.body, {"status": "ok"})
        self.assertEqual(self.integration(hb)["received"], 3)
        self.assertError(self.intake("ermsi_nope", raw=b"", ctype=None), 401, "unauthorized")

    def test_missed_then_recovered(self):
        t0 = self.base()
        self.clock(t0)
        hb = self.add_integration("nightly backup", "heartbeat", interval_s=600)
        self.assertEqual(hb["interval_s"], 600)
        # Not yet called: nothing is missed however long it waits.
        self.clock(t0 + timedelta(seconds=700))
        time.sleep(0.3)
        self.assertEqual(self.incidents_of(hb), [])

        t1 = t0 + timedelta(seconds=800)
        self.clock(t1)
        r = self.intake(hb["key"], method="GET", ctype=None)
        self.assertStatus(r, 200)
        self.assertEqual(r.body, {"status": "ok"})
        self.clock(t1 + timedelta(seconds=599))
        time.sleep(0.3)
        self.assertEqual(self.incidents_of(hb), [])
        g = self.integration(hb)
        self.assertEqual(parse_time(g["last_received_at"]), t1.replace(
            microsecond=t1.microsecond // 1000 * 1000))

        self.clock(t1 + timedelta(seconds=601))
        inc, = wait_until(lambda: self.incidents_of(hb), 10, 0.1, "the missed heartbeat")
        self.assertEqual((inc["source"], inc["integration_id"], inc["status"]),
                         ("heartbeat", hb["id"], "reported"))
        a, = self.alerts(inc)
        self.assertEqual(a["status"], "firing")
        self.assertEqual(g["received"], 1)
        # Still missed: one alert, one incident.
        self.clock(t1 + timedelta(seconds=1300))
        time.sleep(0.3)
        self.assertEqual(len(self.incidents_of(hb)), 1)
        self.assertEqual(len(self.alerts(inc)), 1)

        # The job comes back, as the cron line of docs/integrations.md calls it.
        url = "http://127.0.0.1:%d/api/v1/intake/%s" % (self.server.port, hb["key"])
        out = subprocess.run(["curl", "-fsS", "-m", "10", "-X", "POST", url],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout), {"status": "ok"})
        a, = self.alerts(inc)
        self.assertEqual(a["status"], "resolved")
        self.assertIsNotNone(a["resolved_at"])
        self.assertEqual(len(self.incidents_of(hb)), 1)


class Storm(IntakeCase):
    """Command HQ has a webhook channel; one group of 5,000 alerts."""

    hook = None

    @classmethod
    def setup_more(cls):
        cls.hook = HttpReceiver()
        r = cls.admin.post("/api/v1/channels", {
            "name": "hq-hook", "kind": "webhook", "rate_burst": 50, "rate_period_ms": 20,
            "config": {"url": cls.hook.url("/hq"), "secret": "storm-secret"}})
        assert r.status == 201, r
        r = cls.admin.patch("/api/v1/groups/command", {"channels": [r.body["id"]]})
        assert r.status == 200, r
        cls.am = cls.add_integration("storm", "alertmanager")

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            if cls.hook:
                cls.hook.close()

    def first_messages(self, inc):
        out = []
        for req in self.hook.received():
            try:
                body = json.loads(req.body)
            except ValueError:
                continue
            ev = body.get("event") or {}
            if ev.get("incident_id") == inc["id"] and ev.get("type") == "report":
                out.append(req)
        return out

    def test_first_message_within_a_second(self):
        labels = {"alertname": "CoreSwitchDown", "instance": "sw-core-1", "severity": "critical"}
        body = am_payload([(labels, {"summary": "核心交换机宕机 core switch down"}, "firing",
                            None)], "g-first")
        sent = time.time()
        r = self.intake(self.am["key"], body)
        self.assertStatus(r, 200)
        self.assertEqual(r.body["incidents_opened"], 1)
        inc = [i for i in self.incidents_of(self.am) if i["number"] == r.body["incident"]][0]
        reqs = wait_until(lambda: self.first_messages(inc), 5, 0.02, "the first message")
        self.assertEqual(len(reqs), 1)
        self.assertLessEqual(reqs[0].at - sent, 1.0, "first message %.3f s after the alert"
                             % (reqs[0].at - sent))

    def test_all_resolved_tells_command_hq(self):
        labels = {"alertname": "UpsOnBattery", "instance": "ups-1", "severity": "critical"}
        r = self.intake(self.am["key"], am_payload([(labels, {"summary": "UPS 切换电池"},
                                                     "firing", None)], "g-ups"))
        self.assertStatus(r, 200)
        number = r.body["incident"]
        inc = [i for i in self.incidents_of(self.am) if i["number"] == number][0]
        r = self.intake(self.am["key"], am_payload([(labels, {"summary": "UPS 切换电池"},
                                                     "resolved", rfc3339(now_utc(seconds=-1)))],
                                                   "g-ups"))
        self.assertEqual(r.body["resolved"], 1, r.body)
        entries = [e for e in self.timeline(inc) if e["kind"] == "alert"
                   and e["data"].get("change") == "resolved"]
        self.assertEqual(len(entries), 1, self.timeline(inc))
        # In the reader's language (zh-CN here), from its key.
        self.assertIn("1 条告警已全部恢复", entries[0]["text"])
        self.assertEqual(entries[0]["key"], "tl.alerts_resolved")

        def told():
            out = []
            for req in self.hook.received():
                try:
                    body = json.loads(req.body)
                except ValueError:
                    continue
                if number in body.get("subject", "") and \
                        (body.get("event") or {}).get("type") != "report":
                    out.append(body)
            return out
        msgs = wait_until(told, 10, 0.05, "command HQ told that every alert is resolved")
        self.assertEqual(len(msgs), 1, msgs)
        self.assertIn("告警已恢复", msgs[0]["subject"])
        self.assertEqual(self.incident(inc)["status"], "reported")  # no auto_dismiss

    def test_storm_is_one_incident(self):
        n, per = 5000, 1000
        gk = '{}:{alertname="PacketLoss"}'
        t = time.time()
        for start in range(0, n, per):
            alerts = [({"alertname": "PacketLoss", "instance": "host-%04d" % i,
                        "severity": "high"}, {"summary": "packet loss on host-%04d" % i},
                       "firing", None) for i in range(start, start + per)]
            r = self.intake(self.am["key"], am_payload(alerts, gk))
            self.assertStatus(r, 200)
            self.assertEqual((r.body["alerts"], r.body["created"]), (per, per), r.body)
            self.assertEqual(r.body["incidents_opened"], 1 if start == 0 else 0, r.body)
        took = time.time() - t
        incs = [i for i in self.incidents_of(self.am) if "PacketLoss" in i["title"]
                or "packet loss" in i["title"]]
        self.assertEqual(len(incs), 1, incs)
        inc = incs[0]
        alerts = self.alerts(inc)
        self.assertEqual(len(alerts), n)
        self.assertEqual(len({a["fingerprint"] for a in alerts}), n)
        self.assertEqual({a["incident_id"] for a in alerts}, {inc["id"]})
        g = self.integration(self.am)
        self.assertGreaterEqual(g["alerts_firing"], n)

        # A whole group again: repeats, nothing new.
        r = self.intake(self.am["key"], am_payload(
            [({"alertname": "PacketLoss", "instance": "host-%04d" % i, "severity": "high"},
              {"summary": "packet loss on host-%04d" % i}, "firing", None)
             for i in range(per)], gk))
        self.assertEqual((r.body["created"], r.body["updated"], r.body["incidents_opened"]),
                         (0, per, 0), r.body)

        wait_until(lambda: self.first_messages(inc), 10, 0.05, "the first message")
        time.sleep(1.5)  # time for any further message to come
        self.assertEqual(len(self.first_messages(inc)), 1)
        # Later alerts go to the timeline in batches, at most one entry a
        # minute (TestClock.test_later_alerts_in_timeline_batches moves the
        # clock past one): a handful of entries, not thousands.
        tl = self.timeline(inc)
        self.assertLessEqual(len(tl), 20, [(e["kind"], e["text"]) for e in tl])
        self.assertLessEqual(len([e for e in tl if e["kind"] == "alert"]), 5, tl)
        self.assertLess(took, 60, "5,000 alerts took %.1f s" % took)


class Rights(IntakeCase):
    """Only administrators manage integrations; the key is shown once."""

    def test_only_admins(self):
        integ = self.add_integration("rights", "alertmanager")
        self.assertIntegration(integ, key_shown=True)
        iid = integ["id"]
        anon = self.server.client()
        calls = (("GET", "/api/v1/integrations", None),
                 ("POST", "/api/v1/integrations", {"name": "x", "kind": "events"}),
                 ("GET", "/api/v1/integrations/%d" % iid, None),
                 ("PATCH", "/api/v1/integrations/%d" % iid, {"enabled": False}),
                 ("POST", "/api/v1/integrations/%d/rotate" % iid, {}),
                 ("POST", "/api/v1/integrations/%d/test" % iid, {}),
                 ("DELETE", "/api/v1/integrations/%d" % iid, None))
        for method, path, body in calls:
            for who in ("leader", "hq", "techie", "staff"):
                r = self.c[who].req(method, path, body)
                self.assertError(r, 403, "forbidden")
            r = anon.req(method, path, body)
            self.assertError(r, 401, "unauthorized")
        g = self.integration(integ)
        self.assertTrue(g["enabled"])
        self.assertEqual(g["key_prefix"], integ["key"][:6])
        r = self.intake(integ["key"], am_payload([({"alertname": "A"}, {}, "firing", None)],
                                                  "g"))
        self.assertStatus(r, 200)

    def test_key_shown_only_on_create_and_rotate(self):
        integ = self.add_integration("secret", "events", category="network-attack")
        key = integ["key"]
        r = self.admin.get("/api/v1/integrations")
        self.assertStatus(r, 200)
        listed = [g for g in r.body["items"] if g["id"] == integ["id"]]
        self.assertEqual(len(listed), 1)
        self.assertIntegration(listed[0], key_shown=False)
        self.assertNotIn(key, json.dumps(r.body))
        got = self.integration(integ)
        self.assertIntegration(got, key_shown=False)
        r = self.admin.patch("/api/v1/integrations/%d" % integ["id"], {"name": "secret 2"})
        self.assertStatus(r, 200)
        self.assertIntegration(r.body, key_shown=False)
        self.assertEqual(r.body["name"], "secret 2")

        r = self.admin.post("/api/v1/integrations/%d/rotate" % integ["id"], {})
        self.assertStatus(r, 200)
        self.assertIntegration(r.body, key_shown=True)
        new = r.body["key"]
        self.assertNotEqual(new, key)
        ev = fixture("events-trigger.json")
        r = self.intake(key, ev)
        self.assertError(r, 401, "unauthorized")
        r = self.intake(new, ev)
        self.assertStatus(r, 202)

        audit = json.dumps(list_all(self.admin, "/api/v1/audit"))
        self.assertIn("secret 2", audit)  # the integration's rows are there
        self.assertNotIn(key, audit)
        self.assertNotIn(new, audit)
        self.assertNotIn(key, self.server.dump())  # stored hashed
        self.assertNotIn(new, self.server.dump())

        r = self.admin.delete("/api/v1/integrations/%d" % integ["id"])
        self.assertStatus(r, 204)
        self.assertError(self.intake(new, ev), 401, "unauthorized")
        r = self.admin.get("/api/v1/integrations/%d" % integ["id"])
        self.assertStatus(r, 404)

    def test_key_not_in_the_server_log(self):
        am = self.add_integration("logged", "alertmanager")
        ev = self.add_integration("logged events", "events")
        r = self.intake(am["key"], am_payload([({"alertname": "Logged"}, {}, "firing", None)],
                                               "g-log"))
        self.assertStatus(r, 200)
        self.assertStatus(self.intake(am["key"], raw=b"{bad"), 400)
        body = fixture("events-trigger.json")
        body["routing_key"] = ev["key"]
        self.assertStatus(self.server.client().post("/v2/enqueue", body), 202)
        with open(self.server.stderr_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertIn("/api/v1/intake/", log)  # the requests are logged...
        lines = [l for l in log.splitlines() if am["key"] in l or ev["key"] in l]
        # ...without the key that is their credential.
        self.assertEqual(lines, [], "the server log shows intake keys")

    def test_bad_integration_bodies(self):
        before = len(self.admin.get("/api/v1/integrations").body["items"])
        bad = [({"kind": "alertmanager"}, "name"),
               ({"name": "k", "kind": "nagios"}, "kind"),
               ({"name": "k", "kind": "heartbeat"}, "interval_s"),
               ({"name": "k", "kind": "heartbeat", "interval_s": 5}, "interval_s"),
               ({"name": "k", "kind": "alertmanager", "category": "no-such"}, "category"),
               ({"name": "k", "kind": "alertmanager", "level": "level-9"}, "level"),
               ({"name": "k", "kind": "alertmanager", "rules": [{"matchers": ["a=~\"(\""]}]},
                "rules[0].matchers[0]"),
               ({"name": "k", "kind": "alertmanager", "rules": [{"matchers": ["no op"]}]},
                "rules[0].matchers[0]"),
               ({"name": "k", "kind": "alertmanager", "maintenance": [
                   {"matchers": ['a="b"'], "starts_at": rfc3339(now_utc(hours=2)),
                    "ends_at": rfc3339(now_utc(hours=1)), "reason": "r"}]},
                "maintenance[0].ends_at"),
               ({"name": "k", "kind": "alertmanager", "group_by": "alertname"}, "group_by"),
               ({"name": "k", "kind": "alertmanager", "rate_limit_per_min": 0},
                "rate_limit_per_min")]
        for body, field in bad:
            r = self.admin.post("/api/v1/integrations", body)
            self.assertBad(r, field)
        self.add_integration("dup", "alertmanager")
        r = self.admin.post("/api/v1/integrations", {"name": "dup", "kind": "events"})
        self.assertStatus(r, 409)
        self.assertEqual(len(self.admin.get("/api/v1/integrations").body["items"]), before + 1)


if __name__ == "__main__":
    unittest.main()
