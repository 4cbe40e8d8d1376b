/*
 * intake-decode.c - the payloads monitors post, decoded into a batch of
 * alerts (intake_decode(), app/intake.h).
 *
 * Strict about what a member that we know is: a wrong type or value is
 * an ERMS_EINVAL naming it ("alerts[3].labels.severity"). Members we do
 * not know are accepted, since vendors add fields. Strings of the batch
 * point into the JSON body, which the batch holds a reference to; the
 * few made here (numbers as label values, details as JSON text, a new
 * dedup_key) are the batch's copies.
 */
#include "app/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/crypto.h"
#include "util/xalloc.h"

#define SUMMARY_MAX 1024	/* bytes of an event's payload.summary */
#define FIELD_MAX 64		/* struct errbuf's field */

static const char *const kind_names[IK__COUNT] = {
	[IK_ALERTMANAGER] = "alertmanager", [IK_GRAFANA] = "grafana",
	[IK_EVENTS] = "events", [IK_HEARTBEAT] = "heartbeat",
};

const char *intake_kind_name(enum intake_kind k)
{
	return (unsigned)k < IK__COUNT ? kind_names[k] : "?";
}

int intake_kind_from_name(const char *s)
{
	for (int i = 0; s && i < IK__COUNT; i++)
		if (!strcmp(kind_names[i], s))
			return i;
	return -1;
}

