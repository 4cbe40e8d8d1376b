"""HTTP robustness on raw sockets: keep-alive and pipelining, chunked
bodies, malformed request lines, oversized headers, URLs and Content-Length
values each get a 4xx (never a 5xx or a crash), and the server stays healthy
and stops cleanly afterwards, also promptly after clients hung up in the
middle of a request body.
"""

import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase  # noqa: E402


class Http(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = cls.server.admin().bearer.encode()

    def exchange(self, data, timeout=10):
        """Send raw bytes; return everything the server sends until it closes."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            out = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    out += chunk
            except ConnectionResetError:
                pass
        return out

    def status_of(self, answer):
        line = answer.split(b"\r\n", 1)[0]
        self.assertTrue(line.startswith(b"HTTP/1."), answer[:200])
        return int(line.split()[1])

    def assertHealthy(self):
        self.assertEqual(self.server.client().get("/healthz").status, 200)

    def post_tokens(self, extra_headers, body):
        return (b"POST /api/v1/tokens HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + self.token +
                b"\r\nContent-Type: application/json\r\n" + extra_headers +
                b"Connection: close\r\n\r\n" + body)

    def test_pipelined_keep_alive(self):
        req = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
        last = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        out = self.exchange(req * 4 + last)
        self.assertEqual(out.count(b"HTTP/1.1 200"), 5, out[:500])

    def test_http10(self):
        self.assertEqual(self.status_of(self.exchange(b"GET /healthz HTTP/1.0\r\n\r\n")), 200)

    def test_chunked_body(self):
        body = b'{"name":"chunked"}'
        out = self.exchange(self.post_tokens(
            b"Transfer-Encoding: chunked\r\n",
            b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)))
        self.assertEqual(self.status_of(out), 201, out[-300:])

    def test_malformed_requests(self):
        cases = {
            "garbage line": b"GARBAGE\r\n\r\n",
            "header without colon": b"GET /healthz HTTP/1.1\r\nHost t\r\nConnection: close\r\n\r\n",
            "huge header": b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 200000 +
                           b"\r\nConnection: close\r\n\r\n",
            "many headers": b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + b"X-A: b\r\n" * 5000 +
                            b"Connection: close\r\n\r\n",
            "long url": b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            "huge content-length": self.post_tokens(b"Content-Length: 99999999999999999999\r\n", b""),
            "negative content-length": self.post_tokens(b"Content-Length: -5\r\n", b""),
        }
        for name, data in cases.items():
            with self.subTest(name):
                out = self.exchange(data)
                if out:  # closing without an answer is acceptable for garbage
                    self.assertTrue(400 <= self.status_of(out) < 500, out[:300])
                elif name not in ("garbage line", "header without colon"):
                    self.fail("no answer")
                self.assertHealthy()


class ClientGone(ServerTestCase):
    """Clients that hang up in the middle of a body leave nothing behind:
    the server stays healthy and SIGTERM still stops it at once."""

    def test_stop_is_prompt_after_clients_vanish_mid_body(self):
        token = self.server.admin().bearer.encode()
        for _ in range(10):
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
                s.sendall(b"POST /api/v1/tokens HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                          token + b"\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100\r\n\r\n{\"na")
        self.assertEqual(self.server.client().get("/healthz").status, 200)
        t0 = time.monotonic()
        self.server.stop()
        self.assertLess(time.monotonic() - t0, 5.0, "SIGTERM waited for requests whose "
                        "clients are gone (see 'unfinished' in stderr.log)")


if __name__ == "__main__":
    unittest.main()
