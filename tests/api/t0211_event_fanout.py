"""Live updates to many subscribers, and the event log's retention.

Many subscribers that start at the same event receive the very same bytes
(each event is rendered once, and every stream copies it), a resumed one
too. The event log keeps a window (`erms serve --event-retention-days`,
7 by default): with the test clock moved past it, the ticker prunes the
older events, a replay from inside the window is exact, and a resume from
before it gets a `missed` event (id: the one before the oldest kept) and
then every event the log holds.
"""

import datetime
import os
import socket
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase, sample_org  # noqa: E402
from t0210_events import Stream  # noqa: E402

WAIT = 20  # seconds, at most, for anything awaited
PING = b": ping\n\n"


class RawStream:
    """GET /api/v1/events on a raw socket; .body: the de-chunked bytes
    after the head, heartbeats left out (they come when the clock says,
    not with the events)."""

    def __init__(self, server, bearer, last_event_id=None):
        self.body, self.closed = bytearray(), False
        self.cv = threading.Condition()
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
        lines = ["GET /api/v1/events HTTP/1.1", "Host: 127.0.0.1",
                 "Authorization: Bearer " + bearer]
        if last_event_id is not None:
            lines.append("Last-Event-ID: %d" % last_event_id)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.f = self.sock.makefile("rb")
        assert b" 200 " in self.f.readline()
        while self.f.readline() not in (b"\r\n", b""):
            pass
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            while True:
                size = int(self.f.readline().split(b";")[0], 16)
                if size == 0:
                    break
                data = self.f.read(size)
                self.f.readline()
                with self.cv:
                    self.body += data
                    while PING in self.body:
                        i = self.body.index(PING)
                        del self.body[i:i + len(PING)]
                    self.cv.notify_all()
        except (OSError, ValueError):
            pass
        with self.cv:
            self.closed = True
            self.cv.notify_all()

    def wait_for(self, marker):
        """The body up to the end of the frame that holds marker."""
        with self.cv:
            self.cv.wait_for(lambda: self.closed or marker in self.body
                             and b"\n\n" in self.body[self.body.index(marker):], WAIT)
            assert marker in self.body, "no %r (closed=%s): %r" % (marker, self.closed,
                                                                  bytes(self.body[-300:]))
            end = self.body.index(b"\n\n", self.body.index(marker)) + 2
            return bytes(self.body[:end])

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(WAIT)


