"""Bad input on POST /api/v1/users (as admin, bearer): every malformed,
mistyped, incomplete, oversized, wrongly labelled or invalid request gets
the documented 4xx error and changes nothing (the user list and the audit
log are the same before and after). Injection strings are stored and
returned literally. Error messages follow Accept-Language.
"""

import json
import os
import re
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSWORD, ServerTestCase, create_user, list_all  # noqa: E402

USERS = "/api/v1/users"


def good(**over):
    """A valid user creation body, with some fields replaced or removed (None)."""
    body = {"login": "fine", "display_name": "Fine", "password": PASSWORD}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


class BadInput(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()

    def snapshot(self):
        users = sorted((u["id"], u["login"], u["updated_at"]) for u in list_all(self.admin, USERS))
        audit = len(list_all(self.admin, "/api/v1/audit"))
        return users, audit

    def assertRejected(self, status, code, field=None, body=None, raw=None,
                       ctype="application/json", headers=None):
        """POST /api/v1/users is refused with this error and changes nothing."""
        before = self.snapshot()
        r = self.admin.post(USERS, body, raw=raw, ctype=ctype, headers=headers)
        self.assertError(r, status, code, field)
        self.assertEqual(self.snapshot(), before, "a rejected request changed users or audit")
        return r

    def test_bad_json(self):
        for raw in (b'{"login": "x",', b"not json", b"", b'{"login": "x"} trailing',
                    b'["login"]', b"null"):
            with self.subTest(raw=raw):
                if raw in (b'["login"]', b"null"):
                    # Valid JSON but not an object: wrong_type or bad_json both fit.
                    before = self.snapshot()
                    r = self.admin.post(USERS, raw=raw)
                    self.assertEqual(r.status, 400, r)
                    self.assertIn(r.body["error"]["code"], ("bad_json", "wrong_type"), r)
                    self.assertEqual(self.snapshot(), before)
                else:
                    self.assertRejected(400, "bad_json", raw=raw)

    def test_wrong_type(self):
        self.assertRejected(400, "wrong_type", "is_admin", body=good(is_admin="yes"))
        self.assertRejected(400, "wrong_type", "login", body=good(login=42))
        self.assertRejected(400, "wrong_type", "display_name", body=good(display_name=["a"]))

    def test_missing_field(self):
        self.assertRejected(400, "missing_field", "login", body=good(login=None))
        self.assertRejected(400, "missing_field", "password", body=good(password=None))

    def test_unknown_field(self):
        self.assertRejected(400, "unknown_field", "favourite_colour",
                            body=good(favourite_colour="blue"))

    def test_too_large(self):
        raw = json.dumps(good(display_name="a" * (2 << 20))).encode()
        self.assertRejected(413, "too_large", raw=raw)

    def test_unsupported_media_type(self):
        raw = json.dumps(good()).encode()
        self.assertRejected(415, "unsupported_media_type", raw=raw, ctype="text/plain")
        self.assertRejected(415, "unsupported_media_type", raw=raw,
                            ctype="application/x-www-form-urlencoded")
        self.assertRejected(415, "unsupported_media_type", raw=raw, ctype=None)

    def test_charset_parameter_accepted(self):
        r = self.admin.post(USERS, good(login="charset-ok"), ctype="application/json; charset=utf-8")
        self.assertStatus(r, 201)

    def test_invalid_utf8(self):
        raw = b'{"login":"a\xff","display_name":"x","password":"' + PASSWORD.encode() + b'"}'
        self.assertRejected(400, "invalid_utf8", raw=raw)
        raw = b'{"login":"utf8-bad","display_name":"\xc3\x28","password":"' + PASSWORD.encode() + b'"}'
        self.assertRejected(400, "invalid_utf8", raw=raw)
        raw = b'{"login":"utf8-bad","display_name":"\xed\xa0\x80","password":"' + PASSWORD.encode() + b'"}'
        self.assertRejected(400, "invalid_utf8", raw=raw)  # encoded surrogate

    def test_invalid_login(self):
        for login in ("Bad Login", "UPPER", "-dash-first", "", "a" * 65, "名字", "a/b"):
            with self.subTest(login=login):
                self.assertRejected(400, "invalid", "login", body=good(login=login))

    def test_invalid_password(self):
        self.assertRejected(400, "invalid", "password", body=good(password="short"))
        self.assertRejected(400, "invalid", "password", body=good(password="x" * 257))

    def test_invalid_locale(self):
        self.assertRejected(400, "invalid", "locale", body=good(locale="fr"))

    def test_duplicate_login(self):
        create_user(self.admin, "dup")
        self.assertRejected(409, "conflict", body=good(login="dup"))

    def test_concurrent_duplicates(self):
        statuses = []

        def create():
            r = self.admin.post(USERS, good(login="racer"))
            statuses.append(r.status)

        threads = [threading.Thread(target=create) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses), [201] + [409] * 7)
        self.assertEqual([u["login"] for u in list_all(self.admin, USERS)].count("racer"), 1)

    def test_created_users_are_listed_exactly(self):
        before = {u["login"] for u in list_all(self.admin, USERS)}
        new = {"list-a", "list-b", "list-c"}
        for login in sorted(new):
            create_user(self.admin, login)
        after = [u["login"] for u in list_all(self.admin, USERS)]
        self.assertEqual(len(after), len(set(after)), "duplicates in the list")
        self.assertEqual(set(after), before | new)
        # Small pages give the same users.
        self.assertEqual(sorted(u["login"] for u in list_all(self.admin, USERS, limit=2)),
                         sorted(after))

    def test_limit_out_of_range(self):
        for limit in ("0", "501", "abc"):
            with self.subTest(limit=limit):
                r = self.admin.get(USERS + "?limit=" + limit)
                self.assertError(r, 400, "invalid")

    def test_injection_strings_stored_literally(self):
        for i, name in enumerate(("'); DROP TABLE users; --", "<script>alert(1)</script>",
                                  'quote " back\\slash \u00e9 应急 \U0001F6A8')):
            with self.subTest(name=name):
                u = create_user(self.admin, "inject-%d" % i, display_name=name)
                self.assertEqual(u["display_name"], name)
                r = self.admin.get("%s/%d" % (USERS, u["id"]))
                self.assertStatus(r, 200)
                self.assertEqual(r.body["display_name"], name)
        listed = {u["login"]: u["display_name"] for u in list_all(self.admin, USERS)}
        self.assertEqual(listed["inject-0"], "'); DROP TABLE users; --")
        self.assertEqual(listed["inject-1"], "<script>alert(1)</script>")

    def test_error_language(self):
        r = self.admin.post(USERS, raw=b"{", headers={"Accept-Language": "zh-CN"})
        self.assertError(r, 400, "bad_json")
        self.assertRegex(r.body["error"]["message"], r"[\u4e00-\u9fff]")
        r = self.admin.post(USERS + "?lang=zh-CN", raw=b"{")
        self.assertRegex(r.body["error"]["message"], r"[\u4e00-\u9fff]")
        r = self.admin.post(USERS, raw=b"{", headers={"Accept-Language": "en"})
        self.assertIsNone(re.search(r"[\u4e00-\u9fff]", r.body["error"]["message"]), r.body)


if __name__ == "__main__":
    unittest.main()
