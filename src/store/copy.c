/*
 * copy.c - every row of one database into an empty one of any engine
 * (store_copy()), to move an installation from SQLite to PostgreSQL.
 *
 * The tables and their columns are listed here, explicitly, in foreign
 * key order: a column or table added by a migration must be added to
 * copy_tables[] (or to skipped[]). The copy reads the source's own
 * catalog first and refuses when it holds a table or column the list
 * does not know, so nothing is left behind without a word.
 *
 * The queries are built from the list (struct built_query) and run
 * through the backends' ops, so the same code moves rows between any two
 * engines. Rows keep their ids; the source is read in chunks by its key,
 * each row written to the target as it is read, all in one write
 * transaction on the target. The search index is not copied: the
 * target's backend builds its own from the incidents and their timeline
 * (search_new, search_add), as the live writes do.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/store-int.h"

/* Rows read from the source per query. */
#define COPY_CHUNK 500

struct copy_table {
	const char *name;
	/* The key the source is read in order of: one or two integer
	 * columns, the first of cols. */
	int nkey;
	const char *cols;
	/*
	 * A row the migrations put in every new database (the one row of a
	 * counter): the target's is replaced, not added, and does not make
	 * the target count as holding data.
	 */
	bool single;
	/* After a row went in: the target's search index. */
	int (*after)(struct store *to, const struct srow *r);
};

static int index_incident(struct store *to, const struct srow *r);
static int index_timeline(struct store *to, const struct srow *r);

#define T(n, k, c, ...) { .name = (n), .nkey = (k), .cols = (c), __VA_ARGS__ }

/* In foreign-key order: a table after every table it references. */
static const struct copy_table copy_tables[] = {
	T("users", 1, "id, login, display_name, email, phone, locale,"
	  " is_admin, disabled, password_hash, created_ms, updated_ms,"
	  " time_zone, chat_dingtalk, chat_wecom, chat_feishu, version,"
	  " updated_by"),
	T("org_group", 1, "id, key, name, kind, duties_json, created_ms,"
	  " updated_ms, version, updated_by"),
	T("group_member", 2, "group_id, user_id, role, created_ms,"
	  " review_from_ms"),
	T("session", 1, "id, secret_hash, csrf, user_id, created_ms,"
	  " last_seen_ms, revoked_ms"),
	T("api_token", 1, "id, secret_hash, user_id, name, created_ms,"
	  " last_used_ms, expires_ms, revoked_ms, kind"),
	T("audit", 1, "id, at_ms, actor_id, action, object, summary,"
	  " prev_hash, hash"),
	T("audit_key", 1, "id, fingerprint, plain_until, created_ms"),
	T("plan", 1, "id, key, created_ms"),
	T("plan_version", 1, "id, plan_id, n, status, name_json, source_name,"
	  " source, content, author_id, created_ms, updated_ms, submitted_ms,"
	  " reviewer_id, reviewed_ms, review_comment, publisher_id,"
	  " published_ms, superseded_ms, version, updated_by"),
	T("plan_version_editor", 2, "version_id, user_id, first_ms, last_ms"),
	T("plan_ack", 2, "version_id, user_id, at_ms"),
	T("integration", 1, "id, name, kind, key_hash, key_prefix, enabled,"
	  " created_by, category, level, title_template, group_by,"
	  " group_window_s, auto_dismiss, interval_s, rate_limit_per_min,"
	  " rules, maintenance, received, alerts_total, alerts_firing,"
	  " last_received_ms, hb_missed, deleted_ms, created_ms, updated_ms,"
	  " version, updated_by"),
	T("incident_counter", 1, "year, last"),
	T("incident", 1, "id, number, title, description, impact, category,"
	  " status, level_rank, level_key, proposed_level, is_drill,"
	  " reporter_id, commander_id, plan_version_id, detected_ms,"
	  " reported_ms, acked_ms, activated_ms, resolved_ms, closed_ms,"
	  " reviewed_ms, dismissed_ms, ack_min, activate_min, resolve_min,"
	  " breaches, public, public_summary, summary, review_json,"
	  " updated_ms, esc_tiers, esc_acked_ms, source, integration_id,"
	  " assessment, version, updated_by, public_title, public_message,"
	  " regulatory, reg_next_ms, reg_opened_ms",
	  .after = index_incident),
	T("regulatory_report", 1, "id, incident_id, n, kind, recipient, via,"
	  " sent_ms, content, changes, on_time, recorded_by, recorded_ms"),
	T("plan_version_basis", 1, "version_id, from_n, incident_id,"
	  " findings"),
	T("plan_ack_reminder", 2, "version_id, user_id, sent, last_ms"),
	T("task", 1, "id, incident_id, title, group_key, assignee_id, status,"
	  " due_ms, notes, origin, created_by, created_ms, updated_ms,"
	  " titles, version, updated_by"),
	T("timeline", 1, "id, incident_id, at_ms, actor_id, kind, text, data",
	  .after = index_timeline),
	T("event", 1, "id, at_ms, kind, incident_id, data"),
	T("channel", 1, "id, name, kind, config, rate_burst, rate_period_ms,"
	  " enabled, created_ms, updated_ms, version, updated_by"),
	T("group_channel", 2, "group_id, channel_id"),
	T("notification", 1, "id, incident_id, event, tier, channel_id,"
	  " user_id, recipient, locale, subject, text, markdown, link,"
	  " ack_link, idem_key, ack_hash, ack_expires_ms, acked_ms, acked_by,"
	  " state, attempts, next_ms, last_error, created_ms, sent_ms,"
	  " mentions"),
	T("rotation", 1, "id, group_id, name, start_ms, shift_minutes,"
	  " time_zone, members, created_ms, updated_ms, version, updated_by"),
	T("duty_override", 1, "id, rotation_id, user_id, start_ms, end_ms,"
	  " created_ms"),
	T("bulletin", 1, "id, incident_id, audience, text, author_id,"
	  " created_ms"),
	T("supply", 1, "id, name, kind, location, quantity, unit,"
	  " min_quantity, inspect_by_ms, notes, low_notice_ms,"
	  " inspect_notice_ms, created_ms, updated_ms, version, updated_by"),
	T("supply_movement", 1, "id, supply_id, kind, quantity, incident_id,"
	  " note, actor_id, at_ms"),
	T("budget", 1, "year, amount_cents, note, updated_ms"),
	T("drill", 1, "id, title, kind, category, level, scheduled_ms,"
	  " minutes, location, status, detail, evaluation, incident_id,"
	  " created_by, created_ms, started_ms, completed_ms, evaluated_ms,"
	  " updated_ms, version, updated_by"),
	T("expense", 1, "id, year, amount_cents, purpose, incident_id,"
	  " drill_id, supply_id, actor_id, at_ms"),
	T("drill_notice", 1, "year, at_ms"),
	T("alert_group", 1, "id, integration_id, group_key, incident_id,"
	  " first_ms, alerts, firing, pending, pending_json, flushed_ms"),
	T("alert", 1, "id, integration_id, incident_id, group_id, fingerprint,"
	  " status, severity, summary, labels, annotations, source,"
	  " source_url, details, group_key, count, suppressed, starts_ms,"
	  " ends_ms, first_seen_ms, last_seen_ms, resolved_ms"),
	/* Last: inserting members and incidents above moves them. */
	T("auth_epoch", 1, "id, gen", .single = true),
	T("health", 1, "id, probed_ms", .single = true),
	T("organisation", 1, "id, name, time_zone, locale, version,"
	  " updated_ms, updated_by, operator_type, regulators, calendar",
	  .single = true),
	T("incident_skew", 1, "id, ms", .single = true),
};

