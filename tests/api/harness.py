"""Helpers for the erms black-box HTTP API tests.

Server  runs `$ERMS_BIN init` then `$ERMS_BIN serve` on a fresh database in a
        temporary directory, on 127.0.0.1 and a port chosen by the kernel.
Client  speaks HTTP/JSON to it, keeping the session cookie, the CSRF token and
        an optional bearer token.
ServerTestCase
        a unittest.TestCase that starts one Server per test class and stops it
        (failing on a non-zero exit or a sanitizer report) at the end.
setup_org
        the organisation most test classes start from: groups, users with
        their memberships and signed-in clients, and a published plan.

Only the standard library is used. `ERMS_BIN` (the erms binary) must be set
in the environment; `ERMS_KEEP=1` keeps the temporary directories (and
the databases on a PostgreSQL server).

The engine: without `ERMS_TEST_POSTGRES_URL` each Server has an SQLite file
in its directory. With it (a server's URL, e.g.
postgres://postgres@127.0.0.1:5432/postgres, as `scripts/pg.sh start DIR`
prints) each Server has a fresh database of its own on that server
(erms_<pid>_<n>, dropped at cleanup) and a key file in its directory, which
a URL needs (`--key`). Either way `server.db` is the --db argument,
`server.db_args` the --db and --key arguments for an erms command,
`server.engine` 'sqlite' or 'postgres', and `server.sql(query, *params)`
runs SQL on the database with the same output on both engines.
"""

import atexit
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.parse
from collections import namedtuple

ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin-pass-1"
PASSWORD = "password-123"  # for the users the tests create

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

Response = namedtuple("Response", "status headers body")
Response.__doc__ = """(status, headers with lower-case names, parsed JSON or text or None)"""


def erms_bin():
    """The erms binary from $ERMS_BIN, as an absolute path."""
    path = os.environ.get("ERMS_BIN")
    if not path:
        raise RuntimeError("set ERMS_BIN to the erms binary, e.g. ERMS_BIN=build/erms")
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        raise RuntimeError("ERMS_BIN=%s is not an executable file" % path)
    return path


