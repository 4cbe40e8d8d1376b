"""Notifications through the API, delivered for real to receivers the test
runs (receivers.py): a threaded HTTP receiver for the chat channels and
webhooks, and an SMTP server (Debian's python3-aiosmtpd) for e-mail.

- Payloads: a report reaches command HQ's chat channels; the webhook's
  HMAC, DingTalk's and Feishu's signatures are recomputed from their
  documented formulas; Slack and WeCom bodies have the documented shape;
  the e-mail is multipart with a UTF-8 subject and the idempotency key in
  its Message-ID; tier 0 e-mails the person on duty, else the leads;
  channel answers never show a secret; the one-time ack link.
- Retries: a receiver that refuses or answers 500 is retried with backoff
  under the same idempotency key; with --notify-attempts 2 a message
  fails, and only an administrator retries it; 429 spends no attempt and
  Retry-After is kept.
- Digest: Slack at its default rate gets the messages due together as one
  digest (one sent, the others merged).
- Crash: kill -9 with messages pending, or while a delivery is in flight:
  after the restart each message is delivered, at most twice, always
  under the same key.
- Escalation (test clock): the reporting chain's tiers come when due and
  stop when a message is acknowledged; the `ack` step tells the
  leadership; a breach tells the commander and the leadership; each step
  tells whom the documentation says, each channel and address once per
  round; drills are marked in each recipient's language; a link expires
  after 24 hours.

Users: `leader` (leadership lead), `hq` (command HQ lead: the default
commander), `duty` (command HQ member), `deputy` (command HQ deputy,
locale en), `staff` (no group, the reporter), and the admin.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import sys
import time
import unittest
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, quote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("aiosmtpd")

import harness  # noqa: E402
from harness import PLAN_SAMPLE, ServerTestCase, list_all  # noqa: E402
from receivers import HttpReceiver, SmtpReceiver, wait_until  # noqa: E402

PUBLIC = "http://erms.example:8080"
MAIL_FROM = "erms@example.com"
BACKOFF = ("--notify-backoff-ms", "200")

SECRETS = {
    "webhook": "wh-secret-7d1f0c",
    "dingtalk": "SEC0123456789abcdef-ding",
    "feishu": "fs-secret-42a9",
    "smtp": "smtp-pass-93b1",
}
# Robot URLs carry their key: never shown either.
URL_KEYS = ("access_token=ding-robot-token", "key=wecom-robot-key", "hook/feishu-bot-id",
            "services/T000/B000/slack-secret-path")


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def fmt_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def plus(s, minutes=0, seconds=0):
    return fmt_time(parse_time(s) + timedelta(minutes=minutes, seconds=seconds))


def hmac_b64(key, msg):
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def setup_org(cls):
    """The organisation (harness.setup_org) with the sample plan published;
    cls.email[login] are the users' e-mail addresses."""
    users = (("leader", {"leadership": "lead"}, "zh-CN"), ("hq", {"command": "lead"}, "zh-CN"),
             ("duty", {"command": "member"}, "zh-CN"), ("deputy", {"command": "deputy"}, "en"),
             ("staff", {}, "zh-CN"))
    cls.email = {login: login + "@example.com" for login, _, _ in users}
    harness.setup_org(cls, [(login, groups, {"email": cls.email[login], "locale": locale})
                            for login, groups, locale in users],
                      plan=PLAN_SAMPLE, file="new-system.zh-CN.yaml")