/*
 * Tables of an engine's catalog that are not copied: the search index
 * (each backend builds its own), the engines' own bookkeeping, and the
 * sign-in limits (counts of recent failures, which start afresh).
 */
static const char *const skipped[] = {
	"incident_fts", "incident_fts2", "incident_search", "schema_version",
	"signin_limits",
};

static bool is_skipped(const char *table)
{
	if (!strncmp(table, "sqlite_", 7))
		return true;
	/* SQLite's FTS5 shadow tables: incident_fts_data, ... */
	if (!strncmp(table, "incident_fts", 12))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
		if (!strcmp(table, skipped[i]))
			return true;
	return false;
}

/* The number of columns of list cols ("a, b, c"). */
static int cols_count(const char *cols)
{
	int n = 1;

	for (const char *s = cols; *s; s++)
		n += *s == ',';
	return n;
}

/* Whether list cols names column. */
static bool cols_have(const char *cols, const char *column)
{
	size_t n = strlen(column);

	for (const char *s = cols; *s;) {
		size_t len = strcspn(s, ",");

		if (len == n && !strncmp(s, column, n))
			return true;
		s += len;
		s += strspn(s, ", ");
	}
	return false;
}

/* The name of key column k (0 or 1) of t, into out. */
static void key_name(const struct copy_table *t, int k, char *out, size_t n)
{
	const char *s = t->cols;

	if (k)
		s = strchr(s, ',') + 2;
	snprintf(out, n, "%.*s", (int)strcspn(s, ","), s);
}

enum copy_q { CQ_READ, CQ_WRITE, CQ_ANY, CQ_CLEAR };

#define CQ_KEY(table, kind) ((unsigned)(table) << 2 | (kind))

