/*
 * intake.c - what a payload's alerts do (app/intake.h): deduplicated by
 * fingerprint, routed by the integration's rules, held back by its
 * maintenance windows, grouped into one incident per group; the first
 * alert of a group reports the incident through the plan's reporting
 * chain as a person's report would. Later alerts go on the incident's
 * timeline in batches: one entry per payload at most, the first at once,
 * then one a minute at most (the scheduler writes what is left). When
 * every alert of an incident is resolved the timeline says so and
 * command HQ is told.
 *
 * The hot path per alert is one look-up of the newest alert of its
 * fingerprint (an index) and one write; the integration's counts are
 * written once per payload, each group touched once.
 */
#include "app/intake.h"

#include "app/intake-run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/codec-write.h"
#include "app/incidents.h"
#include "app/intake-conf.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/timeline.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define TITLE_MAX 200		/* bytes of a title made from an alert */
#define NAMES_SHOWN 5		/* alert names in a batch's entry */
#define HB_FINGERPRINT "heartbeat-missed"

static bool inc_open(enum inc_state s)
{
	return s == INC_REPORTED || s == INC_ACKNOWLEDGED || s == INC_ACTIVE;
}

static const struct plan *run_plan(struct intake_run *r)
{
	if (!r->plan_loaded) {
		r->plan_loaded = true;
		if (plan_load_current(r->st, &r->plan))
			r->plan = NULL;
	}
	return r->plan;
}

static struct intake_group *gs_add(struct intake_run *r,
				   struct alert_group_row *g)
{
	struct intake_group *s;

	if (r->ngs == r->capgs) {
		r->capgs = r->capgs ? 2 * r->capgs : 4;
		r->gs = xrealloc(r->gs, r->capgs * sizeof(*r->gs));
	}
	s = &r->gs[r->ngs++];
	*s = (struct intake_group){ .g = *g, .firing_before = g->firing };
	*g = (struct alert_group_row){ 0 };
	return s;
}

/* The group of id, read once per payload. */
int intake_group_get(struct intake_run *r, int64_t id,
		     struct intake_group **out)
{
	struct alert_group_row g = { 0 };
	int rc;

	for (size_t i = 0; i < r->ngs; i++)
		if (r->gs[i].g.id == id) {
			*out = &r->gs[i];
			return 0;
		}
	if ((rc = store_alert_group_get(r->st, id, &g))) {
		alert_group_row_release(&g);
		return rc;
	}
	*out = gs_add(r, &g);
	return 0;
}

/* May group s take a new alert now? */
static bool gs_takes(const struct intake_run *r, const struct intake_group *s)
{
	int64_t w = r->intg.group_window_s * 1000;

	return inc_open(s->g.inc_state) &&
	       (!w || r->now_ms - s->g.first_ms <= w);
}

/* The open group of key, if any (read once per payload). */
static int gs_by_key(struct intake_run *r, const char *key,
		     struct intake_group **out)
{
	struct alert_group_row g = { 0 };
	int rc;

	*out = NULL;
	for (size_t i = r->ngs; i-- > 0;)
		if (r->gs[i].newest && !strcmp(r->gs[i].g.group_key, key)) {
			if (gs_takes(r, &r->gs[i]))
				*out = &r->gs[i];
			return 0;
		}
	rc = store_alert_group_last(r->st, r->intg.id, key, &g);
	if (rc == ERMS_ENOTFOUND)
		return 0;
	if (rc) {
		alert_group_row_release(&g);
		return rc;
	}
	for (size_t i = 0; i < r->ngs; i++)
		if (r->gs[i].g.id == g.id) {
			alert_group_row_release(&g);
			r->gs[i].newest = true;
			*out = gs_takes(r, &r->gs[i]) ? &r->gs[i] : NULL;
			return 0;
		}
	*out = gs_add(r, &g);
	(*out)->newest = true;
	if (!gs_takes(r, *out))
		*out = NULL;
	return 0;
}

