"""Receivers for the notification tests: a small threaded HTTP receiver and
a real SMTP server (Debian's python3-aiosmtpd), both on 127.0.0.1 and a
port chosen by the kernel, and `use_debian_python()`, which re-executes the
test module under /usr/bin/python3 when the Debian packages it needs cannot
be imported (the python3 on PATH may be pyenv's).

HttpReceiver records every request (method, path with its query, headers
with lower-case names, raw body) as it arrives, before answering, and
answers according to its mode:
    "ok"    200 {"errcode": 0, "errmsg": "ok", "code": 0}
    "fail"  500
    "busy"  429 with Retry-After: <retry_after> (seconds)
    "hang"  holds the answer until release() (then 200)
down() stops listening on the port (connections are refused: the port
stays bound, so that nobody else takes it) and up() listens again on the
same port.

SmtpReceiver keeps each message as (mail_from, rcpt_tos, raw bytes) and
parses it with the email module (policy=default) on request.
"""

import email
import email.policy
import os
import socket
import sys
import threading
import time
from collections import namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEBIAN_PYTHON = "/usr/bin/python3"


def use_debian_python(*modules):
    """Import modules; if one is missing, run this program again under
    /usr/bin/python3 (where apt's python3-* packages live), once."""
    try:
        for m in modules:
            __import__(m)
        return
    except ImportError as e:
        missing = e
    if os.environ.get("ERMS_TEST_REEXEC") or not os.access(DEBIAN_PYTHON, os.X_OK) \
            or os.path.realpath(sys.executable) == os.path.realpath(DEBIAN_PYTHON):
        raise ImportError("%s (install with: apt-get install -y python3-aiosmtpd "
                          "python3-icalendar)" % missing)
    os.environ["ERMS_TEST_REEXEC"] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(sys.argv[0]), *sys.argv[1:]])


def wait_until(fn, timeout=15.0, interval=0.05, what="the condition"):
    """Poll fn() until it returns something true; returns it, or fails
    (AssertionError naming `what` and the last value) after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError("%s did not happen within %gs (last: %r)"
                                 % (what, timeout, last))
        time.sleep(interval)


Request = namedtuple("Request", "method path headers body at")
Request.__doc__ = "One request received: headers have lower-case names, body is bytes."


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # erms may be killed mid-request: nothing to report


class _Handler(BaseHTTPRequestHandler):
    # One request per connection, so that down() leaves no open connection
    # (a client's kept-alive connection would still be served).
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def _any(self):
        recv = self.server.receiver
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        req = Request(self.command, self.path,
                      {k.lower(): v for k, v in self.headers.items()}, body,
                      time.time())
        with recv.lock:
            recv.requests.append(req)
            mode = recv.mode
            release = recv._release
        if mode == "hang":
            release.wait(60)
        if mode == "answer":  # a vendor's own answer, set by set_answer()
            status, body, ctype = recv.answer
            self._answer(status, body, ctype=ctype)
        elif mode == "fail":
            self._answer(500, b'{"errcode": 500, "errmsg": "receiver failing"}')
        elif mode == "busy":
            self._answer(429, b'{"errcode": 130101, "errmsg": "send too fast"}',
                         {"Retry-After": str(recv.retry_after)})
        elif self.path.startswith("/services/") or "slack" in self.path:
            self._answer(200, b"ok", ctype="text/plain")  # Slack's success
        else:  # DingTalk's and WeCom's success, and Feishu's
            self._answer(200, b'{"errcode": 0, "errmsg": "ok", "code": 0}')

    def _answer(self, status, payload, headers=None, ctype="application/json"):
        try:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass

    do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _any


class HttpReceiver:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.mode = "ok"
        self.retry_after = 1
        self._release = threading.Event()
        self._srv = None
        self._thread = None
        self.port = None
        self._bind(0)
        self.up()

    def _bind(self, port):
        srv = _Server(("127.0.0.1", port), _Handler, bind_and_activate=False)
        srv.receiver = self
        try:
            srv.server_bind()
        except OSError:
            srv.server_close()
            raise
        self._srv = srv
        self.port = srv.server_address[1]

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    # -- switches -----------------------------------------------------------

    def up(self):
        """Listen (again) on the port."""
        if self._thread is not None:
            return
        self._srv.server_activate()
        self._thread = threading.Thread(target=self._srv.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def down(self):
        """Stop listening: connections to the port are refused until up()."""
        if self._thread is None:
            return
        self._srv.shutdown()
        self._thread.join()
        self._thread = None
        port = self.port
        self._srv.server_close()
        for _ in range(100):
            try:
                self._bind(port)
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("cannot bind port %d again" % port)

    def set_answer(self, status, body, ctype="application/json"):
        """Answer every request with this status and body (bytes or str),
        as a vendor does: e.g. 200 and {"errcode":310000,...}."""
        with self.lock:
            self.answer = (status, body.encode() if isinstance(body, str) else body, ctype)
            self.mode = "answer"

    def set_mode(self, mode):
        assert mode in ("ok", "fail", "busy", "hang"), mode
        with self.lock:
            if mode == "hang":
                self._release = threading.Event()
            self.mode = mode

    def release(self):
        """Answer the held requests and go back to "ok"."""
        with self.lock:
            self.mode = "ok"
            self._release.set()

    def close(self):
        self.release()
        if self._thread is not None:
            self._srv.shutdown()
            self._thread.join()
            self._thread = None
        self._srv.server_close()

    # -- what came ----------------------------------------------------------

    def received(self, pred=None):
        with self.lock:
            reqs = list(self.requests)
        return [r for r in reqs if pred is None or pred(r)]

    def clear(self):
        with self.lock:
            self.requests.clear()


Mail = namedtuple("Mail", "mail_from rcpt_tos raw ehlo")


class SmtpReceiver:
    """A real SMTP server (aiosmtpd) on 127.0.0.1."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with receiver.lock:
                    receiver.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos),
                                               bytes(envelope.original_content
                                                     or envelope.content),
                                               session.host_name))
                return "250 OK"

        self.lock = threading.Lock()
        self.mails = []
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def received(self, rcpt=None):
        """[(Mail, email.message.EmailMessage)], optionally only to rcpt."""
        with self.lock:
            mails = list(self.mails)
        out = []
        for m in mails:
            if rcpt is not None and rcpt not in m.rcpt_tos:
                continue
            out.append((m, email.message_from_bytes(m.raw, policy=email.policy.default)))
        return out

    def close(self):
        self.controller.stop()
