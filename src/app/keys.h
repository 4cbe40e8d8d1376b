/*
 * keys.h - the key file: one random master key kept outside the database.
 *
 * `erms init`, `erms demo` and `erms serve` (on a database that has no key
 * yet) create it, mode 0600, next to the database as "<db>.key" unless
 * --key names another file. Sub-keys are derived with crypto_kdf: 1 keys
 * the audit chain's HMAC, 2 seals secrets at rest, 3 derives the tokens of
 * acknowledgement links; 4 gives a public fingerprint that the database
 * records, so a database is never opened with a wrong or a new key by
 * mistake; 5 is the seed of the Ed25519 key that signs the emergency
 * pack (app/pack.h), whose public half a printed pack carries. Losing the key file means the audit chain can no longer be
 * verified: back it up apart from the database.
 *
 * The anchor file (default: the key file's name with ".anchor" for ".key")
 * holds the chain's head after each committed batch (app/audit.h).
 */
#ifndef ERMS_APP_KEYS_H
#define ERMS_APP_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

struct store;

struct keys {
	unsigned char audit[32];	/* HMAC key of the audit chain */
	unsigned char box[32];		/* secretbox key of stored secrets */
	unsigned char ack[32];		/* derives acknowledgement tokens */
	unsigned char pack[32];		/* seed of the pack's signing key */
	char fp[65];			/* public fingerprint, hex */
};

/* "<path>.key" for database url db_url (sqlite:PATH or PATH). */
void keys_default_path(const char *db_url, char *out, size_t n);
/* key_path with ".key" replaced by (or else followed by) ".anchor". */
void keys_default_anchor(const char *key_path, char *out, size_t n);
/*
 * Read the key file at path into *out. When it does not exist and create
 * is set, make a new one (mode 0600, never overwriting). ERMS_ENOTFOUND
 * when it is missing and create is not set; ERMS_EINVAL when it is not a
 * key file or others may read it; ERMS_EIO for other failures.
 */
int keys_load(const char *path, bool create, struct keys *out,
	      struct errbuf *err);
/*
 * Open the keys of the database st will write (a local command or the
 * server, before any thread starts): key_path/anchor_path NULL for the
 * defaults. Creates the key when create is set and the database has none
 * bound; refuses a key whose fingerprint is not the database's, a missing
 * key of a keyed database, and a missing anchor of a keyed database. On
 * first use binds the database to the key (rows written so far keep the
 * unkeyed rule) and writes the anchor. Installs the keys process-wide.
 */
int keys_open_store(struct store *st, const char *db_url,
		    const char *key_path, const char *anchor_path, bool create,
		    struct errbuf *err);
/* The installed keys, or NULL (tools that write no keyed rows). */
const struct keys *keys_current(void);
/* The installed anchor file's path, or NULL. */
const char *keys_anchor(void);
/*
 * Secrets at rest in a channel's config (JSON object, changed in place):
 * the string values of "secret", "password" and "url" (robot URLs carry
 * their access token) are sealed with crypto_secretbox_easy under the box
 * sub-key, a new random nonce per value, as "sealed:v1:" + base64url(nonce
 * and box); a sealed url gets a plain "url_host" (scheme and host) for
 * display. Without installed keys nothing changes.
 */
void keys_seal_config(json_t *cfg);
/* Open what keys_seal_config() sealed (plain values stay as they are)
 * and drop "url_host": only where a secret is needed (sending, merging
 * an update). ERMS_EINVAL when a value does not open under this key. */
int keys_open_config(json_t *cfg);
/* Install k (copied) and anchor path (borrowed); for tests, too. */
void keys_install(const struct keys *k, const char *anchor_path);

#endif
