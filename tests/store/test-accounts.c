/*
 * test-accounts.c - the store contract for users, groups and their
 * members, sessions, API tokens and the revocation generation.
 */
#include "contract.h"

static int count_user(void *ctx, const struct user *u)
{
	int64_t *seen = ctx;

	seen[++seen[0]] = u->id;
	return 0;
}

static int stop_user(void *ctx, const struct user *u)
{
	(void)u;
	++*(int *)ctx;
	return 7;
}

static void test_user_round_trip_and_conflict(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("alice"), v, dup = mk_user("alice");
	char h[128];

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &u, "hash-1"), 0);
	assert_true(u.id > 0);
	assert_int_equal(store_user_insert(f->st, &dup, "x"), ERMS_ECONFLICT);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_string_equal(v.display_name, "名字 alice");
	assert_int_equal(store_user_by_login(f->st, "alice", &v, h, sizeof(h)),
			 0);
	assert_string_equal(h, "hash-1");
	assert_int_equal(store_user_get(f->st, 999, &v), ERMS_ENOTFOUND);
	assert_string_equal(v.chat_dingtalk, "");
	v.is_admin = true;
	v.updated_ms = 2000;
	snprintf(v.chat_dingtalk, sizeof(v.chat_dingtalk), "dt-alice");
	snprintf(v.chat_wecom, sizeof(v.chat_wecom), "wc-alice");
	snprintf(v.chat_feishu, sizeof(v.chat_feishu), "ou_alice");
	assert_int_equal(store_user_update(f->st, &v), 0);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_true(v.is_admin);
	assert_string_equal(v.chat_dingtalk, "dt-alice");
	assert_string_equal(v.chat_wecom, "wc-alice");
	assert_string_equal(v.chat_feishu, "ou_alice");
	v.id = 999;
	assert_int_equal(store_user_update(f->st, &v), ERMS_ENOTFOUND);
}

/* Every field of struct user comes back as written. */
static void test_user_fields(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("bea"), v;

	snprintf(u.email, sizeof(u.email), "bea@example.org");
	snprintf(u.phone, sizeof(u.phone), "+86 10 1234");
	snprintf(u.locale, sizeof(u.locale), "en");
	u.is_admin = true;
	u.created_ms = 5000;
	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(u.updated_ms, 5000);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_string_equal(v.login, "bea");
	assert_string_equal(v.display_name, "名字 bea");
	assert_string_equal(v.email, "bea@example.org");
	assert_string_equal(v.phone, "+86 10 1234");
	assert_string_equal(v.locale, "en");
	assert_true(v.is_admin);
	assert_false(v.disabled);
	assert_int_equal(v.created_ms, 5000);
	assert_int_equal(v.updated_ms, 5000);
	/* Without a hash buffer the login look-up still finds the user. */
	assert_int_equal(store_user_by_login(f->st, "bea", &v, NULL, 0), 0);
	assert_int_equal(v.id, u.id);
	assert_int_equal(store_user_by_login(f->st, "nobody", &v, NULL, 0),
			 ERMS_ENOTFOUND);
}

static void test_user_password(void **state)
{
	struct fixture *f = *state;
	struct user v;
	int64_t id = add_user(f->st, "carl");
	char h[128];

	assert_int_equal(store_user_pwhash(f->st, id, h, sizeof(h)), 0);
	assert_string_equal(h, "hash");
	assert_int_equal(store_user_set_password(f->st, id, "new-hash", 3000),
			 0);
	assert_int_equal(store_user_pwhash(f->st, id, h, sizeof(h)), 0);
	assert_string_equal(h, "new-hash");
	assert_int_equal(store_user_get(f->st, id, &v), 0);
	assert_int_equal(v.updated_ms, 3000);
	assert_int_equal(store_user_pwhash(f->st, id + 100, h, sizeof(h)),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_user_set_password(f->st, id + 100, "x", 1),
			 ERMS_ENOTFOUND);
}

