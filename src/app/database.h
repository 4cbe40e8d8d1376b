/*
 * database.h - the local use cases on a database file: create it with its
 * first administrator, bring its schema up to date or report its version,
 * copy it online, verify its audit chain.
 *
 * They run without a server (erms init, migrate, backup, audit verify)
 * on a database path, open their own store connection and close it
 * before returning; app_db_open() gives such a connection to the other
 * local use cases (app/demo.h). On an error, *e says why and *stage
 * which step failed, so a caller can tell the failures apart; success
 * leaves *stage at APP_DB_DONE.
 */
#ifndef ERMS_APP_DATABASE_H
#define ERMS_APP_DATABASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum app_db_stage {
	APP_DB_OPEN,		/* opening the database */
	APP_DB_MIGRATE,		/* applying the migrations */
	APP_DB_KEY,		/* reading or creating the key file */
	APP_DB_WORK,		/* the use case itself */
	APP_DB_DONE,
};

struct user;
struct store;

/* The version of the library of the storage engine kind ("sqlite"), for
 * erms version; NULL when this build has no such engine. */
const char *app_db_engine_version(const char *kind);

/*
 * Open a store on db for a local command; with migrate, create db if
 * missing and apply the missing migrations. *stage says which step
 * failed (APP_DB_OPEN or APP_DB_MIGRATE); on success the caller owns
 * *st and closes it with store_close(). Returns 0 or an ERMS_E* code.
 */
int app_db_open(const char *db, bool migrate, struct store **st,
		enum app_db_stage *stage, struct errbuf *e);

/*
 * Open db (creating it unless status_only) and, unless status_only,
 * apply the missing migrations. *from is the schema version found, *to
 * the one this build wants (equal after a migration). Returns 0 or an
 * ERMS_E* code.
 */
int app_db_migrate(const char *db, bool status_only, int *from, int *to,
		   enum app_db_stage *stage, struct errbuf *e);

/*
 * Copy db to file (which must not exist) while it may be in use, then
 * write the copy's audit anchor to file.anchor. Returns 0 or an ERMS_E*
 * code; on an error after the copy the copy stays.
 */
int app_db_backup(const char *db, const char *file, enum app_db_stage *stage,
		  struct errbuf *e);

/*
 * Create db if missing and migrate it, create or open its key file (key,
 * or NULL for the default path next to db), create the administrator u
 * (u->login and u->display_name set, u->is_admin true) with password,
 * set the organisation's time zone (a valid zone name), and write the
 * audit anchor. Returns 0 or an ERMS_E* code.
 */
int app_db_init(const char *db, const char *key, struct user *u,
		const char *password, const char *zone,
		enum app_db_stage *stage,
		struct errbuf *e);

/*
 * Create user u with password in its own transaction on an open store,
 * as a local command does (erms init, erms demo). Returns 0 or an
 * ERMS_E* code.
 */
int app_db_user_create(struct store *st, struct user *u, const char *password,
		       struct errbuf *e);

/*
 * Verify the audit chain of db with the key file key (NULL: the default
 * path next to db; a missing key file verifies an unkeyed chain) and the
 * anchor file anchor (NULL: the default next to the key). Returns 0 with
 * *rows counted, ERMS_ECONFLICT with *bad the first broken row (0: none
 * in particular) and why[] saying what is wrong, or another ERMS_E* code.
 */
int app_db_audit_verify(const char *db, const char *key, const char *anchor,
			int64_t *rows, int64_t *bad, char *why, size_t why_len,
			enum app_db_stage *stage, struct errbuf *e);

/*
 * Copy every row of database from (read-only, at this build's schema)
 * into database to, created and migrated if missing, which must hold no
 * data (ERMS_ECONFLICT otherwise); ids, the audit chain and its key
 * binding are kept, so the copy verifies with from's key file and
 * anchor. fn (may be NULL) is told each table's row count. Returns 0 or
 * an ERMS_E* code; on an error no row is copied (the target may
 * stay migrated).
 */
typedef void app_copy_fn(void *ctx, const char *table, int64_t rows);
int app_copy(const char *from, const char *to, app_copy_fn *fn, void *ctx,
	     enum app_db_stage *stage, struct errbuf *e);

#endif
