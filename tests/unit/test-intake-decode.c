/*
 * test-intake-decode.c - intake_decode(): the payloads of Alertmanager's
 * webhook, Grafana's webhook contact point and PagerDuty's Events API v2,
 * as their documentation gives them, decode into the alerts they carry;
 * every bad payload is refused naming its field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/intake.h"
#include "util/buf.h"
#include "util/clock.h"

#define NOW 1764720000000LL	/* 2025-12-03T00:00:00Z */

/* The Alertmanager webhook as prometheus.io documents it (version 4). */
static const char AM_DOC[] =
	"{\"receiver\": \"erm\", \"status\": \"firing\", \"alerts\": [{"
	"\"status\": \"firing\","
	"\"labels\": {\"alertname\": \"ProbeFailure\", \"instance\":"
	" \"https://core.example.com\", \"job\": \"http_checks\","
	" \"severity\": \"critical\"},"
	"\"annotations\": {\"summary\": \"BlackBox Probe Failure\","
	" \"description\": \"down for over 5m\"},"
	"\"startsAt\": \"2023-02-06T13:08:45.828Z\","
	"\"endsAt\": \"0001-01-01T00:00:00Z\","
	"\"generatorURL\": \"http://prometheus.example.org:9090/graph?g0.expr="
	"probe_success+%3D%3D+0\","
	"\"fingerprint\": \"1a30ba71cca2921f\"}],"
	"\"groupLabels\": {\"alertname\": \"ProbeFailure\"},"
	"\"commonLabels\": {\"alertname\": \"ProbeFailure\", \"severity\":"
	" \"critical\"},"
	"\"commonAnnotations\": {\"summary\": \"BlackBox Probe Failure\"},"
	"\"externalURL\": \"http://alertmanager.example.org:9093\","
	"\"version\": \"4\","
	"\"groupKey\": \"{}/{severity=\\\"critical\\\"}:{alertname=\\\""
	"ProbeFailure\\\"}\","
	"\"truncatedAlerts\": 0}";

/* Grafana Alerting's webhook contact point (version 1), as documented. */
static const char GRAFANA_DOC[] =
	"{\"receiver\": \"My Super Webhook\", \"status\": \"firing\","
	" \"orgId\": 1, \"alerts\": [{\"status\": \"firing\","
	"\"labels\": {\"alertname\": \"High memory usage\", \"team\": \"blue\","
	" \"zone\": \"us-1\"},"
	"\"annotations\": {\"description\": \"The system has high memory"
	" usage\", \"runbook_url\": \"https://myrunbook.com/runbook/1234\","
	" \"summary\": \"This is my summary\"},"
	"\"startsAt\": \"2021-10-12T09:51:03.157076+02:00\","
	"\"endsAt\": \"0001-01-01T00:00:00Z\","
	"\"generatorURL\": \"https://play.grafana.org/alerting/1afz29v7z/edit\","
	"\"fingerprint\": \"c6eadffa33fcdf37\","
	"\"silenceURL\": \"https://play.grafana.org/alerting/silence/new?x=1\","
	"\"dashboardURL\": \"\", \"panelURL\": \"\","
	"\"values\": {\"B\": 44.23943737541908, \"C\": 1}},"
	"{\"status\": \"resolved\","
	"\"labels\": {\"alertname\": \"High CPU usage\", \"team\": \"blue\"},"
	"\"annotations\": {},"
	"\"startsAt\": \"2021-10-12T09:56:03.157076+02:00\","
	"\"endsAt\": \"2021-10-12T09:58:03.157076+02:00\","
	"\"generatorURL\": \"\", \"fingerprint\": \"57c6d9296de2ad39\","
	"\"silenceURL\": \"\", \"dashboardURL\": \"\", \"panelURL\": \"\","
	"\"values\": {}}],"
	"\"groupLabels\": {}, \"commonLabels\": {\"team\": \"blue\"},"
	" \"commonAnnotations\": {},"
	"\"externalURL\": \"https://play.grafana.org/\", \"version\": \"1\","
	" \"groupKey\": \"{}:{}\", \"truncatedAlerts\": 0,"
	" \"title\": \"[FIRING:1]  (blue)\", \"state\": \"alerting\","
	" \"message\": \"**Firing**\"}";