class NotifyTestCase(ServerTestCase):
    """One server, the organisation, an HTTP receiver and (if SMTP) an SMTP
    receiver with an e-mail channel."""

    SMTP = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.http = cls.smtp = None
        try:
            setup_org(cls)
            cls.http = HttpReceiver()
            if cls.SMTP:
                cls.smtp = SmtpReceiver()
                cls.mail_channel = cls.add_channel(
                    "mail", "email", {"host": "127.0.0.1", "port": cls.smtp.port,
                                      "tls": "none", "from": MAIL_FROM, "user": "erms",
                                      "password": SECRETS["smtp"]})
            cls.setup_channels()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def setup_channels(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            if cls.http:
                cls.http.close()
            if cls.smtp:
                cls.smtp.close()

    @classmethod
    def add_channel(cls, name, kind, config, **extra):
        r = cls.admin.post("/api/v1/channels", {"name": name, "kind": kind, "config": config,
                                                **extra})
        assert r.status == 201, r
        cls.channel_answers = getattr(cls, "channel_answers", []) + [r.body]
        return r.body

    @classmethod
    def link(cls, group, *channels):
        r = cls.admin.patch("/api/v1/groups/" + group, {"channels": [c["id"] for c in channels]})
        assert r.status == 200, r
        assert sorted(r.body["channels"]) == sorted(c["id"] for c in channels), r

    @classmethod
    def hook_command_and_leadership(cls):
        """A webhook for command HQ (cls.cmd_hook, at /command) and one for
        the leadership (cls.lead_hook, at /leadership)."""
        cls.cmd_hook = cls.add_channel("command-hook", "webhook", {
            "url": cls.http.url("/command"), "secret": SECRETS["webhook"]})
        cls.lead_hook = cls.add_channel("leadership-hook", "webhook", {
            "url": cls.http.url("/leadership"), "secret": SECRETS["webhook"]})
        cls.link("command", cls.cmd_hook)
        cls.link("leadership", cls.lead_hook)

    # -- helpers --------------------------------------------------------------

    def report(self, who="staff", title="核心系统故障", **fields):
        body = {"title": title, "category": "system-failure", **fields}
        r = self.c[who].post("/api/v1/incidents", body)
        self.assertEqual(r.status, 201, r)
        return r.body

    def timeline(self, inc):
        r = self.c["staff"].get("/api/v1/incidents/%d/timeline" % inc["id"])
        self.assertStatus(r, 200)
        return r.body["items"]

    def log(self, inc=None, **query):
        q = dict(query)
        if inc is not None:
            q["incident"] = inc["id"]
        path = "/api/v1/notifications"
        if q:
            path += "?" + "&".join("%s=%s" % kv for kv in q.items())
        return list_all(self.admin, path)

    def wait_log(self, inc, pred, what, timeout=15):
        """Poll the incident's delivery log until pred(items) is true; returns the items."""
        last = []

        def check():
            last[:] = self.log(inc)
            return pred(last)
        try:
            wait_until(check, timeout, 0.1, what)
        except AssertionError:
            raise AssertionError("%s did not happen within %gs; log: %s"
                                 % (what, timeout, json.dumps(last, ensure_ascii=False,
                                                              indent=1))) from None
        return list(last)

    def wait_sent(self, inc, pred, what, timeout=15):
        """Wait until the incident's messages matching pred exist and are all
        sent; returns them."""
        items = self.wait_log(inc, lambda items: [m for m in items if pred(m)] and all(
            m["state"] == "sent" for m in items if pred(m)), what, timeout)
        return [m for m in items if pred(m)]

    def requests_for(self, key):
        return self.http.received(lambda r: r.headers.get("idempotency-key") == key)

    def one_request(self, msg):
        reqs = self.requests_for(msg["idempotency_key"])
        self.assertEqual(len(reqs), 1, "requests with key %s: %r" % (msg["idempotency_key"],
                                                                   reqs))
        return reqs[0]


class Payloads(NotifyTestCase):
    """Every kind of channel on command HQ, e-mail to an SMTP server."""

    server_args = BACKOFF + ("--public-url", PUBLIC)
    SMTP = True

    @classmethod
    def setup_channels(cls):
        h = cls.http
        fast = {"rate_burst": 50, "rate_period_ms": 20}  # no digests in these tests
        cls.ch = {
            "webhook": cls.add_channel("hook", "webhook", {
                "url": h.url("/hook/erms?via=test"), "secret": SECRETS["webhook"]}, **fast),
            "dingtalk": cls.add_channel("钉钉", "dingtalk", {
                "url": h.url("/robot/send?access_token=ding-robot-token"),
                "secret": SECRETS["dingtalk"]}, **fast),
            "feishu": cls.add_channel("飞书", "feishu", {
                "url": h.url("/open-apis/bot/v2/hook/feishu-bot-id"),
                "secret": SECRETS["feishu"]}, **fast),
            "slack": cls.add_channel("slack", "slack", {
                "url": h.url("/services/T000/B000/slack-secret-path")}, **fast),
            "wecom": cls.add_channel("企业微信", "wecom", {
                "url": h.url("/cgi-bin/webhook/send?key=wecom-robot-key")}, **fast),
        }
        cls.link("command", *cls.ch.values())
        cls.kind_of = {c["id"]: k for k, c in cls.ch.items()}

    def report_and_deliver(self, title):
        """Report; wait until the five chat messages of tier 0 are sent;
        returns (incident, {kind: (log item, request)})."""
        inc = self.report(title=title)
        msgs = self.wait_sent(inc, lambda m: m["channel_id"] in self.kind_of,
                              "delivery to the five chat channels")
        self.assertEqual(sorted(self.kind_of[m["channel_id"]] for m in msgs),
                         sorted(self.kind_of.values()), msgs)
        return inc, {self.kind_of[m["channel_id"]]: (m, self.one_request(m)) for m in msgs}

    def test_channel_answers_show_no_secret(self):
        r = self.admin.get("/api/v1/channels")
        self.assertStatus(r, 200)
        listed = {c["id"]: c for c in r.body["items"]}
        r = self.admin.patch("/api/v1/channels/%d" % self.ch["webhook"]["id"],
                             {"name": "hook", "rate_burst": 50})
        self.assertStatus(r, 200)
        patched = r.body
        for answer in self.channel_answers + list(listed.values()) + [patched]:
            text = json.dumps(answer, ensure_ascii=False)
            with self.subTest(channel=answer["name"]):
                for secret in list(SECRETS.values()) + list(URL_KEYS):
                    self.assertNotIn(secret, text)
                cfg = answer["config"]
                if "secret" in cfg:
                    self.assertEqual(cfg["secret"], "***")
                if "password" in cfg:
                    self.assertEqual(cfg["password"], "***")
                if "url" in cfg:
                    self.assertEqual(cfg["url"], "http://127.0.0.1:%d" % self.http.port)
        self.assertEqual(listed[self.ch["webhook"]["id"]]["config"]["secret"], "***")
        self.assertEqual(listed[self.mail_channel["id"]]["config"]["password"], "***")
        self.assertEqual(listed[self.mail_channel["id"]]["config"]["host"], "127.0.0.1")
        # Only administrators see or change channels.
        for who in ("hq", "leader", "staff"):
            self.assertError(self.c[who].get("/api/v1/channels"), 403, "forbidden")
            self.assertError(self.c[who].post("/api/v1/channels", {
                "name": "x", "kind": "slack", "config": {"url": "http://127.0.0.1:1/"}}),
                403, "forbidden")
        # Bad channels.
        self.assertError(self.admin.post("/api/v1/channels", {
            "name": "nosecret", "kind": "webhook", "config": {"url": "http://127.0.0.1:1/"}}),
            400, "missing_field", "config.secret")
        self.assertError(self.admin.post("/api/v1/channels", {
            "name": "pager", "kind": "pager", "config": {"url": "http://127.0.0.1:1/"}}),
            400, "invalid")

    def test_chat_payloads_and_signatures(self):
        sent_after = time.time()
        inc, got = self.report_and_deliver("数据库主库宕机")
        sent_before = time.time()
        for kind, (m, req) in got.items():
            with self.subTest(kind=kind):
                self.assertEqual((m["event"], m["tier"], m["attempts"], m["last_error"]),
                                 ("report", 0, 1, ""), m)
                self.assertEqual(m["recipient"], "group:command")
                self.assertIsNone(m["user_id"])
                self.assertIsNotNone(m["sent_at"])
                self.assertIn("数据库主库宕机", m["subject"])
                self.assertIn(inc["number"], m["subject"])
                self.assertRegex(m["idempotency_key"], r"^[\x21-\x7e]{16,}$")
                self.assertEqual(req.method, "POST")
                self.assertEqual(req.headers.get("idempotency-key"), m["idempotency_key"])
                self.assertTrue(req.headers.get("content-type", "").startswith(
                    "application/json"), req.headers)
        self.assertEqual(len({m["idempotency_key"] for m, _ in got.values()}), 5)

        # Webhook: HMAC-SHA256(secret, raw body), hex.
        m, req = got["webhook"]
        self.assertEqual(req.path, "/hook/erms?via=test")
        want = hmac.new(SECRETS["webhook"].encode(), req.body, hashlib.sha256).hexdigest()
        self.assertEqual(req.headers.get("x-erms-signature"), "sha256=" + want)
        wrong = hmac.new(b"another-secret", req.body, hashlib.sha256).hexdigest()
        self.assertNotEqual(req.headers.get("x-erms-signature"), "sha256=" + wrong)
        body = json.loads(req.body)
        self.assertEqual(body["idempotency_key"], m["idempotency_key"])
        self.assertEqual(body["subject"], m["subject"])
        self.assertEqual(body["link"], "%s/#/incidents/%s" % (PUBLIC, inc["number"]))
        self.assertRegex(body["ack_link"], r"^%s/ack/[A-Za-z0-9_-]{20,80}$" % re.escape(PUBLIC))
        self.assertEqual((body["event"]["type"], body["event"]["tier"],
                          body["event"]["incident_id"]), ("report", 0, inc["id"]))
        self.assertIn("数据库主库宕机", body["text"])

        # DingTalk: &timestamp=<ms>&sign=urlencode(base64(HMAC(secret, ts "\n" secret))).
        m, req = got["dingtalk"]
        path, _, query = req.path.partition("?")
        self.assertEqual(path, "/robot/send")
        raw = dict(kv.split("=", 1) for kv in query.split("&"))
        self.assertEqual(list(raw), ["access_token", "timestamp", "sign"], req.path)
        self.assertEqual(raw["access_token"], "ding-robot-token")
        ts = raw["timestamp"]
        self.assertRegex(ts, r"^\d{13}$")
        self.assertLessEqual(abs(int(ts) / 1000 - (sent_after + sent_before) / 2),
                             60 + (sent_before - sent_after))
        sign = hmac_b64(SECRETS["dingtalk"].encode(), (ts + "\n" + SECRETS["dingtalk"]).encode())
        self.assertEqual(raw["sign"], quote(sign, safe=""))
        self.assertEqual(parse_qs(query)["sign"], [sign])
        body = json.loads(req.body)
        self.assertEqual(body["msgtype"], "markdown")
        self.assertEqual(body["markdown"]["title"], m["subject"])
        self.assertIn("数据库主库宕机", body["markdown"]["text"])
        self.assertRegex(body["markdown"]["text"], r"\(%s/ack/[A-Za-z0-9_-]+\)" % re.escape(PUBLIC))

        # Feishu: "timestamp" (seconds, a string) and
        # "sign" = base64(HMAC(key = ts "\n" secret, msg = "")) in the body.
        m, req = got["feishu"]
        self.assertEqual(req.path, "/open-apis/bot/v2/hook/feishu-bot-id")
        body = json.loads(req.body)
        self.assertIsInstance(body["timestamp"], str)
        self.assertRegex(body["timestamp"], r"^\d{10}$")
        self.assertLessEqual(abs(int(body["timestamp"]) - (sent_after + sent_before) / 2),
                             60 + (sent_before - sent_after))
        want = hmac_b64((body["timestamp"] + "\n" + SECRETS["feishu"]).encode(), b"")
        self.assertEqual(body["sign"], want)
        self.assertEqual(body["msg_type"], "post")
        post = body["content"]["post"]["zh_cn"]
        self.assertEqual(post["title"], m["subject"])
        tags = [el for para in post["content"] for el in para]
        self.assertTrue(all("tag" in el for el in tags), tags)
        hrefs = [el["href"] for el in tags if el["tag"] == "a"]
        self.assertIn("%s/#/incidents/%s" % (PUBLIC, inc["number"]), hrefs)
        self.assertTrue(any(h.startswith(PUBLIC + "/ack/") for h in hrefs), hrefs)
        self.assertLessEqual(len(req.body), 20 * 1024)

        # Slack: {text, blocks}, a header of plain text and an mrkdwn section.
        m, req = got["slack"]
        self.assertEqual(req.path, "/services/T000/B000/slack-secret-path")
        body = json.loads(req.body)
        self.assertEqual(set(body), {"text", "blocks"})
        self.assertIn(m["subject"], body["text"])
        self.assertRegex(body["text"], r"<%s/ack/[A-Za-z0-9_-]+\|[^>]+>" % re.escape(PUBLIC))
        self.assertEqual(body["blocks"][0]["type"], "header")
        self.assertEqual(body["blocks"][0]["text"], {"type": "plain_text", "text": m["subject"]})
        sections = [b for b in body["blocks"] if b["type"] == "section"]
        self.assertTrue(sections, body)
        for s in sections:
            self.assertEqual(s["text"]["type"], "mrkdwn")
            self.assertLessEqual(len(s["text"]["text"]), 3000)

        # WeCom: {"msgtype": "markdown", "markdown": {"content"}}, at most 4096 bytes.
        m, req = got["wecom"]
        self.assertEqual(req.path, "/cgi-bin/webhook/send?key=wecom-robot-key")
        body = json.loads(req.body)
        self.assertEqual(set(body), {"msgtype", "markdown"})
        self.assertEqual(body["msgtype"], "markdown")
        self.assertEqual(set(body["markdown"]), {"content"})
        content = body["markdown"]["content"]
        self.assertIn("数据库主库宕机", content)
        self.assertIn(inc["number"], content)
        self.assertRegex(content, r"\(%s/ack/[A-Za-z0-9_-]+\)" % re.escape(PUBLIC))
        self.assertLessEqual(len(content.encode("utf-8")), 4096)

        # One timeline entry for the round.
        log = self.log(inc)
        entries = [e for e in self.timeline(inc) if e["kind"] == "notification"]
        self.assertEqual(len(entries), 1, entries)
        self.assertEqual(entries[0]["data"]["event"], "report")
        self.assertEqual(entries[0]["data"]["tier"], 0)
        self.assertEqual(entries[0]["data"]["messages"], len(log))
        self.assertEqual(entries[0]["data"]["groups"], [{"group": "command", "who": "on_duty"}])

    def test_slack_section_uses_slack_markup(self):
        """Slack's mrkdwn is not Markdown: links are <url|text>, bold is
        *text*, there are no headings (domain-research.md §3.4)."""
        _, got = self.report_and_deliver("Slack 格式")
        _, req = got["slack"]
        body = json.loads(req.body)
        for s in (b for b in body["blocks"] if b["type"] == "section"):
            text = s["text"]["text"]
            self.assertNotRegex(text, r"\]\(https?://", "a Markdown link in mrkdwn: %r" % text)
            self.assertNotRegex(text, r"(?m)^#{1,6} ", "a Markdown heading in mrkdwn: %r" % text)
            self.assertNotIn("**", text, "Markdown bold in mrkdwn: %r" % text)

    def check_mail(self, msg, login):
        """The SMTP server got msg's e-mail for login: returns the parsed e-mail."""
        to = self.email[login]
        mails = wait_until(lambda: [(m, e) for m, e in self.smtp.received(to)
                                    if e["message-id"] == "<%s@erms>" % msg["idempotency_key"]],
                           15, 0.05, "the e-mail %s to %s" % (msg["idempotency_key"], to))
        self.assertEqual(len(mails), 1, mails)
        raw, e = mails[0]
        self.assertEqual(raw.rcpt_tos, [to])
        self.assertEqual(raw.mail_from, MAIL_FROM)
        text = raw.raw.decode("ascii")  # 8-bit free: everything else is encoded
        head = text.split("\r\n\r\n", 1)[0]
        self.assertRegex(head, r"(?m)^Subject: =\?UTF-8\?[BbQq]\?")
        for line in head.split("\r\n"):
            self.assertLessEqual(len(line), 78, line)
        self.assertEqual(str(e["subject"]), msg["subject"])
        self.assertEqual(str(e["to"]), to)
        self.assertEqual(str(e["from"]), MAIL_FROM)
        self.assertEqual(e.get_content_type(), "multipart/alternative")
        parts = {p.get_content_type(): p for p in e.iter_parts()}
        self.assertEqual(set(parts), {"text/plain", "text/html"})
        plain = parts["text/plain"].get_content()
        html = parts["text/html"].get_content()
        self.assertEqual(parts["text/plain"].get_content_charset(), "utf-8")
        self.assertRegex(plain, r"%s/ack/[A-Za-z0-9_-]{20,80}" % re.escape(PUBLIC))
        self.assertRegex(html, r'href="%s/ack/[A-Za-z0-9_-]{20,80}"' % re.escape(PUBLIC))
        return e, plain, html

    def test_email_utf8_multipart_to_the_person_on_duty(self):
        # No roster: the leads and deputies of command HQ stand in.
        inc = self.report(title="核心数据库主库宕机")
        mails = self.wait_sent(inc, lambda m: m["channel_id"] == self.mail_channel["id"],
                               "the tier-0 e-mails")
        self.assertEqual(sorted(m["recipient"] for m in mails),
                         sorted([self.email["hq"], self.email["deputy"]]))
        by_user = {m["user_id"]: m for m in mails}
        self.assertEqual(set(by_user), {self.ids["hq"], self.ids["deputy"]})
        m = by_user[self.ids["hq"]]
        self.assertEqual(m["locale"], "zh-CN")
        e, plain, html = self.check_mail(m, "hq")
        self.assertIn("核心数据库主库宕机", str(e["subject"]))
        self.assertIn(inc["number"], str(e["subject"]))
        self.assertIn("核心数据库主库宕机", plain)
        self.assertIn("核心数据库主库宕机", html)
        # The deputy reads English.
        m = by_user[self.ids["deputy"]]
        self.assertEqual(m["locale"], "en")
        e, plain, _ = self.check_mail(m, "deputy")
        self.assertIn("New report", str(e["subject"]))
        self.assertIn("核心数据库主库宕机", str(e["subject"]))
        self.assertEqual(self.smtp.received(self.email["duty"]), [])

        # With a roster, tier 0 e-mails the person on duty alone.
        start = fmt_time(datetime.now(timezone.utc) - timedelta(minutes=10))
        r = self.admin.post("/api/v1/groups/command/rotations", {
            "name": "指挥部值班", "members": [self.ids["duty"]], "shift_minutes": 720,
            "start": start})
        self.assertStatus(r, 201)
        r = self.c["staff"].get("/api/v1/groups/command/on-duty")
        self.assertEqual(r.body["on_duty"]["user_id"], self.ids["duty"], r.body)
        inc = self.report(title="网络中断（值班）")
        mails = self.wait_sent(inc, lambda m: m["channel_id"] == self.mail_channel["id"],
                               "the tier-0 e-mail to the person on duty")
        self.assertEqual([(m["recipient"], m["user_id"]) for m in mails],
                         [(self.email["duty"], self.ids["duty"])])
        e, plain, _ = self.check_mail(mails[0], "duty")
        self.assertIn("网络中断（值班）", str(e["subject"]))

    def test_database_file_holds_no_secret(self):
        """Channel secrets, SMTP passwords, robot URL keys and ack tokens are
        not in the database (its dump, and on SQLite its file and WAL) in
        plain text; the links sent still acknowledge."""
        inc, got = self.report_and_deliver("密钥不落盘")
        tokens = [json.loads(req.body)["ack_link"].rsplit("/", 1)[1]
                  for k, (m, req) in got.items() if k == "webhook"]
        self.assertTrue(tokens)
        dump = self.server.dump()
        self.assertIn("sealed:v1:", dump)
        raw = dump.encode()
        for suffix in ("", "-wal") if self.server.engine == "sqlite" else ():
            if os.path.exists(self.server.db + suffix):
                with open(self.server.db + suffix, "rb") as f:
                    raw += f.read()
        for secret in list(SECRETS.values()) + list(URL_KEYS) + tokens:
            self.assertNotIn(secret.encode(), raw, "%r is stored in plain text" % secret)
        anon = self.server.client()
        r = anon.post("/ack/" + tokens[0], raw=b"", ctype="application/x-www-form-urlencoded")
        self.assertStatus(r, 200)

    def test_ack_link(self):
        inc, got = self.report_and_deliver("确认链接")
        m, req = got["webhook"]
        link = json.loads(req.body)["ack_link"]
        self.assertTrue(link.startswith(PUBLIC + "/ack/"), link)
        token = link.rsplit("/", 1)[1]
        anon = self.server.client()
        before = [e for e in self.timeline(inc) if e["kind"] == "notification"]

        # GET shows a form and does not acknowledge.
        for _ in range(2):
            r = anon.get("/ack/" + token, headers={"Accept": "text/html"})
            self.assertStatus(r, 200)
            self.assertTrue(r.headers["content-type"].startswith("text/html"), r.headers)
            self.assertRegex(r.body, r'<form[^>]*method="post"[^>]*action="/ack/%s"'
                             % re.escape(token))
        cur = next(x for x in self.log(inc) if x["id"] == m["id"])
        self.assertIsNone(cur["acked_at"])
        self.assertEqual(cur["acked_by"], "")
        self.assertEqual([e for e in self.timeline(inc) if e["kind"] == "notification"], before)

        # POST (as the page's form does: no sign-in, an empty body) acknowledges, once.
        r = anon.post("/ack/" + token, raw=b"", ctype="application/x-www-form-urlencoded")
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/html"), r.headers)
        cur = next(x for x in self.log(inc) if x["id"] == m["id"])
        self.assertIsNotNone(cur["acked_at"])
        self.assertEqual(cur["acked_by"], "group:command")
        acked_at = cur["acked_at"]
        r = anon.post("/ack/" + token)
        self.assertStatus(r, 409)
        cur = next(x for x in self.log(inc) if x["id"] == m["id"])
        self.assertEqual(cur["acked_at"], acked_at)
        # The other messages of the round are not acknowledged by it.
        others = [x for x in self.log(inc) if x["id"] != m["id"]]
        self.assertTrue(others)
        self.assertTrue(all(x["acked_at"] is None for x in others), others)

        # Unknown and malformed tokens.
        unknown = "A" * len(token) if token != "A" * len(token) else "B" * len(token)
        self.assertStatus(anon.post("/ack/" + unknown), 404)
        self.assertStatus(anon.post("/ack/short"), 404)
        self.assertStatus(anon.get("/ack/short"), 404)
        self.assertStatus(anon.post("/ack/" + "x" * 81), 404)

        # The timeline has one new entry: the acknowledgement.
        entries = [e for e in self.timeline(inc) if e["kind"] == "notification"]
        self.assertEqual(len(entries), len(before) + 1, entries)
        # The chat is named by its group's name, never "group:command".
        self.assertIn("应急指挥部", entries[-1]["text"])
        self.assertNotIn("group:", entries[-1]["text"])
        self.assertEqual(entries[-1]["key"], "tl.notify_acked_group")
        self.assertEqual(entries[-1]["params"]["group"], "command")
        self.assertIsNone(entries[-1]["actor_id"])
        # The incident itself is not acknowledged by a message.
        r = self.c["staff"].get("/api/v1/incidents/%d" % inc["id"])
        self.assertEqual(r.body["status"], "reported")

    def test_delivery_log_rights_and_filters(self):
        inc, got = self.report_and_deliver("日志权限")
        for who in ("hq", "leader", "admin"):
            r = self.c[who].get("/api/v1/notifications?incident=%d" % inc["id"])
            self.assertStatus(r, 200)
            self.assertEqual({m["incident_id"] for m in r.body["items"]}, {inc["id"]})
        self.assertError(self.c["staff"].get("/api/v1/notifications"), 403, "forbidden")
        self.assertError(self.server.client().get("/api/v1/notifications"), 401, "unauthorized")
        wh = self.ch["webhook"]["id"]
        items = self.log(inc, channel=wh)
        self.assertEqual([m["channel_id"] for m in items], [wh])
        self.assertEqual(items[0]["id"], got["webhook"][0]["id"])
        self.assertEqual(self.log(inc, state="failed"), [])
        self.assertError(self.admin.get("/api/v1/notifications?state=lost"),
                         400, "invalid", "state")
        self.assertEqual(self.log({"id": 999999}), [])
        # Only its recipient (or command HQ) acknowledges a message by the API.
        m = got["webhook"][0]
        self.assertError(self.c["staff"].post("/api/v1/notifications/%d/ack" % m["id"], {}),
                         403, "forbidden")
        self.assertError(self.c["leader"].post("/api/v1/notifications/%d/ack" % m["id"], {}),
                         403, "forbidden")
        r = self.c["duty"].post("/api/v1/notifications/%d/ack" % m["id"], {})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["acked_by"], "duty")
        self.assertError(self.c["hq"].post("/api/v1/notifications/%d/ack" % m["id"], {}),
                         409, "conflict")
        self.assertError(self.c["hq"].post("/api/v1/notifications/999999/ack", {}),
                         404, "not_found")


