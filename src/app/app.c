/*
 * app.c - opening and closing the shared server state: the writer's
 * connection and thread, and a pool of reader connections.
 *
 * Readers are separate SQLite connections so that reads run in parallel
 * with each other and with the writer (WAL lets readers see the last
 * committed state while a batch is being written).
 */
#define LOG_MOD "app"
#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/intake-conf.h"
#include "app/keys.h"
#include "app/outbox.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

/* On the writer thread after each commit (failures are logged). */
static void anchor_after_commit(struct store *st)
{
	audit_anchor_write(st);
	outbox_after_commit();
}

int app_open(struct app *app, const struct app_config *cfg,
	     struct errbuf *err)
{
	int have, want, rc;

	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	if (app->cfg.readers < 1)
		app->cfg.readers = 4;
	if (app->cfg.session_idle_ms <= 0)
		app->cfg.session_idle_ms = 12 * 3600 * 1000LL;
	if (app->cfg.session_max_ms <= 0)
		app->cfg.session_max_ms = SESSION_MAX_DEFAULT_MS;
	rc = store_open(&app->wst, cfg->db_url, 0, err);
	if (rc)
		return rc;
	rc = store_schema(app->wst, &have, &want);
	if (!rc && have != want) {
		errbuf_set(err, "unavailable",
			   have < want ? "database schema is at version %d, "
					 "this erms needs %d: run 'erms migrate'"
				       : "database schema %d is newer than "
					 "this erms (%d)",
			   have, want);
		rc = ERMS_ESTORE;
	}
	if (!rc)
		rc = keys_open_store(app->wst, cfg->db_url, cfg->key_path,
				     cfg->anchor_path, true, err);
	if (rc) {
		store_close(app->wst);
		return rc;
	}
	app->pool = xcalloc((size_t)app->cfg.readers, sizeof(*app->pool));
	app->pool_cap = app->cfg.readers;
	app->pool_n = 0;
	for (int i = 0; i < app->pool_cap; i++) {
		rc = store_open(&app->pool[app->pool_n], cfg->db_url,
				STORE_READONLY, err);
		if (rc)
			break;
		app->pool_n++;
	}
	pthread_mutex_init(&app->pool_mu, NULL);
	pthread_cond_init(&app->pool_cv, NULL);
	pthread_mutex_init(&app->health_mu, NULL);
	limits_init(&app->limits);
	intake_limits_init(&app->intake_limits);
	app->intake_confs = intake_conf_cache_new();
	bus_init(&app->bus);
	plan_cache_init(&app->plans);
	/* Use cases find the typed plans through the store they are given. */
	store_set_cache(app->wst, &app->plans);
	for (int i = 0; i < app->pool_n; i++)
		store_set_cache(app->pool[i], &app->plans);
	if (!rc)
		rc = bus_start(&app->bus, app->wst);
	app->writer.app_commit = anchor_after_commit;
	if (!rc)
		app_auth_refresh(app, app->wst);
	if (!rc)
		rc = writer_start(&app->writer, app->wst, cfg->max_batch);
	/* Always, on an embedded file too: another process may serve the
	 * same file, and one look a second costs nothing measurable. */
	if (!rc)
		rc = listen_start(&app->listen, cfg->db_url);
	if (rc)
		app_close(app);
	return rc;
}

void app_close(struct app *app)
{
	listen_stop(&app->listen);
	writer_stop(&app->writer);
	for (int i = 0; i < app->pool_n; i++)
		store_close(app->pool[i]);
	free(app->pool);
	app->pool = NULL;
	store_close(app->wst);
	app->wst = NULL;
	pthread_mutex_destroy(&app->pool_mu);
	pthread_cond_destroy(&app->pool_cv);
	pthread_mutex_destroy(&app->health_mu);
	limits_release(&app->limits);
	intake_limits_release(&app->intake_limits);
	intake_conf_cache_free(app->intake_confs);
	app->intake_confs = NULL;
	bus_release(&app->bus);
	plan_cache_release(&app->plans);
}

struct store *app_reader_get(struct app *app)
{
	struct store *st;

	pthread_mutex_lock(&app->pool_mu);
	while (app->pool_n == 0)
		pthread_cond_wait(&app->pool_cv, &app->pool_mu);
	st = app->pool[--app->pool_n];
	pthread_mutex_unlock(&app->pool_mu);
	return st;
}

void app_reader_put(struct app *app, struct store *st)
{
	pthread_mutex_lock(&app->pool_mu);
	app->pool[app->pool_n++] = st;
	pthread_cond_signal(&app->pool_cv);
	pthread_mutex_unlock(&app->pool_mu);
}

int app_ping(struct store *st)
{
	return store_ping(st);
}

/* The roles a store tells (store_role()), packed with the writable bit
 * into struct app's health_db so that /healthz reads it without a lock. */
static const char *const db_roles[] = {
	"unknown", "embedded", "primary", "standby",
};
#define DB_WRITABLE 0x10

static int db_role_pack(const struct store_role *r)
{
	int i = (int)ARRAY_SIZE(db_roles);

	while (--i > 0 && strcmp(db_roles[i], r->role))
		;
	return i | (r->writable ? DB_WRITABLE : 0);
}

struct health_probe {
	int64_t now_ms;
	int db;		/* db_role_pack() of the writer's connection */
};

/* On the writer: the role its connection reaches, and a one-row write
 * (a standby, or a read-only server, refuses it). */
static int probe(struct store *st, void *ctx)
{
	struct health_probe *p = ctx;
	struct store_role r;
	int rc = store_role(st, &r);

	if (rc)
		return rc;
	p->db = db_role_pack(&r);
	if (!r.writable)
		return ERMS_ESTORE;
	return store_health_probe(st, p->now_ms);
}

int app_health_db(struct app *app, int64_t now_ms, struct app_db_role *db)
{
	struct health_probe p = { .now_ms = now_ms };
	int64_t t = clock_mono_us();
	int rc;

	if (pthread_mutex_trylock(&app->health_mu)) {
		rc = __atomic_load_n(&app->health_rc, __ATOMIC_RELAXED);
	} else {
		if (app->health_us && t - app->health_us < 1000000) {
			rc = app->health_rc;
		} else {
			rc = writer_call(&app->writer, probe, &p);
			app->health_us = clock_mono_us();
			__atomic_store_n(&app->health_db, p.db,
					 __ATOMIC_RELAXED);
			__atomic_store_n(&app->health_rc, rc,
					 __ATOMIC_RELAXED);
		}
		pthread_mutex_unlock(&app->health_mu);
	}
	if (db) {
		int v = __atomic_load_n(&app->health_db, __ATOMIC_RELAXED);

		db->engine = store_kind(app->wst);
		snprintf(db->role, sizeof(db->role), "%s",
			 db_roles[v & (DB_WRITABLE - 1)]);
		db->writable = v & DB_WRITABLE;
	}
	return rc;
}

int app_health(struct app *app, int64_t now_ms)
{
	return app_health_db(app, now_ms, NULL);
}
