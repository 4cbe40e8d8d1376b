"""The transport's guard rails: log lines that a request cannot forge, an
access line naming the address and the user, Secure cookies and HSTS over
https, /metrics restricted by token or address, and slow clients that
cannot take the server offline (per-address limit, a total deadline for a
request to arrive, a connection cap answered with 503 while /healthz
still answers).
"""

import os
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN_LOGIN, ADMIN_PASSWORD, Server,  # noqa: E402
                     ServerTestCase)


def log_of(server):
    with open(server.stderr_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def raw_get(port, path, source="127.0.0.1", timeout=5):
    """One GET on a fresh connection from source; returns (status, text)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                  source_address=(source, 0)) as s:
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                  b"Connection: close\r\n\r\n")
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    head = out.split(b"\r\n", 1)[0].decode()
    return int(head.split()[1]), out.decode("utf-8", "replace")


def slow_conns(port, n, source):
    """n connections from source that send half a request line and wait."""
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5,
                                         source_address=(source, 0))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            socks.append(s)
        except OSError:
            break
    return socks


def closed_by_server(s, within):
    """True when the server ends s (EOF or reset) within `within` seconds."""
    s.settimeout(within)
    try:
        while True:
            if not s.recv(4096):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class Logs(ServerTestCase):
    def test_control_characters_cannot_forge_a_line(self):
        c = self.server.client()
        r = c.get("/x%0Alevel=error%20mod=forged%0D%0A%1B[31m")
        self.assertEqual(r.status, 404)
        r = c.get('/y%22%20level=error%20x=%22')
        self.assertEqual(r.status, 404)
        time.sleep(0.2)
        lines = log_of(self.server).splitlines()
        self.assertFalse([l for l in lines if l.startswith("level=error") or "mod=forged" in l
                          and not l.startswith("ts=")], lines[-5:])
        self.assertTrue(all(l.startswith("ts=") for l in lines if l.strip()),
                        [l for l in lines if not l.startswith("ts=")][:3])
        hit = [l for l in lines if "mod=forged" in l]
        self.assertEqual(len(hit), 1, lines[-5:])
        self.assertIn('path="/x\\nlevel=error mod=forged\\r\\n\\x1b[31m"', hit[0])
        quoted = [l for l in lines if "/y" in l and "level=info" in l]
        self.assertTrue(quoted and '\\" level=error x=\\"' in quoted[-1], quoted)

    def test_access_line_names_address_and_user(self):
        admin = self.server.admin()
        self.assertEqual(admin.get("/api/v1/me").status, 200)
        self.server.client().get("/healthz")
        time.sleep(0.2)
        lines = [l for l in log_of(self.server).splitlines() if "status=" in l]
        me = [l for l in lines if 'path="/api/v1/me"' in l]
        self.assertTrue(me and "addr=127.0.0.1" in me[-1] and
                        'user="%s"' % ADMIN_LOGIN in me[-1], me)
        anon = [l for l in lines if 'path="/healthz"' in l]
        self.assertTrue(anon and 'user="-"' in anon[-1], anon)


class CookiesPlain(ServerTestCase):
    def test_no_secure_no_hsts_over_http(self):
        c = self.server.client()
        r = c.req("POST", "/api/v1/session", {"login": ADMIN_LOGIN,
                                               "password": ADMIN_PASSWORD})
        self.assertEqual(r.status, 200)
        self.assertNotIn("Secure", r.headers.get("set-cookie", ""))
        self.assertNotIn("strict-transport-security", r.headers)


class CookiesHttps(ServerTestCase):
    server_args = ("--public-url", "https://erms.example.org")

    def test_secure_cookie_and_hsts(self):
        c = self.server.client()
        r = c.login(ADMIN_LOGIN, ADMIN_PASSWORD)
        cookie = r.headers.get("set-cookie", "")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("Secure", cookie)
        self.assertIn("max-age=", r.headers.get("strict-transport-security", ""))
        self.assertIn("max-age=", c.get("/healthz").headers.get("strict-transport-security", ""))
        r = c.delete("/api/v1/session")
        self.assertEqual(r.status, 204)
        self.assertIn("Secure", r.headers.get("set-cookie", ""))


class CookiesProxy(ServerTestCase):
    server_args = ("--tls-proxy",)

    def test_forced_behind_a_tls_proxy(self):
        r = self.server.client().req("POST", "/api/v1/session",
                                     {"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
        self.assertEqual(r.status, 200)
        self.assertIn("Secure", r.headers.get("set-cookie", ""))
        self.assertIn("strict-transport-security", r.headers)


class MetricsOpen(ServerTestCase):
    def test_open_by_default(self):
        self.assertEqual(self.server.client().get("/metrics").status, 200)


class MetricsRestricted(ServerTestCase):
    server_args = ("--metrics-token", "scrape-secret-1", "--metrics-allow", "127.0.0.1/32,::1")

    def test_token_required(self):
        c = self.server.client()
        self.assertError(c.get("/metrics"), 403, "forbidden")
        self.assertError(c.get("/metrics", headers={"Authorization": "Bearer wrong"}),
                         403, "forbidden")
        r = c.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
        self.assertEqual(r.status, 200)
        self.assertIn("erms_http_requests_total", r.body)

    def test_address_outside_the_list(self):
        s, _ = raw_get(self.server.port, "/metrics", source="127.0.0.2")
        self.assertEqual(s, 403)

    def test_bad_list_is_refused_at_start(self):
        from harness import run_erms
        r = run_erms("serve", *self.server.db_args, "--metrics-allow", "10.0.0.0/99")
        self.assertNotEqual(r.returncode, 0)


class SlowClients(ServerTestCase):
    server_args = ("--request-timeout", "2", "--per-ip-connections", "40",
                   "--max-connections", "100")

    def test_one_address_cannot_take_healthz_offline(self):
        socks = slow_conns(self.server.port, 300, "127.0.0.2")
        try:
            t0 = time.monotonic()
            status, _ = raw_get(self.server.port, "/healthz")
            self.assertEqual(status, 200)
            self.assertLess(time.monotonic() - t0, 5)
            # beyond the per-address limit the server hung up at once
            alive = [s for s in socks if not closed_by_server(s, 0.05)]
            self.assertLessEqual(len(alive), 40)
        finally:
            for s in socks:
                s.close()

    def test_a_trickling_request_is_cut_at_the_deadline(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        stop = threading.Event()

        def trickle():
            try:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                while not stop.is_set():
                    s.sendall(b"X-a: b\r\n")  # a byte now and then: never idle
                    time.sleep(0.3)
            except OSError:
                pass

        th = threading.Thread(target=trickle)
        th.start()
        try:
            t0 = time.monotonic()
            self.assertTrue(closed_by_server(s, 8), "still open after 8 s")
            self.assertGreater(time.monotonic() - t0, 1.5)
        finally:
            stop.set()
            th.join()
            s.close()

    def test_keep_alive_requests_are_not_cut(self):
        """The deadline runs per request, from the end of the previous
        answer: five prompt requests on one connection spread over more
        than the deadline (and the reaper's one-second tick) are all
        answered."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            f = s.makefile("rb")
            for _ in range(5):
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(b" 200 ", f.readline())
                length = 0
                while True:
                    line = f.readline()
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                    if line in (b"\r\n", b""):
                        break
                f.read(length)
                time.sleep(0.9)


class ConnectionCap(ServerTestCase):
    server_args = ("--max-connections", "30", "--per-ip-connections", "0",
                   "--request-timeout", "20")

    def test_over_the_cap_503_and_healthz_answers(self):
        socks = slow_conns(self.server.port, 40, "127.0.0.2")
        try:
            time.sleep(0.2)
            status, body = raw_get(self.server.port, "/api/v1/openapi.json")
            self.assertEqual(status, 503, body[:300])
            self.assertIn("Retry-After", body)
            status, _ = raw_get(self.server.port, "/healthz")
            self.assertEqual(status, 200)
        finally:
            for s in socks:
                s.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if raw_get(self.server.port, "/api/v1/openapi.json")[0] == 200:
                break
            time.sleep(0.1)
        else:
            self.fail("still refusing after the slow connections closed")


if __name__ == "__main__":
    unittest.main()