/* PagerDuty's example trigger (Events API v2, "Send an Alert Event"). */
static const char PD_TRIGGER[] =
	"{\"payload\": {\"summary\": \"DISK at 99% on machine"
	" prod-datapipe03.example.com\","
	"\"timestamp\": \"2015-07-17T08:42:58.315+0000\","
	"\"severity\": \"critical\","
	"\"source\": \"prod-datapipe03.example.com\","
	"\"component\": \"mysql\", \"group\": \"prod-datapipe\","
	" \"class\": \"disk\","
	"\"custom_details\": {\"free space\": \"1%\", \"ping time\": \"1500ms\","
	" \"load avg\": 0.75}},"
	"\"routing_key\": \"samplekeyhere\","
	"\"dedup_key\": \"samplekeyhere\","
	"\"images\": [{\"src\": \"https://www.pagerduty.com/logo.png\","
	" \"href\": \"https://example.com/\", \"alt\": \"Example text\"}],"
	"\"links\": [{\"href\": \"https://example.com/\","
	" \"text\": \"Link text\"}],"
	"\"event_action\": \"trigger\","
	"\"client\": \"Sample Monitoring Service\","
	"\"client_url\": \"https://monitoring.example.com\"}";

/* What Alertmanager's pagerduty_configs receiver posts. */
static const char AM_PAGERDUTY[] =
	"{\"routing_key\": \"k\", \"dedup_key\": \"0fe1c2f4d2a8a4e3b5c6d7e8f9a0"
	"b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8\", \"event_action\": \"trigger\","
	"\"payload\": {\"summary\": \"[FIRING:1] ProbeFailure\","
	" \"source\": \"Alertmanager\", \"severity\": \"error\","
	" \"custom_details\": {\"firing\": \"Labels: ...\","
	" \"num_firing\": \"1\", \"num_resolved\": \"0\", \"resolved\": \"\"}},"
	"\"client\": \"Alertmanager\","
	"\"client_url\": \"http://am.example.org/#/alerts?receiver=pd\","
	"\"links\": null}";

/* Decode text (NULL: no body) as kind k; returns intake_decode's code. */
static int decode(enum intake_kind k, const char *text,
		  struct intake_batch *b, struct errbuf *e)
{
	json_error_t je;
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, &je) : NULL;
	int rc;

	if (text && !j)
		fail_msg("test payload is not JSON: %s: %s", je.text, text);
	memset(e, 0, sizeof(*e));
	rc = intake_decode(k, j, NOW, b, e);
	json_decref(j);
	return rc;
}

/* text is refused with ERMS_EINVAL naming field. */
static void refused(enum intake_kind k, const char *text, const char *field)
{
	struct intake_batch b;
	struct errbuf e;
	int rc = decode(k, text, &b, &e);

	if (rc != ERMS_EINVAL || strcmp(e.field, field))
		fail_msg("%s: want field '%s', got rc %d field '%s' (%s)",
			 text, field, rc, e.field, e.msg);
	assert_int_equal(b.n, 0);
	assert_null(b.body);
	intake_batch_release(&b);
}

static int64_t ms(const char *s)
{
	int64_t v = 0;

	assert_int_equal(time_parse(s, &v), 0);
	return v;
}