/* The name an alert goes by on the timeline. */
static const char *alert_name(const struct alert_in *a)
{
	const char *n = label_get(&a->labels, "alertname");

	if (n && *n)
		return n;
	return a->summary && *a->summary ? a->summary : a->fingerprint;
}

/* Group s's pending alerts by name, read from its row once. */
static json_t *gs_names(struct intake_group *s)
{
	if (!s->names) {
		s->names = json_loads(s->g.pending_json ? s->g.pending_json
							: "{}", 0, NULL);
		if (!json_is_object(s->names)) {
			json_decref(s->names);
			s->names = json_object();
		}
	}
	return s->names;
}

/* One more alert of group s for its next timeline entry. */
static void gs_pend(struct intake_group *s, const char *name)
{
	json_t *n;

	gs_names(s);
	n = json_object_get(s->names, name);
	if (!n && json_object_size(s->names) >= 64)
		name = "…";
	n = json_object_get(s->names, name);
	json_object_set_new(s->names, name,
			    json_integer(json_integer_value(n) + 1));
	s->g.pending++;
	s->dirty = true;
}

/* "HighLatency×10, DiskFull×2" of names, most first. */
static void names_text(const json_t *names, struct buf *b)
{
	const char *shown[NAMES_SHOWN];
	size_t n = 0, more = 0;

	for (;;) {
		const char *best = NULL, *k;
		json_int_t bn = 0;
		json_t *v;

		json_object_foreach((json_t *)names, k, v) {
			bool seen = false;

			for (size_t i = 0; i < n; i++)
				seen = seen || !strcmp(shown[i], k);
			if (!seen && json_integer_value(v) > bn) {
				best = k;
				bn = json_integer_value(v);
			}
		}
		if (!best)
			break;
		if (n == NAMES_SHOWN) {
			more = json_object_size(names) - n;
			break;
		}
		shown[n++] = best;
		buf_addf(b, "%s%s×%lld", n > 1 ? ", " : "", best,
			 (long long)bn);
	}
	if (more)
		buf_addf(b, ", … (+%zu)", more);
}

/* The timeline entry of group s's pending alerts; they are then none. */
int intake_group_flush(struct intake_run *r, struct intake_group *s)
{
	struct buf names = BUF_INIT;
	int rc;

	names_text(gs_names(s), &names);
	rc = app_timeline_msg(r->st, s->g.incident_id, 0, "alert",
			      "tl.alerts_more",
			      json_pack("{s:i, s:s}", "n", s->g.pending,
					"names", buf_str(&names)),
			      json_pack("{s:s, s:i, s:O, s:I}", "change",
					"alerts", "alerts", s->g.pending,
					"names", s->names, "integration_id",
					(json_int_t)s->g.integration_id),
			      r->now_ms);
	buf_release(&names);
	json_object_clear(s->names);
	s->g.pending = 0;
	s->g.flushed_ms = r->now_ms;
	s->dirty = true;
	return rc;
}

/* Every alert of s's incident is resolved: say so, tell command HQ and,
 * when the integration says, dismiss an incident nobody acknowledged. */
