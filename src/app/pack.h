/*
 * pack.h - the emergency pack (应急包): the plan in force on paper and on
 * a laptop, for when the systems erms manages, erms itself or the
 * network are down.
 *
 * A pack is a handful of files built in memory from what a reader sees:
 *
 *   plan.html             everything below in one self-contained page
 *                         (styles embedded, no link, no script)
 *   plan.pdf              the plan in force
 *   contacts.pdf          the groups with their members' numbers, the
 *                         call tree, the regulators and the deadline
 *   duty.pdf              who is on duty, per group, the next 30 days
 *   supplies.pdf          the supplies and where they are kept
 *   first-15-minutes.pdf  one page per level: who to call, what to do,
 *                         the regulator's clock
 *   README.txt            what this is and how to check it (zh-CN, en)
 *   manifest.json         every file above with its SHA-256 and size
 *   manifest.sig          an Ed25519 signature of manifest.json's bytes
 *
 * The signing key is derived from the installation's master key
 * (app/keys.h, sub-key 5), so `erms pack verify` can tell that a copy
 * is whole and was made by this installation. Every page carries the
 * organisation's name, the plan's key and version and the pack's date.
 */
#ifndef ERMS_APP_PACK_H
#define ERMS_APP_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/database.h"
#include "core/types.h"
#include "util/err.h"

struct keys;
struct principal;
struct store;

#define PACK_FILES_MAX 12
#define PACK_DUTY_DAYS 30

struct pack_file {
	char path[32];
	char *data;		/* owned */
	size_t len;
};

struct pack {
	struct pack_file files[PACK_FILES_MAX];
	size_t n;
	int64_t version_id;	/* the plan version it holds */
	char plan_key[KEY_MAX + 1];
	int plan_n;
	char name[96];		/* erms-pack-<plan>-v<n>-<date> */
	int64_t stale_ms;	/* the next local midnight: its roster's day
				 * has passed */
};

void pack_release(struct pack *p);

/*
 * Build the pack of the plan in force at now_ms from st (a reader: the
 * build only reads), signed with k's pack key. ERMS_ENOTFOUND when no
 * plan is in force. Release *out with pack_release() whatever it returns.
 */
int app_pack_build(struct store *st, const struct keys *k, int64_t now_ms,
		   struct pack *out, struct errbuf *e);

/* The pack for p (anyone signed in), signed with the installed keys
 * (app/keys.h). */
int app_pack_get(struct store *st, const struct principal *p,
		 int64_t now_ms, struct pack *out, struct errbuf *e);

/* The pack as a zip, its files in a folder named p->name; free() *out. */
int app_pack_zip(const struct pack *p, char **out, size_t *len,
		 struct errbuf *e);

/*
 * Write the pack to dir so that dir always holds one whole pack: the
 * files go to a new directory beside it, which then takes dir's place
 * (the old one is removed). dir's parent must exist.
 */
int app_pack_write_dir(const struct pack *p, const char *dir,
		       struct errbuf *e);

/* The public half of k's pack key. */
void app_pack_public_key(const struct keys *k, unsigned char pk[32]);
/* A short form of a public key for people to compare: the first 16
 * bytes of its SHA-256, hex in groups of four ("1a2b 3c4d ..."). */
void app_pack_fingerprint(const unsigned char pk[32], char out[48]);

/*
 * Check the pack in dir: manifest.sig is manifest.json's signature by
 * the key manifest.json names, and every file the manifest lists is
 * there with its size and SHA-256, and no other. With want (not NULL)
 * the key must also be want. Fills pk with the manifest's key. Returns
 * 0, ERMS_ECONFLICT when the pack fails (e->field names the file,
 * e->msg says why), or ERMS_EIO when dir cannot be read.
 */
int app_pack_verify(const char *dir, const unsigned char *want,
		    unsigned char pk[32], struct errbuf *e);

/*
 * The local commands, without a server (erms pack): open database db
 * and its key file (key_path, or NULL for the one next to db), which
 * must be the database's key, and write the pack of the plan in force
 * at now_ms to dir (as app_pack_write_dir()); or only give the public
 * half of the installation's pack key (db NULL: of key file key_path
 * alone). *stage says which step failed.
 */
int app_pack_local(const char *db, const char *key_path, const char *dir,
		   int64_t now_ms, struct pack *out, enum app_db_stage *stage,
		   struct errbuf *e);
int app_pack_local_key(const char *db, const char *key_path,
		       unsigned char pk[32], enum app_db_stage *stage,
		       struct errbuf *e);

#endif
