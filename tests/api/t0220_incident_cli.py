"""The incident and duty commands of the CLI, as clients of a real server:
report, list (aligned, and --json), show, the steps of the state machine
by the right people, notes, tasks, the review report, clear errors with
the right exit codes; duty rotations and who is on duty."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PLAN_MINIMAL, ServerTestCase, run_erms, setup_org  # noqa: E402



class IncidentCli(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("hq", {"command": "lead"}), ("boss", {"leadership": "lead"}),
                        ("staff", {})), plan=PLAN_MINIMAL, approver="boss")
        cls.tok = {login: cls.c[login].bearer for login in ("hq", "boss", "staff")}

    @classmethod
    def client_for(cls, login):
        c = cls.server.client()
        c.bearer = cls.tok[login]
        return c

    def erms(self, who, *args, code=0):
        p = run_erms(*args, "--server", "http://127.0.0.1:%d" % self.server.port,
                     "--token", self.tok[who])
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        return p

    def test_lifecycle_from_the_command_line(self):
        out = self.erms("staff", "incident", "report", "--title", "网关响应缓慢",
                        "--category", "system-failure", "--impact", "部分用户").stdout
        number = out.split()[0]
        self.assertRegex(number, r"^INC-\d{4}-\d{4}$")
        self.assertIn("reported", out)
        listing = self.erms("staff", "incident", "list").stdout.splitlines()
        self.assertTrue(listing[0].startswith("NUMBER"))
        self.assertIn(number, listing[1])
        # Columns line up: each row's status starts where the heading's does.
        col = listing[0].index("STATUS")
        self.assertTrue(listing[1][col:].startswith("reported"))
        data = json.loads(self.erms("staff", "incident", "list", "--json").stdout)
        self.assertEqual(data["items"][0]["number"], number)
        # The wrong person: 403 and exit 1; an illegal step: 409 and exit 1.
        err = self.erms("staff", "incident", "ack", number, code=1).stderr
        self.assertIn("403", err)
        self.erms("hq", "incident", "ack", number)
        err = self.erms("hq", "incident", "ack", number, code=1).stderr
        self.assertIn("409", err)
        # A missing argument: 400 and exit 2.
        err = self.erms("boss", "incident", "activate", number, code=2).stderr
        self.assertIn("level", err)
        self.assertIn("active", self.erms("boss", "incident", "activate", number,
                                          "--level", "level-1").stdout)
        tasks = self.erms("hq", "incident", "tasks", number).stdout
        self.assertIn("tech", tasks)
        task_id = tasks.splitlines()[1].split()[0]
        self.assertIn("done", self.erms("hq", "incident", "task", task_id,
                                        "--status", "done").stdout)
        self.erms("hq", "incident", "note", number, "已切换备用网关")
        self.assertIn("已切换备用网关", self.erms("staff", "incident", "timeline", number).stdout)
        self.erms("hq", "incident", "resolve", number, "--summary", "已恢复")
        self.erms("boss", "incident", "close", number)
        self.assertIn("reviewed", self.erms(
            "hq", "incident", "review", number, "--cause", "配置错误",
            "--lessons", "变更前评审", "--action-item", "补充变更检查单@tech").stdout)
        doc = self.erms("staff", "incident", "report-doc", number, "--lang", "en").stdout
        self.assertIn("report → acknowledged", doc)
        self.assertIn("Cause", doc)
        self.assertIn("show", run_erms("incident", "--help").stdout)

    def test_usage_errors(self):
        p = run_erms("incident", "frobnicate")
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage", p.stderr.lower())

    def test_duty_from_the_command_line(self):
        out = self.erms("hq", "duty", "add", "command", "--name", "主值班",
                        "--members", "%d,%d" % (self.ids["hq"], self.ids["boss"]),
                        "--shift-minutes", "720", "--start", "2026-01-01T00:00:00Z").stdout
        self.assertIn("rotation", out.lower() + "轮值表")
        on = self.erms("staff", "duty", "on-duty", "command", "--at",
                       "2026-01-01T13:00:00Z").stdout
        self.assertIn("boss", on)
        self.assertIn("主值班", self.erms("staff", "duty", "rotations", "command").stdout)
        self.erms("staff", "duty", "add", "command", "--name", "x", "--members", "1",
                  "--shift-minutes", "60", "--start", "2026-01-01T00:00:00Z", code=1)


if __name__ == "__main__":
    unittest.main()