class OrgCase(ServerTestCase):
    """A server with the sample organisation, and calls that check the status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            sample_org(cls)
        except BaseException:
            cls.tearDownClass()
            raise

    def call(self, who, method, path, body=None, status=200):
        r = self.c[who].req(method, path, body)
        self.assertEqual(r.status, status, "%s %s by %s: %r" % (method, path, who, r))
        return r.body


class Fanout(OrgCase):
    def test_many_subscribers_get_the_same_bytes(self):
        who = ["hq", "staff", "techie", "leader"]
        # Start them all at the same event, so that they owe the same bytes.
        start = Stream(self.server, self.c["hq"].bearer)
        start.connected()
        inc = self.call("staff", "POST", "/api/v1/incidents",
                        {"title": "扇出测试", "category": "network-attack"}, 201)
        m0 = "zero-" + uuid.uuid4().hex
        self.call("hq", "POST", "/api/v1/incidents/%d/notes" % inc["id"], {"text": m0}, 201)
        after = start.wait_text(m0)[-1]["id"]
        start.close()
        subs = [RawStream(self.server, self.c[who[i % 4]].bearer, last_event_id=after)
                for i in range(24)]
        try:
            self.call("hq", "POST", "/api/v1/incidents/%d/ack" % inc["id"], {})
            for i in range(40):
                self.call("hq", "POST", "/api/v1/incidents/%d/notes" % inc["id"],
                          {"text": "第 %d 条：%s" % (i, "长文本" * (i * 20))}, 201)
            marker = ("end-" + uuid.uuid4().hex).encode()
            self.call("hq", "POST", "/api/v1/incidents/%d/notes" % inc["id"],
                      {"text": marker.decode()}, 201)
            bodies = [s.wait_for(marker) for s in subs]
            # A late one, resuming from the same event, after it all.
            late = RawStream(self.server, self.c["staff"].bearer, last_event_id=after)
            subs.append(late)
            bodies.append(late.wait_for(marker))
        finally:
            for s in subs:
                s.close()
        head = b"retry: 3000\n: connected\n\n"
        for b in bodies:
            self.assertTrue(b.startswith(head), b[:80])
        frames = bodies[0][len(head):]
        self.assertGreater(frames.count(b"\nid: ") + 1, 40)
        self.assertTrue(frames.startswith(b"id: %d\nevent: " % (after + 1)), frames[:80])
        for b in bodies[1:]:
            self.assertEqual(b, bodies[0])


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


class Retention(OrgCase):
    server_args = ("--test-clock",)

    def note(self, inc, text):
        self.call("hq", "POST", "/api/v1/incidents/%d/notes" % inc["id"], {"text": text}, 201)

    def subscribe(self, **kw):
        s = Stream(self.server, self.c["techie"].bearer, **kw)
        self.addCleanup(s.close)
        return s

    def events_before(self, ms):
        return int(self.server.sql("SELECT count(*) FROM event WHERE at_ms < ?", ms))

    def test_old_events_go_and_a_resume_from_before_is_told(self):
        live = self.subscribe().connected()
        inc = self.call("staff", "POST", "/api/v1/incidents",
                        {"title": "保留期测试", "category": "network-attack"}, 201)
        # More than one prune job's worth (500) to go.
        for i in range(600):
            self.note(inc, "old-%d" % i)
        m1 = "old-" + uuid.uuid4().hex
        self.note(inc, m1)
        old = live.wait_text(m1)
        self.assertGreater(self.events_before(int(time.time() * 1000) + 1000), 0)
        # Eight days on: what happened before is out of the 7-day window.
        now = int(time.time() * 1000) + 8 * 86400 * 1000
        r = self.server.admin().post("/api/v1/test/clock", {"now": iso(now)})
        self.assertEqual(r.status, 200, r)
        self.note(inc, "new-" + uuid.uuid4().hex)
        m2 = "new-" + uuid.uuid4().hex
        self.note(inc, m2)
        # The ticker prunes within seconds; the newest event stays.
        deadline = time.time() + WAIT
        while self.events_before(now - 7 * 86400 * 1000) and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.events_before(now - 7 * 86400 * 1000), 0)
        first = int(self.server.sql("SELECT min(id) FROM event"))
        recent = [e for e in live.wait_text(m2) if e["id"] >= first]
        self.assertGreaterEqual(len(recent), 2)
        self.assertGreater(first, old[-1]["id"])
        # A resume from before the window: told it missed events, then
        # every event the log holds, in order.
        back = self.subscribe(last_event_id=old[0]["id"])
        got = back.wait_text(m2)
        self.assertEqual(got[0]["event"], "missed", got[:2])
        self.assertEqual(got[0]["id"], first - 1)
        self.assertEqual(got[0]["data"], {"after": old[0]["id"], "first": first})
        self.assertEqual(got[1:], recent)
        # From the start of the log: the same.
        zero = self.subscribe(last_event_id=0)
        got = zero.wait_text(m2)
        self.assertEqual([e["event"] for e in got[:1]], ["missed"])
        self.assertEqual(got[1:], recent)
        # Resuming from the missed event's id, or inside the window: exact,
        # no missed event.
        again = self.subscribe(last_event_id=first - 1)
        self.assertEqual(again.wait_text(m2), recent)
        inside = self.subscribe(last_event_id=first)
        self.assertEqual(inside.wait_text(m2), recent[1:])
        # And live after it all.
        m3 = "live-" + uuid.uuid4().hex
        self.note(inc, m3)
        self.assertEqual(back.wait_text(m3)[1:],
                         [e for e in live.wait_text(m3) if e["id"] >= first])


if __name__ == "__main__":
    unittest.main()
