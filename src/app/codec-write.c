/*
 * codec-write.c - an incident written as JSON straight into a buffer.
 *
 * A list of 50 incidents built as jansson trees spent three quarters of
 * its time making, encoding and freeing the trees (about 19 us a row):
 * jansson has no streaming writer, so this file writes the same object
 * as incident_json() (codec.c) with the same keys in the same order,
 * byte by byte. The two must stay equal in meaning: tests/unit/
 * test-codec-write.c loads this output and compares it with
 * incident_json() for varied rows.
 *
 * Texts are escaped here (json_str): the quote, the backslash and the
 * control characters below 0x20, as jansson does; every other byte is
 * copied, so UTF-8 stays as it is (the store only holds valid UTF-8:
 * requests are checked, stored texts are cut at whole characters).
 * Times are formatted here too (json_time_at), without gmtime_r and
 * snprintf, which cost more than the rest of a row.
 */
#include "app/codec-write.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/regstate.h"
#include "util/clock.h"

static void add(struct buf *b, const char *s, size_t n)
{
	buf_add(b, s, n);
}

#define ADD_LIT(b, lit) add((b), (lit), sizeof(lit) - 1)

/* s as a JSON string, in quotes. */
void json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	ADD_LIT(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		add(b, esc, n);
	}
	add(b, run, (size_t)(s - run));
	ADD_LIT(b, "\"");
}

/* n as decimal. */
static void json_int(struct buf *b, int64_t n)
{
	char d[24];
	size_t i = sizeof(d);
	uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		d[--i] = '-';
	add(b, d + i, sizeof(d) - i);
}

