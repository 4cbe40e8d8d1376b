/*
 * users.c - user accounts and the signed-in user's own view.
 */
#include "app/users.h"

#include <stdio.h>
#include <string.h>

#include "app/version.h"
#include "core/account.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/tz.h"
#include "util/xalloc.h"

int app_user_list(struct store *st, const struct principal *p, int64_t after,
		  int limit, app_user_fn *fn, void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_USER_LIST, NULL, e);

	return rc ? rc : store_user_list(st, after, limit, fn, ctx);
}

int app_user_read(struct store *st, const struct principal *p, int64_t id,
		  struct user *out, struct errbuf *e)
{
	struct object o = { .owner_id = id };
	int rc = app_may(p, A_USER_READ, &o, e);

	return rc ? rc : store_user_get(st, id, out);
}

/* The text of body's field `name`, or NULL. */
static const char *text(const json_t *body, const char *name)
{
	return json_string_value(json_object_get(body, name));
}

static const char *const chat_kinds[] = { "dingtalk", "wecom", "feishu" };

/* body's chat_ids, when there: an object of chat_kinds' ids. */
static int check_chat_ids(const json_t *ids, struct errbuf *e)
{
	const char *k;
	json_t *v;

	if (!ids)
		return 0;
	if (!json_is_object(ids))
		return err_fail(e, ERMS_EINVAL, "chat_ids",
				"chat_ids is an object {dingtalk, wecom, "
				"feishu}");
	json_object_foreach((json_t *)ids, k, v) {
		bool known = false;
		char field[32];

		for (size_t i = 0; i < ARRAY_SIZE(chat_kinds); i++)
			known = known || !strcmp(k, chat_kinds[i]);
		if (!known)
			return err_fail(e, ERMS_EINVAL, "chat_ids",
					"chat_ids has dingtalk, wecom and "
					"feishu only, not '%s'", k);
		snprintf(field, sizeof(field), "chat_ids.%s", k);
		if (!json_is_string(v) || !chat_id_valid(json_string_value(v)))
			return err_fail(e, ERMS_EINVAL, field,
					"a chat id is up to %d printable "
					"characters without spaces, quotes, "
					"'<', '>' or '&'", CHAT_ID_MAX);
	}
	return 0;
}

/* The profile fields' rules, for those present in body. */
static int check_profile(const json_t *body, struct errbuf *e)
{
	const char *s;

	if ((s = text(body, "locale")) && !locale_valid(s))
		return err_fail(e, ERMS_EINVAL, "locale",
				"locale must be 'zh-CN' or 'en'");
	if ((s = text(body, "time_zone")) && *s && !tz_valid(s)) {
		int rc = err_ret(e, ERMS_EINVAL, "invalid_field",
				 "'%s' is not a time zone of the tz database "
				 "(e.g. Asia/Shanghai; \"\" for the "
				 "organisation's)", s);

		errbuf_field(e, "time_zone");
		return rc;
	}
	if ((s = text(body, "email")) && !email_valid(s))
		return err_fail(e, ERMS_EINVAL, "email",
				"'%s' is not an email address", s);
	if ((s = text(body, "phone")) && !phone_valid(s))
		return err_fail(e, ERMS_EINVAL, "phone",
				"'%s' is not a mobile number: an optional '+' "
				"and 5 to 20 digits, no spaces or dashes", s);
	if (check_chat_ids(json_object_get(body, "chat_ids"), e))
		return ERMS_EINVAL;
	if ((s = text(body, "password")) && !password_valid(s))
		return err_fail(e, ERMS_EINVAL, "password",
				"a password has %d to %d bytes", PASSWORD_MIN,
				PASSWORD_MAX);
	return 0;
}

/* Copy the text field `name` of body into dst when it is there. */
static void text_into(char *dst, size_t n, const json_t *body,
		      const char *name)
{
	const char *s = text(body, name);

	if (s)
		snprintf(dst, n, "%s", s);
}

/* Copy the profile fields present in body into u. */
static void apply_profile(const json_t *body, struct user *u)
{
	const json_t *ids;

	text_into(u->display_name, sizeof(u->display_name), body,
		  "display_name");
	text_into(u->email, sizeof(u->email), body, "email");
	text_into(u->phone, sizeof(u->phone), body, "phone");
	text_into(u->locale, sizeof(u->locale), body, "locale");
	text_into(u->time_zone, sizeof(u->time_zone), body, "time_zone");
	ids = json_object_get(body, "chat_ids");
	text_into(u->chat_dingtalk, sizeof(u->chat_dingtalk), ids, "dingtalk");
	text_into(u->chat_wecom, sizeof(u->chat_wecom), ids, "wecom");
	text_into(u->chat_feishu, sizeof(u->chat_feishu), ids, "feishu");
}