static int gs_all_resolved(struct intake_run *r, struct intake_group *s)
{
	const struct plan *plan = run_plan(r);
	const char *hq = plan ? notify_kind_group(plan, "command") : NULL;
	char *text, *subject;
	int rc, n = 0;

	if (s->names)
		json_object_clear(s->names);
	s->g.pending = 0;
	s->g.flushed_ms = r->now_ms;
	text = xasprintf("%d 条告警已全部恢复 / all %d alert%s resolved",
			 s->g.alerts, s->g.alerts, s->g.alerts == 1 ? "" : "s");
	rc = app_timeline_msg(r->st, s->g.incident_id, 0, "alert",
			      "tl.alerts_resolved",
			      json_pack("{s:i}", "n", s->g.alerts),
			      json_pack("{s:s, s:i, s:I}", "change",
					"resolved", "alerts", s->g.alerts,
					"integration_id",
					(json_int_t)s->g.integration_id),
			      r->now_ms);
	if (!rc && hq) {
		subject = xasprintf("【告警已恢复 / Alerts resolved】%s",
				    s->g.inc_number);
		rc = notify_group(r->st, hq, "alerts.resolved", subject, text,
				  r->now_ms, &n);
		free(subject);
	}
	free(text);
	if (!rc && r->intg.auto_dismiss && s->g.inc_state == INC_REPORTED) {
		struct incident_args args = {
			.reason = "all alerts resolved before acknowledgement",
		};
		struct incident_row row = { 0 };
		char key[24];

		snprintf(key, sizeof(key), "%lld",
			 (long long)s->g.incident_id);
		rc = app_incident_act(r->st, &principal_system, key,
				      IA_DISMISS, &args, r->now_ms, &row,
				      r->e);
		if (!rc)
			s->g.inc_state = row.inc.state;
		incident_row_release(&row);
	}
	return rc;
}

/* The group key of alert a. */
static void group_key_of(const struct intake_run *r,
			 const struct intake_batch *b,
			 const struct alert_in *a, struct buf *out)
{
	if (r->drill) {
		buf_adds(out, "erms test alert");
	} else if (r->conf.ngroup_by) {
		buf_adds(out, "{");
		for (size_t i = 0; i < r->conf.ngroup_by; i++) {
			const char *v = label_get(&a->labels,
						  r->conf.group_by[i]);

			buf_addf(out, "%s%s=\"%s\"", i ? "," : "",
				 r->conf.group_by[i], v ? v : "");
		}
		buf_adds(out, "}");
	} else if (r->kind == IK_HEARTBEAT) {
		buf_adds(out, "heartbeat");
	} else if (r->kind == IK_EVENTS) {
		buf_adds(out, a->fingerprint);
	} else if (b && b->group_key[0]) {
		buf_adds(out, b->group_key);
	} else {
		const char *n = label_get(&a->labels, "alertname");

		buf_addf(out, "{alertname=\"%s\"}", n ? n : "");
	}
	if (out->len > INTAKE_GROUP_MAX) {
		out->len = INTAKE_GROUP_MAX;
		out->data[out->len] = 0;
	}
}

/* A label set as a JSON object text, in its (sorted) order, written
 * straight into a buffer: a payload of 100 alerts makes 200 of them. */
static char *labels_text(const struct label_set *s)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{");
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			buf_adds(&b, ",");
		json_str(&b, s->l[i].name);
		buf_adds(&b, ":");
		json_str(&b, s->l[i].value ? s->l[i].value : "");
	}
	buf_adds(&b, "}");
	return buf_detach(&b, NULL);
}

/* The alert's row fields that every payload rewrites. */
static void fill_row(struct alert_row *row, const struct alert_in *a,
		     const char *group_key, enum severity sev)
{
	alert_row_release(row);
	snprintf(row->severity, sizeof(row->severity), "%s",
		 severity_name(sev));
	row->summary = xstrdup(a->summary ? a->summary : "");
	row->labels = labels_text(&a->labels);
	row->annotations = labels_text(&a->annotations);
	row->source = a->source ? xstrdup(a->source) : NULL;
	row->source_url = a->source_url ? xstrdup(a->source_url) : NULL;
	row->details = a->details ? xstrdup(a->details) : NULL;
	row->group_key = xstrdup(group_key);
}

/* Does s say something (a letter or digit, or any non-ASCII
 * character), not only "..."? */
static bool wordy(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80 || (*s >= '0' && *s <= '9') ||
		    ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
			return true;
	return false;
}

/* The title of a new incident from alert a. */
static void title_of(const struct intake_run *r, const struct intake_rule *rule,
		     const struct alert_in *a, enum severity sev,
		     struct buf *out)
{
	struct template_vars v = { &a->labels, &a->annotations,
				   severity_name(sev), a->summary, a->source };
	const char *t = rule && rule->title ? rule->title
			: r->intg.title_template && *r->intg.title_template
			? r->intg.title_template : NULL;
	const char *n = label_get(&a->labels, "alertname");

