"""Emergency plans through the API and the CLI: both sample plans import;
the zh-CN one goes draft -> in_review -> approved -> published by API and
by CLI; broken and meaningless files answer with line and column and leave
no trace; rights and illegal steps (403 before 409); acknowledgement
rounds across two publications; diff, export round trip, and raw HTML in a
section shown as text.

Users: `author` (command HQ), `leader` and `leader2` (leadership), `staff`.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (ADMIN_PASSWORD, PASSWORD, ServerTestCase, bearer_client, create_group,  # noqa: E402
                     create_user, list_all, put_member, run_erms, setup_org)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXAMPLES = os.path.join(ROOT, "examples", "plans")
DATA = os.path.join(ROOT, "tests", "data")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def with_key(yaml, key):
    """The same plan file under another plan key."""
    return yaml.replace("key: minimal\n", "key: %s\n" % key, 1)


class Plans(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_org(cls, (("author", {"command": "member"}), ("leader", {"leadership": "member"}),
                        ("leader2", {"leadership": "member"}), ("staff", {})))

    def import_plan(self, client, yaml, file="plan.yaml", status=201):
        r = client.post("/api/v1/plans", {"yaml": yaml, "file": file})
        self.assertEqual(r.status, status, r)
        return r.body

    def step(self, who, plan, n, step, status=200, **body):
        r = self.c[who].post("/api/v1/plans/%s/versions/%d/%s" % (plan, n, step),
                             body or None)
        self.assertEqual(r.status, status, r)
        return r.body

    def audit_count(self):
        return len(self.admin.get("/api/v1/audit?limit=500").body["items"])

    def test_samples_import_and_validate(self):
        for name in ("new-system.zh-CN.yaml", "new-system.en.yaml"):
            with self.subTest(name=name):
                path = os.path.join(EXAMPLES, name)
                p = run_erms("plan", "validate", path)
                self.assertEqual(p.returncode, 0, p.stderr)
                v = self.import_plan(self.c["author"], read(path), name)
                self.assertEqual(v["plan_key"], "new-system")
                self.assertEqual(v["status"], "draft")

    def test_zh_plan_whole_workflow_by_api(self):
        yaml = read(os.path.join(EXAMPLES, "new-system.zh-CN.yaml")).replace(
            "key: new-system\n", "key: api-flow\n", 1)
        v = self.import_plan(self.c["author"], yaml, "new-system.zh-CN.yaml")
        n = v["n"]
        self.assertEqual(self.step("author", "api-flow", n, "submit")["status"], "in_review")
        self.assertEqual(self.step("leader", "api-flow", n, "approve",
                                   comment="同意")["status"], "approved")
        pub = self.step("leader", "api-flow", n, "publish")
        self.assertEqual(pub["status"], "published")
        cur = self.c["staff"].get("/api/v1/plans/current")
        self.assertEqual(cur.status, 200, cur)
        self.assertEqual(cur.body["plan_key"], "api-flow")
        content = cur.body["content"]
        self.assertEqual(len(content["categories"]), 7)
        self.assertEqual([lv["rank"] for lv in content["levels"]], [1, 2, 3])
        self.assertTrue(all("body_html" in s for s in content["sections"]))
        # Publishing created the groups the plan names, with their duties.
        g = self.admin.get("/api/v1/groups/team-network")
        self.assertEqual(g.status, 200, g)
        self.assertEqual(g.body["kind"], "team")
        self.assertTrue(g.body["duties"])
        # Published versions are immutable.
        r = self.c["author"].put("/api/v1/plans/api-flow/versions/%d" % n,
                                 {"yaml": yaml})
        self.assertError(r, 409, "conflict")

    def test_zh_plan_whole_workflow_by_cli(self):
        path = os.path.join(self.server.dir, "cli-plan.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(read(os.path.join(EXAMPLES, "new-system.zh-CN.yaml")).replace(
                "key: new-system\n", "key: cli-flow\n", 1))
        server = ["--server", "http://127.0.0.1:%d" % self.server.port]

        def erms(who, *args, code=0):
            p = run_erms(*args, *server, "--token", self.c[who].bearer)
            self.assertEqual(p.returncode, code, p.stdout + p.stderr)
            return p.stdout

        out = erms("author", "plan", "import", path)
        self.assertIn("cli-flow v1", out)
        self.assertIn("draft", out)
        erms("author", "plan", "submit", "cli-flow", "1")
        erms("leader", "plan", "approve", "cli-flow", "1", "--comment", "同意")
        self.assertIn("published", erms("leader", "plan", "publish", "cli-flow", "1"))
        self.assertIn("published", erms("staff", "plan", "versions", "cli-flow"))
        show = erms("staff", "plan", "show", "cli-flow", "1")
        self.assertIn("level-1", show)
        self.assertIn("DE/DETECH", show)
        erms("staff", "plan", "ack", "cli-flow", "1")
        self.assertIn("staff", erms("leader", "plan", "acks", "cli-flow", "1"))
        # A broken file from the CLI: the same lines as `plan validate`.
        bad = os.path.join(DATA, "plan-meaning-errors.yaml")
        out = run_erms("plan", "import", bad, *server, "--token", self.c["author"].bearer)
        val = run_erms("plan", "validate", bad)
        self.assertEqual(out.returncode, 2)
        self.assertEqual(val.returncode, 2)
        lines = [l for l in val.stderr.splitlines() if l.startswith(bad)]
        self.assertGreaterEqual(len(lines), 5)
        for line in lines:
            self.assertIn(line.replace(bad, "plan-meaning-errors.yaml"), out.stderr)

    def test_broken_files_leave_no_trace(self):
        before_plans = self.admin.get("/api/v1/plans").body["items"]
        before_audit = self.audit_count()
        for name, first in (("plan-broken-syntax.yaml", "plan-broken-syntax.yaml:4:"),
                            ("plan-meaning-errors.yaml", "plan-meaning-errors.yaml:4:1:")):
            with self.subTest(name=name):
                r = self.c["author"].post("/api/v1/plans", {
                    "yaml": read(os.path.join(DATA, name)), "file": name})
                self.assertError(r, 400, "invalid_plan", "yaml")
                details = r.body["error"]["details"]
                self.assertTrue(details[0]["text"].startswith(first), details)
                for d in details:
                    self.assertGreaterEqual(d["line"], 1)
                    self.assertGreaterEqual(d["column"], 1)
        r = self.c["author"].post("/api/v1/plans", {
            "yaml": read(os.path.join(DATA, "plan-meaning-errors.yaml")),
            "file": "m.yaml"})
        texts = [d.get("text_en", d["text"]) for d in r.body["error"]["details"]]
        self.assertIn("m.yaml:18:11: category 'network-attack' names unknown group "
                      "'team-network'", texts)
        self.assertIn("m.yaml:12:10: duplicate group key 'command'", texts)
        self.assertIn("m.yaml:24:24: 'ack_min' must be from 1 to 525600, not -5", texts)
        self.assertEqual(self.admin.get("/api/v1/plans").body["items"], before_plans)
        self.assertEqual(self.audit_count(), before_audit)

    def test_rights_and_illegal_steps(self):
        yaml = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "rights")
        self.assertError(self.c["staff"].post("/api/v1/plans", {"yaml": yaml}),
                         403, "forbidden")
        n = self.import_plan(self.c["author"], yaml)["n"]
        # Approving a draft: 409 (for leadership), 403 (for anyone else).
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/rights/versions/%d/approve" % n), 409, "conflict")
        self.assertError(self.c["staff"].post(
            "/api/v1/plans/rights/versions/%d/approve" % n), 403, "forbidden")
        self.step("author", "rights", n, "submit")
        # Staff approving: 403. The author approving their own version: 403,
        # even when the author is in the leadership group.
        self.assertError(self.c["staff"].post(
            "/api/v1/plans/rights/versions/%d/approve" % n), 403, "forbidden")
        put_member(self.admin, "leadership", self.ids["author"])
        try:
            self.assertError(self.c["author"].post(
                "/api/v1/plans/rights/versions/%d/approve" % n), 403, "four_eyes")
        finally:
            self.admin.delete("/api/v1/groups/leadership/members/%d" % self.ids["author"])
        # Reject needs a reason, and returns the version to draft.
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/rights/versions/%d/reject" % n), 400, "missing_field", "comment")
        self.assertEqual(self.step("leader", "rights", n, "reject",
                                   comment="补充通知名单")["status"], "draft")
        self.step("author", "rights", n, "submit")
        self.step("leader", "rights", n, "approve")
        self.step("leader", "rights", n, "publish")
        # Submitting a published version: 409.
        self.assertError(self.c["author"].post(
            "/api/v1/plans/rights/versions/%d/submit" % n), 409, "conflict")
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/rights/versions/%d/publish" % n), 409, "conflict")
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/rights/versions/%d/explode" % n), 404, "not_found")
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/rights/versions/99/submit"), 404, "not_found")
        self.assertError(self.c["leader"].post(
            "/api/v1/plans/nope/versions/1/submit"), 404, "not_found")

    def publish(self, key, yaml):
        n = self.import_plan(self.c["author"], yaml)["n"]
        self.step("author", key, n, "submit")
        self.step("leader2", key, n, "approve")
        self.step("leader2", key, n, "publish")
        return n

    def acks(self, key, n, query=""):
        r = self.c["leader"].get("/api/v1/plans/%s/versions/%d/acks%s" % (key, n, query))
        self.assertEqual(r.status, 200, r)
        return r.body

    def test_ack_rounds_across_two_publications(self):
        yaml = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "acks")
        v1 = self.publish("acks", yaml)
        for who in ("staff", "author", "leader"):
            r = self.c[who].post("/api/v1/plans/acks/versions/%d/ack" % v1)
            self.assertEqual(r.status, 200, r)
        a = self.acks("acks", v1)
        acked = {i["login"] for i in a["items"] if i["acknowledged"]}
        self.assertEqual(acked, {"staff", "author", "leader"})
        self.assertEqual(a["acknowledged"], 3)
        self.assertEqual(a["total"], len(a["items"]))
        pending = {i["login"] for i in self.acks("acks", v1, "?state=pending")["items"]}
        self.assertIn("leader2", pending)
        self.assertNotIn("staff", pending)
        in_group = {i["login"] for i in self.acks("acks", v1, "?group=leadership")["items"]}
        self.assertEqual(in_group, {"leader", "leader2"})
        self.assertError(self.c["staff"].get("/api/v1/plans/acks/versions/%d/acks" % v1),
                         403, "forbidden")
        # A new publication starts a new round; the old version is superseded.
        v2 = self.publish("acks", yaml.replace("最小预案", "最小预案（修订）"))
        self.assertEqual(self.acks("acks", v2)["acknowledged"], 0)
        self.assertEqual(self.acks("acks", v1)["status"], "superseded")
        self.assertError(self.c["staff"].post("/api/v1/plans/acks/versions/%d/ack" % v1),
                         409, "conflict")
        self.assertEqual(self.c["staff"].post(
            "/api/v1/plans/acks/versions/%d/ack" % v2).status, 200)
        self.assertEqual({i["login"] for i in self.acks("acks", v2)["items"]
                          if i["acknowledged"]}, {"staff"})

    def test_diff_and_export_round_trip(self):
        yaml = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "diffs")
        n1 = self.import_plan(self.c["author"], yaml)["n"]
        changed = yaml.replace("activate_min: 15", "activate_min: 10").replace(
            "      - {title: 启动备用系统, group: tech}",
            "      - {title: 启动备用系统, group: tech}\n      - {title: 通知客户, group: command}")
        n2 = self.import_plan(self.c["author"], changed)["n"]
        r = self.c["staff"].get("/api/v1/plans/diffs/versions/%d/diff/%d" % (n1, n2))
        self.assertEqual(r.status, 200, r)
        changes = {(c["path"], c["op"]): c for c in r.body["changes"]}
        c = changes[("levels[level-1].targets.activate_min", "changed")]
        self.assertEqual((c["from"], c["to"]), (15, 10))
        self.assertIn(("levels[level-1].measures[通知客户]", "added"), changes)
        # Export, import the export: the same content.
        e = self.c["staff"].get("/api/v1/plans/diffs/versions/%d/export" % n2)
        self.assertEqual(e.status, 200)
        self.assertTrue(e.headers["content-type"].startswith("application/yaml"))
        n3 = self.import_plan(self.c["author"], e.body, "exported.yaml")["n"]
        a = self.c["staff"].get("/api/v1/plans/diffs/versions/%d" % n2).body["content"]
        b = self.c["staff"].get("/api/v1/plans/diffs/versions/%d" % n3).body["content"]
        self.assertEqual(a, b)
        self.assertEqual(self.c["staff"].get(
            "/api/v1/plans/diffs/versions/%d/diff/%d" % (n2, n3)).body["changes"], [])
        # The CLI shows the same diff as text.
        p = run_erms("plan", "diff", "diffs", str(n1), str(n2), "--server",
                     "http://127.0.0.1:%d" % self.server.port, "--token",
                     self.c["staff"].bearer)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("~ levels[level-1].targets.activate_min: 15 -> 10", p.stdout)

    def test_hostile_files_refused_nothing_changed(self):
        base = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "hostile")
        draft = self.import_plan(self.c["author"], base)
        path = "/api/v1/plans/hostile/versions/%d" % draft["n"]
        before = self.c["staff"].get(path).body
        before_plans = self.admin.get("/api/v1/plans").body["items"]
        before_audit = self.audit_count()
        many = "format: erms-plan/1\n" + "".join("k%d: 1\n" % i for i in range(20000))
        cases = (
            ('summary: "a\\0b"\n', "p.yaml:50:11: text must not hold a NUL character"),
            ("summary: {zh: 摘要}\n", "p.yaml:50:11: 'summary' takes only the "
             "languages zh-CN and en"),
            ("---\nkey: other\n", "p.yaml:51:1: a plan file holds one YAML "
             "document, not several ('---' again)"),
            ("summary: *nowhere\n", "p.yaml:50:11: alias *nowhere names no anchor"),
            ("key: again\n", "p.yaml:50:1: 'key' is given twice (first on line 3)"),
            (None, "p.yaml:2:1: unknown field 'k0' in plan"),
            ("basis:\n" + "- x\n" * 50000, "the file holds more than 50000 values"),
        )
        for tail, want in cases:
            yaml = many if tail is None else base + tail
            with self.subTest(want=want):
                for r in (self.c["author"].post("/api/v1/plans", {"yaml": yaml,
                                                                  "file": "p.yaml"}),
                          self.c["author"].put(path, {"yaml": yaml, "file": "p.yaml"})):
                    self.assertError(r, 400, "invalid_plan", "yaml")
                    texts = [d.get("text_en", d["text"]) for d in r.body["error"]["details"]]
                    self.assertTrue(any(want in t for t in texts), texts)
        self.assertEqual(self.c["staff"].get(path).body, before)
        self.assertEqual(self.admin.get("/api/v1/plans").body["items"], before_plans)
        self.assertEqual(self.audit_count(), before_audit)

    def test_folded_text_stored_as_written(self):
        yaml = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "folded") + \
            "summary: >\n  a\n\n\n   b\n  c\n"
        n = self.import_plan(self.c["author"], yaml)["n"]
        summary = self.c["staff"].get("/api/v1/plans/folded/versions/%d" % n) \
            .body["content"]["summary"]
        self.assertNotIn("\0", summary)
        self.assertTrue(set(summary) <= set("abc \n"), repr(summary))
        self.assertTrue(summary.startswith("a\n") and summary.endswith("b\nc\n"))

    def test_validate_does_not_spin_on_bad_utf8(self):
        path = os.path.join(self.server.dir, "bad.yaml")
        with open(path, "wb") as f:
            f.write(b"%\xe1")
        p = run_erms("plan", "validate", path, timeout=20)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("bad.yaml:1:2: the file is not valid UTF-8 (byte 0xe1)", p.stderr)

    def test_script_in_a_section_is_escaped(self):
        yaml = with_key(read(os.path.join(DATA, "plan-minimal.yaml")), "xss").replace(
            "      - 第二条\n",
            "      - 第二条\n\n      <script>alert('x')</script>\n"
            "      <img src=x onerror=alert(1)>\n")
        n = self.import_plan(self.c["author"], yaml)["n"]
        v = self.c["staff"].get("/api/v1/plans/xss/versions/%d" % n).body
        html = v["content"]["sections"][0]["body_html"]
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;", html)
        # The Markdown source is kept as written.
        self.assertIn("<script>", v["content"]["sections"][0]["body"])


class FourEyes(ServerTestCase):
    """Nobody who imported, replaced or edited a version reviews it; a new
    member of the leadership group reviews only after the cooling-off of
    the plan in force (24 h by default); the change is in the audit log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Made while no plan is in force: these count at once.
        setup_org(cls, (("hq", {"command": "member"}),
                        ("both", {"command": "member", "leadership": "member"}),
                        ("leader", {"leadership": "member"})))
        cls.yaml = read(os.path.join(DATA, "plan-minimal.yaml"))
        cls.go(cls, "minimal", "hq", ["submit"], ("leader", ["approve", "publish"]))

    def go(self, key, author, steps, then=None):
        r = self.c[author].post("/api/v1/plans", {"yaml": with_key(self.yaml, key)})
        assert r.status == 201, r
        n = r.body["n"]
        for step in steps:
            r = self.c[author].post("/api/v1/plans/%s/versions/%d/%s" % (key, n, step), {})
            assert r.status == 200, r
        if then:
            for step in then[1]:
                r = self.c[then[0]].post("/api/v1/plans/%s/versions/%d/%s" % (key, n, step), {})
                assert r.status == 200, r
        return n

    def review(self, client, key, n, step):
        return client.post("/api/v1/plans/%s/versions/%d/%s" % (key, n, step),
                           {"comment": "x"} if step == "reject" else {})

    def test_importer_may_not_review(self):
        n = self.go("imported", "both", ["submit"])
        for step in ("approve", "reject"):
            r = self.review(self.c["both"], "imported", n, step)
            self.assertError(r, 403, "four_eyes")
            self.assertIn("imported or edited", r.body["error"]["message_en"])
        zh = self.c["both"].req("POST", "/api/v1/plans/imported/versions/%d/approve" % n,
                                {}, headers={"Accept-Language": "zh-CN"})
        self.assertError(zh, 403, "four_eyes")
        self.assertIn("编辑过此版本", zh.body["error"]["message"])
        v = self.c["leader"].get("/api/v1/plans/imported/versions/%d" % n).body
        self.assertEqual([e["login"] for e in v["editors"]], ["both"])
        self.assertEqual(self.review(self.c["leader"], "imported", n, "approve").status, 200)

    def test_editor_of_a_replace_may_not_review(self):
        r = self.c["hq"].post("/api/v1/plans", {"yaml": with_key(self.yaml, "replaced")})
        n = r.body["n"]
        self.assertEqual(r.body["editors"][0]["login"], "hq")
        r = self.c["both"].put("/api/v1/plans/replaced/versions/%d" % n,
                               {"yaml": with_key(self.yaml, "replaced")})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["login"] for e in r.body["editors"]], ["hq", "both"])
        self.assertEqual(r.body["author_id"], self.ids["hq"])
        self.assertEqual(self.c["hq"].post(
            "/api/v1/plans/replaced/versions/%d/submit" % n, {}).status, 200)
        for step in ("approve", "reject"):
            self.assertError(self.review(self.c["both"], "replaced", n, step), 403, "four_eyes")
        self.assertEqual(self.review(self.c["leader"], "replaced", n, "reject").status, 200)

    def test_admin_joining_the_leadership_waits_for_the_cooling_off(self):
        admin_id = self.admin.get("/api/v1/me").body["user"]["id"]
        n = self.go("selfmade", "hq", ["submit"])
        g = put_member(self.admin, "leadership", admin_id, role="lead")
        mine = [m for m in g["members"] if m["user_id"] == admin_id][0]
        self.assertIsNotNone(mine["reviews_plans_from"])
        others = [m for m in g["members"] if m["user_id"] == self.ids["leader"]][0]
        self.assertIsNone(others["reviews_plans_from"])
        me = self.admin.get("/api/v1/me").body
        self.assertNotIn("plan.approve", me["rights"])
        self.assertIn("incident.activate", me["rights"])
        for step in ("approve", "reject"):
            r = self.review(self.admin, "selfmade", n, step)
            self.assertError(r, 403, "cooling_off")
            self.assertIn("cooling-off", r.body["error"]["message_en"])
        # A sock-puppet account the admin makes a leader waits as well.
        pid = create_user(self.admin, "puppet")["id"]
        put_member(self.admin, "leadership", pid)
        puppet = bearer_client(self.server, "puppet", PASSWORD)
        self.assertError(self.review(puppet, "selfmade", n, "approve"), 403, "cooling_off")
        # A role change does not restart or skip the cooling-off.
        put_member(self.admin, "leadership", admin_id, role="deputy")
        self.assertError(self.review(self.admin, "selfmade", n, "approve"), 403, "cooling_off")
        rows = list_all(self.admin, "/api/v1/audit")
        puts = [r for r in rows if r["action"] == "group.member.put"
                and r["object"] == "group:leadership"
                and ("user=%d " % admin_id) in r["summary"]]
        self.assertTrue(puts, rows[-5:])
        self.assertIn("reviews_plans_from=", puts[0]["summary"])
        self.assertIn(mine["reviews_plans_from"], puts[0]["summary"])
        # A legitimate leader reviews.
        self.assertEqual(self.review(self.c["leader"], "selfmade", n, "approve").status, 200)


