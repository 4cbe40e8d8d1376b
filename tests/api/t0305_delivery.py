"""Deliveries that tell the truth, against receivers that answer as the
vendors document (domain-research.md §3):

- Refusals: DingTalk and WeCom robots that answer HTTP 200 with a non-zero
  errcode, and a Feishu bot with a non-zero code, leave their messages
  not sent (failed at once when the code is permanent, pending when it is
  throttling), the vendor's code in last_error and in /metrics; a correct
  answer counts as sent.
- Markup: a reporter's title with a Markdown link and image reaches
  DingTalk, WeCom and the e-mail's HTML as literal text.
- E-mail: a Chinese display name in the channel's sender delivers to a
  real SMTP server (aiosmtpd): MAIL FROM is the bare address, the From
  header decodes to the name, EHLO names the host of --public-url.
- Channels are checked when saved; a test send answers the verdict.
- Without --allow-private-webhooks a loopback robot URL is refused.
"""

import email.header
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("aiosmtpd")

from harness import Server, list_all  # noqa: E402
from receivers import HttpReceiver, SmtpReceiver, wait_until  # noqa: E402
from t0300_notify import BACKOFF, NotifyTestCase  # noqa: E402

PUBLIC = "http://erms.example:8080"
PHISH = "磁盘告警 [确认收到](http://phish.example/ack) ![x](http://phish.example/p.png)"
FAST = {"rate_burst": 50, "rate_period_ms": 20}


class Refusals(NotifyTestCase):
    server_args = BACKOFF + ("--public-url", PUBLIC)

    @classmethod
    def setup_channels(cls):
        cls.rx = {}
        answers = {
            "ding-bad": ("dingtalk", 200, {"errcode": 310000, "errmsg": "keywords not in content"}),
            "ding-fast": ("dingtalk", 200, {"errcode": 130101, "errmsg": "send too fast"}),
            "wecom-bad": ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
            "feishu-bad": ("feishu", 200, {"code": 19021, "msg": "sign match fail or timestamp "
                                           "is not within one hour from current time"}),
            "ding-ok": ("dingtalk", 200, {"errcode": 0, "errmsg": "ok"}),
            "feishu-ok": ("feishu", 200, {"code": 0, "msg": "success", "data": {}}),
        }
        chans = []
        for name, (kind, status, body) in answers.items():
            rx = HttpReceiver()
            rx.set_answer(status, json.dumps(body))
            cls.rx[name] = rx
            path = {"dingtalk": "/robot/send?access_token=t-" + name,
                    "wecom": "/cgi-bin/webhook/send?key=k-" + name,
                    "feishu": "/open-apis/bot/v2/hook/" + name}[kind]
            chans.append(cls.add_channel(name, kind, {"url": rx.url(path)}, **FAST))
        cls.chans = {c["name"]: c for c in chans}
        cls.link("command", *chans)

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            for rx in getattr(cls, "rx", {}).values():
                rx.close()

    def test_an_error_code_is_not_a_delivery(self):
        inc = self.report(title="数据库告警")
        ids = {c["id"]: n for n, c in self.chans.items()}

        def settled(items):
            mine = {ids[m["channel_id"]]: m for m in items if m["channel_id"] in ids}
            return len(mine) == len(ids) and all(
                m["state"] != "pending" or m["last_error"] for m in mine.values())
        items = self.wait_log(inc, settled, "an answer from every robot")
        got = {ids[m["channel_id"]]: m for m in items if m["channel_id"] in ids}
        for name, code in (("ding-bad", "310000"), ("wecom-bad", "93000"),
                           ("feishu-bad", "19021")):
            self.assertEqual(got[name]["state"], "failed", got[name])
            self.assertIn(code, got[name]["last_error"], got[name])
        self.assertIn("keywords not in content", got["ding-bad"]["last_error"])
        # Throttling is not the robot's verdict on the message: it waits.
        self.assertEqual(got["ding-fast"]["state"], "pending", got["ding-fast"])
        self.assertIn("130101", got["ding-fast"]["last_error"])
        for name in ("ding-ok", "feishu-ok"):
            self.assertEqual(got[name]["state"], "sent", got[name])
            self.assertEqual(got[name]["last_error"], "")
        # The administrator sees which channel is broken.
        r = self.server.client().get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertRegex(r.body, r'erms_deliveries_total\{channel="ding-bad",kind="dingtalk",'
                                 r'outcome="failed"\} [1-9]')
        self.assertRegex(r.body, r'erms_channel_failing\{channel="wecom-bad",kind="wecom"\} 1')
        self.assertRegex(r.body, r'erms_channel_failing\{channel="ding-ok",kind="dingtalk"\} 0')

    def test_test_send_answers_the_verdict(self):
        bad, ok = self.chans["ding-bad"], self.chans["feishu-ok"]
        r = self.admin.post("/api/v1/channels/%d/test" % bad["id"], {})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body["outcome"], "failed")
        self.assertFalse(r.body["delivered"])
        self.assertIn("310000", r.body["error"])
        self.assertEqual(r.body["code"], "310000")
        n = len(self.rx["feishu-ok"].received())
        r = self.admin.post("/api/v1/channels/%d/test" % ok["id"], {})
        self.assertEqual((r.status, r.body["outcome"], r.body["delivered"]), (200, "sent", True))
        self.assertEqual((r.body["code"], r.body["error"]), ("0", ""))  # Feishu: code 0
        self.assertEqual(len(self.rx["feishu-ok"].received()), n + 1)
        body = json.loads(self.rx["feishu-ok"].received()[-1].body)
        self.assertEqual(body["msg_type"], "post")
        # Rights and bad input.
        self.assertError(self.c["hq"].post("/api/v1/channels/%d/test" % ok["id"], {}),
                         403, "forbidden")
        self.assertError(self.admin.post("/api/v1/channels/99999/test", {}), 404, "not_found")
        self.assertEqual(self.admin.post("/api/v1/channels/%d/test" % ok["id"],
                                         {"x": 1}).status, 400)