	if (t)
		template_render(t, &v, TITLE_MAX, out);
	if (out->len)
		return;
	if (wordy(a->summary))
		buf_add(out, a->summary,
			utf8_prefix(a->summary, strlen(a->summary), TITLE_MAX));
	else if (n && *n)
		buf_add(out, n, utf8_prefix(n, strlen(n), TITLE_MAX));
	if (!out->len)
		buf_addf(out, "alert %s", a->fingerprint);
}

/* The description of a new incident: the alert's description, its
 * labels and where it came from. */
static void description_of(const struct alert_in *a, struct buf *out)
{
	const char *d = label_get(&a->annotations, "description");

	if (d && *d)
		buf_addf(out, "%s\n\n", d);
	for (size_t i = 0; i < a->labels.n; i++)
		buf_addf(out, "%s=%s\n", a->labels.l[i].name,
			 a->labels.l[i].value ? a->labels.l[i].value : "");
	if (a->source_url && *a->source_url)
		buf_addf(out, "\n%s\n", a->source_url);
}

/* Report the incident of a new group for alert a. */
static int open_group(struct intake_run *r, const struct intake_rule *rule,
		      const struct alert_in *a, enum severity sev,
		      const char *key, struct intake_group **out)
{
	const struct plan *plan = run_plan(r);
	struct buf title = BUF_INIT, desc = BUF_INIT;
	struct incident_row row = { 0 };
	struct alert_group_row g = { 0 };
	const char *cat = rule && rule->category ? rule->category
			  : r->intg.category[0] ? r->intg.category : NULL;
	const char *level = rule && rule->level ? rule->level
			    : r->intg.level[0] ? r->intg.level : NULL;
	struct incident_input in = { 0 };
	int rc;

	if (!plan)
		return err_ret(r->e, ERMS_ECONFLICT, "conflict",
			       "no emergency plan is in force yet");
	if (!cat || !plan_category(plan, cat))
		cat = plan->ncategories ? plan->categories[0].key : "";
	if (level && !plan_level(plan, level))
		level = NULL;
	title_of(r, rule, a, sev, &title);
	description_of(a, &desc);
	in.title = buf_str(&title);
	in.description = buf_str(&desc);
	in.category = cat;
	in.proposed_level = level;
	in.detected_ms = a->starts_ms > 0 && a->starts_ms <= r->now_ms
				 ? a->starts_ms : r->now_ms;
	in.is_drill = r->drill;
	in.source = intake_kind_name(r->kind);
	in.integration_id = r->intg.id;
	in.reporter_id = r->intg.created_by;
	rc = app_incident_report(r->st, &principal_system, &in, r->now_ms,
				 &row, r->e);
	buf_release(&title);
	buf_release(&desc);
	if (!rc) {
		g.integration_id = r->intg.id;
		g.group_key = xstrdup(key);
		g.incident_id = row.inc.id;
		g.first_ms = r->now_ms;
		/* The report is the first entry; the first batch of the
		 * alerts that follow it goes on at once, the next a minute
		 * after it. */
		g.flushed_ms = 0;
		g.inc_state = row.inc.state;
		snprintf(g.inc_number, sizeof(g.inc_number), "%s", row.number);
		rc = store_alert_group_insert(r->st, &g);
	}
	if (!rc) {
		for (size_t i = 0; i < r->ngs; i++)
			if (!strcmp(r->gs[i].g.group_key, key))
				r->gs[i].newest = false;
		*out = gs_add(r, &g);
		(*out)->opened = (*out)->newest = true;
		r->res->incidents_opened++;
	}
	alert_group_row_release(&g);
	incident_row_release(&row);
	return rc;
}

