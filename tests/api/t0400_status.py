"""The public information platform: bulletins on an incident (command HQ
and the communications team only), the status page (no sign-in, no
script, cacheable, zh-CN/en) showing public bulletins and never internal
ones nor drills, /status.json, and an Atom feed that a real XML parser
reads as Atom. What the public reads: a public title and message (never
the internal title), local times (the organisation's zone), wording that
matches the level, a last update saying it is resolved after the end,
and ETags that stay while nothing public changed."""

import json
import os
import re
import sys
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ORG_GROUPS, PLAN_MINIMAL, ServerTestCase, setup_org  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"


class Status(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}), ("boss", {"leadership": "lead"}),
                        ("press", {"comms": "lead"}), ("staff", {})),
                  groups=ORG_GROUPS + (("comms", "team"),), plan=PLAN_MINIMAL, approver="boss")
        cls.inc = cls.c["staff"].post("/api/v1/incidents", {
            "title": "网上银行无法登录", "category": "system-failure"}).body
        cls.drill = cls.c["staff"].post("/api/v1/incidents", {
            "title": "演练：网上银行", "category": "system-failure", "is_drill": True}).body

    def post(self, who, inc, text, audience, status=201):
        r = self.c[who].post("/api/v1/incidents/%s/bulletins" % inc["number"],
                             {"text": text, "audience": audience})
        self.assertEqual(r.status, status, r)
        return r

    def test_bulletins_and_the_status_page(self):
        r = self.post("staff", self.inc, "x", "public", 403)
        self.assertError(r, 403, "forbidden")
        self.assertError(self.post("hq", self.inc, "x", "everyone", 400), 400, "invalid",
                         "audience")
        self.post("press", self.inc, "我们正在处理网上银行登录问题 <b>", "public")
        self.post("hq", self.inc, "内部：主库切换中，勿外传", "internal")
        self.post("hq", self.drill, "演练公告", "public")
        items = self.c["staff"].get("/api/v1/incidents/%s/bulletins"
                                    % self.inc["number"]).body["items"]
        self.assertEqual([b["audience"] for b in items], ["public", "internal"])
        kinds = [e["kind"] for e in self.c["staff"].get(
            "/api/v1/incidents/%s/timeline" % self.inc["number"]).body["items"]]
        self.assertEqual(kinds.count("bulletin"), 2)

        anon = self.server.client()
        page = anon.get("/status")
        self.assertEqual(page.status, 200)
        self.assertTrue(page.headers["content-type"].startswith("text/html"))
        self.assertIn("public", page.headers["cache-control"])
        self.assertIn("我们正在处理网上银行登录问题 &lt;b&gt;", page.body)
        self.assertNotIn("主库切换中", page.body)
        self.assertNotIn("演练公告", page.body)
        self.assertNotIn("<script", page.body)
        self.assertIn("Service status", page.body)
        self.assertIn("服务状态", anon.get("/status", headers={
            "Accept-Language": "zh-CN,zh;q=0.9"}).body)
        self.assertIn("服务状态", anon.get("/status?lang=zh-CN").body)
        again = anon.get("/status", headers={"If-None-Match": page.headers["etag"]})
        self.assertEqual(again.status, 304)

        data = anon.get("/status.json").body
        texts = [u["text"] for i in data["incidents"] for u in i["updates"]]
        self.assertEqual(texts, ["我们正在处理网上银行登录问题 <b>"])
        self.assertEqual(data["incidents"][0]["number"], self.inc["number"])

        feed = anon.get("/status.atom")
        self.assertTrue(feed.headers["content-type"].startswith("application/atom+xml"))
        root = ET.fromstring(feed.body.encode("utf-8"))
        self.assertEqual(root.tag, ATOM + "feed")
        for tag in ("id", "title", "updated", "author"):
            self.assertIsNotNone(root.find(ATOM + tag), tag)
        entries = root.findall(ATOM + "entry")
        self.assertEqual(len(entries), 1)
        for e in entries:
            for tag in ("id", "title", "updated", "link", "content"):
                self.assertIsNotNone(e.find(ATOM + tag), tag)
        self.assertEqual(entries[0].find(ATOM + "content").text,
                         "我们正在处理网上银行登录问题 <b>")
        self.assertIn(self.inc["number"], entries[0].find(ATOM + "title").text)

        # The answers are kept rendered for a moment, but a new bulletin
        # shows at once on all three.
        self.post("press", self.inc, "已恢复 / Restored", "public")
        self.assertIn("已恢复 / Restored", anon.get("/status").body)
        self.assertIn("已恢复 / Restored", anon.get("/status.atom").body)
        self.assertIn("已恢复 / Restored", json.dumps(anon.get("/status.json").body,
                                                       ensure_ascii=False))
        self.assertEqual(anon.get("/status", headers={
            "If-None-Match": page.headers["etag"]}).status, 200)


