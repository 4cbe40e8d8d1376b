/*
 * audit.c - appending to, anchoring and verifying the audit chain.
 */
#define LOG_MOD "audit"
#include "app/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/keys.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"

#define ANCHOR_MAGIC "erms-audit-anchor 1"

/* Length-prefixed fields: no separator can be forged by content. */
static void row_text(const struct audit_row *r, struct buf *b)
{
	buf_addf(b, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%zu:%s|%zu:%s|%zu:%s|%s",
		 r->id, r->at_ms, r->actor_id, strlen(r->action), r->action,
		 strlen(r->object), r->object, strlen(r->summary), r->summary,
		 r->prev_hash);
}

void audit_hash(const struct audit_row *r, char out[65])
{
	struct buf b = BUF_INIT;

	row_text(r, &b);
	sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

void audit_mac(const struct keys *k, const struct audit_row *r, char out[65])
{
	struct buf b = BUF_INIT;

	row_text(r, &b);
	mac_sha256_hex(k->audit, b.data, b.len, out);
	buf_release(&b);
}

int audit_append(struct store *st, int64_t actor_id, const char *action,
		 const char *object, const char *summary, int64_t now_ms)
{
	const struct keys *k = keys_current();
	struct audit_row r = {
		.at_ms = now_ms,
		.actor_id = actor_id,
		.action = (char *)action,
		.object = (char *)object,
		.summary = (char *)summary,
	};
	int rc = store_audit_head(st, &r.id, r.prev_hash);

	if (rc)
		return rc;
	r.id++;
	if (k)
		audit_mac(k, &r, r.hash);
	else
		audit_hash(&r, r.hash);
	return store_audit_insert(st, &r);
}

/* The anchor as a file reads it. */
struct anchor {
	char fp[65];
	int64_t plain_until;
	int64_t head;
	char mac[65];
};

static int anchor_text(const struct anchor *a, char *out, size_t n)
{
	return snprintf(out, n, ANCHOR_MAGIC "\nkey %s\nplain-until %" PRId64
			"\nhead %" PRId64 " %s\n", a->fp, a->plain_until,
			a->head, a->mac);
}

/* Write path atomically: a temporary file, fsync, rename. */
static int replace_file(const char *path, const char *text, size_t len)
{
	char tmp[4200];
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return ERMS_EIO;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd))
		rc = ERMS_EIO;
	if (close(fd))
		rc = ERMS_EIO;
	if (!rc && rename(tmp, path))
		rc = ERMS_EIO;
	if (rc)
		unlink(tmp);
	return rc;
}

int audit_anchor_copy(struct store *st, const char *path)
{
	struct anchor a = { 0 };
	char text[256];
	int rc = store_audit_head(st, &a.head, a.mac);

	if (!rc)
		rc = store_audit_key(st, a.fp, &a.plain_until);
	if (rc == ERMS_ENOTFOUND)
		return 0;
	if (!rc)
		rc = replace_file(path, text, (size_t)anchor_text(&a, text,
							   sizeof(text)));
	return rc;
}

int audit_anchor_write(struct store *st)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static int64_t written = -1;
	const struct keys *k = keys_current();
	const char *path = keys_anchor();
	struct anchor a = { 0 };
	char text[256];
	int rc;

	if (!k || !path)
		return 0;
	pthread_mutex_lock(&mu);
	rc = store_audit_head(st, &a.head, a.mac);
	if (!rc)
		rc = store_audit_key(st, a.fp, &a.plain_until);
	if (rc || a.head == written)
		goto out;
	rc = replace_file(path, text, (size_t)anchor_text(&a, text,
							   sizeof(text)));
	if (rc) {
		log_error("cannot write the audit anchor path=%s: %s", path,
			  strerror(errno));
		goto out;
	}
	written = a.head;
	log_info("audit head id=%" PRId64 " mac=%s", a.head, a.mac);
out:
	pthread_mutex_unlock(&mu);
	return rc;
}

/* 0, ERMS_ENOTFOUND when the file does not exist, ERMS_EINVAL when it is
 * not an anchor. */
static int anchor_read(const char *path, struct anchor *a)
{
	FILE *f = fopen(path, "r");
	long long pu, head;
	int n;

	if (!f)
		return errno == ENOENT ? ERMS_ENOTFOUND : ERMS_EIO;
	n = fscanf(f, ANCHOR_MAGIC " key %64s plain-until %lld head %lld %64s",
		   a->fp, &pu, &head, a->mac);
	fclose(f);
	if (n != 4)
		return ERMS_EINVAL;
	a->plain_until = pu;
	a->head = head;
	return 0;
}

