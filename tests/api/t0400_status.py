"""The public information platform: bulletins on an incident (command HQ
and the communications team only), the status page (no sign-in, no
script, cacheable, zh-CN/en) showing public bulletins and never internal
ones nor drills, /status.json, and an Atom feed that a real XML parser
reads as Atom."""

import json
import os
import sys
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


if __name__ == "__main__":
    unittest.main()
