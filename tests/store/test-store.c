/*
 * test-store.c - the storage contract, on a real SQLite file, and the
 * group-commit writer on top of it.
 *
 * Each test gets a fresh database in a temporary folder (setup) and
 * removes it (teardown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/keys.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/crypto.h"

struct fixture {
	char dir[64];
	char db[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int from, to;

	snprintf(f->dir, sizeof(f->dir), "/tmp/erms-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	if (store_open(&f->st, f->db, STORE_CREATE, NULL) ||
	    store_migrate(f->st, &from, &to, NULL))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[160];
	const char *suffix[] = { "", "-wal", "-shm", ".bak", ".key",
				 ".anchor", ".anchor.tmp" };

	store_close(f->st);
	for (size_t i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct user mk_user(const char *login)
{
	struct user u = { .created_ms = 1000 };

	snprintf(u.login, sizeof(u.login), "%s", login);
	snprintf(u.display_name, sizeof(u.display_name), "名字 %s", login);
	snprintf(u.locale, sizeof(u.locale), "zh-CN");
	return u;
}

static void test_migrate_is_idempotent(void **state)
{
	struct fixture *f = *state;
	int from, to, have, want;

	assert_int_equal(store_migrate(f->st, &from, &to, NULL), 0);
	assert_int_equal(from, to);
	assert_int_equal(store_schema(f->st, &have, &want), 0);
	assert_int_equal(have, want);
	assert_true(want >= 1);
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
	v.is_admin = true;
	v.updated_ms = 2000;
	assert_int_equal(store_user_update(f->st, &v), 0);
	assert_int_equal(store_user_get(f->st, u.id, &v), 0);
	assert_true(v.is_admin);
	v.id = 999;
	assert_int_equal(store_user_update(f->st, &v), ERMS_ENOTFOUND);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("bob");
	int64_t n;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_user_count(f->st, &n), 0);
	assert_int_equal(n, 0);
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

static int add_editor(void *ctx, int64_t user_id, const char *login,
		      const char *display_name, int64_t first_ms,
		      int64_t last_ms)
{
	int64_t *seen = ctx;

	(void)login;
	(void)display_name;
	seen[seen[0] * 3 + 1] = user_id;
	seen[seen[0] * 3 + 2] = first_ms;
	seen[seen[0] * 3 + 3] = last_ms;
	seen[0]++;
	return 0;
}

/* Every editor of a version once, in the order they first edited it. */
static void test_version_editors(void **state)
{
	struct fixture *f = *state;
	struct user a = mk_user("erin"), b = mk_user("frank");
	struct plan_version v = { .status = 0, .name_json = (char *)"\"p\"",
				  .source_name = (char *)"p.yaml",
				  .created_ms = 10 };
	int64_t seen[1 + 3 * 4] = { 0 };

	assert_int_equal(store_user_insert(f->st, &a, "h"), 0);
	assert_int_equal(store_user_insert(f->st, &b, "h"), 0);
	assert_int_equal(store_plan_insert(f->st, "p", 10, &v.plan_id), 0);
	v.author_id = a.id;
	assert_int_equal(store_pv_insert(f->st, &v), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, a.id, 10), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, b.id, 20), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, a.id, 30), 0);
	assert_int_equal(store_pv_editors(f->st, v.id, add_editor, seen), 0);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], a.id);
	assert_int_equal(seen[2], 10);
	assert_int_equal(seen[3], 30);
	assert_int_equal(seen[4], b.id);
	assert_int_equal(seen[5], 20);
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

static void test_audit_chain(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;
	char why[128];

	assert_int_equal(audit_verify(f->st, NULL, NULL, &rows, &bad, why,
				      sizeof(why)),
			 0);
	assert_int_equal(rows, 0);
	for (int i = 0; i < 2500; i++)
		assert_int_equal(audit_append(f->st, 1, "test.act", "x:1",
					      "summary | with: separators",
					      100 + i), 0);
	assert_int_equal(audit_verify(f->st, NULL, NULL, &rows, &bad, why,
				      sizeof(why)),
			 0);
	assert_int_equal(rows, 2500);
}

/* A database written before keying: its rows keep the unkeyed rule up to
 * the boundary recorded at binding; later rows are keyed, and the anchor
 * catches the newest rows' removal. */