class Retries(NotifyTestCase):
    """A webhook whose receiver refuses, then fails, then comes back."""

    server_args = BACKOFF

    @classmethod
    def setup_channels(cls):
        cls.hook = cls.add_channel("hook", "webhook", {"url": cls.http.url("/hook"),
                                                       "secret": SECRETS["webhook"]})
        cls.link("command", cls.hook)

    def the_message(self, inc, pred, what):
        items = self.wait_log(inc, lambda items: len(items) == 1 and pred(items[0]), what)
        return items[0]

    def test_refused_then_back(self):
        self.http.down()
        try:
            inc = self.report(title="接收端宕机")
            m = self.the_message(inc, lambda m: m["attempts"] >= 3,
                                 "three attempts at a refusing receiver")
            self.assertEqual(m["state"], "pending", m)
            self.assertNotEqual(m["last_error"], "", m)
            self.assertIsNotNone(m["next_attempt_at"])
            self.assertIsNone(m["sent_at"])
            seen = m["attempts"]
            m = self.the_message(inc, lambda m: m["attempts"] > seen,
                                 "one more attempt")
            self.assertEqual(m["state"], "pending", m)
        finally:
            self.http.up()
        m = self.the_message(inc, lambda m: m["state"] == "sent", "the delivery")
        self.assertGreater(m["attempts"], seen)
        self.assertEqual(m["last_error"], "")
        self.assertIsNone(m["next_attempt_at"])
        self.assertIsNotNone(m["sent_at"])
        req = self.one_request(m)
        self.assertEqual(json.loads(req.body)["idempotency_key"], m["idempotency_key"])

    def test_http_500_is_retried_with_backoff_under_one_key(self):
        self.http.set_mode("fail")
        try:
            inc = self.report(title="接收端报错")
            m = self.the_message(inc, lambda m: m["attempts"] >= 4, "four failed attempts")
            self.assertEqual(m["state"], "pending", m)
            self.assertIn("500", m["last_error"])
        finally:
            self.http.set_mode("ok")
        m = self.the_message(inc, lambda m: m["state"] == "sent", "the delivery")
        reqs = self.requests_for(m["idempotency_key"])
        self.assertEqual(len(reqs), m["attempts"], reqs)
        # The same request each time: same body, same signature.
        self.assertEqual(len({r.body for r in reqs}), 1)
        self.assertEqual(len({r.headers["x-erms-signature"] for r in reqs}), 1)
        # Exponential backoff: the k-th retry waits at least 200 * 2^(k-1) ms.
        gaps = [b.at - a.at for a, b in zip(reqs, reqs[1:])]
        for k, gap in enumerate(gaps[:4], 1):
            self.assertGreaterEqual(gap, 0.2 * 2 ** (k - 1) - 0.01, gaps)
        self.assertGreater(gaps[3], gaps[0], gaps)