static void digits(char *p, unsigned v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * ms as time_fmt() writes it ("2026-02-01T08:00:00.000Z"), in quotes, or
 * null for 0. The date from the day number by the civil-from-days
 * algorithm (H. Hinnant's, proleptic Gregorian); times before 1970 go to
 * time_fmt().
 */
static void json_time_at(struct buf *b, int64_t ms)
{
	char t[32];

	if (!ms) {
		ADD_LIT(b, "null");
		return;
	}
	if (ms < 0) {
		time_fmt(ms, t);
		json_str(b, t);
		return;
	}
	int64_t days = ms / 86400000, rest = ms % 86400000;
	int64_t z = days + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);

	memcpy(t, "\"0000-00-00T00:00:00.000Z\"", 26);
	digits(t + 1, (unsigned)(y % 10000), 4);
	digits(t + 6, m, 2);
	digits(t + 9, d, 2);
	digits(t + 12, (unsigned)(rest / 3600000), 2);
	digits(t + 15, (unsigned)(rest / 60000 % 60), 2);
	digits(t + 18, (unsigned)(rest / 1000 % 60), 2);
	digits(t + 21, (unsigned)(rest % 1000), 3);
	add(b, t, 26);
}

/* ,"key": */
static void key(struct buf *b, const char *k)
{
	ADD_LIT(b, ",\"");
	add(b, k, strlen(k));
	ADD_LIT(b, "\":");
}

static void str_or_empty(struct buf *b, const char *s)
{
	json_str(b, s ? s : "");
}

static void str_or_null(struct buf *b, const char *s)
{
	if (*s)
		json_str(b, s);
	else
		ADD_LIT(b, "null");
}

static void id_or_null(struct buf *b, int64_t id)
{
	if (id)
		json_int(b, id);
	else
		ADD_LIT(b, "null");
}

static void boolean(struct buf *b, bool v)
{
	if (v)
		ADD_LIT(b, "true");
	else
		ADD_LIT(b, "false");
}

/* A deadline as codec.c's deadline(): start + min when both are set. */
static void deadline(struct buf *b, bool applies, int64_t start, int min)
{
	json_time_at(b, applies && start && min > 0 ? start + min * 60000LL
						    : 0);
}

/* jansson's dump callback: append to the buffer. */
static int dump_to(const char *s, size_t n, void *ctx)
{
	add(ctx, s, n);
	return 0;
}

/* The review as incident_json() has it: its JSON, or null when empty or
 * not JSON. Parsed and written again (rare: reviewed incidents only), so
 * that a damaged row cannot break the answer. */
static void review(struct buf *b, const char *s)
{
	json_t *j = s && *s ? json_loads(s, 0, NULL) : NULL;

	if (!j) {
		ADD_LIT(b, "null");
		return;
	}
	json_dump_callback(j, dump_to, b, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
}

/* The duty to report as incident_json() has it: a constant while none
 * opened (nearly every incident), else built and written (rare). */
static void regulatory(struct buf *b, const char *s)
{
	json_t *j;

	if (!s || !*s) {
		ADD_LIT(b, "{\"required\":false,\"national_level\":null,"
			   "\"operator_type\":null,\"opened_at\":null,"
			   "\"deadline_at\":null,\"status\":null,"
			   "\"first_report_at\":null,\"late_by_min\":null,"
			   "\"final_due_at\":null,\"final_report_at\":null,"
			   "\"drill\":false,\"reports\":[]}");
		return;
	}
	j = regulatory_json(s, clock_now_ms());
	json_dump_callback(j, dump_to, b, JSON_COMPACT);
	json_decref(j);
}

void incident_write(struct buf *b, const struct incident_row *r)
{
	static const char *const names[] = { "ack", "activate", "resolve" };
	const struct incident *inc = &r->inc;
	unsigned legal = incident_actions(inc->state);
	bool first = true;

	ADD_LIT(b, "{\"id\":");
	json_int(b, inc->id);
	key(b, "number");
	json_str(b, r->number);
	key(b, "title");
	str_or_empty(b, r->title);
	key(b, "description");
	str_or_empty(b, r->description);
	key(b, "impact");
	str_or_empty(b, r->impact);
	key(b, "category");
	json_str(b, r->category);
	key(b, "status");
	json_str(b, incident_state_name(inc->state));
	key(b, "level");
	str_or_null(b, r->level_key);
	key(b, "level_rank");
	json_int(b, inc->level);
	key(b, "proposed_level");
	str_or_null(b, r->proposed_level);
	key(b, "is_drill");
	boolean(b, inc->is_drill);
	key(b, "reporter_id");
	json_int(b, r->reporter_id);
	key(b, "source");
	json_str(b, r->source[0] ? r->source : "manual");
	key(b, "integration_id");
	id_or_null(b, r->integration_id);
	key(b, "commander_id");
	id_or_null(b, r->commander_id);
	key(b, "plan_version_id");
	json_int(b, r->plan_version_id);
	key(b, "detected_at");
	json_time_at(b, inc->detected_ms);
	key(b, "reported_at");
	json_time_at(b, inc->reported_ms);
	key(b, "acked_at");
	json_time_at(b, inc->acked_ms);
	key(b, "activated_at");
	json_time_at(b, inc->activated_ms);
	key(b, "resolved_at");
	json_time_at(b, inc->resolved_ms);
	key(b, "closed_at");
	json_time_at(b, inc->closed_ms);
	key(b, "reviewed_at");
	json_time_at(b, inc->reviewed_ms);
	key(b, "dismissed_at");
	json_time_at(b, inc->dismissed_ms);
	key(b, "targets");
	ADD_LIT(b, "{\"ack_min\":");
	json_int(b, inc->ack_min);
	key(b, "activate_min");
	json_int(b, inc->activate_min);
	key(b, "resolve_min");
	json_int(b, inc->resolve_min);
	ADD_LIT(b, "}");
	key(b, "deadlines");
	ADD_LIT(b, "{\"ack\":");
	deadline(b, inc->state == INC_REPORTED, inc->reported_ms,
		 inc->ack_min);
	key(b, "activate");
	deadline(b, inc->state == INC_REPORTED ||
		    inc->state == INC_ACKNOWLEDGED,
		 inc->reported_ms, inc->activate_min);
	key(b, "resolve");
	deadline(b, inc->state == INC_ACTIVE, inc->activated_ms,
		 inc->resolve_min);
	ADD_LIT(b, "}");
	key(b, "breaches");
	ADD_LIT(b, "[");
	for (int i = 0; i < 3; i++) {
		if (!(inc->breaches & (1u << i)))
			continue;
		if (!first)
			ADD_LIT(b, ",");
		first = false;
		json_str(b, names[i]);
	}
	ADD_LIT(b, "]");
	key(b, "public");
	boolean(b, r->public);
	key(b, "public_summary");
	str_or_empty(b, r->public_summary);
	key(b, "public_title");
	str_or_empty(b, r->public_title);
	key(b, "public_message");
	str_or_empty(b, r->public_message);
	key(b, "summary");
	str_or_empty(b, r->summary);
	key(b, "assessment");
	str_or_empty(b, r->assessment);
	key(b, "review");
	review(b, r->review_json);
	key(b, "actions");
	ADD_LIT(b, "[");
	first = true;
	for (int a = 0; a < IA__COUNT; a++) {
		if (!(legal & (1u << a)))
			continue;
		if (!first)
			ADD_LIT(b, ",");
		first = false;
		json_str(b, incident_action_name(a));
	}
	ADD_LIT(b, "]");
	key(b, "updated_at");
	json_time_at(b, r->updated_ms);
	key(b, "regulatory");
	regulatory(b, r->regulatory);
	key(b, "version");
	json_int(b, r->stamp.version);
	key(b, "updated_by");
	if (r->stamp.by) {
		ADD_LIT(b, "{\"id\":");
		json_int(b, r->stamp.by);
		key(b, "name");
		json_str(b, r->stamp.by_name);
		ADD_LIT(b, "}");
	} else {
		ADD_LIT(b, "null");
	}
	ADD_LIT(b, "}");
}

void timeline_write(struct buf *b, const struct timeline_entry *e)
{
	ADD_LIT(b, "{\"id\":");
	json_int(b, e->id);
	key(b, "incident_id");
	json_int(b, e->incident_id);
	key(b, "at");
	json_time_at(b, e->at_ms);
	key(b, "actor_id");
	id_or_null(b, e->actor_id);
	key(b, "kind");
	str_or_empty(b, e->kind);
	key(b, "text");
	str_or_empty(b, e->text);
	key(b, "data");
	buf_adds(b, e->data && *e->data ? e->data : "{}");
	/* The text's key and parameters, from data (NULL when none). */
	{
		json_t *d = json_loads(e->data && *e->data ? e->data : "{}",
				       0, NULL);
		const char *k = json_string_value(json_object_get(d, "key"));
		json_t *p = json_object_get(d, "params");
		char *ps = k && json_is_object(p)
				   ? json_dumps(p, JSON_COMPACT) : NULL;

		key(b, "key");
		if (k)
			json_str(b, k);
		else
			ADD_LIT(b, "null");
		key(b, "params");
		buf_adds(b, ps ? ps : "null");
		free(ps);
		json_decref(d);
	}
	ADD_LIT(b, "}");
}
