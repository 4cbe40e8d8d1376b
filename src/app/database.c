/*
 * database.c - migrate and back up a database file (app/database.h).
 */
#include "app/database.h"

#include <stdio.h>

#include "app/audit.h"
#include "store/store.h"

int app_db_migrate(const char *db, bool status_only, int *from, int *to,
		   bool *opened, struct errbuf *e)
{
	struct store *st;
	int rc = store_open(&st, db, status_only ? 0 : STORE_CREATE, e);

	*opened = !rc;
	if (rc)
		return rc;
	if (status_only)
		rc = store_schema(st, from, to);
	else
		rc = store_migrate(st, from, to, e);
	store_close(st);
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

int app_db_backup(const char *db, const char *file, bool *opened,
		  struct errbuf *e)
{
	struct store *st;
	int rc = store_open(&st, db, 0, e);

	*opened = !rc;
	if (rc)
		return rc;
	rc = store_backup(st, file, e);
	store_close(st);
	if (!rc)
		rc = anchor_backup(file, e);
	return rc;
}