class Failing(NotifyTestCase):
    """--notify-attempts 2: a message fails; an administrator retries it."""

    server_args = BACKOFF + ("--notify-attempts", "2")

    @classmethod
    def setup_channels(cls):
        cls.hook = cls.add_channel("hook", "webhook", {"url": cls.http.url("/hook"),
                                                       "secret": SECRETS["webhook"]})
        cls.link("command", cls.hook)

    def test_failed_then_retried_by_an_administrator(self):
        self.http.down()
        inc = self.report(title="投递失败")
        items = self.wait_log(inc, lambda items: len(items) == 1
                              and items[0]["state"] == "failed", "the message failing")
        m = items[0]
        self.assertEqual(m["attempts"], 2, m)
        self.assertNotEqual(m["last_error"], "")
        self.assertIsNone(m["next_attempt_at"])
        self.assertIsNone(m["sent_at"])
        time.sleep(1.0)  # a failed message is not tried again by itself
        self.assertEqual(self.log(inc), [m])
        self.assertEqual([x["id"] for x in self.log(state="failed")], [m["id"]])
        url = "/api/v1/notifications/%d/retry" % m["id"]
        self.http.up()
        for who in ("hq", "leader", "duty", "staff"):
            self.assertError(self.c[who].post(url, {}), 403, "forbidden")
        self.assertEqual(self.log(inc), [m])
        self.assertError(self.admin.post("/api/v1/notifications/999999/retry", {}),
                         404, "not_found")
        r = self.admin.post(url, {})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["id"], r.body["state"], r.body["attempts"]),
                         (m["id"], "pending", 0))
        items = self.wait_log(inc, lambda items: items[0]["state"] == "sent", "the retry")
        self.assertEqual(items[0]["attempts"], 1)
        self.assertEqual(items[0]["idempotency_key"], m["idempotency_key"])
        self.one_request(items[0])
        # Only a failed message is retried.
        self.assertError(self.admin.post(url, {}), 409, "conflict")
        audit = self.admin.get("/api/v1/audit").body["items"]
        self.assertIn("notification.retry", [a.get("action") for a in audit])


    def test_throttled_is_not_a_failure(self):
        """429 is the receiver's rate limit: no attempt is spent, Retry-After is kept."""
        self.http.retry_after = 1
        self.http.set_mode("busy")
        try:
            inc = self.report(title="限流")
            items = self.wait_log(inc, lambda items: len(items) == 1 and len(
                self.requests_for(items[0]["idempotency_key"])) >= 3, "three throttled tries")
            m = next(x for x in self.log(inc) if x["id"] == items[0]["id"])
            self.assertEqual((m["state"], m["attempts"]), ("pending", 0), m)
            self.assertIn("429", m["last_error"])
        finally:
            self.http.set_mode("ok")
        items = self.wait_log(inc, lambda items: items[0]["state"] == "sent", "the delivery")
        self.assertEqual(items[0]["attempts"], 1, items)
        reqs = self.requests_for(items[0]["idempotency_key"])
        gaps = [b.at - a.at for a, b in zip(reqs, reqs[1:])]
        for gap in gaps:
            self.assertGreaterEqual(gap, 1.0 - 0.01, gaps)  # Retry-After: 1


