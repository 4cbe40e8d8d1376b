/*
 * test-engine.c - the store contract: opening, schema and migrations,
 * transactions and savepoints, health, backup, and the group-commit
 * writer on top of a store.
 */
#include "contract.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "app/writer.h"

static void test_open_kind_close(void **state)
{
	struct fixture *f = *state;
	struct store *again = NULL, *none = NULL;
	char missing[160];

	assert_string_equal(store_kind(f->st), f->be->name);
	/* The engine says which version of its library it runs on. */
	assert_non_null(store_engine_version(store_kind(f->st)));
	assert_true(store_engine_version(store_kind(f->st))[0] != '\0');
	assert_null(store_engine_version("no-such-engine"));
	/* A second connection to the same database sees the same data. */
	add_user(f->st, "amy");
	assert_int_equal(store_open(&again, f->url, 0, NULL), 0);
	assert_string_equal(store_kind(again), f->be->name);
	{
		struct user u;

		assert_int_equal(store_user_by_login(again, "amy", &u, NULL, 0),
				 0);
	}
	store_close(again);
	store_close(NULL);	/* closing nothing is harmless */
	if (f->path[0]) {
		/* A file-based engine does not create a database unasked. */
		snprintf(missing, sizeof(missing), "%s/none.db", f->dir);
		assert_true(store_open(&none, missing, 0, NULL) != 0);
	}
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

/* A new database starts at schema 0 and store_migrate() brings it to
 * what the binary knows. */
static void test_migrate_from_empty(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { .be = f->be };
	struct store *st;
	int from, to, have, want;

	snprintf(g.dir, sizeof(g.dir), "%s", f->dir);
	assert_int_equal(f->be->create(&g, "fresh"), 0);
	assert_int_equal(store_open(&st, g.url, STORE_CREATE, NULL), 0);
	assert_int_equal(store_schema(st, &have, &want), 0);
	assert_int_equal(have, 0);
	assert_int_equal(store_migrate(st, &from, &to, NULL), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, want);
	assert_int_equal(store_schema(st, &have, &want), 0);
	assert_int_equal(have, want);
	store_close(st);
	f->be->destroy(&g);
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
	/* Rolling back outside a transaction is harmless. */
	assert_int_equal(store_rollback(f->st), 0);
}

/* A savepoint rolled back undoes only what came after it; a released one
 * keeps its work for the transaction's commit. */
static void test_savepoints(void **state)
{
	struct fixture *f = *state;
	struct user a = mk_user("a"), b = mk_user("b"), c = mk_user("c"), v;
	int64_t n;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &a, "h"), 0);
	assert_int_equal(store_savepoint(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &b, "h"), 0);
	assert_int_equal(store_rollback_to(f->st), 0);
	assert_int_equal(store_savepoint(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &c, "h"), 0);
	assert_int_equal(store_release(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_user_count(f->st, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_user_by_login(f->st, "a", &v, NULL, 0), 0);
	assert_int_equal(store_user_by_login(f->st, "b", &v, NULL, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_user_by_login(f->st, "c", &v, NULL, 0), 0);
}

/* What a transaction wrote is seen by another connection only once it is
 * committed. */
static void test_commit_is_visible(void **state)
{
	struct fixture *f = *state;
	struct store *rd;
	struct user u = mk_user("dora"), v;

	assert_int_equal(store_open(&rd, f->url, STORE_READONLY, NULL), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(store_user_by_login(rd, "dora", &v, NULL, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_user_by_login(rd, "dora", &v, NULL, 0), 0);
	assert_int_equal(v.id, u.id);
	store_close(rd);
}

static void test_ping_and_health(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_ping(f->st), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_health_probe(f->st, 1234), 0);
	assert_int_equal(store_health_probe(f->st, 1235), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_ping(f->st), 0);
}

/* What several nodes ask of the engine: the role this connection
 * reaches, the scheduler's lock (kept once taken), a wait for another
 * connection's commit, and ids continuing after copied rows. */
static void test_nodes(void **state)
{
	struct fixture *f = *state;
	struct store_role r = { 0 };
	struct store *other;
	bool yes = false;
	int woke;

	assert_int_equal(store_role(f->st, &r), 0);
	assert_true(r.writable);
	assert_true(!strcmp(r.role, store_shared(f->st) ? "primary"
							 : "embedded"));
	assert_int_equal(store_leader(f->st, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_leader(f->st, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_open(&other, f->url, 0, NULL), 0);
	assert_int_equal(store_leader(other, &yes), 0);
	assert_true(yes != store_shared(f->st));	/* one holder if shared */
	assert_true(store_wait_change(f->st, 0) >= 0);	/* listens from now */
	assert_int_equal(store_begin(other), 0);
	assert_int_equal(store_health_probe(other, 77), 0);
	assert_int_equal(store_commit(other), 0);
	woke = store_wait_change(f->st, 200);
	assert_true(woke == 0 || woke == 1);
	assert_true(woke == 1 || !store_shared(f->st));
	store_close(other);
	assert_int_equal(store_ids_sync(f->st), 0);
}

/* The scheduler's lock moves on when its holder's connection ends (a
 * node that died): another connection takes it within moments. */
static void test_leader_moves(void **state)
{
	struct fixture *f = *state;
	struct timespec pause = { 0, 20 * 1000000L };
	struct store *a, *b;
	bool yes = false;

	assert_int_equal(store_open(&a, f->url, 0, NULL), 0);
	assert_int_equal(store_open(&b, f->url, 0, NULL), 0);
	assert_int_equal(store_leader(a, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_leader(b, &yes), 0);
	assert_true(yes != store_shared(f->st));
	store_close(a);
	for (int i = 0; i < 100 && !yes; i++) {
		nanosleep(&pause, NULL);
		assert_int_equal(store_leader(b, &yes), 0);
	}
	assert_true(yes);
	store_close(b);
}

/* A writer on a connection of its own (another node, as far as the
 * engine can tell): its transaction begins after the first one ended. */
struct second {
	const char *url;
	atomic_bool *committed;
	bool saw_commit;
	int rc;
};

static void *second_writer(void *arg)
{
	struct second *w = arg;
	struct store *st = NULL;
	struct user u = mk_user("second");

	w->rc = store_open(&st, w->url, 0, NULL);
	if (!w->rc)
		w->rc = store_begin(st);	/* waits for the first */
	w->saw_commit = atomic_load(w->committed);
	if (!w->rc)
		w->rc = store_user_insert(st, &u, "h");
	if (!w->rc)
		w->rc = store_commit(st);
	store_close(st);
	return NULL;
}

/* Write transactions of two connections run one after the other
 * (backend.h, begin): the audit chain and incident numbers rely on it. */
static void test_writes_serialised(void **state)
{
	struct fixture *f = *state;
	atomic_bool committed = false;
	struct second w = { .url = f->url, .committed = &committed };
	struct timespec pause = { 0, 500 * 1000000L };
	pthread_t t;
	int64_t n;

	assert_int_equal(store_begin(f->st), 0);
	add_user(f->st, "first");
	assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
	nanosleep(&pause, NULL);	/* the second is at its begin now */
	atomic_store(&committed, true);
	assert_int_equal(store_commit(f->st), 0);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
	assert_true(w.saw_commit);
	assert_int_equal(store_user_count(f->st, &n), 0);
	assert_int_equal(n, 2);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	struct user u = mk_user("erin"), v;
	struct store *b;
	char path[160];
	int have, want;

	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	snprintf(path, sizeof(path), "%s/t.db.bak", f->dir);
	if (!f->be->open_copy) {	/* the engine's own tools back it up */
		assert_int_equal(store_backup(f->st, path, NULL), ERMS_EINVAL);
		return;
	}
	assert_int_equal(store_backup(f->st, path, NULL), 0);
	assert_int_equal(store_backup(f->st, path, NULL), ERMS_ECONFLICT);
	assert_int_equal(f->be->open_copy(f, path, &b), 0);
	assert_int_equal(store_user_get(b, u.id, &v), 0);
	assert_string_equal(v.login, "erin");
	assert_int_equal(store_schema(b, &have, &want), 0);
	assert_int_equal(have, want);
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
	struct writer w = { 0 };	/* app_commit: none */
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
		CT(test_open_kind_close),
		CT(test_migrate_is_idempotent),
		CT(test_migrate_from_empty),
		CT(test_rollback_leaves_nothing),
		CT(test_savepoints),
		CT(test_commit_is_visible),
		CT(test_ping_and_health),
		CT(test_nodes),
		CT(test_writes_serialised),
		CT(test_leader_moves),
		CT(test_backup),
		CT(test_group_commit),
	};

	return contract_main("engine", tests, ARRAY_LEN(tests));
}