def run_erms(*args, stdin=None, timeout=60):
    """Run `erms ARGS`; returns subprocess.CompletedProcess (text mode)."""
    return subprocess.run([erms_bin(), *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout)


def sqlite3_shell(db, *sql, timeout=30):
    """Run the `sqlite3` command-line shell on db; returns CompletedProcess."""
    return subprocess.run(["sqlite3", db, *sql], capture_output=True, text=True,
                          timeout=timeout)


def postgres_url():
    """$ERMS_TEST_POSTGRES_URL (a PostgreSQL server's URL), or None: SQLite."""
    return os.environ.get("ERMS_TEST_POSTGRES_URL") or None


def database_url(server_url, name):
    """server_url with its database name replaced by name."""
    u = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


def psql(url, *args, stdin=None, timeout=60):
    """Run `psql` on url (unaligned, tuples only, stopping at the first
    error, no ~/.psqlrc); returns CompletedProcess (text mode)."""
    return subprocess.run(["psql", "-X", "-At", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def sql_literal(v):
    """v as an SQL literal the same on SQLite and PostgreSQL."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def sql_bind(query, params):
    """query with each ? outside quotes replaced by the next of params as a
    literal (the tests' SQL is written by the tests, not by users)."""
    out, rest, quote = [], list(params), None
    for ch in query:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            if not rest:
                raise ValueError("too few parameters for %r" % query)
            out.append(sql_literal(rest.pop(0)))
            continue
        out.append(ch)
    if rest:
        raise ValueError("too many parameters for %r" % query)
    return "".join(out)


# The key file of each database URL the harness made (a second node on
# the same database finds it here).
_keys = {}
_db_counter = [0]


def tail(path, lines=40):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


_live_servers = set()


@atexit.register
def _kill_leftovers():
    for s in list(_live_servers):
        s.kill9()
        s.cleanup()


class Server:
    """One erms server on a fresh database in its own temporary directory."""

    def __init__(self, extra_args=(), admin=ADMIN_LOGIN, admin_password=ADMIN_PASSWORD,
                 allow_private=True):
        self.extra_args = list(extra_args)
        self.allow_private = allow_private
        self.dir = tempfile.mkdtemp(prefix="erms-test-")
        self.db = os.path.join(self.dir, "erms.db")
        self._owns_db = False
        if postgres_url():
            _db_counter[0] += 1
            self.db = database_url(postgres_url(), "erms_%d_%d" % (os.getpid(), _db_counter[0]))
            _keys[self.db] = os.path.join(self.dir, "erms.key")
            self._owns_db = True  # init creates it; cleanup drops it
        self.port_file = os.path.join(self.dir, "port")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None
        self._admin = None
        r = run_erms("init", *self.db_args, "--admin", admin,
                     stdin=admin_password + "\n")
        if r.returncode != 0:
            self.cleanup()
            raise AssertionError("erms init failed (exit %d):\n%s%s"
                                 % (r.returncode, r.stdout, r.stderr))
        _live_servers.add(self)
        self.start()

    # -- life cycle ---------------------------------------------------------

    def start(self, timeout=10.0):
        """Start `erms serve` and wait until /healthz answers 200."""
        assert self.proc is None, "server already running"
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        # The receivers of the tests listen on loopback: allow it.
        cmd = [erms_bin(), "serve", "--listen", "127.0.0.1:0", *self.db_args,
               "--port-file", self.port_file, *self.extra_args]
        if self.allow_private:
            cmd.append("--allow-private-webhooks")
        # The year-end drill warning follows the real date: off unless a
        # test asks for it, so no test depends on the day it runs.
        if "--drill-warn-days" not in self.extra_args:
            cmd += ["--drill-warn-days", "0"]
        with open(self.stderr_path, "ab") as err, \
                open(os.path.join(self.dir, "stdout.log"), "ab") as out:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout
        self.port = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self.proc = None
                raise AssertionError("erms serve exited with %d at start:\n%s"
                                     % (rc, tail(self.stderr_path)))
            if self.port is None:
                self.port = self._read_port()
            if self.port is not None and self._healthy():
                return
            time.sleep(0.02)
        self.kill9()
        raise AssertionError("erms serve not ready within %gs (port file %s):\n%s"
                             % (timeout, "read" if self.port else "missing or empty",
                                tail(self.stderr_path)))

    def _read_port(self):
        try:
            with open(self.port_file) as f:
                text = f.read()
        except OSError:
            return None
        if not text.endswith("\n") and not text.strip().isdigit():
            return None
        try:
            return int(text.strip())
        except ValueError:
            return None

    def _healthy(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/healthz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def stop(self, timeout=20.0):
        """SIGTERM; fail unless the server exits 0 within timeout with a clean stderr."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError("erms serve did not exit within %gs of SIGTERM:\n%s"
                                 % (timeout, tail(self.stderr_path)))
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        marks = [m for m in SANITIZER_MARKS if m in log]
        if rc != 0 or marks:
            raise AssertionError("erms serve exit code %d%s; stderr tail:\n%s"
                                 % (rc, ", sanitizer: " + ", ".join(marks) if marks else "",
                                    tail(self.stderr_path, 80)))

    def kill9(self):
        """Crash the server (SIGKILL), for durability tests."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.kill()
        proc.wait()

    def restart(self):
        """Start the server again on the same database (after stop or kill9)."""
        self.start()

    def cleanup(self):
        """Kill the server if still running and remove the temporary
        directory (and the database on a PostgreSQL server)."""
        self.kill9()
        _live_servers.discard(self)
        if os.environ.get("ERMS_KEEP"):
            print("erms test dir kept: %s" % self.dir)
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if getattr(self, "_owns_db", False):
            self._owns_db = False
            name = urllib.parse.urlsplit(self.db).path.lstrip("/")
            psql(postgres_url(), "-c", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)

    # -- the database -------------------------------------------------------

    @property
    def engine(self):
        """'postgres' for a database URL, else 'sqlite'."""
        return "postgres" if str(self.db).startswith(("postgres://", "postgresql://")) else "sqlite"

    @property
    def key(self):
        """The key file the erms commands are given, or None (SQLite's
        default next to the file)."""
        return _keys.get(self.db)

    @property
    def db_args(self):
        """The --db (and for a URL --key) arguments of an erms command."""
        return ["--db", self.db] + (["--key", self.key] if self.key else [])

    def sql_run(self, query, *params, timeout=60):
        """Run SQL (statements separated by ;, ? bound to params) on the
        database with the engine's shell (sqlite3, or psql -At): rows one a
        line, columns separated by |. Returns CompletedProcess."""
        text = sql_bind(query, params) if params else query
        if self.engine == "postgres":
            return psql(self.db, stdin=text + "\n", timeout=timeout)
        return sqlite3_shell(self.db, text, timeout=timeout)

    def dump(self, timeout=60):
        """The whole database as SQL text (sqlite3 .dump, or pg_dump)."""
        if self.engine == "postgres":
            r = subprocess.run(["pg_dump", "--no-owner", "-d", self.db], capture_output=True,
                               text=True, timeout=timeout)
        else:
            r = sqlite3_shell(self.db, ".dump", timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("dump of the %s database failed: %s" % (self.engine, r.stderr))
        return r.stdout

    def sql(self, query, *params, timeout=60):
        """sql_run, failing unless it succeeds; returns its output stripped."""
        r = self.sql_run(query, *params, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("SQL on %s failed (exit %d): %s\n%s"
                                 % (self.engine, r.returncode, query, r.stderr))
        return r.stdout.strip()

    # -- conveniences -------------------------------------------------------

    def client(self):
        return Client(self)

    def admin(self):
        """A Client authenticated as the admin with a bearer token (one sign-in per server)."""
        if self._admin is None:
            self._admin = bearer_client(self, ADMIN_LOGIN, ADMIN_PASSWORD, "test-admin")
        c = Client(self)
        c.bearer = self._admin.bearer
        return c


class Client:
    """HTTP/JSON client: cookie jar, CSRF token and bearer token.

    The port is read from the Server on every request, so a Client keeps
    working after Server.restart().
    """

    def __init__(self, server, timeout=60):
        self.server = server
        self.timeout = timeout
        self.cookies = {}
        self.csrf = None
        self.bearer = None
        self.source = None  # a local address to connect from, e.g. "127.0.0.2"

    def req(self, method, path, body=None, headers=None, raw=None, ctype="application/json"):
        """Send one request; returns Response(status, headers, body).

        body is encoded as JSON, raw (bytes) is sent as is; ctype is the
        Content-Type sent with either (None: no Content-Type). The answer
        body is parsed as JSON when it says so, else returned as text
        (None when empty).
        """
        h = {"Accept": "application/json"}
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None and ctype is not None:
            h["Content-Type"] = ctype
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.csrf and method.upper() in WRITE_METHODS:
            h["X-CSRF-Token"] = self.csrf
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        h.update(headers or {})

        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout,
                                          source_address=(self.source, 0) if self.source else None)
        try:
            try:
                conn.request(method, path, body=data, headers=h)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer (e.g. 413) before reading the whole body
            try:
                resp = conn.getresponse()
            except (ConnectionResetError, http.client.RemoteDisconnected) as e:
                raise AssertionError("%s %s: connection closed without an answer (%s)"
                                     % (method, path, e)) from None
            payload = resp.read()
            headers_out = {}
            for k, v in resp.getheaders():
                k = k.lower()
                headers_out[k] = headers_out[k] + ", " + v if k in headers_out else v
            self._take_cookies(resp.msg.get_all("Set-Cookie") or [])
        finally:
            conn.close()

        parsed = None
        if payload:
            text = payload.decode("utf-8", errors="replace")
            parsed = text
            if "json" in headers_out.get("content-type", ""):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    pass
        return Response(resp.status, headers_out, parsed)

    def _take_cookies(self, set_cookies):
        for sc in set_cookies:
            first, _, attrs = sc.partition(";")
            name, _, value = first.strip().partition("=")
            expired = re.search(r"(?i)max-age\s*=\s*0\b", attrs) or \
                re.search(r"(?i)expires\s*=[^;]*19[67]\d", attrs)
            if not value or expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    # shorthands
    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.req("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.req("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.req("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)

    def login(self, login, password, check=True):
        """POST /api/v1/session; on 200 keeps the cookie and the CSRF token."""
        r = self.post("/api/v1/session", {"login": login, "password": password})
        if r.status == 200:
            self.csrf = r.body["csrf_token"]
        elif check:
            raise AssertionError("sign-in of %r failed: %d %r" % (login, r.status, r.body))
        return r


def bearer_client(server, login, password, token_name="test"):
    """Sign in once, create a token and return a Client using only that bearer token."""
    c = Client(server)
    c.login(login, password)
    r = c.post("/api/v1/tokens", {"name": token_name})
    if r.status != 201:
        raise AssertionError("token creation failed: %d %r" % (r.status, r.body))
    b = Client(server)
    b.bearer = r.body["token"]
    return b


# -- account helpers (the client must be an admin) ----------------------------

def create_user(admin, login, password=PASSWORD, **fields):
    """POST /api/v1/users; returns the user, failing unless 201."""
    body = {"login": login, "display_name": fields.pop("display_name", login),
            "password": password, **fields}
    r = admin.post("/api/v1/users", body)
    if r.status != 201:
        raise AssertionError("create user %r: %d %r" % (login, r.status, r.body))
    return r.body


def create_group(admin, key, kind="team", name=None, duties=None):
    """POST /api/v1/groups; returns the group, failing unless 201."""
    body = {"key": key, "name": name or key, "kind": kind}
    if duties is not None:
        body["duties"] = duties
    r = admin.post("/api/v1/groups", body)
    if r.status != 201:
        raise AssertionError("create group %r: %d %r" % (key, r.status, r.body))
    return r.body


def put_member(admin, key, user_id, role="member"):
    """PUT /api/v1/groups/{key}/members/{user_id}; returns the group, failing unless 200."""
    r = admin.put("/api/v1/groups/%s/members/%d" % (key, user_id), {"role": role})
    if r.status != 200:
        raise AssertionError("put member %d in %r: %d %r" % (user_id, key, r.status, r.body))
    return r.body


def list_all(client, path, limit=500):
    """GET a list route page by page (following next_cursor); returns all items."""
    items, cursor, sep = [], None, "&" if "?" in path else "?"
    for _ in range(10000):
        url = "%s%slimit=%d" % (path, sep, limit)
        if cursor:
            url += "&cursor=" + cursor
        r = client.get(url)
        if r.status != 200:
            raise AssertionError("GET %s: %d %r" % (url, r.status, r.body))
        items += r.body["items"]
        cursor = r.body.get("next_cursor")
        if not cursor:
            return items
    raise AssertionError("GET %s: pagination does not end" % path)


# -- the organisation of a test class ------------------------------------------

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PLAN_SAMPLE = os.path.join(ROOT, "examples", "plans", "new-system.zh-CN.yaml")
PLAN_MINIMAL = os.path.join(ROOT, "tests", "data", "plan-minimal.yaml")
# The two groups every plan's steps need: who approves and who commands.
ORG_GROUPS = (("leadership", "leadership"), ("command", "command"))


def publish_plan(clients, path, author, approver, file=None):
    """Import the plan file at path as clients[author], submit it, and have
    clients[approver] approve and publish it; returns the version number.
    Fails unless every step succeeds."""
    with open(path, encoding="utf-8") as f:
        yaml = f.read()
    body = {"yaml": yaml}
    if file is not None:
        body["file"] = file
    r = clients[author].post("/api/v1/plans", body)
    assert r.status == 201, r
    key, n = re.search(r"^key: *(\S+)", yaml, re.M).group(1), r.body["n"]
    for who, step in ((author, "submit"), (approver, "approve"), (approver, "publish")):
        r = clients[who].post("/api/v1/plans/%s/versions/%d/%s" % (key, n, step), {})
        assert r.status == 200, (step, r)
    return n


def setup_org(cls, users, groups=ORG_GROUPS, plan=None, file=None, author="hq",
              approver="leader", session=False):
    """Make the organisation of a test class on cls.server.

    groups are (key, kind) or (key, kind, name) tuples, created first. users
    are (login, memberships) or (login, memberships, fields) tuples, created
    in order with PASSWORD and the fields given to create_user, each put in
    its groups ({group key: role}) and then signed in. With plan (a plan
    file's path) clients[author] imports it (with file as its file name
    when given) and clients[approver] approves and publishes it; a
    membership in a group the plan makes (not in groups) is put after that.

    Sets cls.admin (an admin bearer client), cls.ids[login] (user ids) and
    cls.c[login] (bearer clients, or with session=True clients signed in
    with a session cookie; cls.c["admin"] is cls.admin).
    """
    a = cls.admin = cls.server.admin()
    for g in groups:
        create_group(a, g[0], kind=g[1], name=g[2] if len(g) > 2 else None)
    made = {g[0] for g in groups}
    cls.ids, cls.c, later = {}, {"admin": a}, []
    for login, member_of, *fields in users:
        cls.ids[login] = create_user(a, login, **(fields[0] if fields else {}))["id"]
        for group, role in member_of.items():
            if group in made:
                put_member(a, group, cls.ids[login], role)
            else:
                later.append((group, cls.ids[login], role))
        if session:
            cls.c[login] = cls.server.client()
            cls.c[login].login(login, PASSWORD)
        else:
            cls.c[login] = bearer_client(cls.server, login, PASSWORD)
    if plan is not None:
        publish_plan(cls.c, plan, author, approver, file)
    for group, uid, role in later:
        put_member(a, group, uid, role)


def sample_org(cls):
    """setup_org with the sample plan (examples/plans) published: leader
    leads the leadership, hq the command, techie is in the plan's tech
    team, staff in no group."""
    setup_org(cls, (("leader", {"leadership": "lead"}), ("hq", {"command": "lead"}),
                    ("techie", {"tech": "member"}), ("staff", {})),
              plan=PLAN_SAMPLE, file="new-system.zh-CN.yaml")


class ServerTestCase(unittest.TestCase):
    """A TestCase class with one fresh server (cls.server) for all its tests."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.server_args)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()

    def assertError(self, r, status, code, field=None):
        """r is an error answer with this status, error.code and (if given) error.field."""
        msg = "answer %d %r" % (r.status, r.body)
        self.assertEqual(r.status, status, msg)
        self.assertIsInstance(r.body, dict, msg)
        err = r.body.get("error")
        self.assertIsInstance(err, dict, msg)
        self.assertEqual(err.get("code"), code, msg)
        self.assertIsInstance(err.get("message"), str, msg)
        self.assertTrue(err["message"], msg)
        if field is not None:
            self.assertEqual(err.get("field"), field, msg)

    def assertStatus(self, r, status):
        self.assertEqual(r.status, status, "answer %d %r" % (r.status, r.body))


# -- several nodes on one database ------------------------------------------

class Node(Server):
    """Another `erms serve` on the database of `first` (no init): a second
    node of the same installation, with its own directory for its port
    file and logs. Stop, kill9 and restart as a Server."""

    def __init__(self, first, extra_args=None):
        self.extra_args = list(first.extra_args if extra_args is None else extra_args)
        self.allow_private = first.allow_private
        self.dir = tempfile.mkdtemp(prefix="erms-node-")
        self.db = first.db
        self.port_file = os.path.join(self.dir, "port")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None
        self._first = first
        self._admin = None
        _live_servers.add(self)
        self.start()

    def admin(self):
        """The first node's admin token, sent to this node."""
        return client_on(self, self._first.admin())


def client_on(node, client):
    """A Client for node with client's bearer token (or session cookie)."""
    c = Client(node)
    c.bearer = client.bearer
    c.cookies = dict(client.cookies)
    c.csrf = client.csrf
    return c