class PublicWording(ServerTestCase):
    """The public title and message, local times, the level's wording, the
    resolution, stable ETags."""

    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}), ("boss", {"leadership": "lead"}),
                        ("press", {"comms": "lead"}), ("staff", {})),
                  groups=ORG_GROUPS + (("comms", "team"),), plan=PLAN_MINIMAL, approver="boss")
        # 03:03 in Shanghai is 19:03 UTC the day before.
        r = cls.admin.post("/api/v1/test/clock", {"now": "2026-11-27T19:03:00.000Z"})
        assert r.status == 200, r
        cls.inc = cls.c["staff"].post("/api/v1/incidents", {
            "title": "核心库主从切换失败（内部）", "category": "system-failure"}).body
        cls.url = "/api/v1/incidents/%s" % cls.inc["number"]

    def test_public_title_level_wording_resolution_and_etags(self):
        anon = self.server.client()
        url = self.url
        # Only command HQ and the communications team set it; bad input changes nothing.
        self.assertError(self.c["staff"].patch(url + "/public", {"public_title": "x"}),
                         403, "forbidden")
        self.assertError(self.c["press"].patch(url + "/public", {}), 400, "invalid",
                         "public_title")
        self.assertError(self.c["press"].patch(url + "/public", {"public_title": 5}),
                         400, "wrong_type", "public_title")
        self.assertError(self.c["press"].patch("/api/v1/incidents/INC-1999-0009/public",
                                               {"public_title": "x"}), 404, "not_found")
        self.assertEqual(self.c["staff"].get(url).body["public_title"], "")
        r = self.c["press"].patch(url + "/public", {
            "public_title": "网上银行暂时无法登录", "public_message": "我们正在恢复登录服务。"})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["public_title"], r.body["public_message"]),
                         ("网上银行暂时无法登录", "我们正在恢复登录服务。"))
        r = self.c["press"].post(url + "/bulletins", {"text": "正在处理", "audience": "public"})
        self.assertStatus(r, 201)

        page = anon.get("/status?lang=zh-CN").body
        self.assertIn("网上银行暂时无法登录", page)
        self.assertIn("我们正在恢复登录服务。", page)
        self.assertNotIn("核心库主从切换失败", page)
        self.assertIn("2026-11-28 03:03", page)
        self.assertNotIn("19:03", page)
        self.assertIn("调查中", page)
        self.assertIn("正在调查", page)
        data = anon.get("/status.json").body
        self.assertEqual(data["incidents"][0]["title"], "网上银行暂时无法登录")
        self.assertEqual(data["incidents"][0]["updates"][0]["at"], "2026-11-28T03:03:00+08:00")
        self.assertEqual(data["updated_at"], "2026-11-28T03:03:00+08:00")
        self.assertEqual(data["time_zone"], "Asia/Shanghai")
        feed = anon.get("/status.atom").body
        self.assertNotIn("核心库主从切换失败", feed + json.dumps(data, ensure_ascii=False))
        self.assertIn("网上银行暂时无法登录", feed)

        # Level I reads as a major outage, not as a minor notice.
        for who, step, body in (("hq", "ack", {}), ("boss", "activate", {"level": "level-1"})):
            self.assertStatus(self.c[who].post("%s/%s" % (url, step), body), 200)
        page = anon.get("/status?lang=zh-CN").body
        self.assertIn("重大服务中断", page)
        self.assertIn("一级", page)
        self.assertIn('class="overall open major"', page)
        en = anon.get("/status?lang=en").body
        self.assertIn("Major outage", en)
        self.assertEqual(anon.get("/status.json").body["incidents"][0]["severity"], "major")
        self.assertStatus(self.c["boss"].post(url + "/set-level",
                                              {"level": "level-2", "reason": "缓解"}), 200)
        page = anon.get("/status?lang=zh-CN").body
        self.assertIn("轻微影响", page)
        self.assertNotIn("重大服务中断", page)

        # Stable ETags while nothing public changed: the time of asking is
        # not in the answer; a 304 for If-None-Match.
        tags = {}
        for path in ("/status.json", "/status.atom", "/status"):
            first = anon.get(path)
            self.admin.post("/api/v1/test/clock", {"now": "2026-11-27T19:30:00.000Z"})
            time.sleep(1.1)  # past the second the rendering is kept for
            second = anon.get(path)
            self.assertEqual(first.headers["etag"], second.headers["etag"], path)
            self.assertEqual(first.body, second.body, path)
            again = anon.get(path, headers={"If-None-Match": first.headers["etag"]})
            self.assertEqual(again.status, 304, path)
            self.assertFalse(again.body, path)
            tags[path] = first.headers["etag"]
        # An internal write changes nothing public.
        self.assertStatus(self.c["hq"].post(url + "/notes", {"text": "内部备注"}), 201)
        time.sleep(1.1)
        for path, tag in tags.items():
            self.assertEqual(anon.get(path).headers["etag"], tag, path)
        # A new public bulletin changes them all.
        self.assertStatus(self.c["press"].post(url + "/bulletins", {
            "text": "已定位原因", "audience": "public"}), 201)
        for path, tag in tags.items():
            r = anon.get(path, headers={"If-None-Match": tag})
            self.assertEqual(r.status, 200, path)
            self.assertNotEqual(r.headers["etag"], tag, path)

        # After the end, the last update says it is resolved.
        self.assertStatus(self.c["hq"].post(url + "/resolve", {"summary": "已恢复"}), 200)
        page = anon.get("/status?lang=zh-CN").body
        first = re.search(r"<ul>(.*?)</ul>", page, re.S).group(1)
        self.assertTrue(first.startswith('<li class="resolved">'), first)
        self.assertIn("已解决", first.split("</li>")[0])
        self.assertIn("所有服务运行正常", page)
        self.assertIn("Resolved", anon.get("/status?lang=en").body)
        data = anon.get("/status.json").body
        inc = data["incidents"][0]
        self.assertEqual((inc["phase"], inc["updates"][0]["kind"]), ("resolved", "resolved"))
        self.assertEqual(inc["resolved_at"], "2026-11-28T03:30:00+08:00")
        self.assertEqual(data["updated_at"], "2026-11-28T03:30:00+08:00")
        entries = ET.fromstring(anon.get("/status.atom").body.encode("utf-8")).findall(
            ATOM + "entry")
        self.assertIn("Resolved", entries[0].find(ATOM + "title").text)

        # The organisation's zone is the public's.
        r = self.admin.patch("/api/v1/organisation", {"time_zone": "Europe/London"})
        self.assertStatus(r, 200)
        # The pages are kept for a second of the (test) clock.
        self.admin.post("/api/v1/test/clock", {"now": "2026-11-27T19:31:00.000Z"})
        try:
            page = anon.get("/status?lang=zh-CN").body
            self.assertIn("2026-11-27 19:30", page)
            self.assertIn("Europe/London", page)
            self.assertEqual(anon.get("/status.json").body["updated_at"],
                             "2026-11-27T19:30:00+00:00")
        finally:
            self.assertStatus(self.admin.patch("/api/v1/organisation",
                                               {"time_zone": "Asia/Shanghai"}), 200)


if __name__ == "__main__":
    unittest.main()
