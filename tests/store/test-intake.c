/*
 * test-intake.c - the store contract for monitoring intake:
 * integrations (found by their key's hash, renamed, rekeyed, deleted,
 * counted, heartbeats due), alerts (the newest of a fingerprint, the
 * alerts of an incident) and the groups of alerts an incident takes.
 */
#include "contract.h"

static struct integration_row mk_integration(const char *name,
					     const char *kind, int64_t by)
{
	struct integration_row r = { .enabled = true, .created_by = by,
				     .rate_limit_per_min = 6000,
				     .created_ms = T2026 };

	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.key_prefix, sizeof(r.key_prefix), "ermsi_");
	return r;
}

static int count_intg(void *ctx, const struct integration_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

/* Every setting comes back; the key's hash finds it; a second one of
 * the same name or key is refused; an update writes every setting. */
static void test_integration_rows(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "admin");
	struct integration_row r = mk_integration("Prometheus 生产",
						  "alertmanager", u),
			       b = mk_integration("Prometheus 生产", "events", u),
			       got = { 0 };
	int n = 0;

	snprintf(r.category, sizeof(r.category), "network");
	snprintf(r.level, sizeof(r.level), "II");
	r.title_template = (char *)"{{alertname}} 于 {{instance}}";
	r.group_by = (char *)"[\"cluster\"]";
	r.group_window_s = 600;
	r.auto_dismiss = true;
	r.rules = (char *)"[{\"matchers\":[\"severity=\\\"critical\\\"\"]}]";
	r.maintenance = (char *)"[]";
	assert_int_equal(store_integration_insert(f->st, &r, "hash-a"), 0);
	assert_true(r.id > 0);
	assert_int_equal(store_integration_insert(f->st, &b, "hash-b"),
			 ERMS_ECONFLICT);
	snprintf(b.name, sizeof(b.name), "other");
	assert_int_equal(store_integration_insert(f->st, &b, "hash-a"),
			 ERMS_ECONFLICT);
	assert_int_equal(store_integration_get(f->st, r.id, &got), 0);
	assert_string_equal(got.name, "Prometheus 生产");
	assert_string_equal(got.kind, "alertmanager");
	assert_string_equal(got.key_prefix, "ermsi_");
	assert_true(got.enabled);
	assert_int_equal(got.created_by, u);
	assert_string_equal(got.category, "network");
	assert_string_equal(got.level, "II");
	assert_string_equal(got.title_template, r.title_template);
	assert_string_equal(got.group_by, "[\"cluster\"]");
	assert_int_equal(got.group_window_s, 600);
	assert_true(got.auto_dismiss);
	assert_int_equal(got.rate_limit_per_min, 6000);
	assert_string_equal(got.rules, r.rules);
	assert_string_equal(got.maintenance, "[]");
	assert_int_equal(got.received, 0);
	assert_int_equal(got.last_received_ms, 0);
	assert_int_equal(got.created_ms, T2026);
	assert_int_equal(got.updated_ms, T2026);
	assert_int_equal(store_integration_by_hash(f->st, "hash-a", &got), 0);
	assert_int_equal(got.id, r.id);
	assert_int_equal(store_integration_by_hash(f->st, "hash-x", &got),
			 ERMS_ENOTFOUND);

	snprintf(got.name, sizeof(got.name), "renamed");
	got.enabled = false;
	got.category[0] = got.level[0] = 0;
	free(got.title_template);
	got.title_template = strdup("");
	got.group_window_s = 0;
	got.auto_dismiss = false;
	got.rate_limit_per_min = 10;
	got.updated_ms = T2026 + 5;
	assert_int_equal(store_integration_update(f->st, &got), 0);
	integration_row_release(&got);
	assert_int_equal(store_integration_get(f->st, r.id, &got), 0);
	assert_string_equal(got.name, "renamed");
	assert_false(got.enabled);
	assert_string_equal(got.category, "");
	assert_string_equal(got.title_template, "");
	assert_int_equal(got.rate_limit_per_min, 10);
	assert_int_equal(got.updated_ms, T2026 + 5);
	/* The old name is free again. */
	snprintf(b.name, sizeof(b.name), "Prometheus 生产");
	assert_int_equal(store_integration_insert(f->st, &b, "hash-b"), 0);
	assert_int_equal(store_integration_list(f->st, count_intg, &n), 0);
	assert_int_equal(n, 2);
	integration_row_release(&got);
}