static void test_alertmanager_doc(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	const struct alert_in *a;

	(void)state;
	assert_int_equal(decode(IK_ALERTMANAGER, AM_DOC, &b, &e), 0);
	assert_int_equal(b.kind, IK_ALERTMANAGER);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.group_key,
			    "{}/{severity=\"critical\"}:{alertname=\"ProbeFailure\"}");
	a = &b.a[0];
	assert_int_equal(a->action, AA_FIRING);
	assert_string_equal(a->fingerprint, "1a30ba71cca2921f");
	assert_int_equal(a->labels.n, 4);
	/* Sorted by name. */
	assert_string_equal(a->labels.l[0].name, "alertname");
	assert_string_equal(a->labels.l[1].name, "instance");
	assert_string_equal(a->labels.l[2].name, "job");
	assert_string_equal(a->labels.l[3].name, "severity");
	assert_int_equal(a->annotations.n, 2);
	assert_string_equal(a->annotations.l[0].name, "description");
	assert_string_equal(a->summary, "BlackBox Probe Failure");
	assert_string_equal(a->severity, "critical");
	assert_string_equal(a->source, "https://core.example.com");
	assert_non_null(strstr(a->source_url, "prometheus.example.org"));
	assert_null(a->details);
	assert_int_equal(a->starts_ms, ms("2023-02-06T13:08:45.828Z"));
	assert_int_equal(a->ends_ms, 0);	/* Go's zero time: none */
	intake_batch_release(&b);
	assert_null(b.a);
}

static void test_alertmanager_fingerprint_from_labels(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	struct label l[] = { { "alertname", "Up" }, { "job", "node" } };
	struct label_set s = { l, 2 };
	char fp[ALERT_FP_LEN + 1];

	(void)state;
	/* No fingerprint (and no version): computed from the labels, in
	 * any order of the payload. */
	assert_int_equal(decode(IK_ALERTMANAGER,
				"{\"alerts\": [{\"status\": \"firing\","
				" \"labels\": {\"job\": \"node\","
				" \"alertname\": \"Up\"}}]}", &b, &e), 0);
	label_fingerprint(&s, fp);
	assert_string_equal(b.a[0].fingerprint, fp);
	assert_string_equal(b.group_key, "");
	assert_null(b.a[0].summary);
	assert_null(b.a[0].severity);
	assert_int_equal(b.a[0].starts_ms, 0);
	intake_batch_release(&b);
	/* An empty one is none too. */
	assert_int_equal(decode(IK_ALERTMANAGER,
				"{\"alerts\": [{\"status\": \"firing\","
				" \"fingerprint\": \"\","
				" \"labels\": {\"alertname\": \"Up\","
				" \"job\": \"node\"}}]}", &b, &e), 0);
	assert_string_equal(b.a[0].fingerprint, fp);
	intake_batch_release(&b);
}

static void test_alertmanager_resolved(void **state)
{
	struct intake_batch b;
	struct errbuf e;

	(void)state;
	/* Firing, but its end is past: resolved at that end. A future
	 * end of a firing alert is no end. Resolved without an end: now. */
	assert_int_equal(decode(IK_ALERTMANAGER,
				"{\"version\": \"4\", \"alerts\": ["
				"{\"status\": \"firing\", \"labels\": {\"a\": \"1\"},"
				" \"endsAt\": \"2025-12-02T23:00:00Z\"},"
				"{\"status\": \"firing\", \"labels\": {\"a\": \"2\"},"
				" \"endsAt\": \"2025-12-03T01:00:00+01:00\"},"
				"{\"status\": \"firing\", \"labels\": {\"a\": \"3\"},"
				" \"endsAt\": \"2025-12-03T01:00:00Z\"},"
				"{\"status\": \"resolved\", \"labels\": {\"a\": \"4\"}}"
				"]}", &b, &e), 0);
	assert_int_equal(b.n, 4);
	assert_int_equal(b.a[0].action, AA_RESOLVED);
	assert_int_equal(b.a[0].ends_ms, ms("2025-12-02T23:00:00Z"));
	assert_int_equal(b.a[1].action, AA_RESOLVED);	/* = now */
	assert_int_equal(b.a[1].ends_ms, NOW);
	assert_int_equal(b.a[2].action, AA_FIRING);
	assert_int_equal(b.a[2].ends_ms, 0);
	assert_int_equal(b.a[3].action, AA_RESOLVED);
	assert_int_equal(b.a[3].ends_ms, NOW);
	intake_batch_release(&b);
	/* No alerts at all is a payload too. */
	assert_int_equal(decode(IK_ALERTMANAGER, "{\"alerts\": []}", &b, &e),
			 0);
	assert_int_equal(b.n, 0);
	intake_batch_release(&b);
}

