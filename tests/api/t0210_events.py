"""Live updates: GET /api/v1/events (Server-Sent Events).

Two subscribers (two users) see every event of a scripted incident in the
same order with increasing ids, and the timeline events are exactly the
timeline; a subscriber that disconnects and comes back with
`Last-Event-ID` (or `?last_event_id=`) gets exactly what it missed; a
stream starts after the newest event; anonymous subscribers get 401.

Users: `leader` (leadership), `hq` (command HQ), `techie` (team `tech`),
`staff` (no group).
"""

import http.client
import json
import os
import socket
import sys
import threading
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase, sample_org  # noqa: E402

WAIT = 20  # seconds, at most, for any awaited event


class Stream:
    """One subscriber: GET /api/v1/events on a raw socket, parsed by a
    reader thread into .events ([{id, event, data}], data parsed JSON),
    .comments and .retry. For an answer other than 200, .status, .headers
    and .body (parsed JSON) and no thread."""

    def __init__(self, server, bearer=None, last_event_id=None, query="", cookie=None):
        self.events, self.comments, self.retry = [], [], None
        self.texts = {}  # text of a timeline event -> its index in events
        self.closed, self.error = False, None
        self.cv = threading.Condition()
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
        lines = ["GET /api/v1/events%s HTTP/1.1" % query, "Host: 127.0.0.1",
                 "Accept: text/event-stream"]
        if bearer:
            lines.append("Authorization: Bearer " + bearer)
        if cookie:
            lines.append("Cookie: erms_session=" + cookie)
        if last_event_id is not None:
            lines.append("Last-Event-ID: %s" % last_event_id)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.f = self.sock.makefile("rb")
        status = self.f.readline().decode("latin-1").split()
        assert len(status) >= 2 and status[0].startswith("HTTP/1."), status
        self.status = int(status[1])
        self.headers = {}
        while True:
            line = self.f.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                break
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        if self.status != 200:
            n = int(self.headers.get("content-length", "0"))
            raw = self._body(n)
            self.body = json.loads(raw) if raw else None
            self.close()
            return
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _body(self, n):
        if self.chunked:
            out = b""
            while True:
                size = int(self.f.readline().split(b";")[0], 16)
                if size == 0:
                    self.f.readline()
                    return out
                out += self.f.read(size)
                self.f.readline()
        return self.f.read(n)

    def _read(self):
        buf, ev = b"", {}
        try:
            while True:
                if self.chunked:
                    line = self.f.readline()
                    if not line:
                        break
                    size = int(line.split(b";")[0], 16)
                    if size == 0:
                        break
                    data = self.f.read(size)
                    self.f.readline()
                else:
                    data = self.f.read1(65536)
                if not data:
                    break
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    ev = self._line(line.decode("utf-8").rstrip("\r"), ev)
        except (OSError, ValueError) as e:
            if not self.closed:
                self.error = e
        with self.cv:
            self.closed = True
            self.cv.notify_all()

    def _line(self, line, ev):
        if line == "":
            if "data" in ev:
                ev["data"] = json.loads(ev["data"])
                with self.cv:
                    if ev.get("event") == "timeline" and isinstance(ev["data"], dict):
                        self.texts.setdefault(ev["data"].get("text"), len(self.events))
                    self.events.append(ev)
                    self.cv.notify_all()
            return {}
        if line.startswith(":"):
            with self.cv:
                self.comments.append(line[1:].strip())
                self.cv.notify_all()
            return ev
        k, _, v = line.partition(":")
        v = v[1:] if v.startswith(" ") else v
        if k == "id":
            ev["id"] = int(v)
        elif k == "retry":
            self.retry = int(v)
        elif k == "data" and "data" in ev:
            ev["data"] += "\n" + v
        else:
            ev[k] = v
        return ev

    def wait(self, pred, what, timeout=WAIT):
        """Wait until pred(self) is true; fail after timeout."""
        with self.cv:
            ok = self.cv.wait_for(lambda: pred(self) or self.closed, timeout)
            if ok and pred(self):
                return
        raise AssertionError("no %s within %gs (closed=%s, error=%r); events: %r"
                             % (what, timeout, self.closed, self.error, self.events))

    def connected(self):
        self.wait(lambda s: "connected" in s.comments, "': connected' comment")
        return self

    def wait_text(self, text):
        """Wait for the timeline event whose text is text; returns the events up to it."""
        self.wait(lambda s: text in s.texts, "timeline event %r" % text)
        with self.cv:
            return list(self.events[:self.texts[text] + 1])

    def close(self):
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if getattr(self, "thread", None):
            self.thread.join(WAIT)


