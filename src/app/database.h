/*
 * database.h - the local maintenance use cases of the database file:
 * bring the schema up to date, report its version, copy it online.
 *
 * They run without a server (erms migrate, erms backup) on a database
 * path, open their own store connection and close it before returning.
 * Errors carry a message in *e; *opened says whether the database could
 * be opened at all (false: the error is the opening's), so that a caller
 * can tell the two failures apart.
 */
#ifndef ERMS_APP_DATABASE_H
#define ERMS_APP_DATABASE_H

#include <stdbool.h>

#include "util/err.h"

/*
 * Open db (creating it unless status_only) and, unless status_only,
 * apply the missing migrations. *from is the schema version found, *to
 * the one this build wants (equal after a migration). Returns 0 or an
 * ERMS_E* code.
 */
int app_db_migrate(const char *db, bool status_only, int *from, int *to,
		   bool *opened, struct errbuf *e);

/*
 * Copy db to file (which must not exist) while it may be in use, then
 * write the copy's audit anchor to file.anchor. Returns 0 or an ERMS_E*
 * code; on an error after the copy the copy stays.
 */
int app_db_backup(const char *db, const char *file, bool *opened,
		  struct errbuf *e);

#endif
