/*
 * contract.c - the backend table and the fixture of the store contract
 * suite (contract.h).
 */
#include "contract.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <unistd.h>

#include "pgtest.h"
#include "util/crypto.h"
#include "util/log.h"

/* SQLite: a real database file in a temporary folder. */
static int sqlite_create(struct fixture *f, const char *name)
{
	snprintf(f->path, sizeof(f->path), "%s/%s.db", f->dir, name);
	snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	return 0;
}

static void sqlite_destroy(struct fixture *f)
{
	(void)f;	/* the folder goes with everything in it */
}

static int sqlite_open_copy(const struct fixture *f, const char *path,
			    struct store **out)
{
	(void)f;
	return store_open(out, path, STORE_READONLY, NULL);
}

/*
 * PostgreSQL: a fresh database per test on the server of
 * ERMS_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:PORT/postgres,
 * scripts/pg.sh starts one), named after the process and a counter.
 * store_open(STORE_CREATE) creates it, as `erms init` does; destroy()
 * drops it (libpq directly: no store call drops a database).
 */
static int pg_create(struct fixture *f, const char *name)
{
	static unsigned seq;
	char db[64];

	if (!pgtest_server())
		return -1;
	snprintf(db, sizeof(db), "erms_%s_%ld_%u", name, (long)getpid(), ++seq);
	snprintf(f->path, sizeof(f->path), "%s", db);	/* its name */
	return pgtest_url_with(f->url, sizeof(f->url), pgtest_server(), db);
}

static void pg_destroy(struct fixture *f)
{
	PGconn *c = PQconnectdb(pgtest_server());
	char *id, sql[160];

	if (PQstatus(c) == CONNECTION_OK) {
		id = PQescapeIdentifier(c, f->path, strlen(f->path));
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s"
			 " WITH (FORCE)", id ? id : "\"\"");
		PQclear(PQexec(c, sql));
		PQfreemem(id);
	}
	PQfinish(c);
	f->path[0] = '\0';
}

/*
 * The engines the contract runs against. A second engine adds its row
 * here: create() makes an empty database (e.g. a fresh PostgreSQL
 * database or schema named after f->dir, reached through an environment
 * variable such as ERMS_TEST_POSTGRES_URL, returning non-zero when it is
 * not set so the row is skipped), destroy() drops it, open_copy() opens
 * what store_backup() produced. Every test then runs on it unchanged.
 */
static const struct backend backends[] = {
	{ .name = "sqlite", .create = sqlite_create,
	  .destroy = sqlite_destroy, .open_copy = sqlite_open_copy },
	/* No open_copy: store_backup() refuses (pg_dump does that). */
	{ .name = "postgres", .create = pg_create, .destroy = pg_destroy,
	  .env = "ERMS_TEST_POSTGRES_URL" },
};

static const struct backend *current;

/* Remove dir and the files in it (no subfolders are made). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int contract_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int from, to;

	if (!f)
		return -1;
	f->be = current;
	snprintf(f->dir, sizeof(f->dir), "/tmp/erms-store-XXXXXX");
	if (!mkdtemp(f->dir) || f->be->create(f, "t")) {
		free(f);
		return -1;
	}
	if (store_open(&f->st, f->url, STORE_CREATE, NULL) ||
	    store_migrate(f->st, &from, &to, NULL)) {
		store_close(f->st);
		f->be->destroy(f);
		remove_dir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int contract_teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	f->be->destroy(f);
	remove_dir(f->dir);
	free(f);
	return 0;
}

/* Whether b is in ERMS_STORE_BACKENDS (a comma list; unset: every
 * backend). */
static bool selected(const struct backend *b)
{
	const char *list = getenv("ERMS_STORE_BACKENDS");
	size_t n = strlen(b->name);

	if (!list || !*list)
		return true;
	for (const char *p = list; p; p = strchr(p, ',')) {
		p += *p == ',';
		if (!strncmp(p, b->name, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/* Runs the tests on every selected backend that can be reached (its
 * environment variable set); 77 (a skip, to meson) when none could. A
 * backend named in ERMS_STORE_BACKENDS that cannot be reached fails. */
int contract_main(const char *group, const struct CMUnitTest *tests,
		  size_t n)
{
	char name[96];
	int failed = 0, ran = 0;

	if (crypto_init())
		return 1;
	log_threshold = LL_WARN;	/* migrations say nothing; failures do */
	for (size_t i = 0; i < ARRAY_LEN(backends); i++) {
		const char *env = backends[i].env;

		if (!selected(&backends[i]))
			continue;
		if (env && !(getenv(env) && *getenv(env))) {
			/* Asked for by name (the postgres suite): an error. */
			if (getenv("ERMS_STORE_BACKENDS")) {
				fprintf(stderr, "%s: %s needs %s (scripts/pg.sh"
					" start DIR prints it)\n",
					backends[i].name, group, env);
				failed++;
				continue;
			}
			printf("%s: %s skipped: %s is not set\n",
			       backends[i].name, group, env);
			continue;
		}
		current = &backends[i];
		snprintf(name, sizeof(name), "%s: %s", current->name, group);
		failed += _cmocka_run_group_tests(name, tests, n, NULL, NULL);
		ran++;
	}
	if (!ran && !failed)
		return 77;
	return failed ? 1 : 0;
}

struct user mk_user(const char *login)
{
	struct user u = { .created_ms = 1000 };

	snprintf(u.login, sizeof(u.login), "%s", login);
	snprintf(u.display_name, sizeof(u.display_name), "名字 %s", login);
	snprintf(u.locale, sizeof(u.locale), "zh-CN");
	return u;
}

int64_t add_user(struct store *st, const char *login)
{
	struct user u = mk_user(login);

	assert_int_equal(store_user_insert(st, &u, "hash"), 0);
	assert_true(u.id > 0);
	return u.id;
}

int64_t add_group(struct store *st, const char *key, enum group_kind kind)
{
	struct group g = { .kind = kind, .created_ms = 10 };

	snprintf(g.key, sizeof(g.key), "%s", key);
	snprintf(g.name, sizeof(g.name), "组 %s", key);
	assert_int_equal(store_group_insert(st, &g), 0);
	assert_true(g.id > 0);
	return g.id;
}

int64_t add_version(struct store *st, const char *key, int64_t author)
{
	struct plan_version v = { .name_json = (char *)"{\"zh-CN\":\"预案\"}",
				  .source_name = (char *)"p.yaml",
				  .author_id = author, .created_ms = 10 };

	assert_int_equal(store_plan_insert(st, key, 10, &v.plan_id), 0);
	assert_int_equal(store_pv_insert(st, &v), 0);
	assert_true(v.id > 0);
	return v.id;
}

void add_incident(struct store *st, struct incident_row *r,
		  int64_t reporter, int64_t pv, int64_t reported_ms,
		  const char *title, const char *description)
{
	*r = (struct incident_row){ .reporter_id = reporter,
				    .plan_version_id = pv };
	incident_init(&r->inc, 0, reported_ms, false);
	r->inc.state = INC_REPORTED;
	r->inc.reported_ms = reported_ms;
	snprintf(r->category, sizeof(r->category), "system-failure");
	r->title = strdup(title);
	r->description = strdup(description);
	r->impact = strdup("");
	assert_int_equal(store_incident_insert(st, r), 0);
	assert_true(r->inc.id > 0);
}