def about(events, inc):
    """The events about incident inc."""
    out = []
    for e in events:
        d = e["data"]
        if e["event"] == "incident" and d.get("id") == inc["id"]:
            out.append(e)
        elif e["event"] in ("task", "timeline") and d.get("incident_id") == inc["id"]:
            out.append(e)
        elif e["event"] == "breach" and d.get("number") == inc["number"]:
            out.append(e)
    return out


class Events(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def setUp(self):
        self.streams = []

    def tearDown(self):
        for s in self.streams:
            s.close()

    def subscribe(self, who=None, **kw):
        s = Stream(self.server, self.c[who].bearer if who else None, **kw)
        self.streams.append(s)
        return s

    def call(self, who, method, path, body=None, status=200):
        r = self.c[who].req(method, path, body)
        self.assertEqual(r.status, status, "%s %s by %s: %r" % (method, path, who, r))
        return r.body

    def act(self, who, inc, action, **body):
        return self.call(who, "POST", "/api/v1/incidents/%d/%s" % (inc["id"], action), body)

    def note(self, inc, text):
        self.call("hq", "POST", "/api/v1/incidents/%d/notes" % inc["id"], {"text": text}, 201)

    def report(self, title):
        return self.call("staff", "POST", "/api/v1/incidents",
                         {"title": title, "category": "network-attack"}, 201)

    def assertIncreasing(self, events):
        ids = [e["id"] for e in events]
        self.assertTrue(all(a < b for a, b in zip(ids, ids[1:])), ids)

    def test_two_subscribers_see_the_same_events_in_order(self):
        before = self.report("订阅前的事件")
        s1 = self.subscribe("hq").connected()
        s2 = self.subscribe("staff").connected()
        for s in (s1, s2):
            self.assertTrue(s.headers["content-type"].startswith("text/event-stream"), s.headers)
            self.assertEqual(s.retry, 3000)
        # The script: a whole incident, with tasks, notes and a level change.
        inc = self.report("网站遭受拒绝服务攻击")
        self.act("hq", inc, "ack")
        self.act("leader", inc, "activate", level="level-2")
        tasks = self.call("staff", "GET", "/api/v1/incidents/%d/tasks" % inc["id"])["items"]
        tech = next(t for t in tasks if t["group"] == "tech")
        self.call("techie", "PATCH", "/api/v1/tasks/%d" % tech["id"], {"status": "doing"})
        self.note(inc, "已联系运营商清洗流量")
        self.act("leader", inc, "set-level", level="level-1", reason="攻击升级")
        self.call("techie", "PATCH", "/api/v1/tasks/%d" % tech["id"], {"status": "done"})
        self.act("hq", inc, "resolve", summary="攻击停止")
        self.act("leader", inc, "close")
        marker = "end-" + uuid.uuid4().hex
        self.note(inc, marker)

        e1, e2 = s1.wait_text(marker), s2.wait_text(marker)
        self.assertEqual(e1, e2)
        self.assertIncreasing(e1)
        self.assertEqual(about(e1, before), [], "a stream starts after the newest event")
        self.assertEqual(about(e1, inc), e1, "events about other incidents")
        # The incident's states, in order.
        states = [e["data"]["status"] for e in e1 if e["event"] == "incident"]
        collapsed = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
        self.assertEqual(collapsed, ["reported", "acknowledged", "active", "resolved", "closed"])
        levels = [e["data"]["level"] for e in e1 if e["event"] == "incident"]
        self.assertEqual([lv for i, lv in enumerate(levels) if i == 0 or levels[i - 1] != lv],
                         [None, "level-2", "level-1"])
        self.assertEqual(e1[-1]["data"]["text"], marker)
        # The last incident event is the incident as it is now.
        final = [e["data"] for e in e1 if e["event"] == "incident"][-1]
        now = self.call("staff", "GET", "/api/v1/incidents/%d" % inc["id"])
        # One incident's answer also counts its tasks for those deciding
        # (app_incident_extras); the stream carries task events instead.
        for extra in ("open_tasks", "blocked_tasks", "chain_reached_leadership"):
            now.pop(extra, None)
        self.assertEqual(final, now)
        # The timeline events are exactly the timeline, in order.
        timeline = self.call("staff", "GET", "/api/v1/incidents/%d/timeline" % inc["id"])["items"]
        self.assertEqual([e["data"] for e in e1 if e["event"] == "timeline"], timeline)
        # Every task appears; the tech task's changes in order.
        tasks = self.call("staff", "GET", "/api/v1/incidents/%d/tasks" % inc["id"])["items"]
        task_events = [e["data"] for e in e1 if e["event"] == "task"]
        self.assertEqual({t["id"] for t in task_events}, {t["id"] for t in tasks})
        self.assertEqual([t["status"] for t in task_events if t["id"] == tech["id"]],
                         ["todo", "doing", "done"])
        latest = {}
        for t in task_events:
            latest[t["id"]] = t
        self.assertEqual(sorted(latest.values(), key=lambda t: t["id"]),
                         sorted(tasks, key=lambda t: t["id"]))
        # The report's events: its timeline entry and the incident, in commit order,
        # before anything of the ack.
        first_ack = next(i for i, e in enumerate(e1) if e["event"] == "incident"
                         and e["data"]["status"] == "acknowledged")
        self.assertEqual({e["event"] for e in e1[:first_ack]}, {"incident", "timeline"})
        # A replay from just before the script gives the very same events.
        s3 = self.subscribe("techie", last_event_id=e1[0]["id"] - 1)
        self.assertEqual(s3.wait_text(marker), e1)

    def test_reconnect_gets_exactly_the_missed_events(self):
        steady = self.subscribe("hq").connected()
        third = self.subscribe("techie").connected()
        inc = self.report("重连测试")
        m1 = "seen-" + uuid.uuid4().hex
        self.note(inc, m1)
        seen = third.wait_text(m1)
        last = seen[-1]["id"]
        third.close()
        self.assertEqual(steady.wait_text(m1), seen)
        # What happens while the third subscriber is away.
        self.act("hq", inc, "ack")
        self.act("leader", inc, "activate", level="level-3")
        tasks = self.call("staff", "GET", "/api/v1/incidents/%d/tasks" % inc["id"])["items"]
        tech = next(t for t in tasks if t["group"] == "tech")
        self.call("techie", "PATCH", "/api/v1/tasks/%d" % tech["id"], {"status": "blocked"})
        self.note(inc, "等待厂商")
        m2 = "back-" + uuid.uuid4().hex
        self.note(inc, m2)
        everything = steady.wait_text(m2)
        missed = [e for e in everything if e["id"] > last]
        self.assertGreaterEqual(len(missed), 10, missed)  # ack, activate, 4 tasks, ...
        self.assertEqual([e for e in everything if e["id"] <= last], seen)
        # Back with Last-Event-ID, and with ?last_event_id=: exactly the missed ones.
        back = self.subscribe("techie", last_event_id=last)
        got = back.wait_text(m2)
        self.assertEqual([e["id"] for e in got], [e["id"] for e in missed])
        self.assertEqual(got, missed)
        again = self.subscribe("techie", query="?last_event_id=%d" % last)
        self.assertEqual(again.wait_text(m2), missed)
        # Still live after the replay: a new event comes through.
        m3 = "live-" + uuid.uuid4().hex
        self.note(inc, m3)
        tail = back.wait_text(m3)
        self.assertEqual(tail[:len(got)], got)
        self.assertEqual(tail[len(got):], steady.wait_text(m3)[len(everything):])
        self.assertIncreasing(tail)

    def notes(self, inc, n, prefix, threads=8):
        """n notes on inc from `threads` keep-alive connections at once;
        returns their texts."""
        bearer, errors = self.c["hq"].bearer, []
        texts = ["%s-%d" % (prefix, i) for i in range(n)]

        def worker(k):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
            try:
                for text in texts[k::threads]:
                    conn.request("POST", "/api/v1/incidents/%d/notes" % inc["id"],
                                 body=json.dumps({"text": text}).encode(),
                                 headers={"Authorization": "Bearer " + bearer,
                                          "Content-Type": "application/json"})
                    resp = conn.getresponse()
                    payload = resp.read()
                    if resp.status != 201:
                        errors.append((text, resp.status, payload[:200]))
                    if resp.will_close:
                        conn.close()
            except Exception as e:  # reported below
                errors.append(repr(e))
            finally:
                conn.close()

        ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        self.assertFalse(any(t.is_alive() for t in ts), "a writer hangs")
        self.assertEqual(errors, [])
        return texts

    def test_far_behind_reads_the_log_then_the_recent_events(self):
        # More events than the server keeps in memory (4096) while away.
        steady = self.subscribe("leader").connected()
        away = self.subscribe("techie").connected()
        inc = self.report("大量事件")
        m1 = "before-" + uuid.uuid4().hex
        self.note(inc, m1)
        last = away.wait_text(m1)[-1]["id"]
        away.close()
        texts = self.notes(inc, 4500, "burst")
        m2 = "after-" + uuid.uuid4().hex
        self.note(inc, m2)
        everything = steady.wait_text(m2)
        missed = [e for e in everything if e["id"] > last]
        self.assertEqual(len(missed), 4501)
        self.assertEqual(sorted(e["data"]["text"] for e in missed[:-1]), sorted(texts))
        self.assertIncreasing(everything)
        back = self.subscribe("techie", last_event_id=last)
        got = back.wait_text(m2)
        self.assertEqual([e["id"] for e in got], [e["id"] for e in missed])
        self.assertEqual(got, missed)
        # And from the very start of the log.
        first = self.subscribe("staff", last_event_id=0)
        got = first.wait_text(m2)
        self.assertIncreasing(got)
        self.assertEqual(got[-len(everything):], everything)

    def test_ids_go_on_across_a_crash_and_a_restart(self):
        s = self.subscribe("hq").connected()
        inc = self.report("重启测试")
        m1 = "pre-" + uuid.uuid4().hex
        self.note(inc, m1)
        last = s.wait_text(m1)[-1]["id"]
        s.close()
        self.note(inc, "missed-a")
        self.note(inc, "missed-b")
        self.server.kill9()
        self.server.restart()
        fresh = self.subscribe("staff").connected()
        self.note(inc, "missed-c")
        m2 = "post-" + uuid.uuid4().hex
        self.note(inc, m2)
        back = self.subscribe("hq", last_event_id=last)
        got = back.wait_text(m2)
        self.assertEqual([e["data"]["text"] for e in got], ["missed-a", "missed-b", "missed-c", m2])
        self.assertEqual({e["event"] for e in got}, {"timeline"})
        self.assertIncreasing([{"id": last}] + got)
        # A subscriber without Last-Event-ID started after the newest event.
        self.assertEqual(fresh.wait_text(m2), got[2:])

    def test_heartbeat(self):
        s = self.subscribe("staff").connected()
        s.wait(lambda s: "ping" in s.comments, "': ping' comment")

    def test_anonymous_and_bad_subscriptions(self):
        s = self.subscribe()
        self.assertEqual(s.status, 401)
        self.assertEqual(s.body["error"]["code"], "unauthorized", s.body)
        s = Stream(self.server, "erms_forged-token-0000")
        self.streams.append(s)
        self.assertEqual(s.status, 401)
        s = self.subscribe("staff", last_event_id="abc")
        self.assertEqual(s.status, 400)
        self.assertEqual(s.body["error"]["code"], "invalid", s.body)
        # The plain API answers anonymous callers with 401 too.
        r = self.server.client().get("/api/v1/events")
        self.assertEqual(r.status, 401, r)


if __name__ == "__main__":
    unittest.main()