/* A new key replaces the old; a deleted integration is gone by id, by
 * key and from the list, and frees its name; counts move by deltas. */
static void test_integration_rekey_delete(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "admin");
	struct integration_row r = mk_integration("grafana", "grafana", u),
			       b = mk_integration("grafana", "grafana", u),
			       got = { 0 };
	int n = 0;

	assert_int_equal(store_integration_insert(f->st, &r, "old"), 0);
	assert_int_equal(store_integration_rekey(f->st, r.id, "new", "ab12cd",
						 T2026 + 1, 0), 0);
	assert_int_equal(store_integration_by_hash(f->st, "old", &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_integration_by_hash(f->st, "new", &got), 0);
	assert_string_equal(got.key_prefix, "ab12cd");
	assert_int_equal(got.updated_ms, T2026 + 1);

	assert_int_equal(store_integration_count(f->st, r.id, true, 5, 3,
						 false, T2026 + 2), 0);
	assert_int_equal(store_integration_count(f->st, r.id, true, 1, -2,
						 false, T2026 + 3), 0);
	assert_int_equal(store_integration_count(f->st, r.id, false, 0, -1,
						 true, T2026 + 9), 0);
	assert_int_equal(store_integration_get(f->st, r.id, &got), 0);
	assert_int_equal(got.received, 2);
	assert_int_equal(got.alerts_total, 6);
	assert_int_equal(got.alerts_firing, 0);
	assert_int_equal(got.last_received_ms, T2026 + 3);
	assert_true(got.hb_missed);

	assert_int_equal(store_integration_delete(f->st, r.id, T2026 + 4), 0);
	assert_int_equal(store_integration_delete(f->st, r.id, T2026 + 4),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_integration_get(f->st, r.id, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_integration_by_hash(f->st, "new", &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_integration_rekey(f->st, r.id, "newer", "x",
						 T2026 + 5, 0), ERMS_ENOTFOUND);
	got.id = r.id;
	got.updated_ms = T2026 + 5;
	assert_int_equal(store_integration_update(f->st, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_integration_list(f->st, count_intg, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_integration_insert(f->st, &b, "new"), 0);
	assert_true(b.id > r.id);
	integration_row_release(&got);
}

/* Heartbeats are due once called at least once, past their interval,
 * enabled, with no missed alert open. */
static void test_heartbeats_due(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "admin");
	struct integration_row a = mk_integration("cron", "heartbeat", u),
			       b = mk_integration("never", "heartbeat", u),
			       c = mk_integration("events", "events", u);
	int n = 0;

	a.interval_s = b.interval_s = 60;
	assert_int_equal(store_integration_insert(f->st, &a, "ha"), 0);
	assert_int_equal(store_integration_insert(f->st, &b, "hb"), 0);
	assert_int_equal(store_integration_insert(f->st, &c, "hc"), 0);
	assert_int_equal(store_integration_count(f->st, c.id, true, 0, 0,
						 false, T2026), 0);
	assert_int_equal(store_integration_hb_due(f->st, T2026 + 600000, 10,
						  count_intg, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_integration_count(f->st, a.id, true, 0, 0,
						 false, T2026), 0);
	assert_int_equal(store_integration_hb_due(f->st, T2026 + 60000, 10,
						  count_intg, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_integration_hb_due(f->st, T2026 + 60001, 10,
						  count_intg, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_integration_count(f->st, a.id, false, 1, 1,
						 true, T2026 + 60001), 0);
	n = 0;
	assert_int_equal(store_integration_hb_due(f->st, T2026 + 90000, 10,
						  count_intg, &n), 0);
	assert_int_equal(n, 0);
}

static struct alert_row mk_alert(int64_t intg, const char *fp, int64_t at)
{
	struct alert_row a = { .integration_id = intg, .firing = true,
			       .count = 1, .starts_ms = at,
			       .first_seen_ms = at, .last_seen_ms = at };

	snprintf(a.fingerprint, sizeof(a.fingerprint), "%s", fp);
	snprintf(a.severity, sizeof(a.severity), "critical");
	return a;
}

struct seen {
	int n;
	int64_t last_id;
};

static int note_alert(void *ctx, const struct alert_row *a)
{
	struct seen *s = ctx;

	assert_true(a->id > s->last_id);
	s->last_id = a->id;
	s->n++;
	return 0;
}

/* An alert comes back whole; the newest of a fingerprint is found; an
 * update writes its life; an incident lists its alerts in order; the
 * group of an incident counts them and tells its incident's state. */
static void test_alerts_and_groups(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "admin");
	struct integration_row r = mk_integration("am", "alertmanager", u);
	struct incident_row inc;
	struct alert_row a, b, got = { 0 };
	struct alert_group_row g = { 0 }, gg = { 0 };
	struct seen s = { 0, 0 };

	assert_int_equal(store_integration_insert(f->st, &r, "h"), 0);
	add_incident(f->st, &inc, u, add_version(f->st, "p", u), T2026,
		     "HighLatency", "");
	inc.integration_id = r.id;
	g.integration_id = r.id;
	g.group_key = (char *)"{}:{alertname=\"HighLatency\"}";
	g.incident_id = inc.inc.id;
	g.first_ms = T2026;
	g.alerts = 1;
	g.firing = 1;
	g.flushed_ms = T2026;
	assert_int_equal(store_alert_group_insert(f->st, &g), 0);
	assert_true(g.id > 0);

	a = mk_alert(r.id, "1a30ba71cca2921f", T2026);
	a.incident_id = inc.inc.id;
	a.group_id = g.id;
	a.summary = (char *)"延迟过高";
	a.labels = (char *)"{\"alertname\":\"HighLatency\"}";
	a.annotations = (char *)"{\"summary\":\"延迟过高\"}";
	a.source = (char *)"web-1";
	a.group_key = g.group_key;
	assert_int_equal(store_alert_insert(f->st, &a), 0);
	assert_true(a.id > 0);
	b = mk_alert(r.id, "ffff", T2026 + 1);
	b.suppressed = true;
	assert_int_equal(store_alert_insert(f->st, &b), 0);

	assert_int_equal(store_alert_get(f->st, a.id, &got), 0);
	assert_int_equal(got.integration_id, r.id);
	assert_int_equal(got.incident_id, inc.inc.id);
	assert_int_equal(got.group_id, g.id);
	assert_string_equal(got.fingerprint, "1a30ba71cca2921f");
	assert_true(got.firing);
	assert_string_equal(got.severity, "critical");
	assert_string_equal(got.summary, "延迟过高");
	assert_string_equal(got.labels, a.labels);
	assert_string_equal(got.annotations, a.annotations);
	assert_string_equal(got.source, "web-1");
	assert_null(got.source_url);
	assert_null(got.details);
	assert_string_equal(got.group_key, g.group_key);
	assert_int_equal(got.count, 1);
	assert_false(got.suppressed);
	assert_int_equal(got.starts_ms, T2026);
	assert_int_equal(got.ends_ms, 0);
	assert_int_equal(got.resolved_ms, 0);
	assert_int_equal(store_alert_get(f->st, b.id, &got), 0);
	assert_true(got.suppressed);
	assert_int_equal(got.incident_id, 0);
	assert_string_equal(got.labels, "{}");

	assert_int_equal(store_alert_last(f->st, r.id, "1a30ba71cca2921f",
					  &got), 0);
	assert_int_equal(got.id, a.id);
	got.count = 2;
	got.firing = false;
	got.ends_ms = T2026 + 50;
	got.resolved_ms = T2026 + 60;
	got.last_seen_ms = T2026 + 60;
	free(got.details);
	got.details = strdup("{\"k\":1}");
	assert_int_equal(store_alert_update(f->st, &got), 0);
	assert_int_equal(store_alert_last(f->st, r.id, "1a30ba71cca2921f",
					  &got), 0);
	assert_int_equal(got.count, 2);
	assert_false(got.firing);
	assert_int_equal(got.ends_ms, T2026 + 50);
	assert_int_equal(got.resolved_ms, T2026 + 60);
	assert_int_equal(got.first_seen_ms, T2026);
	assert_int_equal(got.last_seen_ms, T2026 + 60);
	assert_string_equal(got.details, "{\"k\":1}");
	/* A second life of the fingerprint: the newest row is found. */
	b = mk_alert(r.id, "1a30ba71cca2921f", T2026 + 100);
	b.incident_id = inc.inc.id;
	assert_int_equal(store_alert_insert(f->st, &b), 0);
	assert_int_equal(store_alert_last(f->st, r.id, "1a30ba71cca2921f",
					  &got), 0);
	assert_int_equal(got.id, b.id);
	assert_int_equal(store_alert_last(f->st, r.id + 1, "1a30ba71cca2921f",
					  &got), ERMS_ENOTFOUND);
	alert_row_release(&got);

	assert_int_equal(store_alert_list(f->st, inc.inc.id, 0, 10, note_alert,
					  &s), 0);
	assert_int_equal(s.n, 2);
	s = (struct seen){ 0, a.id };
	assert_int_equal(store_alert_list(f->st, inc.inc.id, a.id, 10,
					  note_alert, &s), 0);
	assert_int_equal(s.n, 1);
	s = (struct seen){ 0, 0 };
	assert_int_equal(store_alert_list(f->st, inc.inc.id, 0, 1, note_alert,
					  &s), 0);
	assert_int_equal(s.n, 1);

	assert_int_equal(store_alert_group_last(f->st, r.id, g.group_key, &gg),
			 0);
	assert_int_equal(gg.id, g.id);
	assert_int_equal(gg.incident_id, inc.inc.id);
	assert_int_equal(gg.inc_state, INC_REPORTED);
	assert_string_equal(gg.inc_number, inc.number);
	assert_int_equal(gg.alerts, 1);
	assert_string_equal(gg.pending_json, "{}");
	gg.alerts = 3;
	gg.firing = 2;
	gg.pending = 2;
	free(gg.pending_json);
	gg.pending_json = strdup("{\"HighLatency\":2}");
	assert_int_equal(store_alert_group_update(f->st, &gg), 0);
	assert_int_equal(store_alert_group_get(f->st, g.id, &gg), 0);
	assert_int_equal(gg.alerts, 3);
	assert_int_equal(gg.firing, 2);
	assert_int_equal(gg.pending, 2);
	assert_string_equal(gg.pending_json, "{\"HighLatency\":2}");
	assert_int_equal(store_alert_group_last(f->st, r.id, "other", &gg),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_alert_group_get(f->st, g.id + 1, &gg),
			 ERMS_ENOTFOUND);

	/* Pending groups whose last entry is old enough. */
	s = (struct seen){ 0, 0 };
	assert_int_equal(store_alert_group_pending(f->st, T2026 - 1, 10,
		(store_alert_group_fn *)count_intg, &s.n), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_alert_group_pending(f->st, T2026, 10,
		(store_alert_group_fn *)count_intg, &s.n), 0);
	assert_int_equal(s.n, 1);
	alert_group_row_release(&gg);
	incident_row_release(&inc);
}

/* An incident keeps its source and its integration. */
static void test_incident_source(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "admin");
	struct integration_row r = mk_integration("am", "alertmanager", u);
	struct incident_row inc, got = { 0 };

	assert_int_equal(store_integration_insert(f->st, &r, "h"), 0);
	add_incident(f->st, &inc, u, add_version(f->st, "p", u), T2026, "a",
		     "");
	assert_string_equal(inc.source, "manual");
	assert_int_equal(store_incident_get_id(f->st, inc.inc.id, &got), 0);
	assert_string_equal(got.source, "manual");
	assert_int_equal(got.integration_id, 0);
	incident_row_release(&inc);
	inc = (struct incident_row){ .reporter_id = u,
				     .plan_version_id = got.plan_version_id,
				     .integration_id = r.id };
	snprintf(inc.source, sizeof(inc.source), "alertmanager");
	incident_init(&inc.inc, 0, T2026, false);
	inc.inc.state = INC_REPORTED;
	inc.inc.reported_ms = T2026;
	snprintf(inc.category, sizeof(inc.category), "network");
	inc.title = strdup("from a monitor");
	inc.description = strdup("");
	inc.impact = strdup("");
	assert_int_equal(store_incident_insert(f->st, &inc), 0);
	assert_int_equal(store_incident_get_id(f->st, inc.inc.id, &got), 0);
	assert_string_equal(got.source, "alertmanager");
	assert_int_equal(got.integration_id, r.id);
	incident_row_release(&got);
	incident_row_release(&inc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_integration_rows),
		CT(test_integration_rekey_delete),
		CT(test_heartbeats_due),
		CT(test_alerts_and_groups),
		CT(test_incident_source),
	};

	return contract_main("intake", tests, ARRAY_LEN(tests));
}
