"""The emergency pack (docs/pack.md): GET /api/v1/pack as a zip for anyone
signed in; `erms pack --out DIR` from the database without a server;
`erms pack verify DIR` passes on a whole pack and fails, naming the file,
after any byte of any file changes, a file goes or comes, or the manifest
is edited; --pack-dir keeps the latest pack, rebuilt on a publication and
on the test clock; the PDFs carry the version and the people's numbers,
and the contacts the call tree with names and numbers."""

import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PLAN_SAMPLE, ServerTestCase, publish_plan, run_erms, setup_org  # noqa: E402

FILES = {"plan.html", "plan.pdf", "contacts.pdf", "duty.pdf", "supplies.pdf",
         "first-15-minutes.pdf", "README.txt", "manifest.json", "manifest.sig"}
PDFS = sorted(f for f in FILES if f.endswith(".pdf"))
PHONES = {"leader": "13900000001", "hq": "13900000002", "techie": "13900000003",
          "deputy": "13900000004"}
REGULATOR = {"name": "省网信办", "phone": "02788886666", "contact": "值班室"}
PACK_DIR = os.path.join(tempfile.mkdtemp(prefix="erms-pack-"), "pack")


def pdf_text(path):
    r = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def manifest(d):
    with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def version_re(n):
    """The plan's version as a page prints it, in either language."""
    return re.compile(r"new-system (v%d|第 %d 版)" % (n, n))