static void test_alertmanager_unknown_members(void **state)
{
	struct intake_batch b;
	struct errbuf e;

	(void)state;
	assert_int_equal(decode(IK_ALERTMANAGER,
				"{\"alerts\": [{\"status\": \"firing\","
				" \"labels\": {}, \"new\": [1, {}]}],"
				" \"vendor\": {\"x\": 1}, \"groupLabels\": null}",
				&b, &e), 0);
	assert_int_equal(b.n, 1);
	intake_batch_release(&b);
}

static void test_alertmanager_refused(void **state)
{
	(void)state;
	refused(IK_ALERTMANAGER, "[]", "");
	refused(IK_ALERTMANAGER, "\"x\"", "");
	refused(IK_ALERTMANAGER, "{}", "alerts");
	refused(IK_ALERTMANAGER, "{\"alerts\": {}}", "alerts");
	refused(IK_ALERTMANAGER, "{\"version\": \"3\", \"alerts\": []}",
		"version");
	refused(IK_ALERTMANAGER, "{\"version\": 4, \"alerts\": []}", "version");
	refused(IK_ALERTMANAGER, "{\"groupKey\": 1, \"alerts\": []}",
		"groupKey");
	refused(IK_ALERTMANAGER, "{\"status\": \"bad\", \"alerts\": []}",
		"status");
	refused(IK_ALERTMANAGER, "{\"receiver\": [], \"alerts\": []}",
		"receiver");
	refused(IK_ALERTMANAGER, "{\"externalURL\": 1, \"alerts\": []}",
		"externalURL");
	refused(IK_ALERTMANAGER, "{\"truncatedAlerts\": \"0\", \"alerts\": []}",
		"truncatedAlerts");
	refused(IK_ALERTMANAGER, "{\"truncatedAlerts\": -1, \"alerts\": []}",
		"truncatedAlerts");
	refused(IK_ALERTMANAGER, "{\"commonLabels\": {\"a\": 1}, \"alerts\": []}",
		"commonLabels.a");
	refused(IK_ALERTMANAGER, "{\"groupLabels\": [], \"alerts\": []}",
		"groupLabels");
	refused(IK_ALERTMANAGER, "{\"alerts\": [1]}", "alerts[0]");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {}},"
		" {\"status\": \"open\", \"labels\": {}}]}", "alerts[1].status");
	refused(IK_ALERTMANAGER, "{\"alerts\": [{\"labels\": {}}]}",
		"alerts[0].status");
	refused(IK_ALERTMANAGER, "{\"alerts\": [{\"status\": \"firing\"}]}",
		"alerts[0].labels");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": []}]}",
		"alerts[0].labels");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\","
		" \"labels\": {\"severity\": 1}}]}", "alerts[0].labels.severity");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\","
		" \"labels\": {\"1bad\": \"x\"}}]}", "alerts[0].labels.1bad");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\","
		" \"labels\": {\"a-b\": \"x\"}}]}", "alerts[0].labels.a-b");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"annotations\": {\"summary\": null}}]}",
		"alerts[0].annotations.summary");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"startsAt\": \"yesterday\"}]}", "alerts[0].startsAt");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"endsAt\": 17}]}", "alerts[0].endsAt");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"generatorURL\": {}}]}", "alerts[0].generatorURL");
	refused(IK_ALERTMANAGER,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"fingerprint\": 12}]}", "alerts[0].fingerprint");
}

/* n copies of c appended to b. */
static void repeat(struct buf *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_add(b, &c, 1);
}

