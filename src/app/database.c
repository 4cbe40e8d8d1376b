/*
 * database.c - the local use cases on a database file (app/database.h).
 */
#include "app/database.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/keys.h"
#include "app/org.h"
#include "core/account.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"

const char *app_db_engine_version(const char *kind)
{
	return store_engine_version(kind);
}

int app_db_open(const char *db, bool migrate, struct store **st,
		enum app_db_stage *stage, struct errbuf *e)
{
	int from, to, rc;

	*stage = APP_DB_OPEN;
	rc = store_open(st, db, migrate ? STORE_CREATE : 0, e);
	if (rc || !migrate)
		return rc;
	*stage = APP_DB_MIGRATE;
	if ((rc = store_migrate(*st, &from, &to, e)))
		store_close(*st);
	return rc;
}

int app_db_migrate(const char *db, bool status_only, int *from, int *to,
		   enum app_db_stage *stage, struct errbuf *e)
{
	struct store *st;
	int rc;

	*stage = APP_DB_OPEN;
	rc = store_open(&st, db, status_only ? 0 : STORE_CREATE, e);
	if (rc)
		return rc;
	*stage = APP_DB_WORK;
	if (status_only)
		rc = store_schema(st, from, to);
	else
		rc = store_migrate(st, from, to, e);
	store_close(st);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}

/* FILE.anchor: the backup's own head, to verify it by later. */
static int anchor_backup(const char *file, struct errbuf *e)
{
	char path[4200];
	struct store *st;
	int rc = store_open(&st, file, STORE_READONLY, e);

	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s.anchor", file);
	rc = audit_anchor_copy(st, path);
	store_close(st);
	if (rc)
		return err_ret(e, rc, "io_error", "cannot write '%s'", path);
	return 0;
}

int app_db_backup(const char *db, const char *file, enum app_db_stage *stage,
		  struct errbuf *e)
{
	struct store *st;
	int rc = app_db_open(db, false, &st, stage, e);

	if (rc)
		return rc;
	*stage = APP_DB_WORK;
	rc = store_backup(st, file, e);
	store_close(st);
	if (!rc)
		rc = anchor_backup(file, e);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}

int app_db_user_create(struct store *st, struct user *u, const char *password,
		       struct errbuf *e)
{
	char h[PWHASH_LEN];
	int rc;

	if (password_hash(password, h))
		return err_ret(e, ERMS_ESTORE, "unavailable",
			       "cannot hash the password");
	rc = store_begin(st);
	if (!rc)
		rc = app_user_create(st, &principal_system, u, h,
				     clock_now_ms(), e);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

/* The organisation's zone, in a transaction of its own. */
static int set_zone(struct store *st, const char *zone, struct errbuf *e)
{
	int rc = store_begin(st);

	if (!rc)
		rc = app_org_set_zone(st, zone, clock_now_ms(), e);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

int app_db_init(const char *db, const char *key, struct user *u,
		const char *password, const char *zone,
		enum app_db_stage *stage, struct errbuf *e)
{
	struct store *st;
	int rc = app_db_open(db, true, &st, stage, e);

	if (rc)
		return rc;
	*stage = APP_DB_KEY;
	rc = keys_open_store(st, db, key, NULL, true, e);
	if (!rc) {
		*stage = APP_DB_WORK;
		rc = app_db_user_create(st, u, password, e);
	}
	if (!rc)
		rc = set_zone(st, zone, e);
	if (!rc)
		rc = audit_anchor_write(st);
	store_close(st);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}

int app_db_audit_verify(const char *db, const char *key, const char *anchor,
			int64_t *rows, int64_t *bad, char *why, size_t why_len,
			enum app_db_stage *stage, struct errbuf *e)
{
	char kp[4096], ap[4096];
	struct keys k;
	struct store *st;
	int rc, kr;

	*stage = APP_DB_KEY;
	if (key)
		snprintf(kp, sizeof(kp), "%s", key);
	else
		keys_default_path(db, kp, sizeof(kp));
	keys_default_anchor(kp, ap, sizeof(ap));
	kr = keys_load(kp, false, &k, e);
	if (kr && kr != ERMS_ENOTFOUND)
		return kr;
	*e = (struct errbuf){ 0 };	/* a missing key file is no error */
	if ((rc = app_db_open(db, false, &st, stage, e)))
		return rc;
	*stage = APP_DB_WORK;
	rc = audit_verify(st, kr ? NULL : &k, anchor ? anchor : ap, rows, bad,
			  why, why_len);
	store_close(st);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}

/* The source of a copy is read as its schema stands: it must be the
 * schema this build copies. */
static int copy_source(const char *from, struct store **st,
		       struct errbuf *e)
{
	int have, want, rc = store_open(st, from, STORE_READONLY, e);

	if (rc)
		return rc;
	rc = store_schema(*st, &have, &want);
	if (!rc && have != want)
		rc = err_ret(e, ERMS_EINVAL, "invalid",
			     "the source's schema is version %d, this erms"
			     " copies version %d: run erms migrate --db on it"
			     " first", have, want);
	if (rc)
		store_close(*st);
	return rc;
}

int app_copy(const char *from, const char *to, app_copy_fn *fn, void *ctx,
	     enum app_db_stage *stage, struct errbuf *e)
{
	struct store *src, *dst;
	int rc;

	*stage = APP_DB_OPEN;
	if (!strcmp(from, to))
		return err_ret(e, ERMS_EINVAL, "invalid",
			       "the source and the target are the same");
	if ((rc = copy_source(from, &src, e)))
		return rc;
	rc = app_db_open(to, true, &dst, stage, e);
	if (rc) {
		store_close(src);
		return rc;
	}
	*stage = APP_DB_WORK;
	rc = store_copy(src, dst, fn, ctx, e);
	store_close(dst);
	store_close(src);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}