/* Users by id, a page at a time after a cursor; a callback stops it. */
static void test_user_list_pages(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5], seen[8] = { 0 }, n;
	char login[16];
	int calls = 0;

	for (int i = 0; i < 5; i++) {
		snprintf(login, sizeof(login), "user%d", i);
		ids[i] = add_user(f->st, login);
	}
	assert_int_equal(store_user_count(f->st, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(store_user_list(f->st, 0, 2, count_user, seen), 0);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], ids[0]);
	assert_int_equal(seen[2], ids[1]);
	seen[0] = 0;
	assert_int_equal(store_user_list(f->st, ids[1], 10, count_user, seen),
			 0);
	assert_int_equal(seen[0], 3);
	assert_int_equal(seen[1], ids[2]);
	assert_int_equal(seen[3], ids[4]);
	seen[0] = 0;
	assert_int_equal(store_user_list(f->st, ids[4], 10, count_user, seen),
			 0);
	assert_int_equal(seen[0], 0);
	assert_int_equal(store_user_list(f->st, 0, 10, stop_user, &calls), 7);
	assert_int_equal(calls, 1);
}

static int count_member(void *ctx, const struct membership *m,
			const struct user *u)
{
	(void)m;
	(void)u;
	(*(int *)ctx)++;
	return 0;
}

static int member_from(void *ctx, const struct membership *m,
		       const struct user *u)
{
	(void)u;
	*(int64_t *)ctx = m->review_from_ms;
	return 0;
}