/* pre, n times c, post: refused naming field. */
static void refused_long(enum intake_kind k, const char *pre, char c,
			 size_t n, const char *post, const char *field)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, pre);
	repeat(&b, c, n);
	buf_adds(&b, post);
	refused(k, buf_str(&b), field);
	buf_release(&b);
}

static void test_alertmanager_limits(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	struct buf t = BUF_INIT;
	json_t *j;

	(void)state;
	/* A value longer than a label's, a fingerprint longer than 255, a
	 * groupKey longer than INTAKE_GROUP_MAX. */
	refused_long(IK_ALERTMANAGER, "{\"alerts\": [{\"status\": \"firing\","
		     " \"labels\": {\"a\": \"", 'x', ALERT_VALUE_MAX + 1,
		     "\"}}]}", "alerts[0].labels.a");
	refused_long(IK_ALERTMANAGER, "{\"alerts\": [{\"status\": \"firing\","
		     " \"labels\": {}, \"fingerprint\": \"", 'f',
		     INTAKE_DEDUP_MAX + 1, "\"}]}", "alerts[0].fingerprint");
	refused_long(IK_ALERTMANAGER, "{\"groupKey\": \"", 'g',
		     INTAKE_GROUP_MAX + 1, "\", \"alerts\": []}", "groupKey");
	/* More labels than an alert may have. */
	buf_adds(&t, "{\"alerts\": [{\"status\": \"firing\", \"labels\": {");
	for (int i = 0; i <= ALERT_LABELS_MAX; i++)
		buf_addf(&t, "%s\"l%d\": \"v\"", i ? ", " : "", i);
	buf_adds(&t, "}}]}");
	refused(IK_ALERTMANAGER, buf_str(&t), "alerts[0].labels");
	/* Past INTAKE_ALERTS_MAX alerts: too big, not malformed. */
	buf_reset(&t);
	buf_adds(&t, "{\"alerts\": [");
	for (int i = 0; i <= INTAKE_ALERTS_MAX; i++)
		buf_addf(&t, "%s{\"status\": \"firing\", \"labels\": {}}",
			 i ? "," : "");
	buf_adds(&t, "]}");
	j = json_loads(buf_str(&t), 0, NULL);
	assert_non_null(j);
	assert_int_equal(intake_decode(IK_ALERTMANAGER, j, NOW, &b, &e),
			 ERMS_ETOOBIG);
	assert_string_equal(e.field, "alerts");
	assert_int_equal(b.n, 0);
	/* INTAKE_ALERTS_MAX of them are fine: a storm in one payload. */
	json_array_remove(json_object_get(j, "alerts"), 0);
	assert_int_equal(intake_decode(IK_ALERTMANAGER, j, NOW, &b, &e), 0);
	assert_int_equal(b.n, INTAKE_ALERTS_MAX);
	intake_batch_release(&b);
	json_decref(j);
	buf_release(&t);
}

static void test_grafana_doc(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	json_t *v;

	(void)state;
	assert_int_equal(decode(IK_GRAFANA, GRAFANA_DOC, &b, &e), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.group_key, "{}:{}");
	assert_string_equal(b.a[0].fingerprint, "c6eadffa33fcdf37");
	assert_int_equal(b.a[0].action, AA_FIRING);
	assert_int_equal(b.a[0].starts_ms, ms("2021-10-12T07:51:03.157Z"));
	assert_string_equal(b.a[0].summary, "This is my summary");
	assert_string_equal(b.a[0].labels.l[0].value, "High memory usage");
	v = json_loads(b.a[0].details, 0, NULL);
	assert_non_null(v);
	assert_true(json_real_value(json_object_get(v, "B")) > 44.2);
	assert_int_equal(json_integer_value(json_object_get(v, "C")), 1);
	json_decref(v);
	assert_int_equal(b.a[1].action, AA_RESOLVED);
	assert_int_equal(b.a[1].ends_ms, ms("2021-10-12T07:58:03.157Z"));
	assert_null(b.a[1].source_url);	/* "" is none */
	assert_string_equal(b.a[1].details, "{}");
	intake_batch_release(&b);
}

