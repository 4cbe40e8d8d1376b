/*
 * integrations.c - the monitors that may post alerts (app/intake.h):
 * administrators create, change, rekey and delete them; a payload's key
 * is admitted here, on the connection's thread.
 *
 * A key is 32 random bytes in base64url, shown once (in the answers of
 * create and rotate) and stored only as its SHA-256, as API tokens are.
 */
#include "app/intake.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ack.h"
#include "app/audit.h"
#include "app/version.h"
#include "app/codec.h"
#include "app/intake-conf.h"
#include "app/plancache.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/xalloc.h"

#define RATE_DEFAULT 6000
#define RATE_MAX 6000000
#define WINDOW_MAX_S (30 * 86400)
#define INTERVAL_MIN_S 10
#define INTERVAL_MAX_S 604800

/* The same answer for every key that opens nothing. */
static int refused(struct errbuf *e)
{
	return err_ret(e, ERMS_EAUTH, "unauthorized",
		       "unknown or disabled integration key");
}

/* The enabled integration whose key has this hash, from the keys
 * admitted lately or else from the store (and then kept). */
static int admit_lookup(struct app *app, struct store *st, const char *hash,
			struct intake_key *k, struct errbuf *e)
{
	struct integration_row r = { 0 };
	int64_t gen = intake_keys_gen(&app->intake_limits);
	int rc;

	if (intake_keys_get(&app->intake_limits, hash, k))
		return 0;
	rc = store_integration_by_hash(st, hash, &r);
	if (rc == ERMS_ENOTFOUND || (!rc && !r.enabled)) {
		integration_row_release(&r);
		return refused(e);
	}
	if (rc) {
		integration_row_release(&r);
		return err_fail(e, rc, NULL, "storage unavailable");
	}
	*k = (struct intake_key){ .gen = gen, .id = r.id,
				  .kind = intake_kind_from_name(r.kind),
				  .rate = r.rate_limit_per_min };
	snprintf(k->hash, sizeof(k->hash), "%s", hash);
	snprintf(k->name, sizeof(k->name), "%s", r.name);
	integration_row_release(&r);
	intake_keys_put(&app->intake_limits, k);
	return 0;
}

int app_intake_admit(struct app *app, struct store *st, const char *key,
		     int64_t now_ms, struct intake_target *out,
		     int64_t *retry_ms, struct errbuf *e)
{
	struct intake_key k;
	char hash[SHA256_HEX_LEN];
	int rc;

	*retry_ms = 0;
	memset(out, 0, sizeof(*out));
	if (!key || !*key || strlen(key) > INTAKE_KEY_MAX)
		return refused(e);
	sha256_hex(key, strlen(key), hash);
	if ((rc = admit_lookup(app, st, hash, &k, e)))
		return rc;
	out->id = k.id;
	out->kind = (enum intake_kind)k.kind;
	out->enabled = true;
	snprintf(out->name, sizeof(out->name), "%s", k.name);
	*retry_ms = intake_limits_take(&app->intake_limits, k.id, k.rate,
				       now_ms);
	if (*retry_ms)
		return err_ret(e, ERMS_ELIMIT, "rate_limited",
			       "this integration posts more than its rate "
			       "limit allows");
	return 0;
}

/* An integration is written: the keys admitted lately stand no more
 * once this commits. */
static void keys_changed(struct app *app)
{
	if (app)
		intake_keys_changed(&app->intake_limits);
}

/* The address a monitor posts to. */
static json_t *url_of(struct app *app, const char *key)
{
	const char *base = app && app->cfg.public_url && *app->cfg.public_url
				   ? app->cfg.public_url : notify_base_url();
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	return json_sprintf("%.*s/api/v1/intake/%s", (int)n, base, key);
}

static json_t *parsed(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	return v ? v : json_array();
}

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The contract's integration JSON; key (NULL: not known) only from
 * create and rotate. */
