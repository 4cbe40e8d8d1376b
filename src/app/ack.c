/*
 * ack.c - acknowledging a message: the one-time links and the ack itself.
 */
#include "app/ack.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/keys.h"
#include "app/plancache.h"
#include "app/timeline.h"
#include "app/version.h"
#include "plan/plan.h"
#include "util/xalloc.h"

static char base_url[256] = "http://127.0.0.1:8080";

void notify_set_base_url(const char *url)
{
	size_t n;

	snprintf(base_url, sizeof(base_url), "%s", url);
	n = strlen(base_url);
	if (n && base_url[n - 1] == '/')
		base_url[n - 1] = '\0';
}

const char *notify_base_url(void)
{
	return base_url;
}

void notify_ack_token(const char *idem_key, char out[TOKEN_LEN])
{
	const struct keys *k = keys_current();

	if (k)
		mac_token(k->ack, idem_key, out);
	else
		token_new("", out);
}

char *notify_ack_link(const struct notification *n)
{
	const char *stem = n->ack_link ? n->ack_link : "";
	size_t len = strlen(stem);
	char secret[TOKEN_LEN];
	char *link;

	/* Rows queued before links were built at sending keep theirs. */
	if (len && (len < 5 || strcmp(stem + len - 5, "/ack/")))
		return xstrdup(stem);
	notify_ack_token(n->idem_key, secret);
	link = len ? xasprintf("%s%s", stem, secret)
		   : xasprintf("%s/ack/%s", base_url, secret);
	sodium_memzero(secret, sizeof(secret));
	return link;
}

/* One pending message whose stored link still carries its token. */
struct legacy_ack {
	int64_t id;
	char idem_key[80];
	char *stem;		/* the link up to and with "/ack/" */
};

struct legacy_walk {
	struct legacy_ack *v;
	size_t n, cap;
	int64_t last_id;
};

/* Collects n when its ack_link ends in a token (store_notification_fn). */
static int legacy_take(void *ctx, const struct notification *n)
{
	struct legacy_walk *w = ctx;
	const char *link = n->ack_link ? n->ack_link : "";
	const char *slash = strrchr(link, '/');
	size_t stem;

	w->last_id = n->id;
	if (!slash || !slash[1] || slash - link < 4 ||
	    strncmp(slash - 4, "/ack/", 5))
		return 0;
	stem = (size_t)(slash - link) + 1;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n].id = n->id;
	snprintf(w->v[w->n].idem_key, sizeof(w->v[w->n].idem_key), "%s",
		 n->idem_key);
	w->v[w->n].stem = xstrndup(link, stem);
	w->n++;
	return 0;
}

int notify_rekey_ack_links(struct store *st)
{
	struct notification_filter f = { .state = "pending", .limit = 500 };
	struct legacy_walk w = { 0 };
	char secret[TOKEN_LEN], hash[65];
	int rc;

	do {		/* page by page, newest first, until a page is empty */
		w.last_id = 0;
		rc = store_notification_list(st, &f, legacy_take, &w);
		f.before_id = w.last_id;
	} while (!rc && w.last_id);
	for (size_t i = 0; i < w.n; i++) {
		if (!rc) {
			notify_ack_token(w.v[i].idem_key, secret);
			sha256_hex(secret, strlen(secret), hash);
			rc = store_notification_set_ack(st, w.v[i].id,
							w.v[i].stem, hash);
		}
		free(w.v[i].stem);
	}
	sodium_memzero(secret, sizeof(secret));
	free(w.v);
	return rc;
}

int notify_ack(struct store *st, const struct principal *p, int64_t id,
	       const char *secret, int64_t now_ms, struct notification *out,
	       struct errbuf *err)
{
	struct incident_row r = { 0 };
	char h[SHA256_HEX_LEN], obj[48];
	int rc;