/* The payload's incident: that of its first alert in one. */
static void note_incident(struct intake_run *r, const struct intake_group *s)
{
	if (r->res->incident_id || !s)
		return;
	r->res->incident_id = s->g.incident_id;
	snprintf(r->res->incident_number, sizeof(r->res->incident_number),
		 "%s", s->g.inc_number);
}

/* Acknowledge the incident of a's fingerprint if nobody has. */
static int ack_alert(struct intake_run *r, const struct alert_in *a)
{
	struct alert_row prev = { 0 };
	struct incident_row row = { 0 };
	struct incident_args args = { 0 };
	struct intake_group *s;
	char key[24];
	int rc = store_alert_last(r->st, r->intg.id, a->fingerprint, &prev);

	if (rc == ERMS_ENOTFOUND || (!rc && !prev.group_id)) {
		alert_row_release(&prev);
		return 0;
	}
	if (!rc)
		rc = intake_group_get(r, prev.group_id, &s);
	if (!rc)
		note_incident(r, s);
	if (!rc && s->g.inc_state == INC_REPORTED) {
		snprintf(key, sizeof(key), "%lld", (long long)s->g.incident_id);
		rc = app_incident_act(r->st, &principal_system, key, IA_ACK,
				      &args, r->now_ms, &row, r->e);
		if (!rc) {
			s->g.inc_state = row.inc.state;
			r->res->acked++;
		}
	}
	incident_row_release(&row);
	alert_row_release(&prev);
	return rc;
}

/* A resolved alert: the open one of its fingerprint resolves. */
static int resolve_alert(struct intake_run *r, const struct alert_in *a,
			 struct alert_row *prev, bool found,
			 const char *key, enum severity sev)
{
	struct intake_group *s = NULL;
	int rc = 0;

	if (found && !prev->firing)
		return 0;		/* already resolved: a repeat */
	if (!found) {
		/* Never seen firing: kept, resolved, on no incident. */
		*prev = (struct alert_row){ .integration_id = r->intg.id,
					    .count = 1,
					    .first_seen_ms = r->now_ms };
		snprintf(prev->fingerprint, sizeof(prev->fingerprint), "%s",
			 a->fingerprint);
	}
	if (prev->group_id && (rc = intake_group_get(r, prev->group_id, &s)))
		return rc;
	/* A resolve that names only the alert (an event's dedup_key)
	 * keeps what the alert said when it fired. */
	if (!found || a->labels.n || a->summary)
		fill_row(prev, a, found && prev->group_id ? s->g.group_key
							   : key, sev);
	prev->firing = false;
	prev->starts_ms = a->starts_ms ? a->starts_ms
			  : prev->starts_ms ? prev->starts_ms : r->now_ms;
	prev->ends_ms = a->ends_ms && a->ends_ms <= r->now_ms ? a->ends_ms
							       : r->now_ms;
	prev->last_seen_ms = r->now_ms;
	prev->resolved_ms = r->now_ms;
	if (found) {
		rc = store_alert_update(r->st, prev);
		r->firing_add--;
	} else {
		rc = store_alert_insert(r->st, prev);
		r->total_add++;
		r->res->created++;
	}
	r->res->resolved++;
	if (!rc && s) {
		if (s->g.firing > 0)
			s->g.firing--;
		s->dirty = true;
		note_incident(r, s);
	}
	return rc;
}