class Pack(ServerTestCase):
    server_args = ("--pack-dir", PACK_DIR, "--test-clock")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            setup_org(cls, (
                ("leader", {"leadership": "lead"},
                 {"display_name": "刘领导", "phone": PHONES["leader"]}),
                ("hq", {"command": "lead"},
                 {"display_name": "黄指挥", "phone": PHONES["hq"]}),
                ("deputy", {"command": "deputy"},
                 {"display_name": "邓副指挥", "phone": PHONES["deputy"]}),
                ("techie", {"tech": "member"},
                 {"display_name": "田技术", "phone": PHONES["techie"]}),
                ("staff", {})),
                plan=PLAN_SAMPLE, file="new-system.zh-CN.yaml")
            start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
            r = cls.c["hq"].post("/api/v1/groups/command/rotations", {
                "name": "指挥部值班", "members": [cls.ids["hq"], cls.ids["deputy"]],
                "shift_minutes": 720,
                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ")})
            assert r.status == 201, r
            r = cls.admin.patch("/api/v1/organisation", {
                "name": "测试银行", "operator_type": "cii", "regulators": [REGULATOR]})
            assert r.status == 200, r
            cls.tmp = tempfile.mkdtemp(prefix="erms-pack-test-")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(os.path.dirname(PACK_DIR), ignore_errors=True)
        if getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def download(self, client):
        """GET /api/v1/pack with client's token: (status, headers, bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
        h = {"Authorization": "Bearer " + client.bearer} if client.bearer else {}
        try:
            conn.request("GET", "/api/v1/pack", headers=h)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def write_pack(self, name):
        """erms pack --out DIR from the database, without the server."""
        d = os.path.join(self.tmp, name)
        r = run_erms("pack", "--out", d, *self.server.db_args, timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(set(os.listdir(d)), FILES)
        return d

    def verify(self, d, *args):
        return run_erms("pack", "verify", d, *args, timeout=120)

    def assertFails(self, d, name):
        r = self.verify(d)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, out)
        self.assertIn(name, out)
        self.assertNotIn("pack verified", out)

    def wait_manifest(self, test, timeout=60):
        """The manifest in PACK_DIR once test(manifest) holds."""
        end, m = time.time() + timeout, None
        while time.time() < end:
            try:
                m = manifest(PACK_DIR)
                if test(m):
                    return m
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        self.fail("the pack in --pack-dir did not change as expected: %r" % m)

    # -- the download -------------------------------------------------------

    def test_download_needs_sign_in(self):
        status, _, _ = self.download(self.server.client())
        self.assertEqual(status, 401)

    def test_download_is_a_verified_zip(self):
        status, h, body = self.download(self.c["staff"])
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(h["content-type"], "application/zip")
        m = re.fullmatch(r'attachment; filename="(erms-pack-new-system-v(\d+)-'
                         r'\d{4}-\d\d-\d\d)\.zip"', h["content-disposition"])
        self.assertTrue(m, h["content-disposition"])
        z = zipfile.ZipFile(io.BytesIO(body))
        names = z.namelist()
        self.assertEqual({n.split("/", 1)[1] for n in names}, FILES)
        self.assertEqual({n.split("/", 1)[0] for n in names}, {m.group(1)})
        out = os.path.join(self.tmp, "zip")
        z.extractall(out)
        d = os.path.join(out, m.group(1))
        r = self.verify(d, *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("pack verified", r.stdout)
        self.assertEqual(manifest(d)["plan"]["n"], int(m.group(2)))

    # -- erms pack and erms pack verify -------------------------------------

    def test_cli_pack_verifies(self):
        d = self.write_pack("cli")
        m = manifest(d)
        self.assertEqual(m["pack"], 1)
        self.assertEqual(m["organisation"], "测试银行")
        self.assertEqual(m["plan"]["key"], "new-system")
        self.assertEqual({f["path"] for f in m["files"]},
                         FILES - {"manifest.json", "manifest.sig"})
        for f in m["files"]:
            self.assertEqual(os.path.getsize(os.path.join(d, f["path"])), f["bytes"])
        self.assertRegex(m["key"], r"^[0-9a-f]{64}$")
        r = self.verify(d)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("pack verified", r.stdout)
        r = self.verify(d, *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("pack verified", r.stdout)

    def test_verify_fails_on_any_changed_byte(self):
        base = self.write_pack("base")
        for name in sorted(FILES):
            d = os.path.join(self.tmp, "byte-" + name)
            shutil.copytree(base, d)
            p = os.path.join(d, name)
            with open(p, "r+b") as f:
                data = bytearray(f.read())
                i = len(data) // 2
                data[i] ^= 0x01
                f.seek(0)
                f.write(data)
            with self.subTest(file=name):
                self.assertFails(d, name if name != "manifest.sig" else "manifest")

    def test_verify_fails_on_a_missing_or_added_file(self):
        base = self.write_pack("base2")
        for name in ("plan.pdf", "README.txt", "manifest.sig"):
            d = os.path.join(self.tmp, "gone-" + name)
            shutil.copytree(base, d)
            os.remove(os.path.join(d, name))
            with self.subTest(removed=name):
                self.assertFails(d, name)
        d = os.path.join(self.tmp, "added")
        shutil.copytree(base, d)
        with open(os.path.join(d, "extra.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n")
        self.assertFails(d, "extra.pdf")

    def test_verify_fails_on_an_edited_manifest(self):
        base = self.write_pack("base3")
        # A changed file with its new sum written into the manifest: the
        # files match, the signature does not.
        d = os.path.join(self.tmp, "edited")
        shutil.copytree(base, d)
        with open(os.path.join(d, "README.txt"), "a", encoding="utf-8") as f:
            f.write("forged\n")
        m = manifest(d)
        import hashlib
        for f in m["files"]:
            if f["path"] == "README.txt":
                with open(os.path.join(d, "README.txt"), "rb") as g:
                    data = g.read()
                f["sha256"], f["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
        with open(os.path.join(d, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(m, f, indent=2, ensure_ascii=False)
            f.write("\n")
        self.assertFails(d, "manifest.json")

    def test_verify_names_another_installation_key(self):
        other = os.path.join(self.tmp, "other.key")
        with open(other, "w") as f:
            f.write("erms-key-v1\n" + "ab" * 32 + "\n")
        os.chmod(other, 0o600)
        d = self.write_pack("base4")
        r = self.verify(d, "--key", other)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("manifest.json", r.stdout + r.stderr)

    # -- what the pack says --------------------------------------------------

    def test_pdfs_carry_the_version_and_numbers(self):
        d = self.write_pack("text")
        n = manifest(d)["plan"]["n"]
        texts = {p: pdf_text(os.path.join(d, p)) for p in PDFS}
        for p, t in texts.items():
            with self.subTest(pdf=p):
                self.assertRegex(t, version_re(n))
                self.assertIn("测试银行", t)
        contacts = texts["contacts.pdf"]
        for login in ("leader", "hq", "deputy", "techie"):
            self.assertIn(PHONES[login], contacts)
        self.assertIn(REGULATOR["phone"], contacts)
        # The operator is critical infrastructure: one hour.
        self.assertRegex(contacts, r"60 ?(分钟|minutes)")
        # The duty roster names the people on the command rotation.
        self.assertIn("黄指挥", texts["duty.pdf"])
        self.assertIn("邓副指挥", texts["duty.pdf"])
        self.assertIn(PHONES["hq"], texts["first-15-minutes.pdf"])

    def test_contacts_have_the_call_tree(self):
        d = self.write_pack("tree")
        with open(os.path.join(d, "plan.html"), encoding="utf-8") as f:
            html = f.read()
        m = re.search(r'<h2 id="call-tree">(.*?)(<h2|</article>)', html, re.S)
        self.assertTrue(m, "no call-tree section")
        tree = m.group(1)
        # The sample plan's tiers: command HQ's person on duty first, then
        # the leadership; names with their numbers.
        self.assertIn("刘领导", tree)
        self.assertIn(PHONES["leader"], tree)
        self.assertRegex(tree, "(黄指挥 %s|邓副指挥 %s)" % (PHONES["hq"], PHONES["deputy"]))
        # Offline: nothing to fetch, nothing to run.
        self.assertNotRegex(html, r'(?i)<script|<link|src=|href="?https?:|@import')
        text = pdf_text(os.path.join(d, "contacts.pdf"))
        self.assertRegex(text, "(上报链|Call tree)")
        self.assertIn("刘领导", text)

    # -- --pack-dir ------------------------------------------------------------

    def test_pack_dir_follows_publication_and_clock(self):
        m = self.wait_manifest(lambda m: m["plan"]["key"] == "new-system")
        n = m["plan"]["n"]
        r = self.verify(PACK_DIR, *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # People's phone numbers: for the server's user only.
        self.assertEqual(os.stat(PACK_DIR).st_mode & 0o777, 0o700)
        for f in os.listdir(PACK_DIR):
            self.assertEqual(os.stat(os.path.join(PACK_DIR, f)).st_mode & 0o777, 0o600, f)
        # A new version published: the pack follows it.
        n2 = publish_plan(self.c, PLAN_SAMPLE, "hq", "leader", "new-system.zh-CN.yaml")
        self.assertGreater(n2, n)
        m = self.wait_manifest(lambda m: m["plan"]["n"] == n2)
        r = self.verify(PACK_DIR, *self.server.db_args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(pdf_text(os.path.join(PACK_DIR, "plan.pdf")), version_re(n2))
        # The test clock triggers the same check: a pack of the new day.
        later = datetime.now(timezone.utc) + timedelta(hours=30)
        r = self.admin.post("/api/v1/test/clock",
                            {"now": later.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
        self.assertStatus(r, 200)
        try:
            m = self.wait_manifest(lambda m: m["generated_at"].startswith(
                later.strftime("%Y-%m-%dT%H")))
            self.assertEqual(m["plan"]["n"], n2)
        finally:
            self.admin.post("/api/v1/test/clock", {
                "now": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")})


if __name__ == "__main__":
    unittest.main()