static void test_groups_and_members(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("carol");
	struct group g = { .key = "command", .name = "应急指挥部",
			   .kind = GK_COMMAND, .duties_json = (char *)"[\"a\"]",
			   .created_ms = 5 };
	struct group out;
	int64_t from = 0;
	int n = 0;

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(store_group_insert(f->st, &g), 0);
	assert_int_equal(store_group_insert(f->st, &g), ERMS_ECONFLICT);
	assert_int_equal(store_member_put(f->st, g.id, u.id, MR_LEAD, 6, 600),
			 0);
	/* A role change keeps the time the membership counts from. */
	assert_int_equal(store_member_put(f->st, g.id, u.id, MR_DEPUTY, 7, 0),
			 0);
	assert_int_equal(store_members_of_group(f->st, g.id, count_member, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_groups_of_user(f->st, u.id, member_from, &from),
			 0);
	assert_int_equal(from, 600);
	assert_int_equal(store_group_get(f->st, "command", &out), 0);
	assert_string_equal(out.name, "应急指挥部");
	assert_string_equal(out.duties_json, "[\"a\"]");
	free(out.duties_json);
	assert_int_equal(store_member_put(f->st, g.id, 999, MR_LEAD, 8, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_member_delete(f->st, g.id, u.id), 0);
	assert_int_equal(store_member_delete(f->st, g.id, u.id),
			 ERMS_ENOTFOUND);
}

static int group_keys(void *ctx, const struct group *g)
{
	char *keys = ctx;
	size_t n = strlen(keys);

	snprintf(keys + n, 64 - n, "%s,", g->key);	/* keys[64] */
	return 0;
}

static int stop_group(void *ctx, const struct group *g)
{
	(void)g;
	++*(int *)ctx;
	return 3;
}

static void test_group_update_and_list(void **state)
{
	struct fixture *f = *state;
	struct group g = { 0 }, out;
	char keys[64] = "";
	int calls = 0;
	int64_t lead = add_group(f->st, "leaders", GK_LEADERSHIP);

	add_group(f->st, "team-a", GK_TEAM);
	assert_int_equal(store_group_get(f->st, "team-a", &g), 0);
	assert_int_equal(g.kind, GK_TEAM);
	assert_string_equal(g.duties_json, "[]");	/* none given */
	free(g.duties_json);
	snprintf(g.name, sizeof(g.name), "抢险队 A");
	g.duties_json = (char *)"[\"repair\"]";
	g.kind = GK_COMMAND;
	g.updated_ms = 77;
	assert_int_equal(store_group_update(f->st, &g), 0);
	assert_int_equal(store_group_get(f->st, "team-a", &out), 0);
	assert_string_equal(out.name, "抢险队 A");
	assert_string_equal(out.duties_json, "[\"repair\"]");
	assert_int_equal(out.kind, GK_COMMAND);
	assert_int_equal(out.updated_ms, 77);
	assert_int_equal(out.created_ms, 10);
	free(out.duties_json);
	assert_int_equal(store_group_get(f->st, "nope", &out), ERMS_ENOTFOUND);
	g.id = lead + 100;
	assert_int_equal(store_group_update(f->st, &g), ERMS_ENOTFOUND);
	assert_int_equal(store_group_list(f->st, group_keys, keys), 0);
	assert_string_equal(keys, "leaders,team-a,");
	assert_int_equal(store_group_list(f->st, stop_group, &calls), 3);
	assert_int_equal(calls, 1);
}

struct member_seen {
	int n;
	char line[4][192];
};

static int member_line(void *ctx, const struct membership *m,
		       const struct user *u)
{
	struct member_seen *s = ctx;

	if (s->n < 4)
		snprintf(s->line[s->n], sizeof(s->line[0]), "%s/%s/%s/%d",
			 m->group_key, member_role_name(m->role), u->login,
			 m->user_id == u->id);
	s->n++;
	return 0;
}

/* Members come lead first, then deputies, then members; a user's groups
 * in the order the groups were made. */
static void test_member_order(void **state)
{
	struct fixture *f = *state;
	struct member_seen s = { 0 };
	int64_t g1 = add_group(f->st, "g1", GK_TEAM);
	int64_t g2 = add_group(f->st, "g2", GK_COMMAND);
	int64_t a = add_user(f->st, "ann"), b = add_user(f->st, "ben");
	int64_t c = add_user(f->st, "cat");

	assert_int_equal(store_member_put(f->st, g1, a, MR_MEMBER, 1, 0), 0);
	assert_int_equal(store_member_put(f->st, g1, b, MR_DEPUTY, 1, 0), 0);
	assert_int_equal(store_member_put(f->st, g1, c, MR_LEAD, 1, 0), 0);
	assert_int_equal(store_member_put(f->st, g2, a, MR_LEAD, 1, 0), 0);
	assert_int_equal(store_member_put(f->st, g2 + 100, a, MR_LEAD, 1, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_members_of_group(f->st, g1, member_line, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.line[0], "g1/lead/cat/1");
	assert_string_equal(s.line[1], "g1/deputy/ben/1");
	assert_string_equal(s.line[2], "g1/member/ann/1");
	s.n = 0;
	assert_int_equal(store_groups_of_user(f->st, a, member_line, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.line[0], "g1/member/ann/1");
	assert_string_equal(s.line[1], "g2/lead/ann/1");
	s.n = 0;
	assert_int_equal(store_groups_of_user(f->st, a + 100, member_line, &s),
			 0);
	assert_int_equal(s.n, 0);
}

static void test_sessions_and_tokens(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("dave");
	struct session s;
	struct token_info t = { .name = "cli", .created_ms = 10 }, t2;
	int64_t sid;

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(store_session_insert(f->st, "sh", "csrf", u.id, 10,
					      &sid), 0);
	assert_int_equal(store_session_get(f->st, "sh", &s), 0);
	assert_false(s.revoked);
	assert_string_equal(s.csrf, "csrf");
	assert_int_equal(store_session_revoke(f->st, sid, 11), 0);
	assert_int_equal(store_session_revoke(f->st, sid, 12), ERMS_ENOTFOUND);
	assert_int_equal(store_session_get(f->st, "sh", &s), 0);
	assert_true(s.revoked);
	assert_int_equal(store_session_get(f->st, "nope", &s), ERMS_ENOTFOUND);

	t.user_id = u.id;
	assert_int_equal(store_token_insert(f->st, "th", &t), 0);
	assert_int_equal(store_token_by_hash(f->st, "th", &t2), 0);
	assert_int_equal(t2.id, t.id);
	assert_int_equal(store_token_revoke_user(f->st, u.id, 20), 0);
	assert_int_equal(store_token_get(f->st, t.id, &t2), 0);
	assert_true(t2.revoked);
}

/* Session fields, touching, a secret used twice, revoking all of a
 * user's sessions. */
static void test_session_life(void **state)
{
	struct fixture *f = *state;
	struct session s;
	int64_t u = add_user(f->st, "eve"), other = add_user(f->st, "fay");
	int64_t s1, s2, s3;

	assert_int_equal(store_session_insert(f->st, "h1", "c1", u, 100, &s1),
			 0);
	assert_int_equal(store_session_insert(f->st, "h2", "c2", u, 100, &s2),
			 0);
	assert_int_equal(store_session_insert(f->st, "h3", "c3", other, 100,
					      &s3), 0);
	assert_int_equal(store_session_insert(f->st, "h1", "c", u, 101, &s3),
			 ERMS_ECONFLICT);
	assert_int_equal(store_session_insert(f->st, "h9", "c", u + 100, 101,
					      &s3), ERMS_ENOTFOUND);
	assert_int_equal(store_session_touch(f->st, s1, 150), 0);
	assert_int_equal(store_session_by_id(f->st, s1, &s), 0);
	assert_int_equal(s.id, s1);
	assert_int_equal(s.user_id, u);
	assert_string_equal(s.csrf, "c1");
	assert_int_equal(s.created_ms, 100);
	assert_int_equal(s.last_seen_ms, 150);
	assert_false(s.revoked);
	assert_int_equal(store_session_by_id(f->st, s1 + 100, &s),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_session_revoke_user(f->st, u, 200), 0);
	assert_int_equal(store_session_get(f->st, "h1", &s), 0);
	assert_true(s.revoked);
	assert_int_equal(store_session_get(f->st, "h2", &s), 0);
	assert_true(s.revoked);
	assert_int_equal(store_session_get(f->st, "h3", &s), 0);
	assert_false(s.revoked);
	/* Nothing left to revoke is not an error. */
	assert_int_equal(store_session_revoke_user(f->st, u, 201), 0);
}

struct token_seen {
	int n;
	int64_t id[4];
};

static int token_seen(void *ctx, const struct token_info *t)
{
	struct token_seen *s = ctx;

	if (s->n < 4)
		s->id[s->n] = t->id;
	s->n++;
	return 0;
}

static int stop_token(void *ctx, const struct token_info *t)
{
	(void)t;
	++*(int *)ctx;
	return 5;
}

/* Token fields, touching, revoking one, listing one user's or all. */
static void test_token_life(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "gil"), w = add_user(f->st, "hal");
	struct token_info a = { .user_id = u, .name = "ci", .created_ms = 10,
				.expires_ms = 9000 };
	struct token_info b = { .user_id = w, .name = "x", .created_ms = 11 };
	struct token_info t, dup = a;
	struct token_seen s = { 0 };
	int calls = 0;

	assert_int_equal(store_token_insert(f->st, "ha", &a), 0);
	assert_int_equal(store_token_insert(f->st, "hb", &b), 0);
	assert_int_equal(store_token_insert(f->st, "ha", &dup),
			 ERMS_ECONFLICT);
	assert_int_equal(store_token_touch(f->st, a.id, 500), 0);
	assert_int_equal(store_token_get(f->st, a.id, &t), 0);
	assert_int_equal(t.user_id, u);
	assert_string_equal(t.name, "ci");
	assert_int_equal(t.created_ms, 10);
	assert_int_equal(t.last_used_ms, 500);
	assert_int_equal(t.expires_ms, 9000);
	assert_false(t.revoked);
	assert_false(t.feed);
	assert_int_equal(store_token_get(f->st, b.id, &t), 0);
	assert_int_equal(t.expires_ms, 0);	/* never */
	assert_int_equal(t.last_used_ms, 0);
	assert_int_equal(store_token_get(f->st, b.id + 100, &t),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_token_by_hash(f->st, "hz", &t), ERMS_ENOTFOUND);
	assert_int_equal(store_token_list(f->st, u, token_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.id);
	s.n = 0;
	assert_int_equal(store_token_list(f->st, 0, token_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(s.id[1], b.id);
	assert_int_equal(store_token_list(f->st, 0, stop_token, &calls), 5);
	assert_int_equal(calls, 1);
	assert_int_equal(store_token_revoke(f->st, a.id, 600), 0);
	assert_int_equal(store_token_revoke(f->st, a.id, 601), ERMS_ENOTFOUND);
	assert_int_equal(store_token_by_hash(f->st, "ha", &t), 0);
	assert_true(t.revoked);
	assert_int_equal(store_token_get(f->st, b.id, &t), 0);
	assert_false(t.revoked);
}

/* Every write that takes a sign-in's rights away moves the revocation
 * generation; other writes do not. Other sessions and tokens of a user
 * go, the one kept stays; feed tokens are apart. */
static void test_revocation_generation(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("erin");
	struct token_info api = { .name = "cli", .created_ms = 10 };
	struct token_info feed = { .name = "cal", .created_ms = 10,
				   .feed = true }, t;
	struct session s;
	int64_t g0, g, s1, s2, n;

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	api.user_id = feed.user_id = u.id;
	assert_int_equal(store_token_insert(f->st, "ta", &api), 0);
	assert_int_equal(store_token_insert(f->st, "tf", &feed), 0);
	assert_int_equal(store_token_get(f->st, feed.id, &t), 0);
	assert_true(t.feed);
	assert_int_equal(store_session_insert(f->st, "s1", "c", u.id, 10, &s1),
			 0);
	assert_int_equal(store_session_insert(f->st, "s2", "c", u.id, 10, &s2),
			 0);
	assert_int_equal(store_auth_epoch(f->st, &g0), 0);
	snprintf(u.display_name, sizeof(u.display_name), "Erin");
	assert_int_equal(store_user_update(f->st, &u), 0);
	assert_int_equal(store_session_touch(f->st, s1, 20), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_int_equal(g, g0);
	assert_int_equal(store_session_revoke_others(f->st, u.id, s1, 30), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	assert_int_equal(store_session_by_id(f->st, s1, &s), 0);
	assert_false(s.revoked);
	assert_int_equal(store_session_by_id(f->st, s2, &s), 0);
	assert_true(s.revoked);
	g0 = g;
	assert_int_equal(store_token_revoke_feeds(f->st, u.id, 40, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_token_get(f->st, api.id, &t), 0);
	assert_false(t.revoked);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	u.disabled = true;
	assert_int_equal(store_user_update(f->st, &u), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
}

/* The rest of the rights-taking writes: a password, the administrator
 * right, memberships; and revoking a user's other tokens. */
static void test_revocation_more(void **state)
{
	struct fixture *f = *state;
	struct token_info a = { .name = "a", .created_ms = 1 };
	struct token_info b = { .name = "b", .created_ms = 1 };
	struct token_info c = { .name = "c", .created_ms = 1, .feed = true };
	struct token_info t;
	struct user u;
	int64_t g0, g, n;
	int64_t id = add_user(f->st, "ida"), grp = add_group(f->st, "t", GK_TEAM);

	a.user_id = b.user_id = c.user_id = id;
	assert_int_equal(store_token_insert(f->st, "ka", &a), 0);
	assert_int_equal(store_token_insert(f->st, "kb", &b), 0);
	assert_int_equal(store_token_insert(f->st, "kc", &c), 0);
	assert_int_equal(store_auth_epoch(f->st, &g0), 0);
	assert_int_equal(store_user_set_password(f->st, id, "other", 2), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	assert_int_equal(store_user_get(f->st, id, &u), 0);
	u.is_admin = true;
	assert_int_equal(store_user_update(f->st, &u), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	assert_int_equal(store_member_put(f->st, grp, id, MR_MEMBER, 3, 0), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	assert_int_equal(store_member_put(f->st, grp, id, MR_LEAD, 4, 0), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	assert_int_equal(store_member_delete(f->st, grp, id), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	g0 = g;
	/* Feed tokens go too; the one kept stays. */
	assert_int_equal(store_token_revoke_others(f->st, id, a.id, 5), 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_true(g > g0);
	assert_int_equal(store_token_get(f->st, a.id, &t), 0);
	assert_false(t.revoked);
	assert_int_equal(store_token_get(f->st, b.id, &t), 0);
	assert_true(t.revoked);
	assert_int_equal(store_token_get(f->st, c.id, &t), 0);
	assert_true(t.revoked);
	/* No feed token left: none revoked, the generation stays. */
	g0 = g;
	assert_int_equal(store_token_revoke_feeds(f->st, id, 6, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_auth_epoch(f->st, &g), 0);
	assert_int_equal(g, g0);
}

/* A user's own zone is kept ("" by default: the organisation's). */
static void test_user_time_zone(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("zoe"), v;

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_string_equal(v.time_zone, "");
	snprintf(v.time_zone, sizeof(v.time_zone), "Europe/Berlin");
	assert_int_equal(store_user_update(f->st, &v), 0);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_string_equal(v.time_zone, "Europe/Berlin");
	assert_int_equal(store_user_by_login(f->st, "zoe", &v, NULL, 0), 0);
	assert_string_equal(v.time_zone, "Europe/Berlin");
}

/* The organisation's one row: there from the start, written whole. */
static void test_organisation(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("olga");
	struct organisation o = { 0 };

	assert_int_equal(store_org_get(f->st, &o), 0);
	assert_string_equal(o.name, "");
	assert_string_equal(o.operator_type, "other");
	assert_string_equal(o.regulators_json, "[]");
	assert_string_equal(o.calendar_json, "{}");
	assert_string_equal(o.time_zone, "Asia/Shanghai");
	assert_string_equal(o.locale, "zh-CN");
	assert_int_equal(o.version, 1);
	assert_int_equal(o.updated_ms, 0);
	assert_int_equal(o.updated_by, 0);
	assert_string_equal(o.updated_by_name, "");
	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	snprintf(o.name, sizeof(o.name), "某市大数据中心");
	snprintf(o.time_zone, sizeof(o.time_zone), "Europe/Berlin");
	snprintf(o.locale, sizeof(o.locale), "en");
	snprintf(o.operator_type, sizeof(o.operator_type), "cii");
	organisation_release(&o);
	o.regulators_json = strdup("[{\"name\":\"省网信办\"}]");
	o.calendar_json = strdup("{\"2026\":{\"holidays\":[\"2026-10-01\"]}}");
	o.version = 2;
	o.updated_ms = 7000;
	o.updated_by = u.id;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_org_update(f->st, &o), 0);
	assert_int_equal(store_commit(f->st), 0);
	organisation_release(&o);
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_org_get(f->st, &o), 0);
	assert_string_equal(o.name, "某市大数据中心");
	assert_string_equal(o.operator_type, "cii");
	assert_string_equal(o.regulators_json, "[{\"name\":\"省网信办\"}]");
	assert_string_equal(o.calendar_json,
			    "{\"2026\":{\"holidays\":[\"2026-10-01\"]}}");
	assert_string_equal(o.time_zone, "Europe/Berlin");
	assert_string_equal(o.locale, "en");
	assert_int_equal(o.version, 2);
	assert_int_equal(o.updated_ms, 7000);
	assert_int_equal(o.updated_by, u.id);
	assert_string_equal(o.updated_by_name, "名字 olga");
	/* No one: the system's own write. */
	o.updated_by = 0;
	o.version = 3;
	assert_int_equal(store_org_update(f->st, &o), 0);
	assert_int_equal(store_org_get(f->st, &o), 0);
	assert_int_equal(o.updated_by, 0);
	assert_string_equal(o.updated_by_name, "");
	assert_int_equal(o.version, 3);
	organisation_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_user_round_trip_and_conflict),
		CT(test_user_fields),
		CT(test_user_password),
		CT(test_user_list_pages),
		CT(test_groups_and_members),
		CT(test_group_update_and_list),
		CT(test_member_order),
		CT(test_sessions_and_tokens),
		CT(test_session_life),
		CT(test_token_life),
		CT(test_revocation_generation),
		CT(test_revocation_more),
		CT(test_user_time_zone),
		CT(test_organisation),
	};

	return contract_main("accounts", tests, ARRAY_LEN(tests));
}
