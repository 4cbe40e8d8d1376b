"""The server's life: `erms demo` serves the sample plan and the sign-in
page and reuses its database; slow clients are cut off after --timeout;
SIGTERM lets writes in flight finish, loses none that were acknowledged,
and exits 0; every command answers `help X` and `X --help`.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (SANITIZER_MARKS, Server, ServerTestCase, erms_bin,  # noqa: E402
                     list_all, run_erms)


def wait_port(path, proc, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("exited early with %d" % proc.returncode)
        try:
            with open(path) as f:
                text = f.read().strip()
            if text:
                return int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise AssertionError("no port file")


def call(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    raw = r.read()
    c.close()
    ctype = r.getheader("Content-Type", "")
    return r.status, json.loads(raw) if ctype.startswith("application/json") else raw.decode()


class Demo(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="erms-demo-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_demo(self):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        err = open(os.path.join(self.dir, "stderr.log"), "wb")
        proc = subprocess.Popen(
            [erms_bin(), "demo", "--data", os.path.join(self.dir, "data"),
             "--listen", "127.0.0.1:0", "--port-file", port_file],
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True)
        err.close()
        try:
            port = wait_port(port_file, proc)
            self.check_demo(port)
        finally:
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=30)
        with open(os.path.join(self.dir, "stderr.log"), errors="replace") as f:
            log = f.read()
        self.assertEqual(proc.returncode, 0, log[-3000:])
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, log)
        self.assertIn("http://127.0.0.1:%d/" % port, out)
        for login in ("admin", "leader", "commander", "staff"):
            self.assertIn(login, out)
        self.assertIn("erms-demo", out)
        return port

    def check_demo(self, port):
        status, health = call(port, "GET", "/healthz")
        self.assertEqual((status, health["status"]), (200, "ok"))
        status, page = call(port, "GET", "/")
        self.assertEqual(status, 200)
        self.assertIn("<form", page)
        self.assertIn("password", page)
        status, s = call(port, "POST", "/api/v1/session",
                         {"login": "staff", "password": "erms-demo"})
        self.assertEqual(status, 200, s)
        # The sample plan is in force, in both languages.
        status, body = self.with_cookie(port, "staff", "/api/v1/plans/current")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "published")
        self.assertEqual(body["name"].keys(), {"zh-CN", "en"})
        self.assertEqual(len(body["content"]["categories"]), 7)
        self.assertEqual(len(body["content"]["levels"]), 3)

    def with_cookie(self, port, login, path):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/api/v1/session",
                  body=json.dumps({"login": login, "password": "erms-demo"}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        c.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "en"})
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        return r.status, body

    def test_demo_serves_and_reuses_its_database(self):
        self.run_demo()
        self.run_demo()	# same folder: no duplicate users, plan not republished
        db = os.path.join(self.dir, "data", "erms.db")
        p = subprocess.run(["sqlite3", db, "select count(*) from users;"
                            " select count(*) from plan_version;"],
                           capture_output=True, text=True)
        self.assertEqual(p.stdout.split(), ["14", "1"], p.stderr)
        self.assertEqual(run_erms("audit", "verify", "--db", db).returncode, 0)


class SlowClients(ServerTestCase):
    server_args = ("--timeout", "1")

    def test_idle_half_request_is_cut_off(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")	# never finished
        start = time.monotonic()
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
        waited = time.monotonic() - start
        s.close()
        self.assertEqual(data, b"")
        self.assertLess(waited, 5)
        # Others are still served.
        self.assertEqual(call(self.server.port, "GET", "/healthz")[0], 200)


class GracefulStop(unittest.TestCase):
    def test_sigterm_finishes_writes_in_flight(self):
        server = Server()
        try:
            admin = server.admin()
            token = admin.bearer
            port = server.port
            results, lock = [], threading.Lock()
            stop = threading.Event()

            def writer(i):
                n = 0
                while not stop.is_set():
                    try:
                        status, _ = call(port, "POST", "/api/v1/tokens",
                                         {"name": "w%d-%d" % (i, n)},
                                         {"Authorization": "Bearer " + token})
                    except (OSError, http.client.HTTPException):
                        return	# the server stopped listening
                    with lock:
                        results.append(status)
                    n += 1

            threads = [threading.Thread(target=writer, args=(i,)) for i in range(12)]
            for t in threads:
                t.start()
            time.sleep(0.5)
            server.stop()	# SIGTERM; fails unless exit 0 and clean
            stop.set()
            for t in threads:
                t.join(30)
            self.assertTrue(results)
            self.assertEqual(set(results), {201}, "only 201s, never an error")
            server.start()
            tokens = list_all(server.admin(), "/api/v1/tokens?all=1")
            names = [t["name"] for t in tokens if t["name"].startswith("w")]
            self.assertEqual(len(names), len(results),
                             "every acknowledged write survived the stop")
        finally:
            server.stop()
            server.cleanup()


class StartFailure(unittest.TestCase):
    def test_unwritable_port_file_fails_cleanly(self):
        """A port file that cannot be written stops the start with a clear
        message and exit 1, and leaves nothing running (no sanitizer
        report of a ticker or a hook on a freed server)."""
        d = tempfile.mkdtemp(prefix="erms-start-")
        try:
            db = os.path.join(d, "erms.db")
            r = run_erms("init", "--db", db, "--admin", "admin",
                         stdin="start-failure-pass-1\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = run_erms("serve", "--listen", "127.0.0.1:0", "--db", db,
                         "--port-file", os.path.join(d, "missing", "port"),
                         timeout=30)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("cannot write port file", r.stderr)
            for mark in SANITIZER_MARKS:
                self.assertNotIn(mark, r.stderr)
        finally:
            shutil.rmtree(d, ignore_errors=True)


class Help(unittest.TestCase):
    def test_every_command_has_help(self):
        r = run_erms("help")
        self.assertEqual(r.returncode, 0)
        cmds = re.findall(r"^  (\w+)\s", r.stdout, re.M)
        self.assertGreaterEqual(len(cmds), 10)
        for cmd in cmds:
            for args in (("help", cmd), (cmd, "--help")):
                with self.subTest(args=args):
                    p = run_erms(*args)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertIn("usage: erms %s" % cmd, p.stdout)
        zh = subprocess.run([erms_bin(), "help"], capture_output=True, text=True,
                            env={**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": ""})
        self.assertIn("命令", zh.stdout)


if __name__ == "__main__":
    unittest.main()
