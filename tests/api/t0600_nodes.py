"""Several nodes on one database: two `erms serve` on the database the
harness gives (an SQLite file, or PostgreSQL when the harness is given
one), each with its own port.

- A write on one node is read on the other; an event on one reaches an
  SSE subscriber of the other.
- 20 reports spread over both nodes: every message is delivered, and no
  idempotency key reaches the webhook receiver twice.
- Sign-in limits count the attempts of both nodes together (on a
  database server; one node on a file keeps them in memory).
- kill -9 of one node under load: every acknowledged report is there,
  the survivor delivers every message of them (the dead node's leased
  ones after their lease), leads the scheduler, and an escalation due
  after the kill fires once (test clock).
"""

import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("aiosmtpd")

import harness  # noqa: E402
from harness import Node, client_on  # noqa: E402
from receivers import wait_until  # noqa: E402
from t0200_incidents import read_events  # noqa: E402
from t0300_notify import BACKOFF, SECRETS, NotifyTestCase, plus  # noqa: E402

LEASE = ("--notify-lease-ms", "2000")
DONE = ("sent", "merged")  # merged: carried by another message's digest


class TwoNodes(NotifyTestCase):
    """Node A (cls.server) and node B (cls.b) on one database; the tests
    run in their numbered order, the last one kills A."""

    server_args = BACKOFF + LEASE + ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.b = Node(cls.server)
        except BaseException:
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.b.stop()
        finally:
            cls.b.cleanup()
            super().tearDownClass()

    @classmethod
    def setup_channels(cls):
        cls.hook = cls.add_channel("hook", "webhook", {"url": cls.http.url("/hook"),
                                                       "secret": SECRETS["webhook"]})
        cls.link("command", cls.hook)

    def on(self, node, who="staff"):
        return client_on(node, self.c[who])

    def report_on(self, node, title):
        r = self.on(node).post("/api/v1/incidents", {"title": title,
                                                     "category": "system-failure"})
        self.assertEqual(r.status, 201, r)
        return r.body

    def times_received(self, key):
        """Requests that carried the message of key: as their own, or in
        a digest (whose body lists each message's key)."""
        body_key = key.encode()
        return len([r for r in self.http.received()
                    if r.headers.get("idempotency-key") == key or body_key in r.body])

    def all_sent(self, incs, timeout=30):
        last = {}

        def check():
            items = [m for inc in incs for m in self.log(inc)]
            last["states"] = sorted({(m["state"], m["attempts"], m["last_error"])
                                     for m in items if m["state"] not in DONE})
            return items if items and all(m["state"] in DONE for m in items) else None
        try:
            return wait_until(check, timeout, 0.2, "the delivery of every message")
        except AssertionError:
            raise AssertionError("not all sent: %r" % last.get("states")) from None

    def metric(self, node, name):
        r = harness.Client(node).get("/metrics")
        self.assertStatus(r, 200)
        text = r.body if isinstance(r.body, str) else r.body.decode()
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def test_1_write_on_one_read_on_the_other(self):
        inc = self.report_on(self.server, "节点A的报告")
        r = self.on(self.b).get("/api/v1/incidents/%d" % inc["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body["title"], "节点A的报告")
        inc = self.report_on(self.b, "node B report")
        r = self.on(self.server).get("/api/v1/incidents/%d" % inc["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body["title"], "node B report")

    def test_2_event_reaches_the_other_node(self):
        got = {}
        title = "跨节点事件 %d" % time.monotonic_ns()

        def subscribe():
            try:
                got["events"] = read_events(
                    self.b, self.c["hq"].bearer,
                    lambda ev: ev["event"] == "incident" and ev["data"].get("title") == title,
                    timeout=15)
            except BaseException as e:  # reported below
                got["error"] = e
        t = threading.Thread(target=subscribe)
        t.start()
        time.sleep(0.5)  # subscribed
        inc = self.report_on(self.server, title)
        t.join(20)
        self.assertNotIn("error", got, got.get("error"))
        ids = [int(e["id"]) for e in got["events"]]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(got["events"][-1]["data"]["id"], inc["id"])

    def test_3_twenty_reports_delivered_once(self):
        self.http.clear()
        incs = [self.report_on(self.server if i % 2 else self.b, "分布报告 %d" % i)
                for i in range(20)]
        sent = self.all_sent(incs)
        self.assertGreaterEqual(len(sent), 20)
        for m in sent:
            if m["channel_id"] != self.hook["id"]:
                continue
            with self.subTest(message=m["id"]):
                self.assertEqual(self.times_received(m["idempotency_key"]), 1)

    def test_4_signin_limits_hold_across_nodes(self):
        # One node keeps the limits in memory (an embedded file); nodes on
        # a database server share them there.
        if not str(self.server.db).startswith(("postgres://", "postgresql://")):
            self.skipTest("the limits are shared on a database server only")
        answers = []
        for i in range(7):
            c = harness.Client(self.server if i % 2 else self.b)
            c.source = "127.0.0.3"
            answers.append(c.login("staff", "not-the-password", check=False).status)
        self.assertEqual(answers[:5], [401] * 5, answers)
        self.assertEqual(answers[5:], [429, 429], answers)

    def test_9_node_loss_under_load(self):
        early = self.report_on(self.server, "击杀前的报告")
        acked, stop = [], threading.Event()
        lock = threading.Lock()

        def load(node, n):
            c = self.on(node)
            i = 0
            while not stop.is_set():
                try:
                    r = c.post("/api/v1/incidents", {"title": "负载 %s %d" % (n, i),
                                                     "category": "system-failure"})
                except (OSError, AssertionError):
                    if node is self.server:
                        return  # the killed node
                    raise
                if r.status == 201:
                    with lock:
                        acked.append(r.body["id"])
                i += 1
        threads = [threading.Thread(target=load, args=(node, n))
                   for node, n in ((self.server, "A"), (self.b, "B"))]
        for t in threads:
            t.start()
        time.sleep(1.5)
        self.server.kill9()
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(30)
        self.assertTrue(acked)
        # Every acknowledged report is there, read on the survivor.
        bc = self.on(self.b, "admin")
        for i in acked:
            self.assertStatus(bc.get("/api/v1/incidents/%d" % i), 200)
        # The survivor leads the scheduler.
        wait_until(lambda: self.metric(self.b, "erms_scheduler_leader") == 1, 10, 0.2,
                   "the survivor to lead")
        # ... and delivers every message, the dead node's after its lease.
        admin_a = self.admin
        self.admin = client_on(self.b, admin_a)
        try:
            incs = [{"id": i} for i in acked]
            self.all_sent(incs, timeout=40)
            for inc in incs:
                for m in self.log(inc):
                    if m["channel_id"] == self.hook["id"]:
                        self.assertIn(self.times_received(m["idempotency_key"]), (1, 2))
            # An escalation due after the kill fires, once.
            self.assertStatus(self.admin.post("/api/v1/test/clock",
                                              {"now": plus(early["reported_at"], 5)}), 200)
            tier1 = [m for m in self.log(early) if m["tier"] == 1 and m["event"] == "escalate"]
            self.assertTrue(tier1, self.log(early))
            time.sleep(2.5)  # the survivor's ticks
            again = [m for m in self.log(early) if m["tier"] == 1 and m["event"] == "escalate"]
            self.assertEqual(sorted(m["id"] for m in again), sorted(m["id"] for m in tier1))
            recipients = [(m["channel_id"], m["recipient"]) for m in again]
            self.assertEqual(len(recipients), len(set(recipients)), again)
        finally:
            self.admin = admin_a


if __name__ == "__main__":
    unittest.main()
