"""The review report (应急总结报告): in the reader's language and local
time (a 03:03 +08:00 event reads 03:03 in the zh report, never as UTC), no
untranslated state or kind words in zh, groups and people by name, the
sections of the plan's 应急总结 (tasks with owners, supplies used,
expenses, bulletins, messages, action items with owner, due date and
their done state following the task), a self-contained HTML page, and a
PDF the server renders itself (read back with poppler's pdftotext)."""

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ORG_GROUPS, PLAN_MINIMAL, ServerTestCase, setup_org  # noqa: E402

# 2026-11-28 03:03 in Shanghai (+08:00) is 2026-11-27 19:03 UTC.
LOCAL, UTC = "2026-11-28 03:03", "19:03"
NOW = "2026-11-27T19:03:00.000Z"
MACHINE_WORDS = ("reported", "acknowledged", "active", "dismissed", "resolved", "closed",
                 "reviewed", "note", "task", "status", "level", "internal", "public", "group:")


def words_of(text):
    """The report's text without markup and escapes, lowercased."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return text.replace("\\", "").lower()


class Report(ServerTestCase):
    server_args = ("--test-clock",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}, {"display_name": "张指挥"}),
                        ("boss", {"leadership": "lead"}, {"display_name": "李领导"}),
                        ("press", {"comms": "lead"}, {"display_name": "王宣传"}),
                        ("techie", {"tech": "member"}, {"display_name": "赵技术"}),
                        ("staff", {}, {"display_name": "钱员工"})),
                  groups=ORG_GROUPS + (("comms", "team", "宣传组"),), plan=PLAN_MINIMAL,
                  approver="boss")
        a = cls.admin
        r = a.post("/api/v1/test/clock", {"now": NOW})
        assert r.status == 200, r
        ch = a.post("/api/v1/channels", {"name": "指挥部值班群", "kind": "webhook",
                                         "config": {"url": "http://127.0.0.1:9/hook",
                                                    "secret": "s3cret"}})
        assert ch.status == 201, ch
        assert a.patch("/api/v1/groups/command", {"channels": [ch.body["id"]]}).status == 200
        c = cls.c
        inc = cls.inc = c["staff"].post("/api/v1/incidents", {
            "title": "网上银行登录失败", "category": "system-failure",
            "detected_at": "2026-11-28T03:03:00+08:00", "impact": "客户无法登录"}).body
        url = "/api/v1/incidents/%s" % inc["number"]
        for who, step, body in (("hq", "ack", {}), ("boss", "activate", {"level": "level-1"})):
            r = c[who].post("%s/%s" % (url, step), body)
            assert r.status == 200, r
        assert c["hq"].post(url + "/notes", {"text": "主库已切换"}).status == 201
        tasks = c["hq"].get(url + "/tasks").body["items"]
        cls.measure = tasks[0]
        r = c["hq"].patch("/api/v1/tasks/%d" % tasks[0]["id"],
                          {"assignee_id": cls.ids["techie"], "status": "done"})
        assert r.status == 200, r
        assert c["press"].post(url + "/bulletins", {"text": "网上银行暂时无法登录，正在抢修",
                                                    "audience": "public"}).status == 201
        assert c["hq"].post(url + "/bulletins", {"text": "请技术组关注主库",
                                                 "audience": "internal"}).status == 201
        s = c["hq"].post("/api/v1/supplies", {"name": "备用服务器", "quantity": 5,
                                              "unit": "台"})
        assert s.status == 201, s
        r = c["hq"].post("/api/v1/supplies/%d/movements" % s.body["id"], {
            "kind": "allocate", "quantity": 2, "incident": inc["number"], "note": "临时扩容"})
        assert r.status == 201, r
        r = c["hq"].post("/api/v1/expenses", {"amount_cents": 123456, "purpose": "加急采购硬盘",
                                              "incident": inc["number"]})
        assert r.status == 201, r
        for who, step, body in (("hq", "resolve", {"summary": "已切换到备库"}),
                                ("boss", "close", {})):
            r = c[who].post("%s/%s" % (url, step), body)
            assert r.status == 200, r
        # The review's action items: an owner and a due date each.
        bad = c["hq"].post(url + "/review", {"review": {
            "cause": "x", "action_items": [{"title": "y", "owner_id": 999999}]}})
        assert bad.status == 400 and bad.body["error"]["field"] == "review.owner_id", bad
        bad = c["hq"].post(url + "/review", {"review": {
            "cause": "x", "action_items": [{"title": "y", "due_at": "next week"}]}})
        assert bad.status == 400 and bad.body["error"]["field"] == "review.due_at", bad
        assert c["hq"].get(url).body["status"] == "closed"
        r = c["hq"].post(url + "/review", {"review": {
            "cause": "主库磁盘写满", "lessons": "监控要覆盖磁盘",
            "action_items": [
                {"title": "补充磁盘监控", "group": "tech", "owner_id": cls.ids["techie"],
                 "due_at": "2026-12-01T09:30:00+08:00"},
                {"title": "修订预案", "owner_id": cls.ids["hq"]}]}})
        assert r.status == 200, r
        cls.items = {t["title"]: t for t in c["hq"].get(url + "/tasks").body["items"]
                     if t["origin"].startswith("review")}
        cls.url = url

    def doc(self, fmt, lang, who="staff"):
        r = self.c[who].get("%s/report?format=%s&lang=%s" % (self.url, fmt, lang))
        self.assertStatus(r, 200)
        return r

    def md(self, lang):
        """The Markdown report with its backslash escapes taken out."""
        return re.sub(r"\\(.)", r"\1", self.doc("md", lang).body)

    def test_local_time_never_utc(self):
        for fmt in ("md", "html"):
            with self.subTest(fmt=fmt):
                body = self.md("zh-CN") if fmt == "md" else self.doc(fmt, "zh-CN").body
                self.assertIn(LOCAL, body)
                self.assertNotIn(UTC, body)
                self.assertNotIn("UTC", body)
                self.assertIn("Asia/Shanghai", body)

    def test_the_readers_own_zone(self):
        # A reader with a zone of their own reads the same event in it.
        r = self.c["boss"].patch("/api/v1/me", {"time_zone": "Europe/London"})
        self.assertStatus(r, 200)
        try:
            md = re.sub(
                r"\\(.)", r"\1", self.doc("md", "zh-CN", who="boss").body)
            self.assertIn("2026-11-27 19:03", md)
            self.assertNotIn(LOCAL, md)
            self.assertIn("Europe/London", md)
        finally:
            self.assertStatus(self.c["boss"].patch("/api/v1/me", {"time_zone": ""}), 200)
        self.assertIn(LOCAL, re.sub(r"\\(.)", r"\1",
                                    self.doc("md", "zh-CN", who="boss").body))

    def test_zh_has_no_machine_words(self):
        for fmt in ("md", "html"):
            text = words_of(self.doc(fmt, "zh-CN").body)
            for w in MACHINE_WORDS:
                with self.subTest(fmt=fmt, word=w):
                    self.assertNotRegex(text, r"(?<![a-z_])%s(?![a-z_])" % re.escape(w))

    def test_en_is_english(self):
        text = self.md("en")
        for s in ("Facts", "Timeline", "Tasks", "Supplies used", "Expenses", "Bulletins issued",
                  "Messages sent", "Review", "Action items", "Acknowledged → Active",
                  "Command HQ", "Public bulletin: ", "Internal bulletin: ", "Allocated", "Done", "open"):
            self.assertIn(s, text)
        for s in ("基本情况", "时间线", "对外发布", "整改事项", "生成于"):
            self.assertNotIn(s, text)

    def test_sections_with_names(self):
        md = self.md("zh-CN")
        for s in ("基本情况", "处置时长与目标", "时间线", "任务", "物资使用", "应急费用",
                  "信息发布", "通知发送", "应急总结", "整改事项",
                  # people and groups by name
                  "张指挥", "李领导", "王宣传", "赵技术", "钱员工", "应急指挥部", "技术支持小组",
                  # the level and state by their names
                  "一级", "已确认 → 响应中", "已总结",
                  # what was used, spent, said and sent
                  "备用服务器", "调拨", "2 台", "临时扩容", "加急采购硬盘", "¥1234.56",
                  "网上银行暂时无法登录，正在抢修", "请技术组关注主库", "对外发布", "内部通报",
                  "指挥部值班群", "事件报告", "调拨：2 台 备用服务器",
                  # the review
                  "主库磁盘写满", "监控要覆盖磁盘"):
            self.assertIn(s, md)
        self.assertNotIn("group:", md)
        self.assertNotIn("#%d" % self.ids["techie"], md)

    def action_rows(self, md):
        part = md[md.index("## 整改事项"):]
        return {l.split("|")[1].strip(): [c.strip() for c in l.split("|")[2:-1]]
                for l in part.splitlines() if l.startswith("| ") and "---" not in l}

    def test_action_items_owner_due_and_done_state(self):
        item = self.items["补充磁盘监控"]
        self.assertEqual(item["assignee_id"], self.ids["techie"])
        self.assertEqual(item["due_at"], "2026-12-01T01:30:00.000Z")
        rows = self.action_rows(self.md("zh-CN"))
        self.assertEqual(rows["补充磁盘监控"], ["技术支持小组", "赵技术", "2026-12-01 09:30", "未完成"])
        self.assertEqual(rows["修订预案"], ["应急指挥部", "张指挥", "—", "未完成"])
        # Done when its task is done, open again when the task is reopened.
        r = self.c["techie"].patch("/api/v1/tasks/%d" % item["id"], {"status": "done"})
        self.assertStatus(r, 200)
        rows = self.action_rows(self.md("zh-CN"))
        self.assertEqual(rows["补充磁盘监控"][3], "已完成")
        self.assertEqual(rows["修订预案"][3], "未完成")
        r = self.c["techie"].patch("/api/v1/tasks/%d" % item["id"], {"status": "doing"})
        self.assertStatus(r, 200)
        self.assertEqual(self.action_rows(self.md("zh-CN"))["补充磁盘监控"][3], "未完成")

    def test_html_is_self_contained(self):
        for lang in ("zh-CN", "en"):
            html = self.doc("html", lang).body
            self.assertIn("<style>", html)
            self.assertNotRegex(html, r"(?i)<link\b")
            self.assertNotRegex(html, r"(?i)<script\b")
            self.assertNotRegex(html, r"(?i)(src|href)\s*=\s*[\"']?(https?:)?//")
            self.assertNotRegex(html, r"(?i)url\(|@import")
            self.assertIn('<html lang="%s">' % lang, html)
            # Its own policy lets the embedded styles apply, and no script.
            csp = self.doc("html", lang).headers["content-security-policy"]
            self.assertIn("style-src 'unsafe-inline'", csp)
            self.assertNotIn("script-src", csp)
            self.assertIn("default-src 'none'", csp)

    def test_pdf(self):
        # scripts/deps.sh installs poppler-utils for the tests: without it
        # the PDF is not checked, which is a failure, not a skip.
        self.assertTrue(shutil.which("pdftotext"),
                        "pdftotext (poppler-utils) is missing: run scripts/deps.sh test")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.request("GET", "%s/report?format=pdf&lang=zh-CN" % self.url,
                     headers={"Authorization": "Bearer " + self.c["staff"].bearer})
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/pdf")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.pdf")
            self.assertTrue(raw.startswith(b"%PDF-"), raw[:16])
            with open(path, "wb") as f:
                f.write(raw)
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True,
                                  capture_output=True).stdout.decode("utf-8")
            info = subprocess.run(["pdfinfo", path], capture_output=True).stdout.decode()
        self.assertIn("网上银行登录失败", text)
        self.assertIn(LOCAL, text)
        self.assertNotIn(UTC, text)
        for s in ("基本情况", "整改事项", "赵技术", "补充磁盘监控"):
            self.assertIn(s, text)
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1)) if info else 1
        # Every page: the incident number, the generated time and its number.
        self.assertEqual(text.count("%s · 生成于 %s" % (self.inc["number"], LOCAL)), pages, text)
        for n in range(1, pages + 1):
            self.assertIn("第%d页/共%d页" % (n, pages), text.replace(" ", ""))

    def test_bad_input(self):
        self.assertError(self.c["staff"].get(self.url + "/report?format=docx"),
                         400, "invalid", "format")
        self.assertError(self.c["staff"].get("/api/v1/incidents/INC-1999-0001/report?format=pdf"),
                         404, "not_found")


if __name__ == "__main__":
    unittest.main()