/* One alert of the payload. */
int intake_apply_alert(struct intake_run *r, const struct intake_batch *b,
		       const struct alert_in *a)
{
	enum severity sev = severity_normalise(a->severity, SEV_WARNING);
	struct alert_row prev = { 0 };
	struct intake_group *s = NULL;
	struct buf key = BUF_INIT;
	const struct intake_rule *rule;
	bool found, held;
	int rc;

	if (a->action == AA_ACK)
		return ack_alert(r, a);
	rc = store_alert_last(r->st, r->intg.id, a->fingerprint, &prev);
	if (rc && rc != ERMS_ENOTFOUND)
		goto out;
	found = !rc;
	rc = 0;
	group_key_of(r, b, a, &key);
	if (a->action == AA_RESOLVED ||
	    (a->ends_ms && a->ends_ms <= r->now_ms)) {
		rc = resolve_alert(r, a, &prev, found, buf_str(&key), sev);
		goto out;
	}
	rule = intake_conf_route(&r->conf, &a->labels);
	held = (rule && rule->drop) ||
	       intake_conf_held(&r->conf, &a->labels, r->now_ms);
	if (found && prev.group_id &&
	    (rc = intake_group_get(r, prev.group_id, &s)))
		goto out;
	if (found && (s ? inc_open(s->g.inc_state)
			: prev.firing && prev.suppressed && held)) {
		/* The alert of an open incident (or one still held back):
		 * a repeat, or firing again. */
		bool again = !prev.firing;

		fill_row(&prev, a, s ? s->g.group_key : buf_str(&key), sev);
		prev.count++;
		prev.last_seen_ms = r->now_ms;
		if (again) {
			prev.firing = true;
			prev.ends_ms = prev.resolved_ms = 0;
			if (a->starts_ms)
				prev.starts_ms = a->starts_ms;
			r->firing_add++;
			if (s) {
				s->g.firing++;
				gs_pend(s, alert_name(a));
			}
		}
		if (!(rc = store_alert_update(r->st, &prev)))
			r->res->updated++;
		if (!s)
			r->res->suppressed++;
		note_incident(r, s);
		goto out;
	}
	/* A new alert (or a new life of its fingerprint: the old one, of
	 * an incident that is over, counts as firing no more). */
	if (found && prev.firing) {
		prev.firing = false;
		prev.resolved_ms = prev.last_seen_ms = r->now_ms;
		if ((rc = store_alert_update(r->st, &prev)))
			goto out;
		r->firing_add--;
	}
	s = NULL;
	if (!held && (rc = gs_by_key(r, buf_str(&key), &s)))
		goto out;
	if (!held && !s &&
	    (rc = open_group(r, rule, a, sev, buf_str(&key), &s)))
		goto out;
	alert_row_release(&prev);
	prev = (struct alert_row){ .integration_id = r->intg.id,
				   .firing = true, .count = 1,
				   .suppressed = held,
				   .first_seen_ms = r->now_ms,
				   .last_seen_ms = r->now_ms };
	snprintf(prev.fingerprint, sizeof(prev.fingerprint), "%s",
		 a->fingerprint);
	fill_row(&prev, a, buf_str(&key), sev);
	prev.starts_ms = a->starts_ms ? a->starts_ms : r->now_ms;
	if (s) {
		prev.incident_id = s->g.incident_id;
		prev.group_id = s->g.id;
	}
	if ((rc = store_alert_insert(r->st, &prev)))
		goto out;
	r->res->created++;
	r->total_add++;
	r->firing_add++;
	if (held) {
		r->res->suppressed++;
	} else {
		bool first = s->opened && s->g.alerts == 0;

		s->g.alerts++;
		s->g.firing++;
		s->dirty = true;
		if (!first)
			gs_pend(s, alert_name(a));
		note_incident(r, s);
	}
out:
	buf_release(&key);
	alert_row_release(&prev);
	return rc;
}

/* Each group the payload touched: its timeline entry (or that all its
 * alerts resolved) and its row, once. */
static int finish_groups(struct intake_run *r)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < r->ngs; i++) {
		struct intake_group *s = &r->gs[i];

		if (!s->dirty)
			continue;
		/* An incident people ended hears no more of its alerts. */
		if (s->firing_before > 0 && s->g.firing == 0 &&
		    inc_open(s->g.inc_state))
			rc = gs_all_resolved(r, s);
		else if (s->g.pending > 0 &&
			 r->now_ms - s->g.flushed_ms >= FLUSH_MS)
			rc = intake_group_flush(r, s);
		if (!rc && s->names) {
			free(s->g.pending_json);
			s->g.pending_json = json_dumps(s->names, JSON_COMPACT);
		}
		if (!rc)
			rc = store_alert_group_update(r->st, &s->g);
	}
	return rc;
}