/* built_query text: key is CQ_KEY(index in copy_tables, enum copy_q). */
static void copy_text(unsigned key, struct buf *b)
{
	const struct copy_table *t = &copy_tables[key >> 2];
	char k0[64], k1[64];
	int n;

	switch ((enum copy_q)(key & 3)) {
	case CQ_READ:
		key_name(t, 0, k0, sizeof(k0));
		buf_addf(b, "SELECT %s FROM %s WHERE ", t->cols, t->name);
		if (t->nkey == 1) {
			buf_addf(b, "%s > $1 ORDER BY %s LIMIT $2", k0, k0);
			break;
		}
		key_name(t, 1, k1, sizeof(k1));
		buf_addf(b, "%s > $1 OR (%s = $1 AND %s > $2)"
			 " ORDER BY %s, %s LIMIT $3", k0, k0, k1, k0, k1);
		break;
	case CQ_WRITE:
		buf_addf(b, "INSERT INTO %s (%s) VALUES (", t->name, t->cols);
		n = cols_count(t->cols);
		for (int i = 1; i <= n; i++)
			buf_addf(b, "%s$%d", i > 1 ? ", " : "", i);
		buf_adds(b, ")");
		break;
	case CQ_ANY:
		buf_addf(b, "SELECT 1 FROM %s LIMIT 1", t->name);
		break;
	case CQ_CLEAR:
		buf_addf(b, "DELETE FROM %s", t->name);
		break;
	}
}

static struct built_query copy_query(size_t table, enum copy_q kind)
{
	return (struct built_query){ .key = CQ_KEY(table, kind),
				     .text = copy_text };
}

static int index_incident(struct store *to, const struct srow *r)
{
	/* id, number, title, description */
	return to->ops->search_new(to, r->col[0].i,
				   r->col[2].s ? r->col[2].s : "",
				   r->col[3].s ? r->col[3].s : "");
}

static int index_timeline(struct store *to, const struct srow *r)
{
	/* id, incident_id, at_ms, actor_id, kind, text */
	return to->ops->search_add(to, r->col[1].i,
				   r->col[5].s ? r->col[5].s : "");
}

struct copy_state {
	struct store *to;
	size_t table;
	int64_t last[2];	/* the key of the last row read */
	int64_t rows;		/* of this table, so far */
	int64_t chunk;		/* rows of the current chunk */
	int rc;			/* the target's error, apart from the walk's */
};

/* srow_fn on the source: write the row to the target. */
static int copy_row(void *ctx, const struct srow *r)
{
	struct copy_state *c = ctx;
	const struct copy_table *t = &copy_tables[c->table];
	struct built_query q = copy_query(c->table, CQ_WRITE);
	int rc;

	for (int i = 0; i < r->n; i++)
		built_query_add(&q, r->col[i], NULL);
	rc = c->to->ops->query_built(c->to, &q, NULL, NULL);
	if (!rc && t->after)
		rc = t->after(c->to, r);
	if (rc) {
		c->rc = rc;
		return rc;
	}
	for (int k = 0; k < t->nkey; k++)
		c->last[k] = r->col[k].i;
	c->rows++;
	c->chunk++;
	return 0;
}

/* Copy table c->table chunk by chunk. */
static int copy_table(struct store *from, struct copy_state *c,
		      struct errbuf *err)
{
	const struct copy_table *t = &copy_tables[c->table];
	int rc = 0;

	c->last[0] = c->last[1] = INT64_MIN;
	c->rows = 0;
	if (t->single) {
		struct built_query q = copy_query(c->table, CQ_CLEAR);

		rc = c->to->ops->query_built(c->to, &q, NULL, NULL);
	}
	do {
		struct built_query q = copy_query(c->table, CQ_READ);

		for (int k = 0; k < t->nkey; k++)
			built_query_add(&q, SV_I(c->last[k]), NULL);
		built_query_add(&q, SV_I(COPY_CHUNK), NULL);
		c->chunk = 0;
		c->rc = 0;
		if (!rc)
			rc = from->ops->query_built(from, &q, copy_row, c);
	} while (!rc && c->chunk == COPY_CHUNK);
	if (rc)
		return err_fail(err, rc, NULL, "cannot copy table %s (%s %s)",
			       t->name, c->rc ? "writing to" : "reading from",
			       c->rc ? "the target" : "the source");
	return 0;
}

static const struct copy_table *table_named(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(copy_tables); i++)
		if (!strcmp(copy_tables[i].name, name))
			return &copy_tables[i];
	return NULL;
}

struct catalog_check {
	char table[64];
	char column[64];
	bool unknown;
};

/* srow_fn over the source's catalog (table, column). */
static int check_column(void *ctx, const struct srow *r)
{
	struct catalog_check *k = ctx;
	const char *table = r->col[0].s ? r->col[0].s : "";
	const char *column = r->col[1].s ? r->col[1].s : "";
	const struct copy_table *t;

	if (is_skipped(table))
		return 0;
	t = table_named(table);
	if (t && cols_have(t->cols, column))
		return 0;
	snprintf(k->table, sizeof(k->table), "%s", table);
	snprintf(k->column, sizeof(k->column), "%s", t ? column : "");
	k->unknown = true;
	return 1;
}

