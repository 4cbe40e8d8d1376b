"""What alerts do to incidents, against a real server: a storm of 5,000
alerts of one group is one incident (one report, the chain told once);
repeats open nothing and count; every alert resolved puts one entry on
the timeline and, with auto_dismiss, dismisses an incident nobody
acknowledged; rules route (category, level, title) or drop, maintenance
windows hold back; Events v2 trigger, acknowledge and resolve by
dedup_key; later alerts of a group reach the timeline in one entry a
minute, flushed by the scheduler; a group window opens a new incident
after it; a heartbeat missed on the test clock opens an incident that its
next call resolves; settings are checked strictly (400 naming the field,
409 for a name taken, nothing changed); only administrators manage
integrations; the test alert is a drill."""

import os
import sys
import time
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase, list_all, sample_org  # noqa: E402

START = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def am(alerts, group="{}:{alertname=\"X\"}", status="firing"):
    """An Alertmanager webhook payload of (labels, status) pairs."""
    return {"version": "4", "status": status, "receiver": "erms", "groupKey": group,
            "alerts": [{"status": st, "labels": labels,
                        "annotations": {"summary": "%s on %s" % (labels.get("alertname"),
                                                                 labels.get("instance"))},
                        "startsAt": "2026-12-01T08:00:00Z",
                        "endsAt": "2026-12-01T08:30:00Z" if st == "resolved"
                        else "0001-01-01T00:00:00Z"}
                       for labels, st in alerts]}


def alert(name, instance, st="firing", **more):
    labels = {"alertname": name, "instance": instance, "severity": "critical"}
    labels.update(more)
    return labels, st