class Digest(NotifyTestCase):
    """Slack at its default rate (1 a second): messages due together go out
    as one digest."""

    server_args = BACKOFF

    @classmethod
    def setup_channels(cls):
        cls.slack = cls.add_channel("slack", "slack", {"url": cls.http.url("/slack")})
        cls.link("command", cls.slack)

    def test_messages_due_together_go_out_as_one_digest(self):
        # The first delivery is held by the receiver while two more reports
        # come; when it is answered both are due and the bucket has one token.
        self.http.set_mode("hang")
        try:
            first = self.report(title="第一条")
            wait_until(lambda: self.http.received(), 15, 0.02, "the first delivery to start")
            incs = [self.report(title="第二条"), self.report(title="第三条")]
            time.sleep(1.3)
        finally:
            self.http.release()
        self.wait_sent(first, lambda m: True, "the first message")
        msgs = wait_until(lambda: [m for inc in incs for m in self.log(inc)] if all(
            m["state"] != "pending" for inc in incs for m in self.log(inc)) else None,
            15, 0.1, "the digest")
        self.assertEqual(len(msgs), 2, msgs)
        self.assertEqual(sorted(m["state"] for m in msgs), ["merged", "sent"], msgs)
        reqs = self.http.received()
        self.assertEqual(len(reqs), 2, reqs)
        digest = reqs[1]
        key = digest.headers.get("idempotency-key", "")
        self.assertTrue(key.startswith("digest-"), digest.headers)
        self.assertNotIn(key, [m["idempotency_key"] for m in msgs])
        body = json.loads(digest.body)
        self.assertEqual(set(body), {"text", "blocks"})
        for m in msgs:
            self.assertIn(m["subject"], body["text"])
        self.assertEqual(len(re.findall(r"/ack/[A-Za-z0-9_-]{20,}", body["text"])), 2, body)