/* Refuse a source holding a table or column copy_tables[] lacks. */
static int check_source(struct store *from, struct errbuf *err)
{
	struct catalog_check k = { .unknown = false };
	int rc = st_query(from, Q_COPY_COLUMNS, NULL, 0, check_column, &k);

	if (k.unknown && k.column[0])
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "the source's table %s has a column %s that"
			       " this erms does not copy", k.table, k.column);
	if (k.unknown)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "the source has a table %s that this erms does"
			       " not copy", k.table);
	if (rc)
		return err_fail(err, rc, NULL, "cannot read the source's"
			       " catalog");
	return 0;
}

/* srow_fn: there is a row. */
static int any_row(void *ctx, const struct srow *r)
{
	(void)r;
	*(bool *)ctx = true;
	return 0;
}

/* Refuse a target that holds a row in any table the copy fills. */
static int check_empty(struct store *to, struct errbuf *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(copy_tables); i++) {
		struct built_query q = copy_query(i, CQ_ANY);
		bool some = false;
		int rc;

		if (copy_tables[i].single)
			continue;
		rc = to->ops->query_built(to, &q, any_row, &some);
		if (rc)
			return err_fail(err, rc, NULL, "cannot read the"
				       " target's table %s",
				       copy_tables[i].name);
		if (some)
			return err_ret(err, ERMS_ECONFLICT, "not_empty",
				       "the target already holds data (table"
				       " %s): erms copies only into an empty"
				       " database", copy_tables[i].name);
	}
	return 0;
}

static int copy_all(struct store *from, struct store *to, store_copy_fn *fn,
		    void *ctx, struct errbuf *err)
{
	struct copy_state c = { .to = to };
	int rc = check_empty(to, err);

	for (size_t i = 0; !rc && i < ARRAY_SIZE(copy_tables); i++) {
		c.table = i;
		rc = copy_table(from, &c, err);
		if (!rc && fn)
			fn(ctx, copy_tables[i].name, c.rows);
	}
	if (!rc && (rc = store_ids_sync(to)))
		err_fail(err, rc, NULL, "cannot set the target's next ids");
	return rc;
}

int store_copy(struct store *from, struct store *to, store_copy_fn *fn,
	       void *ctx, struct errbuf *err)
{
	int rc = check_source(from, err);

	if (rc)
		return rc;
	if ((rc = store_begin(to)))
		return err_fail(err, rc, NULL, "cannot start writing to the"
			       " target");
	rc = copy_all(from, to, fn, ctx, err);
	if (rc) {
		store_rollback(to);
		return rc;
	}
	if ((rc = store_commit(to)))
		return err_fail(err, rc, NULL, "cannot commit the copy");
	return 0;
}

struct digest_state {
	uint64_t h;
	int64_t rows;
	int64_t chunk;
	int64_t last[2];
	int nkey;
};

/* FNV-1a over n bytes of p. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

/* srow_fn: fold the row's values, as text, into the digest. */
static int digest_row(void *ctx, const struct srow *r)
{
	struct digest_state *d = ctx;
	char num[24];

	for (int i = 0; i < r->n; i++) {
		const struct sval *v = &r->col[i];

		if (v->t == SV_INT) {
			snprintf(num, sizeof(num), "i%lld", (long long)v->i);
			d->h = fnv(d->h, num, strlen(num) + 1);
		} else if (v->t == SV_TEXT && v->s) {
			d->h = fnv(d->h, "s", 1);
			d->h = fnv(d->h, v->s, strlen(v->s) + 1);
		} else {
			d->h = fnv(d->h, "n", 2);
		}
	}
	for (int k = 0; k < d->nkey; k++)
		d->last[k] = r->col[k].i;
	d->rows++;
	d->chunk++;
	return 0;
}

int store_copy_digest(struct store *st, store_digest_fn *fn, void *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(copy_tables); i++) {
		struct digest_state d = {
			.h = 14695981039346656037ULL,
			.last = { INT64_MIN, INT64_MIN },
			.nkey = copy_tables[i].nkey,
		};
		int rc;

		do {
			struct built_query q = copy_query(i, CQ_READ);

			for (int k = 0; k < d.nkey; k++)
				built_query_add(&q, SV_I(d.last[k]), NULL);
			built_query_add(&q, SV_I(COPY_CHUNK), NULL);
			d.chunk = 0;
			rc = st->ops->query_built(st, &q, digest_row, &d);
		} while (!rc && d.chunk == COPY_CHUNK);
		if (rc)
			return rc;
		fn(ctx, copy_tables[i].name, d.rows, d.h);
	}
	return 0;
}
