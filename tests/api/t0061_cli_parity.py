"""CLI parity, as clients of a real server with the real binary: bulletins,
expenses and budgets, channels (a test send reaching a real SMTP server,
attach and detach), users and groups, the delivery log and a retry of a
failed message; --cursor and --all following next_cursor; --json errors as
the API's error object; each sub-command's own --help in both languages; a
table with Chinese text aligned by display width; zh-CN errors keeping the
specific reason; edits sending If-Match with the version read. Then the
demo: its groups have members and somebody on duty, and a demo incident's
message is in the delivery log and in the mail server's inbox."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from receivers import use_debian_python  # noqa: E402

use_debian_python("aiosmtpd")

from harness import (PASSWORD, PLAN_SAMPLE, SANITIZER_MARKS, ServerTestCase,  # noqa: E402
                     erms_bin, list_all, run_erms, setup_org)
from receivers import HttpReceiver, SmtpReceiver, wait_until  # noqa: E402

ZH = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
EN = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def width(s):
    """Columns s takes on a terminal: East Asian wide and full-width take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def erms_env(*args, env=None, stdin=None):
    e = dict(os.environ)
    for k in ("ERMS_SERVER", "ERMS_TOKEN"):
        e.pop(k, None)
    e.update(env or EN)
    return subprocess.run([erms_bin(), *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=e)


class CliParity(ServerTestCase):
    server_args = ("--allow-private-webhooks",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("leader", {"leadership": "lead"}), ("hq", {"command": "lead"}),
                        ("techie", {"tech": "member"}), ("staff", {})),
                  plan=PLAN_SAMPLE, file="new-system.zh-CN.yaml")
        cls.tok = {login: c.bearer for login, c in cls.c.items()}

    def erms(self, who, *args, code=0, env=None, stdin=None):
        p = erms_env(*args, "--server", "http://127.0.0.1:%d" % self.server.port,
                     "--token", self.tok[who], env=env, stdin=stdin)
        self.assertEqual(p.returncode, code, "exit %d\nstdout:\n%s\nstderr:\n%s"
                         % (p.returncode, p.stdout, p.stderr))
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, p.stderr)
        return p

    def report(self, title="机房空调故障"):
        r = self.c["staff"].post("/api/v1/incidents", {"title": title,
                                                       "category": "hardware-failure"})
        self.assertEqual(r.status, 201, r.body)
        return r.body["number"]

    # -- bulletins ---------------------------------------------------------

    def test_bulletins(self):
        number = self.report()
        out = self.erms("hq", "bulletin", "add", number, "--audience", "public",
                        "--text", "部分机房温度升高，业务正常。").stdout
        self.assertIn("public", out)
        self.erms("hq", "bulletin", "add", number, "--audience", "internal",
                  "--text", "请技术支持小组到二号机房。")
        listing = self.erms("staff", "bulletin", "list", number).stdout.splitlines()
        self.assertTrue(listing[0].startswith("ID"), listing)
        self.assertEqual(len(listing), 3, listing)
        self.assertTrue(any("部分机房温度升高" in line and "public" in line for line in listing))
        data = json.loads(self.erms("staff", "bulletin", "list", number, "--json").stdout)
        self.assertEqual({b["audience"] for b in data["items"]}, {"public", "internal"})
        # Bad input: a clear message, exit 2, nothing published.
        err = self.erms("hq", "bulletin", "add", number, "--audience", "everyone",
                        "--text", "x", code=2).stderr
        self.assertIn("internal or public", err)
        self.erms("hq", "bulletin", "add", number, "--audience", "public", code=2)
        err = self.erms("hq", "bulletin", "add", "INC-2099-9999", "--audience", "public",
                        "--text", "x", code=1).stderr
        self.assertIn("404", err)
        self.assertEqual(len(self.c["staff"].get(
            "/api/v1/incidents/%s/bulletins" % number).body["items"]), 2)

    # -- funds -------------------------------------------------------------

    def test_budget_and_expenses(self):
        year = time.gmtime().tm_year
        out = self.erms("leader", "budget", "set", "--year", str(year), "--amount", "200000",
                        "--note", "年度应急经费").stdout
        self.assertIn("200000.00", out)
        out = self.erms("hq", "expense", "add", "--amount", "1200.5", "--purpose",
                        "备用电源租赁", "--year", str(year)).stdout
        self.assertIn("1200.50", out)
        rows = self.erms("hq", "expense", "list", "--year", str(year)).stdout.splitlines()
        self.assertTrue(any("1200.50" in r and "备用电源租赁" in r for r in rows), rows)
        out = self.erms("hq", "budget", "show", "--year", str(year)).stdout
        self.assertIn("198799.50", out)
        csv = self.erms("hq", "expense", "export", "--year", str(year)).stdout
        self.assertIn("备用电源租赁", csv)
        # Bad amounts and years: exit 2 before anything is sent.
        err = self.erms("hq", "expense", "add", "--amount", "12,50", "--purpose", "x",
                        code=2).stderr
        self.assertIn("--amount", err)
        self.erms("hq", "expense", "add", "--amount", "10", "--purpose", "x",
                  "--year", "19", code=2)
        # The API's refusal: no purpose is 400 (exit 2); staff may not (403, exit 1).
        err = self.erms("hq", "expense", "add", "--amount", "10", code=2).stderr
        self.assertIn("purpose", err)
        self.erms("staff", "budget", "set", "--amount", "1", code=1)
        rows = self.erms("hq", "expense", "list", "--year", str(year)).stdout.splitlines()
        self.assertEqual(len(rows), 2, rows)

    # -- channels ----------------------------------------------------------

    def test_channels(self):
        smtp = SmtpReceiver()
        self.addCleanup(smtp.close)
        me = self.admin.get("/api/v1/me").body
        admin_id = me.get("user", me).get("id")
        self.erms("admin", "user", "edit", str(admin_id), "--email", "admin@example.org")
        out = self.erms("admin", "channel", "add", "--name", "值班邮件", "--kind", "email",
                        "--set", "host=127.0.0.1", "--set", "port:=%d" % smtp.port,
                        "--set", "tls=none", "--set", "from=erms@example.org").stdout
        mail_id = out.split()[0]
        out = self.erms("admin", "channel", "test", mail_id).stdout
        self.assertTrue(out.startswith("sent"), out)
        mails = smtp.received("admin@example.org")
        self.assertEqual(len(mails), 1, mails)
        # A robot: attached to command HQ, then detached.
        out = self.erms("admin", "channel", "add", "--name", "指挥部机器人", "--kind",
                        "webhook", "--set", "url=https://hooks.example.org/erms",
                        "--set", "secret=s3cret").stdout
        hook = out.split()[0]
        listing = self.erms("admin", "channel", "list").stdout
        self.assertIn("指挥部机器人", listing)
        self.assertNotIn("s3cret", listing)
        self.erms("admin", "channel", "attach", hook, "command")
        self.assertEqual(self.admin.get("/api/v1/groups/command").body["channels"], [int(hook)])
        self.assertIn("[%s]" % hook, self.erms("admin", "group", "show", "command").stdout)
        self.erms("admin", "channel", "detach", hook, "command")
        self.assertEqual(self.admin.get("/api/v1/groups/command").body["channels"], [])
        self.erms("admin", "channel", "edit", hook, "--name", "机器人（备用）",
                  "--enabled", "no")
        ch = [c for c in self.admin.get("/api/v1/channels").body["items"]
              if c["id"] == int(hook)][0]
        self.assertEqual((ch["name"], ch["enabled"]), ("机器人（备用）", False))
        self.erms("admin", "channel", "delete", hook)
        self.assertNotIn(int(hook), [c["id"] for c in
                                     self.admin.get("/api/v1/channels").body["items"]])
        # Bad input: an unknown kind (400, exit 2, nothing added), a bad id,
        # a bad --set, and not an administrator (403).
        before = len(self.admin.get("/api/v1/channels").body["items"])
        err = self.erms("admin", "channel", "add", "--name", "x", "--kind", "pager",
                        "--set", "url=https://x.example.org/", code=2).stderr
        self.assertIn("kind", err)
        self.erms("admin", "channel", "edit", "abc", "--name", "x", code=2)
        self.erms("admin", "channel", "add", "--name", "x", "--kind", "webhook",
                  "--set", "url", code=2)
        self.erms("hq", "channel", "list", code=1)
        self.assertEqual(len(self.admin.get("/api/v1/channels").body["items"]), before)

    # -- users and groups --------------------------------------------------

    def test_users_and_groups(self):
        out = self.erms("admin", "user", "add", "--login", "zhangsan", "--name", "张三",
                        "--email", "zhangsan@example.org", "--phone", "13800000001",
                        stdin=PASSWORD + "\n").stdout
        uid = out.split()[0]
        self.assertIn("张三", out)
        self.assertIn("13800000001", self.erms("hq", "user", "show", uid).stdout)
        self.erms("admin", "user", "edit", uid, "--phone", "13900000002", "--name", "张三丰")
        u = self.admin.get("/api/v1/users/%s" % uid).body
        self.assertEqual((u["phone"], u["display_name"]), ("13900000002", "张三丰"))
        self.erms("admin", "group", "add-member", "tech", uid, "--role", "deputy")
        shown = self.erms("staff", "group", "show", "tech").stdout
        self.assertIn("zhangsan", shown)
        self.assertIn("deputy", shown)
        self.erms("admin", "group", "remove-member", "tech", uid)
        self.assertNotIn("zhangsan", self.erms("staff", "group", "show", "tech").stdout)
        self.erms("admin", "user", "disable", uid)
        self.assertTrue(self.admin.get("/api/v1/users/%s" % uid).body["disabled"])
        # Bad input: the login taken (409), a bad --admin, no password, a
        # user named by login, a group that does not exist.
        err = self.erms("admin", "user", "add", "--login", "zhangsan", "--name", "x",
                        stdin=PASSWORD + "\n", code=1).stderr
        self.assertIn("409", err)
        self.erms("admin", "user", "edit", uid, "--admin", "maybe", code=2)
        self.erms("admin", "user", "add", "--login", "lisi", "--name", "李四", stdin="",
                  code=2)
        self.erms("admin", "user", "show", "zhangsan", code=2)
        self.assertIn("404", self.erms("admin", "group", "show", "nosuch", code=1).stderr)
        self.erms("staff", "user", "add", "--login", "wangwu", "--name", "王五",
                  stdin=PASSWORD + "\n", code=1)
        self.assertNotIn("wangwu", [x["login"] for x in list_all(self.admin, "/api/v1/users")])

    def test_edit_sends_the_version_it_read(self):
        # A server that answers every request with an object at version 7:
        # the CLI's PATCH names that version in If-Match.
        recv = HttpReceiver()
        self.addCleanup(recv.close)
        recv.set_answer(200, json.dumps({"id": 5, "login": "x", "display_name": "x",
                                         "version": 7}))
        p = erms_env("user", "edit", "5", "--phone", "13800000009", "--server",
                     recv.url("").rstrip("/"), "--token", "t")
        self.assertEqual(p.returncode, 0, p.stderr)
        reqs = recv.received()
        self.assertEqual([r.method for r in reqs], ["GET", "PATCH"])
        self.assertEqual(reqs[1].headers.get("if-match"), '"7"')
        self.assertEqual(json.loads(reqs[1].body), {"phone": "13800000009"})

    # -- the delivery log --------------------------------------------------

    def test_notifications_list_and_retry(self):
        robot = HttpReceiver()
        self.addCleanup(robot.close)
        robot.set_answer(403, '{"message": "robot revoked"}')
        r = self.admin.post("/api/v1/channels", {"name": "失效的机器人", "kind": "webhook",
                                                 "config": {"url": robot.url("/hook"),
                                                            "secret": "x"}})
        self.assertEqual(r.status, 201, r.body)
        chan = r.body["id"]
        self.assertEqual(self.admin.patch("/api/v1/groups/command",
                                          {"channels": [chan]}).status, 200)
        self.addCleanup(self.admin.patch, "/api/v1/groups/command", {"channels": []})
        number = self.report("核心交换机端口闪断")
        wait_until(lambda: [n for n in self.admin.get(
            "/api/v1/notifications?incident=%s&state=failed" % number).body["items"]
            if n["channel_id"] == chan], what="a failed message")
        rows = self.erms("hq", "notification", "list", "--incident", number, "--state",
                         "failed").stdout.splitlines()
        self.assertTrue(rows[0].startswith("ID"), rows)
        self.assertIn("failed", rows[1])
        nid = rows[1].split()[0]
        robot.set_mode("ok")
        out = self.erms("admin", "notification", "retry", nid).stdout
        self.assertIn("pending", out)
        wait_until(lambda: self.admin.get("/api/v1/notifications?incident=%s&state=sent"
                                          % number).body["items"], what="sent again")
        # Bad input: no such message (404), not a number, not allowed (403).
        self.assertIn("404", self.erms("admin", "notification", "retry", "999999",
                                       code=1).stderr)
        self.erms("admin", "notification", "retry", "x", code=2)
        self.erms("hq", "notification", "retry", nid, code=1)
        self.erms("admin", "notification", "list", "--state", "bogus", code=2)

    # -- lists, errors, help ----------------------------------------------

    def test_cursor_and_all_follow_next_cursor(self):
        for i in range(5):
            self.admin.post("/api/v1/users", {"login": "page%d" % i, "display_name": "翻页%d" % i,
                                              "password": PASSWORD})
        total = len(list_all(self.admin, "/api/v1/users"))
        p = self.erms("admin", "user", "list", "--limit", "2")
        first = [line.split()[1] for line in p.stdout.splitlines()[1:]]
        self.assertEqual(len(first), 2)
        self.assertRegex(p.stderr, r"next: --cursor \S+")
        cursor = p.stderr.split("--cursor")[1].split()[0]
        p = self.erms("admin", "user", "list", "--limit", "2", "--cursor", cursor)
        second = [line.split()[1] for line in p.stdout.splitlines()[1:]]
        self.assertEqual(len(second), 2)
        self.assertFalse(set(first) & set(second))
        p = self.erms("admin", "user", "list", "--limit", "2", "--all")
        self.assertEqual(len(p.stdout.splitlines()) - 1, total)
        self.assertNotIn("--cursor", p.stderr)
        data = json.loads(self.erms("admin", "user", "list", "--limit", "2", "--all",
                                    "--json").stdout)
        self.assertEqual(len(data["items"]), total)
        self.assertIsNone(data["next_cursor"])
        data = json.loads(self.erms("admin", "user", "list", "--limit", "2", "--json").stdout)
        self.assertEqual(len(data["items"]), 2)
        self.assertTrue(data["next_cursor"])

    def test_json_errors_are_the_api_error_object(self):
        p = self.erms("staff", "incident", "show", "INC-2099-9999", "--json", code=1)
        self.assertEqual(p.stdout, "")
        err = json.loads(p.stderr)
        self.assertEqual(err["error"]["code"], "not_found")
        p = self.erms("hq", "bulletin", "add", self.report(), "--audience", "public",
                      "--json", code=2)
        err = json.loads(p.stderr)
        self.assertEqual((err["error"]["code"], err["error"]["field"]),
                         ("missing_field", "text"))
        err = json.loads(self.erms("staff", "user", "frobnicate", "--json", code=2).stderr)
        self.assertEqual(err["error"]["code"], "usage")
        err = json.loads(self.erms("hq", "expense", "add", "--amount", "x", "--json",
                                   code=2).stderr)
        self.assertEqual(err["error"]["code"], "invalid")
        p = erms_env("incident", "list", "--json", "--server", "http://127.0.0.1:1")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(json.loads(p.stderr)["error"]["code"], "unreachable")

    def test_sub_command_help(self):
        for env, usage in ((EN, "usage"), (ZH, "用法")):
            p = erms_env("user", "add", "--help", env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(p.stdout.startswith("%s: erms user add --login" % usage), p.stdout)
            self.assertNotIn("disable ID", p.stdout)
            self.assertIn("--cursor", p.stdout)
        self.assertIn("密码从标准输入读取", erms_env("user", "add", "--help", env=ZH).stdout)
        self.assertIn("the password is read from stdin",
                      erms_env("user", "add", "--help").stdout)
        out = erms_env("help", "channel", "attach").stdout
        self.assertTrue(out.startswith("usage: erms channel attach ID GROUP"), out)
        self.assertNotIn("delete ID", out)
        # Existing commands too, from the same help text.
        out = erms_env("incident", "resolve", "--help").stdout
        self.assertTrue(out.startswith("usage: erms incident resolve ID --summary"), out)
        out = erms_env("plan", "approve", "--help").stdout
        self.assertTrue(out.startswith("usage: erms plan submit|approve|publish"), out)
        # A word that is no sub-command: the command's whole help.
        out = erms_env("notification", "nope", "--help").stdout
        self.assertIn("retry ID", out)
        self.assertIn("list", out)
        self.assertIn("bulletin", erms_env("--help").stdout)

    def test_cjk_table_lines_up_by_display_width(self):
        self.admin.post("/api/v1/supplies", {"name": "应急发电机（大型）", "quantity": 3,
                                             "unit": "台", "location": "一号库房"})
        self.admin.post("/api/v1/supplies", {"name": "UPS battery", "quantity": 12,
                                             "unit": "pcs", "location": "Store 2"})
        for env, head in ((EN, ("NAME", "QUANTITY", "MIN", "LOCATION")),
                          (ZH, ("名称", "数量", "最低", "库房"))):
            lines = self.erms("hq", "supply", "list", env=env).stdout.splitlines()
            header = lines[0]
            cols = [width(header[:header.index(h)]) for h in head]
            self.assertEqual(len(lines), 3, lines)
            for line in lines[1:]:
                cells = [c for c in line.split("  ") if c.strip()]
                # Each cell starts at its heading's column, counted in display width.
                starts, pos = [], 0
                for c in line.split("  "):
                    if c.strip():
                        starts.append(pos + (len(c) - len(c.lstrip())))
                    pos += len(c) + 2
                disp = [width(line[:s]) for s in starts]
                self.assertEqual(disp[1:5], cols, (line, cells, disp, cols))
                self.assertEqual(line, line.rstrip())
        group_lines = self.erms("staff", "group", "list").stdout.splitlines()
        kind = width(group_lines[0][:group_lines[0].index("KIND")])
        for line in group_lines[1:]:
            self.assertEqual(width(line[:line.rindex("  ") + 2]), kind, line)

    def test_zh_errors_keep_the_reason(self):
        err = self.erms("admin", "channel", "add", "--name", "x", "--kind", "pager",
                        "--set", "url=https://x.example.org/", env=ZH, code=2).stderr
        self.assertIn("无效", err)
        self.assertIn("kind is email, webhook", err)
        # The API says so itself, in Chinese with the detail kept.
        r = self.c["hq"].req("POST", "/api/v1/expenses", {"amount_cents": 5, "purpose": "x",
                                                          "incident": "INC-2099-0001"},
                             headers={"Accept-Language": "zh-CN"})
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.body["error"]["message"], "输入无效：no incident 'INC-2099-0001'")
        r = self.admin.req("PUT", "/api/v1/groups/tech/members/%d" % self.ids["staff"],
                           {"role": "x" * 40}, headers={"Accept-Language": "zh-CN"})
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(r.body["error"]["message"], "字段“role”的值无效：长度不符合要求")
        r = self.c["hq"].req("POST", "/api/v1/incidents", {"category": "hardware-failure"},
                             headers={"Accept-Language": "zh-CN"})
        self.assertEqual(r.body["error"]["message"], "缺少必填字段“title”")