/* An error naming field, with code and a message ending in what. */
static int bad(struct errbuf *e, const char *code, const char *field,
	       const char *what)
{
	errbuf_set(e, code, "'%s' %s", field, what);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

static int wrong_type(struct errbuf *e, const char *field, const char *want)
{
	char what[64];

	snprintf(what, sizeof(what), "must be %s", want);
	return bad(e, "wrong_type", field, what);
}

/* "pre.name" or "pre[i]" as a field name (cut to what errbuf keeps). */
static void join(char out[FIELD_MAX], const char *pre, const char *name)
{
	if (snprintf(out, FIELD_MAX, "%s%s%s", pre, *pre ? "." : "", name) >=
	    FIELD_MAX)
		out[FIELD_MAX - 1] = '\0';	/* cut, as errbuf would */
}

static void at(char out[FIELD_MAX], const char *pre, size_t i)
{
	if (snprintf(out, FIELD_MAX, "%s[%zu]", pre, i) >= FIELD_MAX)
		out[FIELD_MAX - 1] = '\0';	/* cut, as errbuf would */
}

/* Optional member key of o as a string of at most max bytes (0: any):
 * *out stays NULL when absent (or null, as Go's encoders write). */
static int opt_str(const json_t *o, const char *pre, const char *key,
		   size_t max, const char **out, struct errbuf *e)
{
	json_t *v = json_object_get(o, key);
	char f[FIELD_MAX];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	join(f, pre, key);
	if (!json_is_string(v))
		return wrong_type(e, f, "a string");
	if (max && json_string_length(v) > max)
		return bad(e, "invalid", f, "is too long");
	*out = json_string_value(v);
	return 0;
}

/* A member that must be an object when present. */
static int opt_obj(const json_t *o, const char *pre, const char *key,
		   json_t **out, struct errbuf *e)
{
	json_t *v = json_object_get(o, key);
	char f[FIELD_MAX];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	join(f, pre, key);
	if (!json_is_object(v))
		return wrong_type(e, f, "an object");
	*out = v;
	return 0;
}

/* An object of strings (labels, annotations), when present. */
static int str_map(const json_t *o, const char *pre, const char *key,
		   bool required, json_t **out, struct errbuf *e)
{
	char f[FIELD_MAX], g[FIELD_MAX];
	const char *k;
	json_t *v;
	int rc = opt_obj(o, pre, key, out, e);

	if (rc)
		return rc;
	join(f, pre, key);
	if (!*out) {
		if (required)
			return bad(e, "missing_field", f, "is required");
		return 0;
	}
	if (json_object_size(*out) > ALERT_LABELS_MAX)
		return bad(e, "invalid", f, "has too many members");
	json_object_foreach(*out, k, v) {
		if (json_is_string(v))
			continue;
		join(g, f, k);
		return wrong_type(e, g, "a string");
	}
	return 0;
}

/*
 * A time whose offset is written without its colon, "+0000", as
 * PagerDuty's own examples write it (ISO 8601's basic form): 0, or -1.
 */
static int time_parse_basic_offset(const char *s, int64_t *ms)
{
	size_t n = strlen(s);
	char t[72];

	if (n < 24 || n > 64 || (s[n - 5] != '+' && s[n - 5] != '-'))
		return -1;
	for (size_t i = n - 4; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	snprintf(t, sizeof(t), "%.*s:%s", (int)(n - 2), s, s + n - 2);
	return time_parse(t, ms);
}

/* An RFC 3339 time, when present: Go's zero time is none (0). */
static int opt_time(const json_t *o, const char *pre, const char *key,
		    int64_t *ms, struct errbuf *e)
{
	const char *s;
	char f[FIELD_MAX];
	int rc = opt_str(o, pre, key, 64, &s, e);

	*ms = 0;
	if (rc || !s || !*s)
		return rc;
	if (!strncmp(s, "0001-01-01T00:00:00", 19))
		return 0;
	if (!time_parse(s, ms) || !time_parse_basic_offset(s, ms))
		return 0;
	join(f, pre, key);
	return bad(e, "invalid", f, "is not an RFC 3339 time");
}

/* Is the string member key of o one of the NULL-terminated words? */
static int one_of(const json_t *o, const char *pre, const char *key,
		  bool required, const char *const *words, int *which,
		  struct errbuf *e)
{
	const char *s;
	char f[FIELD_MAX], what[128];
	int rc = opt_str(o, pre, key, 0, &s, e);
	size_t used;

	*which = -1;
	if (rc)
		return rc;
	join(f, pre, key);
	if (!s)
		return required ? bad(e, "missing_field", f, "is required")
				: 0;
	for (int i = 0; words[i]; i++)
		if (!strcmp(words[i], s)) {
			*which = i;
			return 0;
		}
	used = (size_t)snprintf(what, sizeof(what), "must be one of");
	for (int i = 0; words[i] && used < sizeof(what); i++)
		used += (size_t)snprintf(what + used, sizeof(what) - used,
					 "%s %s", i ? "," : "", words[i]);
	return bad(e, "invalid", f, what);
}

/* Keep a copy made here with the batch. */
static const char *keep(struct intake_batch *b, char *s)
{
	b->copies[b->ncopies++] = s;
	return s;
}

/* The members of obj as labels at l (count them first). */
static size_t fill_labels(struct label *l, const json_t *obj)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	json_object_foreach((json_t *)obj, k, v) {
		l[n].name = k;
		l[n].value = json_string_value(v);
		n++;
	}
	return n;
}

/* Alertmanager's and Grafana's top level, apart from the alerts. */
static int check_group(const json_t *body, enum intake_kind k,
		       struct intake_batch *b, struct errbuf *e)
{
	static const char *const statuses[] = { "firing", "resolved", NULL };
	const char *version, *s;
	json_t *o, *v;
	int rc, which;

	if ((rc = opt_str(body, "", "version", 16, &version, e)))
		return rc;
	if (version && strcmp(version, k == IK_GRAFANA ? "1" : "4"))
		return bad(e, "invalid", "version",
			   k == IK_GRAFANA ? "must be \"1\" (Grafana's webhook)"
					   : "must be \"4\" (Alertmanager's "
					     "webhook)");
	if ((rc = opt_str(body, "", "groupKey", INTAKE_GROUP_MAX, &s, e)))
		return rc;
	if (s)
		snprintf(b->group_key, sizeof(b->group_key), "%s", s);
	if ((rc = one_of(body, "", "status", false, statuses, &which, e)) ||
	    (rc = opt_str(body, "", "receiver", 0, &s, e)) ||
	    (rc = opt_str(body, "", "externalURL", 0, &s, e)) ||
	    (rc = str_map(body, "", "groupLabels", false, &o, e)) ||
	    (rc = str_map(body, "", "commonLabels", false, &o, e)) ||
	    (rc = str_map(body, "", "commonAnnotations", false, &o, e)))
		return rc;
	v = json_object_get(body, "truncatedAlerts");
	if (v && !json_is_null(v) &&
	    (!json_is_integer(v) || json_integer_value(v) < 0))
		return wrong_type(e, "truncatedAlerts",
				  "an integer, 0 or more");
	if (k != IK_GRAFANA)
		return 0;
	v = json_object_get(body, "orgId");
	if (v && !json_is_null(v) && !json_is_integer(v))
		return wrong_type(e, "orgId", "an integer");
	if ((rc = opt_str(body, "", "title", 0, &s, e)) ||
	    (rc = opt_str(body, "", "state", 0, &s, e)) ||
	    (rc = opt_str(body, "", "message", 0, &s, e)))
		return rc;
	return 0;
}

/* Grafana's values: an object of numbers, kept as JSON text. */
static int grafana_values(const json_t *a, const char *pre,
			  struct intake_batch *b, struct alert_in *out,
			  struct errbuf *e)
{
	char f[FIELD_MAX], g[FIELD_MAX];
	const char *k;
	json_t *o, *v;
	int rc = opt_obj(a, pre, "values", &o, e);

	if (rc || !o)
		return rc;
	join(f, pre, "values");
	json_object_foreach(o, k, v) {
		if (json_is_number(v))
			continue;
		join(g, f, k);
		return wrong_type(e, g, "a number");
	}
	out->details = keep(b, json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS));
	return 0;
}