/* body's boolean `name`, or dflt. */
static bool flag(const json_t *body, const char *name, bool dflt)
{
	json_t *v = json_object_get(body, name);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int app_user_vet(const struct principal *p, int64_t id, const json_t *body,
		 struct errbuf *e)
{
	struct object o = { .owner_id = id };
	const char *login = text(body, "login");
	int rc = app_may(p, id ? A_USER_UPDATE : A_USER_CREATE, &o, e);

	if (!rc && login && !login_valid(login))
		rc = err_fail(e, ERMS_EINVAL, "login",
			      "a login is 1 to 64 of a-z, 0-9, '.', '_', '-'");
	if (!rc)
		rc = check_profile(body, e);
	return rc;
}

int app_user_add(struct store *st, const struct principal *p,
		 const json_t *body, const char *pwhash, int64_t now_ms,
		 struct user *out, struct errbuf *e)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->locale, sizeof(out->locale), "zh-CN");
	text_into(out->login, sizeof(out->login), body, "login");
	apply_profile(body, out);
	out->is_admin = flag(body, "is_admin", false);
	return app_user_create(st, p, out, pwhash, now_ms, e);
}

/* The body's version (If-Match) against the row u as read. */
static int check_user_version(struct store *st, const struct principal *p,
			      const json_t *body, const struct user *u,
			      struct errbuf *e)
{
	return app_version_check(st, p, app_body_version(body), &u->stamp,
				 u->updated_ms, VK_USER, u->login, e);
}

int app_user_edit(struct store *st, const struct principal *p, int64_t id,
		  const json_t *body, const char *pwhash, int64_t now_ms,
		  struct user *out, struct errbuf *e)
{
	int rc = store_user_get(st, id, out);

	if (!rc)
		rc = check_user_version(st, p, body, out, e);
	if (rc)
		return rc;
	apply_profile(body, out);
	out->is_admin = flag(body, "is_admin", out->is_admin);
	out->disabled = flag(body, "disabled", out->disabled);
	return app_user_update(st, p, out, pwhash, now_ms, e);
}

int app_me_vet(struct store *st, const struct principal *p,
	       const json_t *body, struct errbuf *e)
{
	char cur[PWHASH_LEN];
	const char *given = text(body, "current_password");
	int rc = app_may(p, A_ME_UPDATE, NULL, e);
	bool ok;

	if (!rc)
		rc = check_profile(body, e);
	if (rc || !json_object_get(body, "password"))
		return rc;
	rc = store_user_pwhash(st, p->user.id, cur, sizeof(cur));
	if (rc)
		return rc;
	if (pwgate_enter())
		return err_fail(e, ERMS_EBUSY, NULL, "too many password "
				"checks at once; try again in a moment");
	ok = password_verify(cur, given ? given : "");
	pwgate_leave();
	if (!ok)
		rc = err_fail(e, ERMS_EINVAL, "current_password",
			      "current_password is wrong or missing");
	return rc;
}

int app_me_edit(struct store *st, const struct principal *p,
		const json_t *body, const char *pwhash, int64_t now_ms,
		struct user *out, struct errbuf *e)
{
	int rc = app_may(p, A_ME_UPDATE, NULL, e);

	if (!rc)
		rc = store_user_get(st, p->user.id, out);
	if (!rc)
		rc = check_user_version(st, p, body, out, e);
	if (rc)
		return rc;
	apply_profile(body, out);
	return app_user_update(st, p, out, pwhash, now_ms, e);
}

static int add_group(void *ctx, const struct membership *m,
		     const struct user *u)
{
	(void)u;
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "key",
					     m->group_key, "kind",
					     group_kind_name(m->kind), "role",
					     member_role_name(m->role)));
	return 0;
}

static bool in_group(const json_t *groups, const char *key)
{
	const json_t *g;
	size_t i;

	json_array_foreach(groups, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "key")), key))
			return true;
	return false;
}

int app_me_view(struct store *st, const struct principal *p, json_t **groups,
		json_t **rights, struct errbuf *e)
{
	int rc = app_may(p, A_ME_READ, NULL, e);

	*groups = json_array();
	*rights = json_array();
	if (!rc)
		rc = store_groups_of_user(st, p->user.id, add_group, *groups);
	if (rc) {
		json_decref(*groups);
		json_decref(*rights);
		*groups = *rights = NULL;
		return rc;
	}
	for (int a = 0; a < A__COUNT; a++) {
		const char *team = action_team((enum action)a);
		struct object o = { .actor_in_group = team &&
				    in_group(*groups, team) };

		if (may(&p->actor, (enum action)a, team ? &o : NULL))
			json_array_append_new(*rights,
					      json_string(action_name(a)));
	}
	return 0;
}