class CoolingOffPassed(ServerTestCase):
    """After the cooling-off the plan sets (here 2 h), the new member reviews."""
    server_args = ("--test-clock",)

    def test_new_leader_reviews_after_the_plan_s_cooling_off(self):
        a = self.server.admin()
        # The clock first: tokens made before a jump of years would expire.
        self.assertStatus(a.post("/api/v1/test/clock", {"now": "2030-01-01T00:00:00Z"}), 200)
        a = self.server.client()
        a.login("admin", ADMIN_PASSWORD)
        create_group(a, "leadership", kind="leadership")
        create_group(a, "command", kind="command")
        ids, c = {}, {}
        for login, group in (("hq", "command"), ("leader", "leadership")):
            ids[login] = create_user(a, login)["id"]
            put_member(a, group, ids[login])
            c[login] = bearer_client(self.server, login, PASSWORD)
        yaml = read(os.path.join(DATA, "plan-minimal.yaml")).replace(
            "key: minimal\n", "key: minimal\ncooling_off_h: 2\n", 1)
        self.assertIn("cooling_off_h: 2", yaml)
        n = c["hq"].post("/api/v1/plans", {"yaml": yaml}).body["n"]
        for who, step in (("hq", "submit"), ("leader", "approve"), ("leader", "publish")):
            self.assertStatus(c[who].post("/api/v1/plans/minimal/versions/%d/%s" % (n, step), {}), 200)
        ids["new"] = create_user(a, "newcomer")["id"]
        g = put_member(a, "leadership", ids["new"])
        mine = [m for m in g["members"] if m["user_id"] == ids["new"]][0]
        self.assertEqual(mine["reviews_plans_from"], "2030-01-01T02:00:00.000Z")
        new = bearer_client(self.server, "newcomer", PASSWORD)
        n2 = c["hq"].post("/api/v1/plans", {"yaml": yaml}).body["n"]
        c["hq"].post("/api/v1/plans/minimal/versions/%d/submit" % n2, {})
        self.assertError(new.post("/api/v1/plans/minimal/versions/%d/approve" % n2, {}),
                         403, "cooling_off")
        self.assertStatus(a.post("/api/v1/test/clock", {"now": "2030-01-01T02:00:00Z"}), 200)
        self.assertStatus(new.post("/api/v1/plans/minimal/versions/%d/approve" % n2, {}), 200)


if __name__ == "__main__":
    unittest.main()