class Crash(NotifyTestCase):
    """kill -9 with messages in the outbox."""

    # A message the killed node had taken is sent after its lease.
    server_args = BACKOFF + ("--notify-lease-ms", "2000")

    @classmethod
    def setup_channels(cls):
        cls.hook = cls.add_channel("hook", "webhook", {"url": cls.http.url("/hook"),
                                                       "secret": SECRETS["webhook"]})
        cls.link("command", cls.hook)

    def keys_seen(self):
        out = {}
        for r in self.http.received():
            out.setdefault(r.headers.get("idempotency-key"), []).append(r)
        return out

    def all_sent(self, incs):
        def check():
            items = [m for inc in incs for m in self.log(inc)]
            return items if items and all(m["state"] == "sent" for m in items) else None
        return wait_until(check, 15, 0.1, "the delivery of every message")

    def test_kill_with_pending_messages(self):
        self.http.down()
        incs = [self.report(title="崩溃前报告 %d" % i) for i in range(3)]
        pending = wait_until(lambda: [m for inc in incs for m in self.log(inc)]
                             if all(m["attempts"] >= 1 and m["state"] == "pending"
                                    for inc in incs for m in self.log(inc)) else None,
                             15, 0.05, "a failed attempt at each message")
        self.assertEqual(len(pending), 3)
        self.server.kill9()
        self.http.up()
        self.server.restart()
        sent = self.all_sent(incs)
        self.assertEqual({m["idempotency_key"] for m in sent},
                         {m["idempotency_key"] for m in pending})
        seen = self.keys_seen()
        for m in sent:
            with self.subTest(message=m["id"]):
                reqs = seen.get(m["idempotency_key"], [])
                self.assertTrue(1 <= len(reqs) <= 2, reqs)
                for r in reqs:
                    self.assertEqual(json.loads(r.body)["idempotency_key"], m["idempotency_key"])

    def test_kill_during_a_delivery(self):
        self.http.set_mode("hang")
        try:
            inc = self.report(title="投递中崩溃")
            first = wait_until(lambda: self.http.received(
                lambda r: json.loads(r.body).get("event", {}).get("incident_id") == inc["id"]),
                15, 0.02, "the delivery to start")
            self.server.kill9()
        finally:
            self.http.release()
        self.server.restart()
        sent = self.all_sent([inc])
        self.assertEqual(len(sent), 1)
        key = sent[0]["idempotency_key"]
        self.assertEqual(first[0].headers["idempotency-key"], key)
        reqs = self.keys_seen()[key]
        # Received once before the crash (never recorded), once after.
        self.assertEqual(len(reqs), 2, reqs)
        self.assertEqual(reqs[0].body, reqs[1].body)
        self.assertEqual(reqs[0].headers["x-erms-signature"], reqs[1].headers["x-erms-signature"])