static void test_grafana_refused(void **state)
{
	(void)state;
	refused(IK_GRAFANA, "{\"version\": \"4\", \"alerts\": []}", "version");
	refused(IK_GRAFANA, "{\"orgId\": \"1\", \"alerts\": []}", "orgId");
	refused(IK_GRAFANA, "{\"title\": 1, \"alerts\": []}", "title");
	refused(IK_GRAFANA, "{\"state\": {}, \"alerts\": []}", "state");
	refused(IK_GRAFANA, "{\"message\": [], \"alerts\": []}", "message");
	refused(IK_GRAFANA,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"values\": {\"B\": \"44\"}}]}", "alerts[0].values.B");
	refused(IK_GRAFANA,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"values\": [1]}]}", "alerts[0].values");
	refused(IK_GRAFANA,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"silenceURL\": 1}]}", "alerts[0].silenceURL");
	refused(IK_GRAFANA,
		"{\"alerts\": [{\"status\": \"firing\", \"labels\": {},"
		" \"imageURL\": false}]}", "alerts[0].imageURL");
	/* Alertmanager's own version is not Grafana's, and the other way. */
	refused(IK_ALERTMANAGER, "{\"version\": \"1\", \"alerts\": []}",
		"version");
}

static void test_events_trigger_doc(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	const struct alert_in *a;
	json_t *d;

	(void)state;
	assert_int_equal(decode(IK_EVENTS, PD_TRIGGER, &b, &e), 0);
	assert_int_equal(b.n, 1);
	a = &b.a[0];
	assert_int_equal(a->action, AA_FIRING);
	assert_string_equal(b.dedup_key, "samplekeyhere");
	assert_string_equal(a->fingerprint, "samplekeyhere");
	assert_string_equal(a->summary,
			    "DISK at 99% on machine prod-datapipe03.example.com");
	assert_string_equal(a->severity, "critical");
	assert_string_equal(a->source, "prod-datapipe03.example.com");
	assert_string_equal(a->source_url, "https://example.com/");
	assert_int_equal(a->starts_ms, ms("2015-07-17T08:42:58.315Z"));
	/* Its labels: the payload's fields; custom_details' names with
	 * spaces are no label names, so only in details. */
	assert_int_equal(a->labels.n, 5);
	assert_string_equal(label_get(&a->labels, "class"), "disk");
	assert_string_equal(label_get(&a->labels, "component"), "mysql");
	assert_string_equal(label_get(&a->labels, "group"), "prod-datapipe");
	assert_string_equal(label_get(&a->labels, "severity"), "critical");
	assert_string_equal(label_get(&a->labels, "source"),
			    "prod-datapipe03.example.com");
	d = json_loads(a->details, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(d, "free space")),
			    "1%");
	json_decref(d);
	intake_batch_release(&b);
}

