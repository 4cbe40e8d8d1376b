/*
 * keyopen.c - opening a store with its key: the key file is loaded or
 * made, checked against the database's binding, and installed; an unkeyed
 * database is bound to it (its channels' secrets sealed, its waiting
 * acknowledgement links re-keyed, the audit chain told).
 *
 * Apart from keys.c, which only knows key files and sealing, because
 * binding writes through audit and notify, and both of them read keys.
 */
#include "app/keys.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/ack.h"
#include "app/audit.h"
#include "app/version.h"
#include "store/store.h"
#include "util/clock.h"

static int channel_id(void *ctx, const struct channel *c)
{
	json_t *ids = ctx;

	json_array_append_new(ids, json_integer(c->id));
	return 0;
}

/* Seal the secrets of every channel stored before the database had a key
 * (their configs are plain). */
static int seal_channels(struct store *st)
{
	json_t *ids = json_array(), *v;
	size_t i;
	int rc = store_channel_list(st, channel_id, ids);

	json_array_foreach(ids, i, v) {
		struct channel c = { 0 };
		json_t *cfg;

		if (rc || (rc = store_channel_get(st, json_integer_value(v), &c)))
			break;
		cfg = json_loads(c.config ? c.config : "{}", 0, NULL);
		keys_seal_config(cfg);
		free(c.config);
		c.config = json_dumps(cfg, JSON_COMPACT);
		json_decref(cfg);
		app_stamp(&c.stamp, NULL);
		rc = store_channel_update(st, &c);
		channel_release(&c);
	}
	json_decref(ids);
	return rc;
}

/* Bind an unkeyed database to the installed key, in one transaction. */
static int bind(struct store *st, struct errbuf *err)
{
	int64_t now = clock_now_ms();
	int rc = store_begin(st);

	if (!rc)
		rc = store_audit_key_bind(st, keys_current()->fp, now);
	if (!rc)
		rc = seal_channels(st);
	if (!rc)
		rc = notify_rekey_ack_links(st);
	if (!rc)
		rc = audit_append(st, 0, "audit.keyed", "audit",
				  "the audit chain is keyed from here on", now);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc)
		return err_ret(err, rc, "unavailable",
			       "cannot bind the database to its key");
	return audit_anchor_write(st);
}

int keys_open_store(struct store *st, const char *db_url,
		    const char *key_path, const char *anchor, bool create,
		    struct errbuf *err)
{
	static char kp[4096], ap[4096];
	char fp[65];
	int64_t plain_until;
	struct keys k;
	bool bound;
	int rc;

	if (key_path)
		snprintf(kp, sizeof(kp), "%s", key_path);
	else
		keys_default_path(db_url, kp, sizeof(kp));
	if (anchor)
		snprintf(ap, sizeof(ap), "%s", anchor);
	else
		keys_default_anchor(kp, ap, sizeof(ap));
	rc = store_audit_key(st, fp, &plain_until);
	if (rc && rc != ERMS_ENOTFOUND)
		return err_ret(err, rc, "unavailable",
			       "cannot read the database's key binding");
	bound = rc == 0;
	rc = keys_load(kp, create && !bound, &k, err);
	if (rc == ERMS_ENOTFOUND && bound)
		errbuf_set(err, "not_found", "the database is keyed (key %.16s) "
			   "but key file '%s' does not exist: give --key",
			   fp, kp);
	if (rc)
		return rc;
	if (bound && strcmp(fp, k.fp))
		return err_ret(err, ERMS_EINVAL, "bad_request",
			       "key file '%s' (key %.16s) is not this "
			       "database's key (%.16s)", kp, k.fp, fp);
	if (bound && access(ap, F_OK))
		return err_ret(err, ERMS_ENOTFOUND, "not_found",
			       "the audit anchor '%s' is missing: run "
			       "'erms audit verify' and restore it", ap);
	keys_install(&k, ap);
	sodium_memzero(&k, sizeof(k));
	return bound ? 0 : bind(st, err);
}