static json_t *integration_json(struct app *app,
				const struct integration_row *r,
				const char *key)
{
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:b, s:o, s:s, s:o, s:o, s:s, s:o, s:I, s:b,"
	    " s:o, s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o}",
	    "id", (json_int_t)r->id, "name", r->name, "kind", r->kind,
	    "enabled", r->enabled,
	    "url", key ? url_of(app, key) : json_null(),
	    "key_prefix", r->key_prefix,
	    "category", text_or_null(r->category),
	    "level", text_or_null(r->level),
	    "title_template", r->title_template ? r->title_template : "",
	    "group_by", parsed(r->group_by),
	    "group_window_s", (json_int_t)r->group_window_s,
	    "auto_dismiss", r->auto_dismiss,
	    "interval_s", strcmp(r->kind, "heartbeat")
		? json_null() : json_integer(r->interval_s),
	    "rate_limit_per_min", (json_int_t)r->rate_limit_per_min,
	    "rules", parsed(r->rules), "maintenance", parsed(r->maintenance),
	    "last_received_at", json_time(r->last_received_ms),
	    "received", (json_int_t)r->received,
	    "alerts_total", (json_int_t)r->alerts_total,
	    "alerts_firing", (json_int_t)r->alerts_firing,
	    "created_at", json_time(r->created_ms),
	    "updated_at", json_time(r->updated_ms));

	json_add_stamp(o, &r->stamp);
	if (key)
		json_object_set_new(o, "key", json_string(key));
	return o;
}

static int audit_row(struct store *st, const struct principal *p,
		     const char *action, const struct integration_row *r,
		     int64_t now_ms)
{
	char obj[48], summary[NAME_MAX_ + 32];

	snprintf(obj, sizeof(obj), "integration:%lld", (long long)r->id);
	snprintf(summary, sizeof(summary), "%s (%s)", r->name, r->kind);
	return audit_append(st, p->user.id, action, obj, summary, now_ms);
}