static void test_events_details_labels(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	const struct label_set *l;

	(void)state;
	assert_int_equal(decode(IK_EVENTS,
				"{\"event_action\": \"trigger\", \"payload\": {"
				"\"summary\": \"s\", \"source\": \"db1\","
				" \"severity\": \"warning\", \"custom_details\": {"
				"\"region\": \"cn-north\", \"cpu\": 97, \"load\": 1.5,"
				" \"paged\": true, \"nested\": {\"a\": 1},"
				" \"list\": [1], \"none\": null,"
				" \"severity\": \"low\", \"bad name\": \"x\"}}}",
				&b, &e), 0);
	l = &b.a[0].labels;
	assert_string_equal(label_get(l, "region"), "cn-north");
	assert_string_equal(label_get(l, "cpu"), "97");
	assert_string_equal(label_get(l, "load"), "1.5");
	assert_string_equal(label_get(l, "paged"), "true");
	/* The payload's severity wins over a detail of that name. */
	assert_string_equal(label_get(l, "severity"), "warning");
	assert_null(label_get(l, "nested"));
	assert_null(label_get(l, "list"));
	assert_null(label_get(l, "none"));
	assert_int_equal(l->n, 6);
	for (size_t i = 1; i < l->n; i++)
		assert_true(strcmp(l->l[i - 1].name, l->l[i].name) < 0);
	/* No dedup_key: a new one, 32 hex digits, each time another. */
	assert_int_equal(strlen(b.dedup_key), 32);
	assert_int_equal(strspn(b.dedup_key, "0123456789abcdef"), 32);
	assert_string_equal(b.a[0].fingerprint, b.dedup_key);
	{
		struct intake_batch b2;

		assert_int_equal(decode(IK_EVENTS,
					"{\"event_action\": \"trigger\","
					" \"payload\": {\"summary\": \"s\","
					" \"source\": \"db1\", \"severity\":"
					" \"info\", \"custom_details\": \"t\"}}",
					&b2, &e), 0);
		assert_string_not_equal(b2.dedup_key, b.dedup_key);
		assert_string_equal(b2.a[0].details, "\"t\"");
		intake_batch_release(&b2);
	}
	intake_batch_release(&b);
}

static void test_events_many_details(void **state)
{
	struct intake_batch b;
	struct errbuf e;
	struct buf t = BUF_INIT;

	(void)state;
	/* More details than labels: the labels stop at ALERT_LABELS_MAX. */
	buf_adds(&t, "{\"event_action\": \"trigger\", \"payload\": {"
		 "\"summary\": \"s\", \"source\": \"h\", \"severity\":"
		 " \"info\", \"custom_details\": {");
	for (int i = 0; i < 100; i++)
		buf_addf(&t, "%s\"d%d\": %d", i ? ", " : "", i, i);
	buf_adds(&t, "}}}");
	assert_int_equal(decode(IK_EVENTS, buf_str(&t), &b, &e), 0);
	assert_int_equal(b.a[0].labels.n, ALERT_LABELS_MAX);
	intake_batch_release(&b);
	buf_release(&t);
}

static void test_events_alertmanager_receiver(void **state)
{
	struct intake_batch b;
	struct errbuf e;

	(void)state;
	assert_int_equal(decode(IK_EVENTS, AM_PAGERDUTY, &b, &e), 0);
	assert_int_equal(b.a[0].action, AA_FIRING);
	assert_string_equal(b.a[0].severity, "error");
	assert_string_equal(label_get(&b.a[0].labels, "num_firing"), "1");
	assert_null(b.a[0].source_url);
	intake_batch_release(&b);
}

static void test_events_ack_resolve(void **state)
{
	struct intake_batch b;
	struct errbuf e;

	(void)state;
	assert_int_equal(decode(IK_EVENTS,
				"{\"routing_key\": \"k\", \"dedup_key\": \"d-1\","
				" \"event_action\": \"acknowledge\"}", &b, &e), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.a[0].action, AA_ACK);
	assert_string_equal(b.a[0].fingerprint, "d-1");
	assert_string_equal(b.dedup_key, "d-1");
	assert_int_equal(b.a[0].labels.n, 0);
	intake_batch_release(&b);
	/* A resolve may carry a payload (Alertmanager sends one). */
	assert_int_equal(decode(IK_EVENTS,
				"{\"dedup_key\": \"d-1\", \"event_action\":"
				" \"resolve\", \"payload\": {\"summary\": \"x\"}}",
				&b, &e), 0);
	assert_int_equal(b.a[0].action, AA_RESOLVED);
	assert_int_equal(b.a[0].ends_ms, NOW);
	intake_batch_release(&b);
}