static void test_audit_upgrade(void **state)
{
	struct fixture *f = *state;
	char key[160], anchor[160], why[256];
	struct errbuf e = { 0 };
	int64_t rows, bad;

	snprintf(key, sizeof(key), "%s.key", f->db);
	snprintf(anchor, sizeof(anchor), "%s.anchor", f->db);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(audit_append(f->st, 1, "old.act", "x:1", "old",
					      100 + i), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(keys_open_store(f->st, f->db, key, anchor, true, &e),
			 0);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(audit_append(f->st, 1, "new.act", "x:1", "new",
					      200 + i), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(audit_anchor_write(f->st), 0);
	assert_int_equal(audit_verify(f->st, keys_current(), anchor, &rows,
				      &bad, why, sizeof(why)), 0);
	assert_int_equal(rows, 6);	/* 3 old, audit.keyed, 2 new */
	/* Opening again with the same key is fine; the boundary stays. */
	assert_int_equal(keys_open_store(f->st, f->db, key, anchor, false, &e),
			 0);
	/* Without the key, or without the anchor, a keyed chain fails. */
	assert_int_equal(audit_verify(f->st, NULL, anchor, &rows, &bad, why,
				      sizeof(why)), ERMS_ECONFLICT);
	assert_int_equal(audit_verify(f->st, keys_current(), NULL, &rows, &bad,
				      why, sizeof(why)), ERMS_ECONFLICT);
}

static int count_drill(void *ctx, const struct drill_row *d)
{
	(void)d;
	++*(int *)ctx;
	return 0;
}
/* A drill step is written once: the row must still have the status it was
 * read with. Listing by window and the once-a-year notice. */
static void test_drills(void **state)
{
	struct fixture *f = *state;
	struct drill_row d = { .minutes = 30, .scheduled_ms = 5000,
			       .created_by = 1, .created_ms = 100 }, got = { 0 };
	int n = 0;

	snprintf(d.title, sizeof(d.title), "演练");
	snprintf(d.kind, sizeof(d.kind), "live");
	snprintf(d.category, sizeof(d.category), "system-failure");
	assert_int_equal(store_drill_insert(f->st, &d), 0);
	assert_true(d.id > 0);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.status, "planned");
	assert_string_equal(got.detail, "{}");
	assert_string_equal(got.evaluation, "");
	snprintf(got.status, sizeof(got.status), "cancelled");
	got.updated_ms = 200;
	assert_int_equal(store_drill_update(f->st, &got, "planned"), 0);
	assert_int_equal(store_drill_update(f->st, &got, "planned"),
			 ERMS_ECONFLICT);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.status, "cancelled");
	assert_int_equal(got.updated_ms, 200);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id + 1, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_drill_list(f->st, 0, 5000, count_drill, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_drill_list(f->st, 5000, 5001, count_drill, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_drill_notice(f->st, 2026, 1), 1);
	assert_int_equal(store_drill_notice(f->st, 2026, 2), 0);
	assert_int_equal(store_drill_notice(f->st, 2027, 3), 1);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("erin"), v;
	struct store *b;
	char path[160];

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	snprintf(path, sizeof(path), "%s.bak", f->db);
	assert_int_equal(store_backup(f->st, path, NULL), 0);
	assert_int_equal(store_backup(f->st, path, NULL), ERMS_ECONFLICT);
	assert_int_equal(store_open(&b, path, STORE_READONLY, NULL), 0);
	assert_int_equal(store_user_get(b, u.id, &v), 0);
	assert_string_equal(v.login, "erin");
	store_close(b);
}

/* Group commit: many submitters, fewer transactions, failures alone. */
struct job {
	struct wjob w;
	int n;
	int rc;
	bool done;
	pthread_mutex_t *mu;
	pthread_cond_t *cv;
};

static int job_run(struct wjob *w, struct store *st)
{
	struct job *j = (struct job *)w;
	char login[32];
	struct user u;

	snprintf(login, sizeof(login), "u%d", j->n);
	u = mk_user(login);
	if (j->n % 10 == 9) {
		store_user_insert(st, &u, "h");
		return ERMS_EINVAL;	/* must be rolled back alone */
	}
	return store_user_insert(st, &u, "h");
}

static void job_done(struct wjob *w, int rc)
{
	struct job *j = (struct job *)w;

	pthread_mutex_lock(j->mu);
	j->rc = rc;
	j->done = true;
	pthread_cond_broadcast(j->cv);
	pthread_mutex_unlock(j->mu);
}

static void test_group_commit(void **state)
{
	struct fixture *f = *state;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	struct writer w;
	struct job jobs[200];
	struct user v;
	int64_t n;

	assert_int_equal(writer_start(&w, f->st, 64), 0);
	for (int i = 0; i < 200; i++) {
		jobs[i] = (struct job){ .w = { .run = job_run,
					       .done = job_done },
					.n = i, .mu = &mu, .cv = &cv };
		writer_submit(&w, &jobs[i].w);
	}
	pthread_mutex_lock(&mu);
	for (int i = 0; i < 200; i++)
		while (!jobs[i].done)
			pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	writer_stop(&w);
	for (int i = 0; i < 200; i++)
		assert_int_equal(jobs[i].rc, i % 10 == 9 ? ERMS_EINVAL : 0);
	assert_int_equal(store_user_count(f->st, &n), 0);
	assert_int_equal(n, 180);
	assert_int_equal(store_user_by_login(f->st, "u9", &v, NULL, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(atomic_load(&w.jobs), 200);
	assert_true(atomic_load(&w.batches) < 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_is_idempotent,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_user_round_trip_and_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups_and_members, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_version_editors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sessions_and_tokens,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_revocation_generation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audit_upgrade, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup,
						teardown),
	};

	if (crypto_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