class Engine(ServerTestCase):
    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sample_org(cls)
        cls.n = 0

    def setUp(self):
        self.clock(START)

    def clock(self, t):
        self.assertStatus(self.admin.post("/api/v1/test/clock", {"now": iso(t)}), 200)

    def make(self, kind="alertmanager", **fields):
        Engine.n += 1
        body = {"name": "%s %d" % (kind, Engine.n), "kind": kind}
        body.update(fields)
        r = self.admin.post("/api/v1/integrations", body)
        self.assertStatus(r, 201)
        return r.body

    def post(self, it, payload, status=200):
        r = self.server.client().post("/api/v1/intake/" + it["key"], payload)
        self.assertStatus(r, status)
        return r.body

    def incidents(self):
        return list_all(self.admin, "/api/v1/incidents")

    def incident(self, number):
        r = self.admin.get("/api/v1/incidents/" + number)
        self.assertStatus(r, 200)
        return r.body

    def timeline(self, inc, lang="en"):
        r = self.admin.get("/api/v1/incidents/%d/timeline?lang=%s" % (inc["id"], lang))
        self.assertStatus(r, 200)
        return r.body["items"]

    def alerts(self, inc):
        return list_all(self.c["staff"], "/api/v1/incidents/%d/alerts" % inc["id"])

    def alert_entries(self, inc, lang="en"):
        """The timeline's batches of alerts, read in lang."""
        return [e for e in self.timeline(inc, lang) if e["kind"] == "alert"
                and e["data"]["change"] == "alerts"]

    def resolved_entries(self, inc, lang="en"):
        """The timeline's entries telling every alert resolved, in lang."""
        return [e for e in self.timeline(inc, lang) if e["kind"] == "alert"
                and e["data"]["change"] == "resolved"]

    def test_storm_is_one_incident(self):
        it = self.make(category="network-attack", level="level-2")
        before = len(self.incidents())
        one = self.post(it, am([alert("Lonely", "x")], group="lonely"))
        storm = am([alert("HighLatency", "web-%d" % i) for i in range(5000)],
                   group="storm")
        got = self.post(it, storm)
        self.assertEqual(got, {"status": "ok", "alerts": 5000, "created": 5000,
                               "updated": 0, "resolved": 0, "suppressed": 0,
                               "incidents_opened": 1, "incident": got["incident"]})
        self.assertEqual(len(self.incidents()), before + 2)
        inc = self.incident(got["incident"])
        self.assertEqual(inc["source"], "alertmanager")
        self.assertEqual(inc["integration_id"], it["id"])
        self.assertEqual(inc["category"], "network-attack")
        self.assertEqual(inc["proposed_level"], "level-2")
        self.assertEqual(inc["title"], "HighLatency on web-0")
        # The reporter is the administrator who set the integration up.
        me = self.admin.get("/api/v1/me").body
        self.assertEqual(inc["reporter_id"], me.get("id", me.get("user", {}).get("id")))
        tl = self.timeline(inc)
        single = self.timeline(self.incident(one["incident"]))
        self.assertEqual([e["kind"] for e in tl if e["kind"] == "report"], ["report"])
        self.assertEqual(len([e for e in tl if e["kind"] == "notification"]),
                         len([e for e in single if e["kind"] == "notification"]))
        self.assertEqual(len(self.alerts(inc)), 5000)
        # The 4,999 after the first reach the timeline in one entry (the
        # scheduler's, within a tick or two).
        entries = self.wait_for(lambda: self.alert_entries(inc), "the storm's entry")
        self.assertEqual(len(entries), 1)
        self.assertIn("4999 more alerts: HighLatency×4999", entries[0]["text"])
        # Repeats update, open nothing.
        again = self.post(it, storm)
        self.assertEqual((again["created"], again["updated"], again["incidents_opened"],
                          again["incident"]), (0, 5000, 0, inc["number"]))
        self.assertEqual(len(self.incidents()), before + 2)
        first = self.alerts(inc)[0]
        self.assertEqual((first["count"], first["status"], first["severity"]),
                         (2, "firing", "critical"))
        r = self.admin.get("/api/v1/integrations/%d" % it["id"])
        self.assertEqual((r.body["received"], r.body["alerts_total"],
                          r.body["alerts_firing"]), (3, 5001, 5001))
        self.assertIsNotNone(r.body["last_received_at"])
        self.assertNotIn("key", r.body)
        self.assertIsNone(r.body["url"])

    def test_resolved_and_auto_dismiss(self):
        it = self.make(auto_dismiss=True)
        got = self.post(it, am([alert("Disk", "a"), alert("Disk", "b")], group="d"))
        inc = self.incident(got["incident"])
        part = self.post(it, am([alert("Disk", "a", "resolved")], group="d"))
        self.assertEqual((part["resolved"], part["incident"]), (1, inc["number"]))
        self.assertEqual(self.incident(inc["number"])["status"], "reported")
        self.assertEqual(self.resolved_entries(inc), [])
        done = self.post(it, am([alert("Disk", "b", "resolved")], group="d",
                                status="resolved"))
        self.assertEqual(done["resolved"], 1)
        entries = self.resolved_entries(inc)
        self.assertEqual(len(entries), 1)
        self.assertIn("All 2 alerts resolved", entries[0]["text"])
        self.assertIn("2 条告警已全部恢复", self.resolved_entries(inc, "zh-CN")[0]["text"])
        self.assertEqual(self.incident(inc["number"])["status"], "dismissed")
        states = {a["status"] for a in self.alerts(inc)}
        self.assertEqual(states, {"resolved"})
        # A resolved alert again is a repeat: nothing changes.
        again = self.post(it, am([alert("Disk", "b", "resolved")], group="d"))
        self.assertEqual(again["resolved"], 0)
        self.assertEqual(len(self.resolved_entries(inc)), 1)

    def test_acknowledged_is_not_dismissed_and_refires(self):
        it = self.make(auto_dismiss=True)
        got = self.post(it, am([alert("Cpu", "a")], group="c"))
        inc = self.incident(got["incident"])
        self.assertStatus(self.c["hq"].post("/api/v1/incidents/%d/ack" % inc["id"], {}), 200)
        self.post(it, am([alert("Cpu", "a", "resolved")], group="c"))
        self.assertEqual(self.incident(inc["number"])["status"], "acknowledged")
        # Firing again while the incident is open: the same alert, counted.
        back = self.post(it, am([alert("Cpu", "a")], group="c"))
        self.assertEqual((back["created"], back["updated"], back["incidents_opened"],
                          back["incident"]), (0, 1, 0, inc["number"]))
        [a] = self.alerts(inc)
        self.assertEqual((a["status"], a["count"], a["resolved_at"]), ("firing", 2, None))

    def test_incident_over_then_new_life(self):
        it = self.make()
        first = self.post(it, am([alert("Net", "a"), alert("Net", "b")], group="n"))
        inc = self.incident(first["incident"])
        base = "/api/v1/incidents/%d/" % inc["id"]
        self.assertStatus(self.c["hq"].post(base + "ack", {}), 200)
        self.assertStatus(self.c["leader"].post(base + "activate", {"level": "level-3"}), 200)
        self.assertStatus(self.c["hq"].post(base + "resolve", {"summary": "ok"}), 200)
        # The incident is over: the group's next alert reports anew, and
        # an alert of the old incident firing again joins the new one.
        second = self.post(it, am([alert("Net", "c")], group="n"))
        self.assertEqual(second["incidents_opened"], 1)
        third = self.post(it, am([alert("Net", "a")], group="n"))
        self.assertEqual((third["incidents_opened"], third["created"], third["incident"]),
                         (0, 1, second["incident"]))
        self.assertEqual(len(self.alerts(inc)), 2)
        self.assertEqual(len(self.alerts(self.incident(second["incident"]))), 2)
        r = self.admin.get("/api/v1/integrations/%d" % it["id"])
        self.assertEqual((r.body["alerts_total"], r.body["alerts_firing"]), (4, 3))

    def test_rules_and_maintenance(self):
        now = START
        it = self.make(rules=[
            {"matchers": ["team=\"db\""], "category": "data-leak", "level": "level-1",
             "title": "DB: {{alertname}} on {{instance}}"},
            {"matchers": ["severity=~\"info|debug\""], "drop": True}],
            maintenance=[{"matchers": ["instance=~\"maint-.*\""],
                          "starts_at": iso(now - timedelta(hours=1)),
                          "ends_at": iso(now + timedelta(hours=1)),
                          "reason": "upgrade"}])
        self.assertEqual(it["rules"][1], {"matchers": ["severity=~\"info|debug\""],
                                          "category": None, "level": None,
                                          "title": None, "drop": True})
        self.assertEqual(it["maintenance"][0]["reason"], "upgrade")
        before = len(self.incidents())
        got = self.post(it, am([alert("Slow", "db1", team="db")], group="r1"))
        inc = self.incident(got["incident"])
        self.assertEqual((inc["category"], inc["proposed_level"], inc["title"]),
                         ("data-leak", "level-1", "DB: Slow on db1"))
        held = self.post(it, am([alert("Noise", "n1", severity="info"),
                                 alert("Up", "maint-1")], group="r2"))
        self.assertEqual((held["created"], held["suppressed"], held["incidents_opened"],
                          held["incident"]), (2, 2, 0, None))
        self.assertEqual(len(self.incidents()), before + 1)
        # After the window the same alert opens an incident.
        self.clock(now + timedelta(hours=2))
        later = self.post(it, am([alert("Up", "maint-1")], group="r2"))
        self.assertEqual((later["incidents_opened"], later["suppressed"]), (1, 0))

    def test_events_trigger_ack_resolve(self):
        it = self.make("events")
        ev = {"event_action": "trigger", "dedup_key": "db-1",
              "payload": {"summary": "主库宕机", "source": "db1", "severity": "critical"}}
        r = self.post(it, ev, 202)
        self.assertEqual(r["dedup_key"], "db-1")
        inc = [i for i in self.incidents() if i["integration_id"] == it["id"]][0]
        self.assertEqual((inc["source"], inc["title"], inc["status"]),
                         ("events", "主库宕机", "reported"))
        self.post(it, {"event_action": "acknowledge", "dedup_key": "db-1"}, 202)
        self.assertEqual(self.incident(inc["number"])["status"], "acknowledged")
        self.post(it, {"event_action": "resolve", "dedup_key": "db-1"}, 202)
        [a] = self.alerts(inc)
        self.assertEqual((a["status"], a["fingerprint"], a["source"]), ("resolved", "db-1", "db1"))
        self.assertEqual(len(self.resolved_entries(inc)), 1)
        # Another dedup_key is another incident.
        self.post(it, dict(ev, dedup_key="db-2"), 202)
        self.assertEqual(len([i for i in self.incidents()
                              if i["integration_id"] == it["id"]]), 2)

    def wait_for(self, fn, what, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = fn()
            if got:
                return got
            time.sleep(0.2)
        self.fail("no " + what + " within %ds" % timeout)

    def test_later_alerts_batched_on_timeline(self):
        it = self.make()
        got = self.post(it, am([alert("Err", "a")], group="b"))
        inc = self.incident(got["incident"])
        self.assertEqual(self.alert_entries(inc), [])
        # The first batch after the report goes on with its payload.
        self.post(it, am([alert("Err", "b"), alert("Err", "c"), alert("Warn", "d")],
                         group="b"))
        entries = self.alert_entries(inc)
        self.assertEqual(len(entries), 1)
        self.assertIn("3 more alerts: Err×2, Warn×1", entries[0]["text"])
        self.assertIn("又有 3 条告警", self.alert_entries(inc, "zh-CN")[0]["text"])
        self.assertEqual(entries[0]["data"]["names"], {"Err": 2, "Warn": 1})
        # Within the minute after, the next waits for the scheduler.
        self.post(it, am([alert("Err", "e"), alert("Err", "a")], group="b"))
        time.sleep(1.5)
        self.assertEqual(len(self.alert_entries(inc)), 1)
        self.clock(START + timedelta(seconds=61))
        entries = self.wait_for(lambda: (lambda e: e if len(e) == 2 else None)(
            self.alert_entries(inc)), "the scheduler's entry")
        self.assertIn("1 more alert: Err×1", entries[1]["text"])
        # Past a minute, a payload's alerts go on at once (or with the
        # scheduler's next entry, whichever comes first): every alert
        # once, a few entries.
        self.post(it, am([alert("Err", "f")], group="b"))
        self.clock(START + timedelta(seconds=125))
        self.post(it, am([alert("Err", "g")], group="b"))
        entries = self.wait_for(lambda: (lambda e: e if sum(
            x["data"]["alerts"] for x in e) == 6 else None)(self.alert_entries(inc)),
            "every alert on the timeline")
        self.assertLessEqual(len(entries), 4)

    def test_group_window(self):
        it = self.make(group_window_s=60, group_by=["cluster"])
        a = self.post(it, am([alert("A", "1", cluster="eu")], group="ignored-1"))
        b = self.post(it, am([alert("B", "2", cluster="eu")], group="ignored-2"))
        self.assertEqual((b["incidents_opened"], b["incident"]), (0, a["incident"]))
        self.assertEqual(self.alerts(self.incident(a["incident"]))[1]["group_key"],
                         "{cluster=\"eu\"}")
        self.clock(START + timedelta(seconds=61))
        c = self.post(it, am([alert("C", "3", cluster="eu")]))
        self.assertEqual(c["incidents_opened"], 1)
        self.assertNotEqual(c["incident"], a["incident"])

    def test_heartbeat_missed_and_recovered(self):
        it = self.make("heartbeat", interval_s=60)
        self.assertEqual(it["interval_s"], 60)
        mine = lambda: [i for i in self.incidents() if i["integration_id"] == it["id"]]
        # Never called: never missed.
        self.clock(START + timedelta(hours=1))
        time.sleep(1.5)
        self.assertEqual(mine(), [])
        r = self.server.client().get("/api/v1/intake/" + it["key"])
        self.assertStatus(r, 200)
        self.clock(START + timedelta(hours=1, seconds=59))
        time.sleep(1.5)
        self.assertEqual(mine(), [])
        self.clock(START + timedelta(hours=1, seconds=62))
        [inc] = self.wait_for(mine, "missed-heartbeat incident")
        self.assertEqual(inc["source"], "heartbeat")
        self.assertIn("Heartbeat missed", inc["title"])
        time.sleep(1.5)
        self.assertEqual(len(mine()), 1)
        self.assertStatus(self.server.client().post("/api/v1/intake/" + it["key"]), 200)
        [a] = self.alerts(inc)
        self.assertEqual(a["status"], "resolved")
        self.assertEqual(len(self.resolved_entries(inc)), 1)
        self.assertEqual(self.admin.get("/api/v1/integrations/%d" % it["id"]).body["alerts_firing"], 0)

    def test_settings_checked(self):
        before = list_all(self.admin, "/api/v1/integrations")
        bad = [
            ({"kind": "alertmanager"}, 400, "missing_field", "name"),
            ({"name": "x", "kind": "nagios"}, 400, "invalid", "kind"),
            ({"name": "x", "kind": "alertmanager", "category": "nope"}, 400, "invalid", "category"),
            ({"name": "x", "kind": "alertmanager", "level": "level-9"}, 400, "invalid", "level"),
            ({"name": "x", "kind": "alertmanager", "rules": [{"matchers": ["a=~\"(\""]}]},
             400, None, "rules[0].matchers[0]"),
            ({"name": "x", "kind": "alertmanager", "rules": [{"matchers": ["a=\"b\""],
                                                             "category": "nope"}]},
             400, "invalid", "rules[0].category"),
            ({"name": "x", "kind": "alertmanager", "rules": [{"matchers": ["a=\"b\""],
                                                             "colour": 1}]},
             400, "unknown_field", "rules[0].colour"),
            ({"name": "x", "kind": "alertmanager", "maintenance": [
                {"starts_at": "2026-12-02T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z"}]},
             400, "invalid", "maintenance[0].ends_at"),
            ({"name": "x", "kind": "alertmanager", "maintenance": [
                {"starts_at": "soon", "ends_at": "2026-12-01T00:00:00Z"}]},
             400, "invalid", "maintenance[0].starts_at"),
            ({"name": "x", "kind": "alertmanager", "group_by": ["9x"]}, 400, "invalid", "group_by[0]"),
            ({"name": "x", "kind": "alertmanager", "title_template": "{{nope.x}}"}, 400, None,
             "title_template"),
            ({"name": "x", "kind": "heartbeat"}, 400, "missing_field", "interval_s"),
            ({"name": "x", "kind": "heartbeat", "interval_s": 5}, 400, "invalid", "interval_s"),
            ({"name": "x", "kind": "events", "interval_s": 60}, 400, "invalid", "interval_s"),
            ({"name": "x", "kind": "events", "rate_limit_per_min": 0}, 400, "invalid",
             "rate_limit_per_min"),
        ]
        for body, status, code, field in bad:
            r = self.admin.post("/api/v1/integrations", body)
            self.assertEqual(r.status, status, (body, r))
            if code:
                self.assertEqual(r.body["error"]["code"], code, (body, r))
            self.assertEqual(r.body["error"].get("field"), field, (body, r))
        it = self.make()
        r = self.admin.post("/api/v1/integrations", {"name": it["name"], "kind": "events"})
        self.assertError(r, 409, "conflict", "name")
        r = self.admin.patch("/api/v1/integrations/%d" % it["id"], {"kind": "events"})
        self.assertEqual((r.status, r.body["error"]["field"]), (400, "kind"))
        r = self.admin.patch("/api/v1/integrations/%d" % it["id"],
                             {"rules": [{"matchers": []}]})
        self.assertError(r, 400, "invalid", "rules[0].matchers")
        self.assertEqual(self.admin.get("/api/v1/integrations/%d" % it["id"]).body["rules"], [])
        r = self.admin.patch("/api/v1/integrations/%d" % it["id"],
                             {"enabled": False, "title_template": "{{alertname}}!"})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["enabled"], r.body["title_template"]),
                         (False, "{{alertname}}!"))
        self.assertEqual(len(list_all(self.admin, "/api/v1/integrations")), len(before) + 1)

    def test_rights_and_test_alert(self):
        it = self.make()
        for who in ("hq", "staff", "leader"):
            c = self.c[who]
            self.assertError(c.get("/api/v1/integrations"), 403, "forbidden")
            self.assertError(c.post("/api/v1/integrations", {"name": "z", "kind": "events"}),
                             403, "forbidden")
            self.assertError(c.post("/api/v1/integrations/%d/test" % it["id"]), 403, "forbidden")
            self.assertError(c.delete("/api/v1/integrations/%d" % it["id"]), 403, "forbidden")
        r = self.admin.post("/api/v1/integrations/%d/test" % it["id"])
        self.assertStatus(r, 201)
        self.assertTrue(r.body["incident"]["is_drill"])
        self.assertEqual(r.body["alert"]["labels"], {"alertname": "erms test alert",
                                                      "severity": "info"})
        self.assertEqual(r.body["alert"]["incident_id"], r.body["incident"]["id"])
        again = self.admin.post("/api/v1/integrations/%d/test" % it["id"])
        self.assertEqual(again.body["incident"]["id"], r.body["incident"]["id"])
        self.assertEqual(again.body["alert"]["count"], 2)
        self.assertError(self.admin.post("/api/v1/integrations/999999/test"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
