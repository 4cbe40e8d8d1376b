"""Anonymous routes: /healthz, the web console at /, /metrics, the OpenAPI
document, and the 404 / 405 answers for unknown routes and wrong methods.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ServerTestCase  # noqa: E402
from receivers import wait_until  # noqa: E402


class Health(ServerTestCase):
    def setUp(self):
        self.c = self.server.client()

    def test_healthz(self):
        r = self.c.get("/healthz")
        self.assertStatus(r, 200)
        self.assertIn("application/json", r.headers.get("content-type", ""))
        self.assertEqual(r.body["status"], "ok")
        # Which database this node reaches and whether it takes writes,
        # for a load balancer's check (docs/deploy.md).
        db = r.body["db"]
        if self.server.db.startswith("postgres"):
            self.assertEqual((db["engine"], db["role"]), ("postgres", "primary"))
        else:
            self.assertEqual((db["engine"], db["role"]), ("sqlite", "embedded"))
        self.assertIs(db["writable"], True)
        # One node alone leads the scheduler from its first tick (a second).
        wait_until(lambda: self.c.get("/healthz").body.get("scheduler_leader") is True,
                   5, 0.1, "this node to lead the scheduler")

    def test_console_sign_in_page(self):
        r = self.c.get("/", headers={"Accept": "text/html"})
        self.assertStatus(r, 200)
        self.assertTrue(r.headers.get("content-type", "").startswith("text/html"), r.headers)
        self.assertIsInstance(r.body, str)
        self.assertIn("<form", r.body)
        self.assertIn("password", r.body)
        self.assertIn("content-security-policy", r.headers)
        self.assertTrue(r.headers["content-security-policy"].strip())

    def test_metrics(self):
        self.c.get("/healthz")  # at least one counted request
        r = self.c.get("/metrics", headers={"Accept": "text/plain"})
        self.assertStatus(r, 200)
        self.assertTrue(r.headers.get("content-type", "").startswith("text/plain"), r.headers)
        self.assertIsInstance(r.body, str)
        self.assertIn("erms_http_requests_total", r.body)
        self.assertIn("erms_http_request_duration_seconds_bucket", r.body)
        # Prometheus text format: every sample line is "name{labels} value".
        for line in r.body.splitlines():
            if line and not line.startswith("#"):
                name_labels, _, value = line.rpartition(" ")
                self.assertTrue(name_labels, line)
                float(value)  # raises on a malformed sample

    def test_metrics_labels_are_bounded(self):
        """Routes are labelled by pattern: ids and unknown paths add no series."""
        self.c.get("/api/v1/users/73519")
        self.c.get("/no-such-page-84621")
        body = self.c.get("/metrics").body
        self.assertNotIn("73519", body)
        self.assertNotIn("84621", body)

    def test_unknown_route(self):
        for path in ("/api/v1/no-such-thing", "/api/v1/users/1/nope"):
            with self.subTest(path=path):
                self.assertError(self.c.get(path), 404, "not_found")

    def test_wrong_method(self):
        r = self.c.req("DELETE", "/healthz")
        self.assertError(r, 405, "method_not_allowed")
        self.assertIn("GET", r.headers.get("allow", ""), r.headers)

    def test_openapi(self):
        r = self.c.get("/api/v1/openapi.json")
        self.assertStatus(r, 200)
        self.assertIsInstance(r.body, dict, r.headers)
        self.assertTrue(str(r.body.get("openapi", "")).startswith("3."), r.body.get("openapi"))
        self.assertIn("paths", r.body)
        self.assertIn("/api/v1/users", r.body["paths"])


if __name__ == "__main__":
    unittest.main()