class Demo(unittest.TestCase):
    """`erms demo` reaches somebody: groups with members and a person on
    duty, an e-mail channel, and the demo incidents' messages in the
    delivery log and in the (local) mail server's inbox."""

    def test_demo_reaches_somebody(self):
        smtp = SmtpReceiver()
        self.addCleanup(smtp.close)
        d = tempfile.mkdtemp(prefix="erms-demo-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        port_file = os.path.join(d, "port")
        log = open(os.path.join(d, "stderr.log"), "wb")
        proc = subprocess.Popen(
            [erms_bin(), "demo", "--data", os.path.join(d, "data"), "--listen",
             "127.0.0.1:0", "--port-file", port_file, "--smtp", "127.0.0.1:%d" % smtp.port],
            stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        try:
            def read_port():
                if not os.path.exists(port_file):
                    return None
                with open(port_file) as f:
                    return f.read().strip()

            port = int(wait_until(read_port, timeout=60, what="the demo's port"))
            server = "http://127.0.0.1:%d" % port
            p = erms_env("login", "admin", "--server", server, stdin="erms-demo\n")
            self.assertEqual(p.returncode, 0, p.stderr)
            tok = p.stdout.strip()

            def cli(*args):
                p = erms_env(*args, "--server", server, "--token", tok)
                self.assertEqual(p.returncode, 0, p.stderr)
                return p.stdout

            for key in ("leadership", "command", "tech", "comms", "logistics"):
                g = json.loads(cli("group", "show", key, "--json"))
                self.assertGreaterEqual(len(g["members"]), 2, g)
                on = json.loads(cli("duty", "on-duty", key, "--json"))
                self.assertIsNotNone(on["on_duty"], on)
                self.assertIn(on["on_duty"]["user_id"], [m["user_id"] for m in g["members"]])
            users = json.loads(cli("user", "list", "--all", "--json"))["items"]
            self.assertTrue(all(u["email"] and u["phone"] for u in users), users)
            # Where the README says: the delivery log (console: Admin > Delivery
            # log; CLI: erms notification list), and the mail catcher.
            listed = json.loads(cli("incident", "list", "--all", "--json"))["items"]
            # The duty to report: one obligation reported on time, one due.
            regs = sorted(i["regulatory"]["status"] for i in listed
                          if i["regulatory"]["required"])
            self.assertEqual(regs, ["due", "reported"], regs)
            # The organisation they are reported for, and to whom.
            req = urllib.request.Request(server + "/api/v1/organisation",
                                         headers={"Authorization": "Bearer " + tok})
            with urllib.request.urlopen(req, timeout=30) as r:
                org = json.loads(r.read())
            self.assertTrue(org["name"], org)
            self.assertEqual([g["name"] for g in org["regulators"]],
                             ["省委网信办", "市公安局网安支队"], org)
            first = listed[-1]["number"]
            sent = wait_until(lambda: [n for n in json.loads(cli(
                "notification", "list", "--incident", first, "--json"))["items"]
                if n["state"] == "sent"], timeout=60, what="the demo's messages sent")
            self.assertTrue(any(n["recipient"].endswith("@example.org") for n in sent), sent)
            mails = wait_until(lambda: [m for m, msg in smtp.received()
                                        if first in str(msg["Subject"])],
                               timeout=60, what="a demo message in the inbox")
            self.assertTrue(mails)
            self.assertIn(first, cli("notification", "list", "--incident", first))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        with open(os.path.join(d, "stderr.log"), errors="replace") as f:
            text = f.read()
        self.assertEqual(proc.returncode, 0, text[-3000:])
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, text)


if __name__ == "__main__":
    unittest.main()
