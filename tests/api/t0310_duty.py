"""Duty rosters (值班) through the API: a rotation of two users with
12-hour shifts hands over exactly at the shift boundary; an override wins
inside its window (and only there); bad input is 400 naming the field and
creates nothing; only administrators and command HQ manage rosters; a
user's shifts as an iCalendar feed (parsed with Debian's
python3-icalendar) has the expected events, works with a feed token in
?token= and no header (an API token there is refused, a feed token
anywhere else too; a new or revoked feed token ends the old), and is
nobody else's to read.

Users: `hq` (command HQ lead), `alice`, `bob`, `carol` (team `ops`),
`staff` (no group), `gone` (disabled), and the admin.
"""

import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("icalendar")

from icalendar import Calendar  # noqa: E402

from harness import (PASSWORD, ServerTestCase, bearer_client, create_group,  # noqa: E402
                     create_user, put_member)

# 2026-03-01 08:00 in Shanghai: 2026-03-01T00:00:00Z.
START = "2026-03-01T08:00:00+08:00"
START_UTC = datetime(2026, 3, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def fmt_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def at(hours=0, ms=0):
    """START plus hours and milliseconds, formatted in UTC."""
    return fmt_time(START_UTC + timedelta(hours=hours, milliseconds=ms))


class Duty(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            a = cls.admin = cls.server.admin()
            create_group(a, "command", kind="command")
            create_group(a, "ops", kind="team")
            create_group(a, "night", kind="team")
            create_group(a, "spare", kind="team")
            cls.ids, cls.c = {}, {"admin": a}
            for login in ("hq", "alice", "bob", "carol", "staff", "gone", "xavier", "yvonne",
                          "zoe"):
                cls.ids[login] = create_user(a, login, display_name=login.title())["id"]
            put_member(a, "command", cls.ids["hq"], "lead")
            for login in ("alice", "bob", "carol"):
                put_member(a, "ops", cls.ids[login])
            r = a.delete("/api/v1/users/%d" % cls.ids["gone"])
            assert r.status in (200, 204), r
            for login in ("hq", "alice", "bob", "carol", "staff", "xavier", "yvonne"):
                cls.c[login] = bearer_client(cls.server, login, PASSWORD)
            # The ops rotation: alice, then bob, 12 hours each.
            r = cls.c["hq"].post("/api/v1/groups/ops/rotations", {
                "name": "运维值班", "members": [cls.ids["alice"], cls.ids["bob"]],
                "shift_minutes": 720, "start": START})
            assert r.status == 201, r
            cls.rotation = r.body
        except BaseException:
            cls.tearDownClass()
            raise

    def on_duty(self, when, group="ops", who="staff"):
        r = self.c[who].get("/api/v1/groups/%s/on-duty?at=%s" % (group, when.replace("+", "%2B")))
        self.assertStatus(r, 200)
        self.assertEqual(r.body["group"], group)
        return r.body

    def who(self, when, group="ops"):
        d = self.on_duty(when, group)["on_duty"]
        return d and d["user_id"]

    def rotations(self, group="ops"):
        r = self.c["staff"].get("/api/v1/groups/%s/rotations" % group)
        self.assertStatus(r, 200)
        return r.body["items"]

    def test_rotation_hands_over_at_the_shift_boundary(self):
        rot = self.rotation
        self.assertEqual((rot["name"], rot["start"], rot["shift_minutes"],
                          rot["members"], rot["overrides"]),
                         ("运维值班", at(0), 720, [self.ids["alice"], self.ids["bob"]], []))
        self.assertEqual(rot["time_zone"], "Asia/Shanghai")
        listed = next(r for r in self.rotations() if r["id"] == rot["id"])
        self.assertEqual(listed["group"], "ops")
        alice, bob = self.ids["alice"], self.ids["bob"]
        # Nobody before the first shift.
        body = self.on_duty(at(0, -1))
        self.assertEqual(body["at"], at(0, -1))
        self.assertIsNone(body["on_duty"])
        body = self.on_duty(at(0))
        self.assertEqual(body["on_duty"], {
            "user_id": alice, "login": "alice", "display_name": "Alice",
            "rotation_id": rot["id"], "shift": {"start": at(0), "end": at(12)}})
        self.assertEqual(self.who(at(12, -1)), alice)
        # The handover: the millisecond before is alice's, the boundary bob's.
        body = self.on_duty(at(12))
        self.assertEqual(body["on_duty"]["user_id"], bob)
        self.assertEqual(body["on_duty"]["login"], "bob")
        self.assertEqual(body["on_duty"]["shift"], {"start": at(12), "end": at(24)})
        self.assertEqual(self.who(at(24, -1)), bob)
        self.assertEqual(self.who(at(24)), alice)
        # An offset in ?at= is the same instant.
        body = self.on_duty("2026-03-01T20:00:00+08:00")
        self.assertEqual(body["at"], at(12))
        self.assertEqual(body["on_duty"]["user_id"], bob)
        self.assertEqual(self.who("2026-03-01T19:59:59.999+08:00"), alice)
        # Far ahead: shift 2001 (odd) is bob's.
        self.assertEqual(self.who(at(12 * 2001 + 3)), bob)
        self.assertEqual(self.who(at(12 * 2002)), alice)
        # A group without a rotation has nobody on duty.
        self.assertIsNone(self.on_duty(at(0), group="spare")["on_duty"])
        self.assertEqual(self.rotations("spare"), [])
        # The answer to the creation is the rotation as listed.
        self.assertEqual(rot, listed)

    def test_override_wins_inside_its_window(self):
        r = self.admin.post("/api/v1/groups/night/rotations", {
            "name": "夜班", "members": [self.ids["alice"], self.ids["bob"]],
            "shift_minutes": 720, "start": START})
        self.assertStatus(r, 201)
        rot = r.body
        url = "/api/v1/groups/night/rotations/%d/overrides" % rot["id"]
        r = self.c["hq"].post(url, {"user_id": self.ids["carol"], "start": at(6),
                                    "end": "2026-03-01T17:00:00+08:00"})
        self.assertStatus(r, 201)
        self.assertEqual((r.body["rotation_id"], r.body["user_id"], r.body["start"],
                          r.body["end"]), (rot["id"], self.ids["carol"], at(6), at(9)))
        listed = next(x for x in self.rotations("night") if x["id"] == rot["id"])
        self.assertEqual([(o["user_id"], o["start"], o["end"]) for o in listed["overrides"]],
                         [(self.ids["carol"], at(6), at(9))])
        alice, carol = self.ids["alice"], self.ids["carol"]
        self.assertEqual(self.who(at(6, -1), "night"), alice)
        body = self.on_duty(at(6), "night")
        self.assertEqual((body["on_duty"]["user_id"], body["on_duty"]["login"]),
                         (carol, "carol"))
        self.assertEqual(self.who(at(9, -1), "night"), carol)
        self.assertEqual(self.who(at(9), "night"), alice)
        # An override before the rotation starts puts someone on duty too.
        r = self.admin.post(url, {"user_id": self.ids["bob"], "start": at(-5), "end": at(-4)})
        self.assertStatus(r, 201)
        self.assertEqual(self.who(at(-4, -1), "night"), self.ids["bob"])
        self.assertIsNone(self.on_duty(at(-4), "night")["on_duty"])
        # A later override inside an earlier one wins inside its own window.
        r = self.admin.post(url, {"user_id": self.ids["bob"], "start": at(7), "end": at(8)})
        self.assertStatus(r, 201)
        self.assertEqual([self.who(at(h), "night") for h in (6, 7, 8)],
                         [carol, self.ids["bob"], carol])
        # The ops rotation is not touched by the night group's overrides.
        self.assertEqual(self.who(at(7)), alice)
        # The shift shown is the one the person on duty holds: the override's
        # window, not the rotation's shift that carol does not hold.
        self.assertEqual(body["on_duty"]["shift"], {"start": at(6), "end": at(9)})

    def test_bad_input_is_400_with_the_field_and_creates_nothing(self):
        before = {g: self.rotations(g) for g in ("ops", "night", "command")}
        good = {"name": "x", "members": [self.ids["alice"]], "shift_minutes": 60,
                "start": START}
        cases = [
            ({"members": []}, "members"),
            ({"members": [999999]}, "members"),
            ({"members": [self.ids["alice"], 999999]}, "members"),
            ({"members": [self.ids["gone"]]}, "members"),
            ({"members": ["alice"]}, "members"),
            ({"members": self.ids["alice"]}, "members"),
            ({"shift_minutes": 0}, "shift_minutes"),
            ({"shift_minutes": -720}, "shift_minutes"),
            ({"shift_minutes": "720"}, "shift_minutes"),
            ({"start": "tomorrow"}, "start"),
            ({"start": "2026-03-01 08:00"}, "start"),
            ({"start": "2026-13-01T00:00:00Z"}, "start"),
            ({"start": ""}, "start"),
            ({"name": ""}, "name"),
            ({"mood": "calm"}, "mood"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                r = self.c["hq"].post("/api/v1/groups/command/rotations", {**good, **change})
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.body["error"].get("field"), field, r.body)
        for missing in ("name", "members", "shift_minutes", "start"):
            with self.subTest(missing=missing):
                body = {k: v for k, v in good.items() if k != missing}
                self.assertError(self.c["hq"].post("/api/v1/groups/command/rotations", body),
                                 400, "missing_field", missing)
        self.assertError(self.c["hq"].post("/api/v1/groups/nosuch/rotations", good),
                         404, "not_found")

        url = "/api/v1/groups/ops/rotations/%d/overrides" % self.rotation["id"]
        ok = {"user_id": self.ids["carol"], "start": at(1), "end": at(2)}
        cases = [
            ({"end": at(0)}, "end"),           # end before start
            ({"end": at(1)}, "end"),           # empty window
            ({"start": "soon"}, "start"),
            ({"end": "2026-03-01T25:00:00Z"}, "end"),
            ({"user_id": 999999}, "user_id"),
            ({"user_id": "carol"}, "user_id"),
        ]
        for change, field in cases:
            with self.subTest(override=change):
                r = self.c["hq"].post(url, {**ok, **change})
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.body["error"].get("field"), field, r.body)
        self.assertError(self.c["hq"].post("/api/v1/groups/ops/rotations/999999/overrides", ok),
                         404, "not_found")
        # A rotation of another group is not found under this one.
        self.assertError(self.c["hq"].post("/api/v1/groups/command/rotations/%d/overrides"
                                           % self.rotation["id"], ok), 404, "not_found")
        self.assertError(self.c["staff"].get("/api/v1/groups/ops/on-duty?at=noon"),
                         400, "invalid", "at")
        self.assertError(self.c["staff"].get("/api/v1/groups/nosuch/on-duty"),
                         404, "not_found")
        after = {g: self.rotations(g) for g in ("ops", "night", "command")}
        self.assertEqual(after, before)

    def test_only_admin_and_command_hq_manage_rosters(self):
        before = self.rotations("ops")
        body = {"name": "x", "members": [self.ids["alice"]], "shift_minutes": 60,
                "start": START}
        url = "/api/v1/groups/ops/rotations/%d/overrides" % self.rotation["id"]
        ov = {"user_id": self.ids["carol"], "start": at(1), "end": at(2)}
        for who in ("staff", "alice", "carol"):
            with self.subTest(who=who):
                self.assertError(self.c[who].post("/api/v1/groups/ops/rotations", body),
                                 403, "forbidden")
                self.assertError(self.c[who].post(url, ov), 403, "forbidden")
        anon = self.server.client()
        self.assertError(anon.post("/api/v1/groups/ops/rotations", body), 401, "unauthorized")
        self.assertError(anon.get("/api/v1/groups/ops/rotations"), 401, "unauthorized")
        self.assertError(anon.get("/api/v1/groups/ops/on-duty"), 401, "unauthorized")
        self.assertEqual(self.rotations("ops"), before)
        # Anyone signed in reads them.
        r = self.c["carol"].get("/api/v1/groups/ops/on-duty?at=" + at(1))
        self.assertStatus(r, 200)
        self.assertEqual(r.body["on_duty"]["user_id"], self.ids["alice"])

    def test_shifts_as_icalendar(self):
        # 24-hour shifts of xavier, yvonne and zoe from 3.5 days ago, on a
        # group of their own; the feed covers 30 days back to 90 days ahead.
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        start = now - timedelta(days=3, hours=12)
        r = self.admin.post("/api/v1/groups/command/rotations", {
            "name": "总值班", "members": [self.ids[u] for u in ("xavier", "yvonne", "zoe")],
            "shift_minutes": 1440, "start": fmt_time(start), "time_zone": "Asia/Shanghai"})
        self.assertStatus(r, 201)
        rot = r.body
        # yvonne stands in for 6 hours in the middle of xavier's shift 3.
        hole = (start + 3 * DAY + timedelta(hours=9), start + 3 * DAY + timedelta(hours=15))
        r = self.admin.post("/api/v1/groups/command/rotations/%d/overrides" % rot["id"],
                            {"user_id": self.ids["yvonne"], "start": fmt_time(hole[0]),
                             "end": fmt_time(hole[1])})
        self.assertStatus(r, 201)
        # Shifts k = 0 .. 93 start before now + 90 days; shift k is members[k % 3].
        shifts = {u: [(start + k * DAY, start + (k + 1) * DAY) for k in range(94)
                      if k % 3 == i] for i, u in enumerate(("xavier", "yvonne", "zoe"))}
        x3 = (start + 3 * DAY, start + 4 * DAY)
        want = {
            "xavier": sorted([s for s in shifts["xavier"] if s != x3]
                             + [(x3[0], hole[0]), (hole[1], x3[1])]),
            "yvonne": sorted(shifts["yvonne"] + [hole]),
        }
        self.assertEqual((len(want["xavier"]), len(want["yvonne"])), (33, 32))

        def feed(login, who=None, token=None):
            path = "/api/v1/users/%d/shifts.ics" % self.ids[login]
            client = self.server.client()
            if token is not None:
                path += "?token=" + token
            elif who is not None:
                client = self.c[who]
            return client.get(path, headers={"Accept": "text/calendar"})

        def events(r, login):
            self.assertStatus(r, 200)
            self.assertTrue(r.headers["content-type"].startswith("text/calendar"), r.headers)
            raw = r.body
            self.assertTrue(raw.startswith("BEGIN:VCALENDAR\r\n"), raw[:100])
            for line in raw.split("\r\n"):
                self.assertLessEqual(len(line.encode("utf-8")), 75, line)
            cal = Calendar.from_ical(raw)
            self.assertEqual(str(cal["VERSION"]), "2.0")
            self.assertTrue(str(cal["PRODID"]))
            evs = cal.walk("VEVENT")
            uids = [str(e["UID"]) for e in evs]
            self.assertEqual(len(uids), len(set(uids)), uids)
            out = []
            for e in evs:
                a, b = e.decoded("DTSTART"), e.decoded("DTEND")
                self.assertIsNotNone(a.tzinfo)
                self.assertIn("command", str(e["SUMMARY"]))
                self.assertIn("总值班", str(e["SUMMARY"]))
                out.append((a.astimezone(timezone.utc), b.astimezone(timezone.utc)))
            return sorted(out)

        for login in ("xavier", "yvonne"):
            with self.subTest(login=login):
                got = events(feed(login, who=login), login)
                self.assertEqual(len(got), len(want[login]))
                self.assertEqual(got, want[login])
        # Calendar apps send a feed token in the query, with no header at
        # all; the feed URL handed out carries it.
        api_token = self.c["xavier"].bearer
        r = self.c["xavier"].post("/api/v1/me/feed-token")
        self.assertStatus(r, 201)
        token = r.body["token"]
        self.assertTrue(token.startswith("ermsf_"), r.body)
        self.assertEqual(r.body["kind"], "feed")
        url = r.body["feeds"]["shifts"]
        self.assertTrue(url.endswith("/api/v1/users/%d/shifts.ics?token=%s"
                                     % (self.ids["xavier"], token)), url)
        got = events(feed("xavier", token=token), "xavier")
        self.assertEqual(got, want["xavier"])
        # A full API token in a feed URL is refused.
        self.assertError(feed("xavier", token=api_token), 401, "unauthorized")
        # The administrator reads anyone's feed; nobody else does.
        self.assertEqual(events(feed("xavier", who="admin"), "xavier"), want["xavier"])
        self.assertError(feed("yvonne", token=token), 403, "forbidden")
        self.assertError(feed("yvonne", who="xavier"), 403, "forbidden")
        self.assertError(feed("xavier", who="staff"), 403, "forbidden")
        self.assertError(feed("xavier"), 401, "unauthorized")
        self.assertError(feed("xavier", token="not-a-token"), 401, "unauthorized")
        # Someone on no roster has an empty calendar.
        r = feed("staff", who="staff")
        self.assertEqual(events(r, "staff"), [])
        # The feed token is for calendar feeds only: not in the query of
        # another route, nor as a bearer token.
        r = self.server.client().get("/api/v1/me?token=" + token)
        self.assertError(r, 401, "unauthorized")
        b = self.server.client()
        b.bearer = token
        self.assertError(b.get("/api/v1/me"), 401, "unauthorized")
        self.assertError(b.get("/api/v1/users/%d/shifts.ics" % self.ids["xavier"]),
                         401, "unauthorized")
        # A new feed token replaces the old; a revoked one is refused.
        r = self.c["xavier"].post("/api/v1/me/feed-token")
        self.assertStatus(r, 201)
        self.assertError(feed("xavier", token=token), 401, "unauthorized")
        token = r.body["token"]
        self.assertStatus(feed("xavier", token=token), 200)
        self.assertStatus(self.c["xavier"].delete("/api/v1/me/feed-token"), 204)
        self.assertError(feed("xavier", token=token), 401, "unauthorized")
        self.assertError(self.c["xavier"].delete("/api/v1/me/feed-token"), 404, "not_found")


if __name__ == "__main__":
    unittest.main()