struct verify {
	const struct keys *k;
	int64_t plain_until;	/* rows up to here: the unkeyed rule */
	int64_t expect_id;
	char prev[65];
	int64_t want_id;	/* the anchor's head */
	char want_mac[65];
	bool want_seen;
	int64_t bad_id;
	char *why;
	size_t whylen;
};

static int check_row(void *ctx, const struct audit_row *r)
{
	struct verify *v = ctx;
	char h[65];

	v->bad_id = r->id;
	if (r->id != v->expect_id) {
		v->bad_id = v->expect_id;
		snprintf(v->why, v->whylen, "row %" PRId64 " is missing",
			 v->expect_id);
		return 1;
	}
	if (strcmp(r->prev_hash, v->prev)) {
		snprintf(v->why, v->whylen,
			 "row %" PRId64 " does not follow the row before it "
			 "(removed or edited)", r->id);
		return 1;
	}
	if (r->id <= v->plain_until)
		audit_hash(r, h);
	else
		audit_mac(v->k, r, h);
	if (!ct_streq(h, r->hash)) {
		snprintf(v->why, v->whylen, r->id <= v->plain_until
			 ? "row %" PRId64 " was edited"
			 : "row %" PRId64 ": MAC does not match (edited, or "
			   "the chain recomputed without the key)", r->id);
		return 1;
	}
	if (r->id == v->want_id) {
		v->want_seen = true;
		if (!ct_streq(r->hash, v->want_mac)) {
			snprintf(v->why, v->whylen, "row %" PRId64 ": MAC does "
				 "not match the anchor's", r->id);
			return 1;
		}
	}
	memcpy(v->prev, r->hash, sizeof(v->prev));
	v->expect_id++;
	return 0;
}

/* What the database and the anchor say about the key, before the walk:
 * 1 with why[] filled when they disagree. */
static int check_binding(struct store *st, const struct keys *k,
			 const char *anchor, struct verify *v)
{
	struct anchor a = { 0 };
	char fp[65];
	int rc = store_audit_key(st, fp, &v->plain_until);
	int ar = anchor ? anchor_read(anchor, &a) : ERMS_ENOTFOUND;

	if (rc == ERMS_ENOTFOUND) {
		v->plain_until = INT64_MAX;
		if (ar == 0 || ar == ERMS_EINVAL) {
			snprintf(v->why, v->whylen, "the database has no key "
				 "binding, but anchor '%s' exists (binding "
				 "removed?)", anchor);
			return 1;
		}
		return 0;
	}
	if (rc)
		return rc;
	if (!k) {
		snprintf(v->why, v->whylen, "the database is keyed (key "
			 "%.16s): give its key file with --key", fp);
		return 1;
	}
	if (strcmp(fp, k->fp)) {
		snprintf(v->why, v->whylen, "the key file is not this "
			 "database's key (%.16s, database %.16s)", k->fp, fp);
		return 1;
	}
	if (ar) {
		snprintf(v->why, v->whylen, ar == ERMS_ENOTFOUND
			 ? "the anchor file '%s' is missing"
			 : "'%s' is not an audit anchor", anchor ? anchor : "");
		return 1;
	}
	if (strcmp(a.fp, fp) || a.plain_until != v->plain_until) {
		snprintf(v->why, v->whylen, "the anchor (key %.16s, unkeyed "
			 "rows to %" PRId64 ") does not match the database "
			 "(key %.16s, unkeyed rows to %" PRId64 ")", a.fp,
			 a.plain_until, fp, v->plain_until);
		return 1;
	}
	v->k = k;
	v->want_id = a.head;
	memcpy(v->want_mac, a.mac, sizeof(v->want_mac));
	return 0;
}

int audit_verify(struct store *st, const struct keys *k, const char *anchor,
		 int64_t *rows, int64_t *bad_id, char *why, size_t whylen)
{
	struct verify v = { .expect_id = 1, .why = why, .whylen = whylen };
	int rc;

	why[0] = '\0';
	rc = check_binding(st, k, anchor, &v);
	while (!rc) {
		int64_t before = v.expect_id;

		rc = store_audit_list(st, before - 1, 1000, check_row, &v);
		if (rc || v.expect_id == before)
			break;
	}
	*rows = v.expect_id - 1;
	if (!rc && v.want_id > 0 && !v.want_seen) {
		v.bad_id = *rows + 1;
		snprintf(why, whylen, "rows %" PRId64 "..%" PRId64 " missing: "
			 "anchor says %" PRId64 ", database ends at %" PRId64,
			 *rows + 1, v.want_id, v.want_id, *rows);
		rc = 1;
	}
	if (rc == 1) {
		*bad_id = v.bad_id;
		return ERMS_ECONFLICT;
	}
	return rc;
}