static void test_events_refused(void **state)
{
	(void)state;
	refused(IK_EVENTS, "[]", "");
	refused(IK_EVENTS, "{}", "event_action");
	refused(IK_EVENTS, "{\"event_action\": \"explode\"}", "event_action");
	refused(IK_EVENTS, "{\"event_action\": 1}", "event_action");
	refused(IK_EVENTS, "{\"event_action\": \"resolve\"}", "dedup_key");
	refused(IK_EVENTS, "{\"event_action\": \"acknowledge\","
		" \"dedup_key\": \"\"}", "dedup_key");
	refused(IK_EVENTS, "{\"event_action\": \"resolve\", \"dedup_key\": 5}",
		"dedup_key");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\"}", "payload");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\": []}",
		"payload");
	refused(IK_EVENTS, "{\"routing_key\": 1, \"event_action\": \"resolve\","
		" \"dedup_key\": \"d\"}", "routing_key");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"source\": \"h\", \"severity\": \"info\"}}",
		"payload.summary");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"\", \"source\": \"h\", \"severity\": \"info\"}}",
		"payload.summary");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"severity\": \"info\"}}",
		"payload.source");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\"}}", "payload.severity");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"high\"}}",
		"payload.severity");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\","
		" \"timestamp\": \"now\"}}", "payload.timestamp");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\","
		" \"component\": 1}}", "payload.component");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\"},"
		" \"links\": [{\"href\": 1}]}", "links[0].href");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\"},"
		" \"links\": {}}", "links");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\"},"
		" \"images\": [\"x\"]}", "images[0]");
	refused(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		" {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\"},"
		" \"client\": []}", "client");
	/* summary: at most 1024 bytes; dedup_key at most 255. */
	refused_long(IK_EVENTS, "{\"event_action\": \"trigger\", \"payload\":"
		     " {\"source\": \"h\", \"severity\": \"info\","
		     " \"summary\": \"", 's', 1025, "\"}}", "payload.summary");
	{
		struct intake_batch b;
		struct errbuf e;
		struct buf t = BUF_INIT;

		buf_adds(&t, "{\"event_action\": \"trigger\", \"payload\":"
			 " {\"source\": \"h\", \"severity\": \"info\","
			 " \"summary\": \"");
		repeat(&t, 's', 1024);
		buf_adds(&t, "\"}}");
		assert_int_equal(decode(IK_EVENTS, buf_str(&t), &b, &e), 0);
		intake_batch_release(&b);
		buf_release(&t);
	}
	refused_long(IK_EVENTS, "{\"event_action\": \"resolve\","
		     " \"dedup_key\": \"", 'd', 256, "\"}", "dedup_key");
}

static void test_heartbeat(void **state)
{
	struct intake_batch b;
	struct errbuf e;

	(void)state;
	assert_int_equal(decode(IK_HEARTBEAT, NULL, &b, &e), 0);
	assert_int_equal(b.n, 0);
	intake_batch_release(&b);
	assert_int_equal(decode(IK_HEARTBEAT, "[1, 2]", &b, &e), 0);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.kind, IK_HEARTBEAT);
	intake_batch_release(&b);
}

static void test_kind_names(void **state)
{
	(void)state;
	for (int k = 0; k < IK__COUNT; k++)
		assert_int_equal(intake_kind_from_name(intake_kind_name(k)), k);
	assert_string_equal(intake_kind_name(IK_EVENTS), "events");
	assert_int_equal(intake_kind_from_name("pagerduty"), -1);
	assert_int_equal(intake_kind_from_name(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alertmanager_doc),
		cmocka_unit_test(test_alertmanager_fingerprint_from_labels),
		cmocka_unit_test(test_alertmanager_resolved),
		cmocka_unit_test(test_alertmanager_unknown_members),
		cmocka_unit_test(test_alertmanager_refused),
		cmocka_unit_test(test_alertmanager_limits),
		cmocka_unit_test(test_grafana_doc),
		cmocka_unit_test(test_grafana_refused),
		cmocka_unit_test(test_events_trigger_doc),
		cmocka_unit_test(test_events_details_labels),
		cmocka_unit_test(test_events_many_details),
		cmocka_unit_test(test_events_alertmanager_receiver),
		cmocka_unit_test(test_events_ack_resolve),
		cmocka_unit_test(test_events_refused),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