	if (secret) {
		sha256_hex(secret, strlen(secret), h);
		rc = store_notification_by_ack(st, h, out);
	} else {
		rc = store_notification_get(st, id, out);
	}
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no such message");
	if (rc)
		return rc;
	if (p && p->user.id != out->user_id && !p->actor.in_command)
		return err_ret(err, ERMS_EPERM, "forbidden",
			       "only its recipient or command HQ may "
			       "acknowledge a message");
	if (out->acked_ms)
		return err_ret(err, ERMS_ECONFLICT, "conflict",
			       "this message was already acknowledged");
	if (secret && now_ms >= out->ack_expires_ms)
		return err_ret(err, ERMS_ECONFLICT, "conflict",
			       "this link has expired");
	out->acked_ms = now_ms;
	snprintf(out->acked_by, sizeof(out->acked_by), "%s",
		 p ? p->user.login : out->recipient);
	rc = store_notification_ack(st, out->id, out->acked_ms, out->acked_by);
	if (rc == ERMS_ECONFLICT)
		return err_ret(err, rc, "conflict",
			       "this message was already acknowledged");
	if (rc)
		return rc;
	if (out->incident_id &&
	    !(rc = store_incident_get_id(st, out->incident_id, &r)) &&
	    !r.esc_acked_ms) {
		r.esc_acked_ms = now_ms;
		app_stamp(&r.stamp, p);
		rc = store_incident_update(st, &r);
	}
	if (!rc && out->incident_id) {
		/* A group's chat is named by the group's name. */
		bool chat = !strncmp(out->acked_by, "group:", 6);

		rc = app_timeline_msg(st, out->incident_id, p ? p->user.id : 0,
				      "notification", chat ?
				      "tl.notify_acked_group" :
				      "tl.notify_acked",
				      json_pack("{s:s, s:s}", chat ? "group" : "by",
						out->acked_by + (chat ? 6 : 0),
						"event", out->event),
				      json_pack("{s:s, s:I}", "acknowledged",
						out->event, "notification",
						(json_int_t)out->id),
				      now_ms);
	}
	snprintf(obj, sizeof(obj), "notification:%" PRId64, out->id);
	if (!rc)
		rc = audit_append(st, p ? p->user.id : 0, "notification.ack",
				  obj, out->acked_by, now_ms);
	incident_row_release(&r);
	return rc;
}

void ack_view_release(struct ack_view *v)
{
	free(v->title);
	v->title = NULL;
}

/* The names of level `key` of plan version `pv` into v, or "". */
static void level_names(struct store *st, int64_t pv, const char *key,
			struct ack_view *v)
{
	const struct plan *p = NULL;
	const struct plan_level *l;

	if (!*key || plan_load(st, pv, &p))
		return;
	l = plan_level(p, key);
	if (l) {
		snprintf(v->level_zh, sizeof(v->level_zh), "%s",
			 plan_text(l->name, "zh-CN"));
		snprintf(v->level_en, sizeof(v->level_en), "%s",
			 plan_text(l->name, "en"));
	}
	plan_unref(p);
}

int notify_ack_view(struct store *st, const char *secret, int64_t now_ms,
		    struct ack_view *out)
{
	struct notification n = { 0 };
	struct incident_row r = { 0 };
	char h[SHA256_HEX_LEN];
	int rc;

	*out = (struct ack_view){ 0 };
	sha256_hex(secret, strlen(secret), h);
	rc = store_notification_by_ack(st, h, &n);
	if (rc)
		goto out;
	out->used = n.acked_ms != 0;
	out->expired = !out->used && now_ms >= n.ack_expires_ms;
	if (n.incident_id) {
		rc = store_incident_get_id(st, n.incident_id, &r);
		if (rc == ERMS_ENOTFOUND)
			rc = 0;
		else if (!rc) {
			snprintf(out->number, sizeof(out->number), "%s",
				 r.number);
			out->title = xstrdup(r.title ? r.title : "");
			level_names(st, r.plan_version_id, r.level_key, out);
		}
	}
out:
	incident_row_release(&r);
	notification_release(&n);
	return rc;
}
