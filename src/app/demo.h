/*
 * demo.h - the demo database: an organisation, its people and records to
 * try erms on (erms demo).
 *
 * The first run creates the database with an administrator, groups of
 * the sample plan (leadership group, command HQ, technical support,
 * communications and logistics teams) with two or more members each (a
 * demo e-mail address and phone number apiece) and a duty rotation, an
 * e-mail channel to a local mail catcher, the sample plan published
 * through its workflow, a few incidents in different states (their
 * messages go out through that channel), supplies, a drill and a budget. Each part is added only when the database has none of it yet,
 * so later runs reuse what is there. Everything goes through the app use
 * cases, as the people themselves or as principal_system.
 */
#ifndef ERMS_APP_DEMO_H
#define ERMS_APP_DEMO_H

#include <stddef.h>

#include "app/database.h"
#include "util/err.h"

/* Every demo user's password. */
#define APP_DEMO_PASSWORD "erms-demo"
/* Where the demo's e-mail channel delivers by default: a local mail
 * catcher (mailpit, or python3 -m aiosmtpd -n -l 127.0.0.1:1025). */
#define APP_DEMO_SMTP "127.0.0.1:1025"

/* The login of the i-th demo user (from 0, in the order they are
 * made), NULL after the last one. */
const char *app_demo_login(size_t i);

/* The part of the seeding that failed. */
enum app_demo_step {
	APP_DEMO_PEOPLE,	/* the groups, users and memberships */
	APP_DEMO_PLAN,		/* the sample plan, through its workflow */
	APP_DEMO_RECORDS,	/* incidents, supplies, drill, budget, anchor */
};

/*
 * Create db if missing, migrate it, create or open its key file (key,
 * or NULL: next to it) and add the demo data it lacks, its e-mail
 * channel sending to smtp (HOST:PORT; NULL: APP_DEMO_SMTP); the store is closed on return.
 * Returns 0 or an ERMS_E* code with *e saying why, *stage the step that
 * failed (APP_DB_OPEN, APP_DB_MIGRATE, APP_DB_KEY, or APP_DB_WORK with
 * *part the part of the seeding); success leaves *stage at APP_DB_DONE.
 */
int app_demo_prepare(const char *db, const char *key, const char *smtp,
		     enum app_db_stage *stage, enum app_demo_step *part,
		     struct errbuf *e);

#endif