class Escalation(NotifyTestCase):
    """The reporting chain on the test clock.

    The test clock stands still once set, and the delivery worker's token
    buckets refill by it: each test starts by moving it an hour on, and
    waits only for webhook deliveries (the e-mail channel allows 10 at one
    instant). The e-mails are checked in the delivery log.
    """

    server_args = ("--test-clock", "--public-url", PUBLIC)
    SMTP = True
    last = None

    def setUp(self):
        base = datetime.now(timezone.utc)
        if Escalation.last is not None and Escalation.last > base:
            base = Escalation.last
        self.clock(fmt_time(base + timedelta(hours=1)))

    @classmethod
    def setup_channels(cls):
        cls.hook_command_and_leadership()

    def clock(self, now):
        r = self.admin.post("/api/v1/test/clock", {"now": now})
        self.assertStatus(r, 200)
        if Escalation.last is None or parse_time(now) > Escalation.last:
            Escalation.last = parse_time(now)

    def of_tier(self, inc, tier):
        return [m for m in self.log(inc) if m["tier"] == tier and m["event"] in
                ("report", "escalate")]

    def recipients(self, msgs):
        return sorted(m["recipient"] for m in msgs)

    def test_chain_stops_when_a_message_is_acknowledged(self):
        inc = self.report(title="无人确认")
        t0 = inc["reported_at"]
        tier0 = self.log(inc)
        self.assertEqual({(m["event"], m["tier"]) for m in tier0}, {("report", 0)})
        self.assertEqual(self.recipients(tier0),
                         sorted(["group:command", self.email["hq"], self.email["deputy"]]))

        self.clock(plus(t0, 4, 59))
        self.assertEqual([m for m in self.log(inc) if m["tier"] != 0], [])
        self.clock(plus(t0, 5))
        tier1 = self.of_tier(inc, 1)
        self.assertTrue(tier1, self.log(inc))
        self.assertEqual({m["event"] for m in tier1}, {"escalate"})
        # Tier 1: all of command HQ.
        self.assertEqual(self.recipients(tier1),
                         sorted(["group:command", self.email["hq"], self.email["duty"],
                                 self.email["deputy"]]))
        entries = [e["data"] for e in self.timeline(inc) if e["kind"] == "notification"]
        self.assertIn(("escalate", 1), [(d["event"], d["tier"]) for d in entries])
        # The ack target (5 minutes) was missed too: the commander and the leadership hear.
        breach = [m for m in self.log(inc) if m["event"] == "breach"]
        self.assertEqual(self.recipients(breach),
                         sorted(["group:leadership", self.email["hq"], self.email["leader"]]))

        # Acknowledge the tier-1 webhook message by its link.
        hook = next(m for m in tier1 if m["channel_id"] == self.cmd_hook["id"])
        self.wait_sent(inc, lambda m: m["id"] == hook["id"], "the tier-1 webhook message")
        req = self.one_request(hook)
        link = json.loads(req.body)["ack_link"]
        self.assertTrue(link.startswith(PUBLIC + "/ack/"), link)
        r = self.server.client().post(urlsplit(link).path)
        self.assertStatus(r, 200)
        acked = next(m for m in self.log(inc) if m["id"] == hook["id"])
        self.assertEqual(acked["acked_at"], plus(t0, 5))

        # The chain stops.
        self.clock(plus(t0, 10))
        self.assertEqual(self.of_tier(inc, 2), [])
        self.clock(plus(t0, 15))
        self.assertEqual(self.of_tier(inc, 3), [])
        self.clock(plus(t0, 30))
        self.assertEqual({m["tier"] for m in self.log(inc) if m["event"] in
                          ("report", "escalate")}, {0, 1})
        self.assertEqual(self.c["staff"].get("/api/v1/incidents/%d" % inc["id"]).body["status"],
                         "reported")

    def test_unacknowledged_chain_reaches_the_leadership(self):
        inc = self.report(title="层层上报")
        t0 = inc["reported_at"]
        self.clock(plus(t0, 5))
        self.clock(plus(t0, 10, -1))
        self.assertEqual(self.of_tier(inc, 2), [])
        self.clock(plus(t0, 10))
        tier2 = self.of_tier(inc, 2)
        self.assertEqual({m["event"] for m in tier2}, {"escalate"})
        # Tier 2: the leads and deputies of command HQ.
        self.assertEqual(self.recipients(tier2),
                         sorted(["group:command", self.email["hq"], self.email["deputy"]]))
        self.clock(plus(t0, 15))
        tier3 = self.of_tier(inc, 3)
        self.assertEqual(self.recipients(tier3), sorted(["group:leadership", self.email["leader"]]))
        self.assertEqual({m["channel_id"] for m in tier3},
                         {self.lead_hook["id"], self.mail_channel["id"]})
        # Each tier once, however often the clock is set.
        self.clock(plus(t0, 15))
        self.clock(plus(t0, 60))
        tiers = [m["tier"] for m in self.log(inc) if m["event"] in ("report", "escalate")]
        self.assertEqual(sorted(set(tiers)), [0, 1, 2, 3])
        self.assertEqual(len(tiers), 3 + 4 + 3 + 2, self.log(inc))
        rounds = [(e["data"]["event"], e["data"]["tier"]) for e in self.timeline(inc)
                  if e["kind"] == "notification" and e["data"].get("event") in
                  ("report", "escalate")]
        self.assertEqual(rounds, [("report", 0), ("escalate", 1), ("escalate", 2),
                                  ("escalate", 3)])

    def act(self, who, inc, action, **body):
        r = self.c[who].post("/api/v1/incidents/%d/%s" % (inc["id"], action), body)
        self.assertEqual(r.status, 200, "%s by %s: %r" % (action, who, r))
        return r.body

    def check_round(self, inc, event, want):
        """The round of event: its recipients are want, each channel and
        address once; one timeline entry counts its messages."""
        msgs = [m for m in self.log(inc) if m["event"] == event]
        self.assertEqual(self.recipients(msgs), sorted(want), event)
        per = {}
        for m in msgs:
            per.setdefault((m["channel_id"], m["recipient"]), []).append(m["id"])
        self.assertEqual({k: v for k, v in per.items() if len(v) > 1}, {},
                         "%s: several messages to one channel and recipient" % event)
        entries = [e["data"] for e in self.timeline(inc) if e["kind"] == "notification"
                   and e["data"].get("event") == event]
        self.assertEqual([d["messages"] for d in entries], [len(msgs)], event)
        return msgs

    def test_who_hears_each_step(self):
        inc = self.report(title="逐步通知")
        e = self.email
        cmd_all = ["group:command", e["hq"], e["duty"], e["deputy"]]
        lead_all = ["group:leadership", e["leader"]]
        involved = cmd_all + lead_all + [e["staff"]]  # and the reporter
        steps = [
            ("hq", "ack", {}, lead_all),
            ("leader", "activate", {"level": "level-1"}, cmd_all + lead_all),  # its notify
            ("hq", "set-level", {"level": "level-3", "reason": "影响缩小"}, cmd_all),
            ("hq", "resolve", {"summary": "已恢复"}, involved),
            ("hq", "reopen", {"reason": "复发"}, involved),
            ("hq", "resolve", {"summary": "再次恢复"}, None),
            ("leader", "close", {}, involved),
        ]
        for who, action, body, want in steps:
            self.act(who, inc, action, **body)
            if want is not None:
                with self.subTest(step=action):
                    self.check_round(inc, action, want)

    def test_dismiss_tells_the_reporter_and_command_leads(self):
        inc = self.report(title="误报")
        self.act("hq", inc, "dismiss", reason="监控误报")
        self.check_round(inc, "dismiss", ["group:command", self.email["hq"],
                                          self.email["deputy"], self.email["staff"]])

    def test_ack_link_expires_after_a_day(self):
        a = self.report(title="链接一")
        t0 = a["reported_at"]
        b = self.report(title="链接二")
        self.assertEqual(b["reported_at"], t0)
        links = {}
        for inc in (a, b):
            hook = self.wait_sent(inc, lambda m: m["channel_id"] == self.cmd_hook["id"]
                                  and m["tier"] == 0, "the tier-0 webhook message")[0]
            links[inc["id"]] = (hook, json.loads(self.one_request(hook).body)["ack_link"])
        anon = self.server.client()
        self.clock(plus(t0, 24 * 60, -0.001))
        hook, link = links[a["id"]]
        self.assertStatus(anon.post(urlsplit(link).path), 200)
        self.clock(plus(t0, 24 * 60))
        hook, link = links[b["id"]]
        r = anon.post(urlsplit(link).path)
        self.assertStatus(r, 409)
        cur = next(m for m in self.log(b) if m["id"] == hook["id"])
        self.assertIsNone(cur["acked_at"])

    def test_ack_step_tells_the_leadership_and_drills_are_marked(self):
        drill = self.report("hq", title="年度演练：机房断电", is_drill=True)
        t0 = drill["reported_at"]
        tier0 = self.log(drill)
        self.assertEqual(len(tier0), 3, tier0)
        for m in tier0:
            with self.subTest(recipient=m["recipient"]):
                want = "[DRILL] " if m["locale"] == "en" else "[演练] "
                self.assertTrue(m["subject"].startswith(want), m["subject"])
        self.assertIn("en", {m["locale"] for m in tier0})
        hook = self.wait_sent(drill, lambda m: m["channel_id"] == self.cmd_hook["id"],
                              "the webhook message")[0]
        self.assertTrue(json.loads(self.one_request(hook).body)["subject"].startswith("[演练] "))
        mail = next(m for m in tier0 if m["user_id"] == self.ids["deputy"])
        self.assertTrue(mail["subject"].startswith("[DRILL] "), mail)

        r = self.c["hq"].post("/api/v1/incidents/%d/ack" % drill["id"], {})
        self.assertStatus(r, 200)
        acks = [m for m in self.log(drill) if m["event"] == "ack"]
        self.assertEqual(self.recipients(acks), sorted(["group:leadership", self.email["leader"]]))
        self.assertEqual({m["channel_id"] for m in acks},
                         {self.lead_hook["id"], self.mail_channel["id"]})
        for m in acks:
            self.assertTrue(m["subject"].startswith("[演练] "), m["subject"])
        entries = [e["data"] for e in self.timeline(drill) if e["kind"] == "notification"]
        self.assertIn("ack", [d["event"] for d in entries])
        # The incident acknowledged: no more tiers.
        self.clock(plus(t0, 16))
        self.assertEqual([m["tier"] for m in self.log(drill) if m["event"] == "escalate"], [])

        # By the API: its recipient acknowledges an e-mail; others may not.
        mail = next(m for m in acks if m["user_id"] == self.ids["leader"])
        url = "/api/v1/notifications/%d/ack" % mail["id"]
        self.assertError(self.c["staff"].post(url, {}), 403, "forbidden")
        r = self.c["leader"].post(url, {})
        self.assertStatus(r, 200)
        self.assertEqual((r.body["acked_at"], r.body["acked_by"]), (plus(t0, 16), "leader"))
        self.assertError(self.c["leader"].post(url, {}), 409, "conflict")


if __name__ == "__main__":
    unittest.main()