/* One alert of an Alertmanager or Grafana payload. */
static int group_alert(const json_t *a, size_t i, enum intake_kind k,
		       int64_t now_ms, struct intake_batch *b,
		       struct label **next, struct errbuf *e)
{
	static const char *const statuses[] = { "firing", "resolved", NULL };
	static const char *const urls[] = { "silenceURL", "dashboardURL",
					    "panelURL", "imageURL" };
	struct alert_in *out = &b->a[i];
	char pre[FIELD_MAX], f[FIELD_MAX];
	const char *fp, *s;
	json_t *labels, *ann;
	int rc, which;

	at(pre, "alerts", i);
	if (!json_is_object(a))
		return wrong_type(e, pre, "an object");
	if ((rc = one_of(a, pre, "status", true, statuses, &which, e)) ||
	    (rc = str_map(a, pre, "labels", true, &labels, e)) ||
	    (rc = str_map(a, pre, "annotations", false, &ann, e)) ||
	    (rc = opt_time(a, pre, "startsAt", &out->starts_ms, e)) ||
	    (rc = opt_time(a, pre, "endsAt", &out->ends_ms, e)) ||
	    (rc = opt_str(a, pre, "generatorURL", 0, &out->source_url, e)) ||
	    (rc = opt_str(a, pre, "fingerprint", INTAKE_DEDUP_MAX, &fp, e)))
		return rc;
	for (size_t u = 0; k == IK_GRAFANA && u < ARRAY_SIZE(urls); u++)
		if ((rc = opt_str(a, pre, urls[u], 0, &s, e)))
			return rc;
	if (k == IK_GRAFANA && (rc = grafana_values(a, pre, b, out, e)))
		return rc;
	out->labels.l = *next;
	out->labels.n = fill_labels(*next, labels);
	*next += out->labels.n;
	out->annotations.l = *next;
	out->annotations.n = ann ? fill_labels(*next, ann) : 0;
	*next += out->annotations.n;
	label_sort(&out->labels);
	label_sort(&out->annotations);
	join(f, pre, "labels");
	if ((rc = label_set_check(&out->labels, f, e)))
		return rc;
	join(f, pre, "annotations");
	if ((rc = label_set_check(&out->annotations, f, e)))
		return rc;
	/* Resolved by its status, or by an end already past. */
	out->action = which == 1 || (out->ends_ms && out->ends_ms <= now_ms)
			      ? AA_RESOLVED : AA_FIRING;
	if (out->action == AA_FIRING)
		out->ends_ms = 0;
	else if (!out->ends_ms)
		out->ends_ms = now_ms;
	if (fp && *fp)
		snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", fp);
	else
		label_fingerprint(&out->labels, out->fingerprint);
	out->summary = label_get(&out->annotations, "summary");
	out->severity = label_get(&out->labels, "severity");
	out->source = label_get(&out->labels, "instance");
	if (out->source_url && !*out->source_url)
		out->source_url = NULL;
	return 0;
}

static int decode_group(enum intake_kind k, const json_t *body,
			int64_t now_ms, struct intake_batch *b,
			struct errbuf *e)
{
	json_t *alerts = json_object_get(body, "alerts"), *a, *o;
	struct label *next;
	size_t i, total = 0;
	int rc = check_group(body, k, b, e);