static int field_err(struct errbuf *e, const char *code, const char *field,
		     const char *msg)
{
	errbuf_set(e, code, "%s: %s", field, msg);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

/* An integer member within [lo, hi]. */
static int int_member(const json_t *v, const char *field, int64_t lo,
		      int64_t hi, int64_t *out, struct errbuf *e)
{
	char msg[96];

	if (!json_is_integer(v))
		return field_err(e, "wrong_type", field, "must be an integer");
	if (json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(msg, sizeof(msg), "must be %lld to %lld",
			 (long long)lo, (long long)hi);
		return field_err(e, "invalid", field, msg);
	}
	*out = json_integer_value(v);
	return 0;
}

static int bool_member(const json_t *v, const char *field, bool *out,
		       struct errbuf *e)
{
	if (!json_is_boolean(v))
		return field_err(e, "wrong_type", field,
				 "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* A plan key (category or level) or null into out[KEY_MAX + 1]. */
static int key_member(const json_t *v, const char *field,
		      const struct plan *plan, char *out, struct errbuf *e)
{
	const char *s;

	if (json_is_null(v)) {
		out[0] = 0;
		return 0;
	}
	if (!json_is_string(v))
		return field_err(e, "wrong_type", field,
				 "must be a string or null");
	s = json_string_value(v);
	if (!*s || strlen(s) > KEY_MAX)
		return field_err(e, "invalid", field, "not a key of the plan");
	if (plan && !strcmp(field, "category") && !plan_category(plan, s))
		return field_err(e, "invalid", field,
				 "not a category of the plan in force");
	if (plan && !strcmp(field, "level") && !plan_level(plan, s))
		return field_err(e, "invalid", field,
				 "not a level of the plan in force");
	snprintf(out, KEY_MAX + 1, "%s", s);
	return 0;
}

/* Replace *slot with the compact text of v (which is consumed). */
static void set_json(char **slot, json_t *v)
{
	free(*slot);
	*slot = json_dumps(v, JSON_COMPACT);
	json_decref(v);
}

static const char *const readonly_fields[] = {
	"id", "key", "url", "key_prefix", "last_received_at", "received",
	"alerts_total", "alerts_firing", "created_at", "updated_at",
	"version", "updated_by", NULL,
};

static bool is_readonly(const char *k)
{
	for (size_t i = 0; readonly_fields[i]; i++)
		if (!strcmp(readonly_fields[i], k))
			return true;
	return false;
}

/*
 * The settings body gives into r (creating: r is fresh, name and kind
 * required). Checked strictly; nothing is written.
 */
static int settings_from(struct store *st, const json_t *body,
			 struct integration_row *r, bool creating,
			 struct errbuf *e)
{
	const struct plan *plan = NULL;
	const char *k;
	const json_t *v;
	json_t *norm;
	int rc = 0;

	if (!json_is_object(body))
		return err_fail(e, ERMS_EINVAL, NULL,
				"the body must be a JSON object");
	rc = plan_load_current(st, &plan);
	if (rc == ERMS_ENOTFOUND)
		rc = 0;
	if (rc)
		return rc;
	if (creating) {
		if (!json_object_get(body, "name"))
			rc = field_err(e, "missing_field", "name",
				       "is required");
		else if (!json_object_get(body, "kind"))
			rc = field_err(e, "missing_field", "kind",
				       "is required");
	}
	json_object_foreach((json_t *)body, k, v) {
		if (rc)
			break;
		if (!strcmp(k, "name")) {
			const char *s = json_string_value(v);

			if (!json_is_string(v))
				rc = field_err(e, "wrong_type", k,
					       "must be a string");
			else if (!*s || strlen(s) > NAME_MAX_)
				rc = field_err(e, "invalid", k,
					       "must be 1 to 128 bytes");
			else
				snprintf(r->name, sizeof(r->name), "%s", s);
		} else if (!strcmp(k, "kind")) {
			int kind = intake_kind_from_name(json_string_value(v));

			if (!json_is_string(v))
				rc = field_err(e, "wrong_type", k,
					       "must be a string");
			else if (kind < 0)
				rc = field_err(e, "invalid", k,
					       "is alertmanager, grafana, "
					       "events or heartbeat");
			else if (!creating && strcmp(r->kind,
						     json_string_value(v)))
				rc = field_err(e, "invalid", k,
					       "cannot be changed");
			else
				snprintf(r->kind, sizeof(r->kind), "%s",
					 json_string_value(v));
		} else if (!strcmp(k, "enabled")) {
			rc = bool_member(v, k, &r->enabled, e);
		} else if (!strcmp(k, "category")) {
			rc = key_member(v, k, plan, r->category, e);
		} else if (!strcmp(k, "level")) {
			rc = key_member(v, k, plan, r->level, e);
		} else if (!strcmp(k, "title_template")) {
			if (!json_is_string(v))
				rc = field_err(e, "wrong_type", k,
					       "must be a string");
			else if (json_string_length(v) > INTAKE_TEXT_MAX)
				rc = field_err(e, "invalid", k, "too long");
			else if ((rc = template_check(json_string_value(v),
						      e)))
				errbuf_field(e, k);
			else {
				free(r->title_template);
				r->title_template =
					xstrdup(json_string_value(v));
			}
		} else if (!strcmp(k, "group_by")) {
			if (!(rc = intake_conf_group_by(v, NULL, &norm, e)))
				set_json(&r->group_by, norm);
		} else if (!strcmp(k, "group_window_s")) {
			rc = int_member(v, k, 0, WINDOW_MAX_S,
					&r->group_window_s, e);
		} else if (!strcmp(k, "auto_dismiss")) {
			rc = bool_member(v, k, &r->auto_dismiss, e);
		} else if (!strcmp(k, "interval_s")) {
			if (json_is_null(v))
				r->interval_s = 0;
			else
				rc = int_member(v, k, INTERVAL_MIN_S,
						INTERVAL_MAX_S, &r->interval_s,
						e);
		} else if (!strcmp(k, "rate_limit_per_min")) {
			rc = int_member(v, k, 1, RATE_MAX,
					&r->rate_limit_per_min, e);
		} else if (!strcmp(k, "rules")) {
			if (!(rc = intake_conf_rules(v, plan, NULL, &norm, e)))
				set_json(&r->rules, norm);
		} else if (!strcmp(k, "maintenance")) {
			if (!(rc = intake_conf_maintenance(v, NULL, &norm, e)))
				set_json(&r->maintenance, norm);
		} else if (!is_readonly(k)) {
			errbuf_set(e, "unknown_field", "unknown field %s", k);
			errbuf_field(e, k);
			rc = ERMS_EINVAL;
		}
	}
	plan_unref(plan);
	if (rc)
		return rc;
	if (!strcmp(r->kind, "heartbeat") && !r->interval_s)
		return field_err(e, "missing_field", "interval_s",
				 "is required for a heartbeat (10 to 604800)");
	if (strcmp(r->kind, "heartbeat") && r->interval_s)
		return field_err(e, "invalid", "interval_s",
				 "is for heartbeats only");
	return 0;
}

static int name_taken(int rc, struct errbuf *e)
{
	if (rc != ERMS_ECONFLICT)
		return rc;
	errbuf_set(e, "conflict", "an integration of this name exists");
	errbuf_field(e, "name");
	return rc;
}

/* A new key into key[TOKEN_LEN], its hash and its prefix. */
static void new_key(char key[TOKEN_LEN], char hash[SHA256_HEX_LEN],
		    char prefix[8])
{
	token_new("", key);
	sha256_hex(key, strlen(key), hash);
	snprintf(prefix, 7, "%s", key);
}

struct list_ctx {
	struct app *app;
	json_t *items;
};

static int add_item(void *ctx, const struct integration_row *r)
{
	struct list_ctx *l = ctx;

	json_array_append_new(l->items, integration_json(l->app, r, NULL));
	return 0;
}

int app_integration_list(struct app *app, struct store *st,
			 const struct principal *p, json_t **items,
			 struct errbuf *e)
{
	struct list_ctx l = { app, json_array() };
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	if (!rc)
		rc = store_integration_list(st, add_item, &l);
	if (rc) {
		json_decref(l.items);
		l.items = NULL;
	}
	*items = l.items;
	return rc;
}

/* Integration id (not deleted) into r, or ERMS_ENOTFOUND. */
static int load(struct store *st, int64_t id, struct integration_row *r,
		struct errbuf *e)
{
	int rc = store_integration_get(st, id, r);

	if (rc == ERMS_ENOTFOUND)
		return err_fail(e, rc, NULL, "no such integration");
	return rc;
}

int app_integration_get(struct app *app, struct store *st,
			const struct principal *p, int64_t id, json_t **out,
			struct errbuf *e)
{
	struct integration_row r = { 0 };
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = load(st, id, &r, e);
	if (!rc)
		*out = integration_json(app, &r, NULL);
	integration_row_release(&r);
	return rc;
}

int app_integration_create(struct app *app, struct store *st,
			   const struct principal *p, const json_t *body,
			   int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct integration_row r = { .enabled = true,
				     .rate_limit_per_min = RATE_DEFAULT };
	char key[TOKEN_LEN], hash[SHA256_HEX_LEN];
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = settings_from(st, body, &r, true, e);
	if (!rc) {
		new_key(key, hash, r.key_prefix);
		r.created_by = p->user.id;
		r.created_ms = now_ms;
		app_stamp(&r.stamp, p);
		rc = name_taken(store_integration_insert(st, &r, hash), e);
	}
	if (!rc)
		rc = audit_row(st, p, "integration.create", &r, now_ms);
	if (!rc)
		*out = integration_json(app, &r, key);
	sodium_memzero(key, sizeof(key));
	integration_row_release(&r);
	return rc;
}

int app_integration_update(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   const json_t *body, int64_t now_ms, json_t **out,
			   struct errbuf *e)
{
	struct integration_row r = { 0 };
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = load(st, id, &r, e);
	if (!rc)
		rc = app_version_check(st, p, app_body_version(body), &r.stamp,
				       r.updated_ms, VK_INTEGRATION, r.name, e);
	if (!rc)
		rc = settings_from(st, body, &r, false, e);
	if (!rc) {
		r.updated_ms = now_ms;
		app_stamp(&r.stamp, p);
		keys_changed(app);
		rc = name_taken(store_integration_update(st, &r), e);
	}
	if (!rc)
		rc = audit_row(st, p, "integration.update", &r, now_ms);
	if (!rc)
		*out = integration_json(app, &r, NULL);
	integration_row_release(&r);
	return rc;
}

int app_integration_rotate(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct integration_row r = { 0 };
	char key[TOKEN_LEN], hash[SHA256_HEX_LEN];
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = load(st, id, &r, e);
	if (!rc) {
		new_key(key, hash, r.key_prefix);
		r.updated_ms = now_ms;
		app_stamp(&r.stamp, p);
		r.stamp.version++;
		keys_changed(app);
		rc = store_integration_rekey(st, id, hash, r.key_prefix,
					     now_ms, p->user.id);
	}
	if (!rc)
		rc = audit_row(st, p, "integration.rotate", &r, now_ms);
	if (!rc)
		*out = integration_json(app, &r, key);
	sodium_memzero(key, sizeof(key));
	integration_row_release(&r);
	return rc;
}

int app_integration_delete(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   int64_t now_ms, struct errbuf *e)
{
	struct integration_row r = { 0 };
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	if (!rc)
		rc = load(st, id, &r, e);
	if (!rc) {
		keys_changed(app);
		rc = store_integration_delete(st, id, now_ms);
	}
	if (!rc)
		rc = audit_row(st, p, "integration.delete", &r, now_ms);
	integration_row_release(&r);
	return rc;
}