class Markup(NotifyTestCase):
    server_args = BACKOFF + ("--public-url", PUBLIC)
    SMTP = True

    @classmethod
    def setup_channels(cls):
        h = cls.http
        cls.ding = cls.add_channel("ding", "dingtalk", {
            "url": h.url("/robot/send?access_token=t")}, **FAST)
        cls.wecom = cls.add_channel("wecom", "wecom", {
            "url": h.url("/cgi-bin/webhook/send?key=k")}, **FAST)
        cls.link("command", cls.ding, cls.wecom, cls.mail_channel)

    def test_typed_text_stays_text(self):
        inc = self.report(title=PHISH, description=PHISH)
        items = self.wait_sent(inc, lambda m: m["channel_id"] in (self.ding["id"],
                                                                   self.wecom["id"]),
                               "the robots")
        for m in items:
            req = self.one_request(m)
            body = json.loads(req.body)
            text = body["markdown"].get("text") or body["markdown"].get("content")
            self.assertNotIn("](http://phish", text)
            self.assertNotIn("![x]", text)
            self.assertIn("\\[确认收到\\]\\(http\\://phish.example/ack\\)", text)
            # erms' own acknowledgement link is still a link
            self.assertRegex(text, r"\[(确认收到|Acknowledge)\]\(http://erms\.example:8080/ack/")
        wait_until(lambda: self.smtp.received(), 15, 0.1, "an e-mail")
        for _, msg in self.smtp.received():
            html = msg.get_body(("html",))
            if html is None:
                continue
            html = html.get_content()
            self.assertNotIn('href="http://phish', html)
            self.assertNotIn("<img", html)
            self.assertIn("[确认收到](http://phish.example/ack)", html)


class DisplayName(NotifyTestCase):
    server_args = BACKOFF + ("--public-url", "https://erms.example.org:8443/")

    @classmethod
    def setup_channels(cls):
        cls.smtp = SmtpReceiver()
        cls.named = cls.add_channel("named", "email", {
            "host": "127.0.0.1", "port": cls.smtp.port, "tls": "none",
            "from": "应急管理系统 <erms@example.org>"})
        cls.link("command", cls.named)

    def test_chinese_display_name_delivers(self):
        self.report(title="核心系统故障")
        wait_until(lambda: self.smtp.received(), 15, 0.1, "an e-mail")
        mail, msg = self.smtp.received()[0]
        self.assertEqual(mail.mail_from, "erms@example.org")
        raw = re.search(rb"^From: (.*(?:\r\n .*)*)", mail.raw, re.M).group(1).decode()
        self.assertIn("=?UTF-8?B?", raw)  # RFC 2047 on the wire
        name = str(email.header.make_header(email.header.decode_header(
            raw.replace("\r\n", "").split("<")[0].strip())))
        self.assertEqual(name, "应急管理系统")
        self.assertEqual(msg["From"].addresses[0].display_name, "应急管理系统")
        self.assertEqual(msg["From"].addresses[0].addr_spec, "erms@example.org")
        self.assertEqual(mail.ehlo, "erms.example.org")

    def test_channels_are_checked_when_saved(self):
        before = len(list_all(self.admin, "/api/v1/channels"))
        for kind, config, field in (
                ("email", {"host": "127.0.0.1", "from": "not an address"}, "config.from"),
                ("email", {"host": "127.0.0.1", "from": "a@b.example, c@d.example"},
                 "config.from"),
                ("email", {"host": "bad host", "from": "a@b.example"}, "config.host"),
                ("email", {"host": "h.example", "from": "a@b.example", "port": 70000},
                 "config.port"),
                ("email", {"host": "h.example", "from": "a@b.example", "tls": "ssl3"},
                 "config.tls"),
                ("dingtalk", {"url": "ftp://oapi.dingtalk.com/robot/send"}, "config.url"),
                ("slack", {"url": "javascript:alert(1)"}, "config.url"),
                ("wecom", {"url": "https://"}, "config.url")):
            r = self.admin.post("/api/v1/channels", {"name": "bad-" + field, "kind": kind,
                                                     "config": config})
            self.assertError(r, 400, "invalid", field)
        r = self.admin.patch("/api/v1/channels/%d" % self.named["id"],
                             {"config": {"from": "<>"}})
        self.assertError(r, 400, "invalid", "config.from")
        self.assertEqual(len(list_all(self.admin, "/api/v1/channels")), before)


class NoInternalTargets(unittest.TestCase):
    """Without --allow-private-webhooks robots must be outside."""

    def setUp(self):
        self.server = Server(allow_private=False)

    def tearDown(self):
        try:
            self.server.stop()
        finally:
            self.server.cleanup()

    def test_loopback_and_link_local_are_refused(self):
        a = self.server.admin()
        for url in ("http://127.0.0.1:9/robot/send", "http://localhost/x",
                    "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
                    "http://10.1.2.3/x", "http://[fe80::1]/x"):
            r = a.post("/api/v1/channels", {"name": "in", "kind": "dingtalk",
                                            "config": {"url": url}})
            self.assertEqual(r.status, 400, (url, r.body))
            self.assertEqual(r.body["error"]["field"], "config.url")
            self.assertIn("--allow-private-webhooks", r.body["error"]["message_en"])
        r = a.post("/api/v1/channels", {"name": "out", "kind": "dingtalk", "config": {
            "url": "https://oapi.dingtalk.com/robot/send?access_token=x"}})
        self.assertEqual(r.status, 201, r.body)


if __name__ == "__main__":
    unittest.main()