	if (rc)
		return rc;
	if (!alerts)
		return bad(e, "missing_field", "alerts", "is required");
	if (!json_is_array(alerts))
		return wrong_type(e, "alerts", "an array");
	if (json_array_size(alerts) > INTAKE_ALERTS_MAX)
		return err_fail(e, ERMS_ETOOBIG, "alerts",
				"more than %d alerts in one payload",
				INTAKE_ALERTS_MAX);
	/* Room for every alert's labels and annotations, in one array. */
	json_array_foreach(alerts, i, a) {
		o = json_object_get(a, "labels");
		total += json_is_object(o) ? json_object_size(o) : 0;
		o = json_object_get(a, "annotations");
		total += json_is_object(o) ? json_object_size(o) : 0;
	}
	b->n = json_array_size(alerts);
	b->a = xcalloc(b->n ? b->n : 1, sizeof(*b->a));
	b->labels = xcalloc(total ? total : 1, sizeof(*b->labels));
	b->copies = xcalloc(b->n ? b->n : 1, sizeof(*b->copies));
	next = b->labels;
	json_array_foreach(alerts, i, a)
		if ((rc = group_alert(a, i, k, now_ms, b, &next, e)))
			return rc;
	return 0;
}

/* A label name as Prometheus has them: [a-zA-Z_][a-zA-Z0-9_]*. */
static bool label_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > ALERT_NAME_MAX || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Whether the event's labels (not sorted yet) have name. */
static bool has_label(const struct alert_in *out, const char *name)
{
	for (size_t i = 0; i < out->labels.n; i++)
		if (!strcmp(out->labels.l[i].name, name))
			return true;
	return false;
}

/* Add name=value to the event's labels unless it is there already, or
 * the value is longer than a label's. */
static void add_label(struct alert_in *out, const char *name,
		      const char *value)
{
	if (!value || out->labels.n >= ALERT_LABELS_MAX ||
	    strlen(value) > ALERT_VALUE_MAX || has_label(out, name))
		return;
	out->labels.l[out->labels.n].name = name;
	out->labels.l[out->labels.n].value = value;
	out->labels.n++;
}