void intake_run_release(struct intake_run *r)
{
	for (size_t i = 0; i < r->ngs; i++) {
		alert_group_row_release(&r->gs[i].g);
		json_decref(r->gs[i].names);
	}
	free(r->gs);
	if (!r->conf_kept)
		intake_conf_release(&r->conf);
	integration_row_release(&r->intg);
	plan_unref(r->plan);
}

/* Start a run on integration id: its row and compiled settings. */
int intake_run_start(struct intake_run *r, struct app *app, struct store *st,
		     int64_t id, int64_t now_ms, struct intake_result *res,
		     struct errbuf *e)
{
	int rc;

	*r = (struct intake_run){ .app = app, .st = st, .now_ms = now_ms,
			   .res = res, .e = e };
	rc = store_integration_get(st, id, &r->intg);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(e, ERMS_EAUTH, "unauthorized",
			       "unknown or disabled integration key");
	if (rc)
		return rc;
	r->kind = (enum intake_kind)intake_kind_from_name(r->intg.kind);
	r->hb_missed = r->intg.hb_missed;
	/* On the writer, the settings compiled for an earlier payload. */
	if (app && app->intake_confs && st == app->wst) {
		const struct intake_conf *c;

		rc = intake_conf_cached(app->intake_confs, &r->intg, &c, e);
		if (!rc) {
			r->conf = *c;
			r->conf_kept = true;
		}
		return rc;
	}
	return intake_conf_load(&r->intg, &r->conf, e);
}

/* The heartbeat's missed alert, as a payload would bring it. */
void intake_missed_alert(const struct intake_run *r, struct alert_in *a,
			 struct label l[2], bool resolved, char *summary,
			 size_t len)
{
	snprintf(summary, len, "心跳中断 / Heartbeat missed: %s",
		 r->intg.name);
	l[0] = (struct label){ "alertname", "HeartbeatMissed" };
	l[1] = (struct label){ "integration", r->intg.name };
	*a = (struct alert_in){ .action = resolved ? AA_RESOLVED : AA_FIRING,
				.labels = { l, 2 }, .summary = summary,
				.severity = "high",
				.starts_ms = r->now_ms };
	snprintf(a->fingerprint, sizeof(a->fingerprint), HB_FINGERPRINT);
}

/* Write what the run did: its groups and the integration's counts. */
int intake_run_finish(struct intake_run *r, bool received)
{
	int rc = finish_groups(r);

	if (!rc)
		rc = store_integration_count(r->st, r->intg.id, received,
					     r->total_add, r->firing_add,
					     r->hb_missed, r->now_ms);
	return rc;
}

int app_intake_apply(struct app *app, struct store *st, int64_t id,
		     const struct intake_batch *b, int64_t now_ms,
		     struct intake_result *res, struct errbuf *e)
{
	struct intake_run r;
	int rc;

	memset(res, 0, sizeof(*res));
	res->alerts = (int)b->n;
	snprintf(res->dedup_key, sizeof(res->dedup_key), "%s", b->dedup_key);
	rc = intake_run_start(&r, app, st, id, now_ms, res, e);
	if (!rc && !r.intg.enabled)
		rc = err_ret(e, ERMS_EAUTH, "unauthorized",
			     "unknown or disabled integration key");
	if (!rc && r.kind == IK_HEARTBEAT && r.hb_missed) {
		struct alert_in a;
		struct label l[2];
		char summary[NAME_MAX_ + 64];

		intake_missed_alert(&r, &a, l, true, summary, sizeof(summary));
		rc = intake_apply_alert(&r, NULL, &a);
		r.hb_missed = false;
	}
	for (size_t i = 0; !rc && i < b->n; i++)
		rc = intake_apply_alert(&r, b, &b->a[i]);
	if (!rc)
		rc = intake_run_finish(&r, true);
	intake_run_release(&r);
	return rc;
}