/* custom_details' top-level scalars whose names are label names. */
static void detail_labels(const json_t *d, struct intake_batch *b,
			  struct alert_in *out)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)d, k, v) {
		char num[64];

		if (out->labels.n >= ALERT_LABELS_MAX)
			break;
		if (!label_name_ok(k))
			continue;
		if (json_is_string(v)) {
			add_label(out, k, json_string_value(v));
			continue;
		}
		if (json_is_integer(v))
			snprintf(num, sizeof(num), "%lld",
				 (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(num, sizeof(num), "%s",
				 json_is_true(v) ? "true" : "false");
		else
			continue;
		if (has_label(out, k))
			continue;
		add_label(out, k, keep(b, xstrdup(num)));
	}
}

/* links: [{href, text}] and images: [{src, href, alt}]. */
static int event_refs(const json_t *body, const char *key,
		      const char *const *members, const char **first,
		      struct errbuf *e)
{
	json_t *a = json_object_get(body, key), *x;
	char pre[FIELD_MAX];
	const char *s;
	size_t i;
	int rc;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return wrong_type(e, key, "an array");
	json_array_foreach(a, i, x) {
		at(pre, key, i);
		if (!json_is_object(x))
			return wrong_type(e, pre, "an object");
		for (int m = 0; members[m]; m++) {
			if ((rc = opt_str(x, pre, members[m], 0, &s, e)))
				return rc;
			if (first && !*first && m == 0 && s && *s)
				*first = s;
		}
	}
	return 0;
}

/* A trigger's payload: summary, source, severity, and the rest. */
static int event_payload(const json_t *p, struct intake_batch *b,
			 struct alert_in *out, struct errbuf *e)
{
	static const char *const sevs[] = { "critical", "error", "warning",
					    "info", NULL };
	static const char *const names[] = { "component", "group", "class" };
	const char *v[ARRAY_SIZE(names)];
	json_t *d;
	int rc, sev;

	if ((rc = opt_str(p, "payload", "summary", SUMMARY_MAX, &out->summary,
			  e)) ||
	    (rc = opt_str(p, "payload", "source", 0, &out->source, e)) ||
	    (rc = one_of(p, "payload", "severity", true, sevs, &sev, e)) ||
	    (rc = opt_time(p, "payload", "timestamp", &out->starts_ms, e)))
		return rc;
	if (!out->summary || !*out->summary)
		return bad(e, "missing_field", "payload.summary",
			   "is missing or blank");
	if (!out->source || !*out->source)
		return bad(e, "missing_field", "payload.source",
			   "is missing or blank");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if ((rc = opt_str(p, "payload", names[i], 0, &v[i], e)))
			return rc;
	out->severity = sevs[sev];
	add_label(out, "severity", out->severity);
	add_label(out, "source", out->source);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (v[i] && *v[i])
			add_label(out, names[i], v[i]);
	d = json_object_get(p, "custom_details");
	if (d && !json_is_null(d)) {
		out->details = keep(b, json_dumps(d, JSON_COMPACT |
						     JSON_ENCODE_ANY));
		if (json_is_object(d))
			detail_labels(d, b, out);
	}
	return 0;
}

/* 32 random hex digits: a trigger's dedup_key when it has none. */
static void new_dedup_key(char out[INTAKE_DEDUP_MAX + 1])
{
	char tok[TOKEN_LEN], hex[SHA256_HEX_LEN];

	token_new("", tok);
	sha256_hex(tok, strlen(tok), hex);
	snprintf(out, INTAKE_DEDUP_MAX + 1, "%.32s", hex);
}

static int decode_event(const json_t *body, int64_t now_ms,
			struct intake_batch *b, struct errbuf *e)
{
	static const char *const actions[] = { "trigger", "acknowledge",
					       "resolve", NULL };
	static const char *const links[] = { "href", "text", NULL };
	static const char *const images[] = { "src", "href", "alt", NULL };
	struct alert_in *out;
	const char *s, *dedup;
	json_t *p;
	int rc, action;

	if ((rc = opt_str(body, "", "routing_key", INTAKE_KEY_MAX, &s, e)) ||
	    (rc = one_of(body, "", "event_action", true, actions, &action,
			 e)) ||
	    (rc = opt_str(body, "", "dedup_key", INTAKE_DEDUP_MAX, &dedup,
			  e)) ||
	    (rc = opt_str(body, "", "client", 0, &s, e)) ||
	    (rc = opt_str(body, "", "client_url", 0, &s, e)) ||
	    (rc = opt_obj(body, "", "payload", &p, e)))
		return rc;
	if (dedup && !*dedup)
		dedup = NULL;
	if (!dedup && action != 0)
		return bad(e, "missing_field", "dedup_key",
			   "is required to acknowledge or resolve");
	if (!p && action == 0)
		return bad(e, "missing_field", "payload", "is required");
	b->n = 1;
	b->a = xcalloc(1, sizeof(*b->a));
	b->labels = xcalloc(ALERT_LABELS_MAX, sizeof(*b->labels));
	b->copies = xcalloc(ALERT_LABELS_MAX + 1, sizeof(*b->copies));
	out = b->a;
	out->labels.l = b->labels;
	if (action == 0 && (rc = event_payload(p, b, out, e)))
		return rc;
	if ((rc = event_refs(body, "links", links, &out->source_url, e)) ||
	    (rc = event_refs(body, "images", images, NULL, e)))
		return rc;
	if (dedup)
		snprintf(b->dedup_key, sizeof(b->dedup_key), "%s", dedup);
	else
		new_dedup_key(b->dedup_key);
	snprintf(out->fingerprint, sizeof(out->fingerprint), "%s",
		 b->dedup_key);
	out->action = action == 0 ? AA_FIRING
		      : action == 1 ? AA_ACK : AA_RESOLVED;
	if (out->action == AA_RESOLVED)
		out->ends_ms = now_ms;
	label_sort(&out->labels);
	return label_set_check(&out->labels, "payload", e);
}

int intake_decode(enum intake_kind k, json_t *body, int64_t now_ms,
		  struct intake_batch *b, struct errbuf *e)
{
	int rc = 0;

	memset(b, 0, sizeof(*b));
	b->kind = k;
	b->body = json_incref(body);
	if (k == IK_HEARTBEAT)
		return 0;
	if (!json_is_object(body))
		rc = err_ret(e, ERMS_EINVAL, "wrong_type",
			     "the body must be a JSON object");
	else if (k == IK_EVENTS)
		rc = decode_event(body, now_ms, b, e);
	else if (k == IK_ALERTMANAGER || k == IK_GRAFANA)
		rc = decode_group(k, body, now_ms, b, e);
	else
		rc = err_ret(e, ERMS_EINVAL, "invalid", "no such kind");
	if (rc)
		intake_batch_release(b);
	return rc;
}

void intake_batch_release(struct intake_batch *b)
{
	for (size_t i = 0; i < b->ncopies; i++)
		free(b->copies[i]);
	free(b->copies);
	free(b->labels);
	free(b->a);
	json_decref(b->body);
	memset(b, 0, sizeof(*b));
}
