/*
 * audit.c - appending to and verifying the audit chain.
 */
#include "app/audit.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/crypto.h"

void audit_hash(const struct audit_row *r, char out[65])
{
	struct buf b = BUF_INIT;

	/* Length-prefixed fields: no separator can be forged by content. */
	buf_addf(&b, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%zu:%s|%zu:%s|%zu:%s|%s",
		 r->id, r->at_ms, r->actor_id, strlen(r->action), r->action,
		 strlen(r->object), r->object, strlen(r->summary), r->summary,
		 r->prev_hash);
	sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

int audit_append(struct store *st, int64_t actor_id, const char *action,
		 const char *object, const char *summary, int64_t now_ms)
{
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
	audit_hash(&r, r.hash);
	return store_audit_insert(st, &r);
}

struct verify {
	int64_t expect_id;
	char prev[65];
	int64_t bad_id;
	char *why;
	size_t whylen;
};

static int check_row(void *ctx, const struct audit_row *r)
{
	struct verify *v = ctx;
	char h[65];

	if (r->id != v->expect_id) {
		v->bad_id = v->expect_id;
		snprintf(v->why, v->whylen, "row %" PRId64 " is missing",
			 v->expect_id);
		return 1;
	}
	if (strcmp(r->prev_hash, v->prev)) {
		v->bad_id = r->id;
		snprintf(v->why, v->whylen,
			 "row %" PRId64 " does not follow the row before it "
			 "(removed or edited)", r->id);
		return 1;
	}
	audit_hash(r, h);
	if (strcmp(h, r->hash)) {
		v->bad_id = r->id;
		snprintf(v->why, v->whylen, "row %" PRId64 " was edited",
			 r->id);
		return 1;
	}
	memcpy(v->prev, r->hash, sizeof(v->prev));
	v->expect_id++;
	return 0;
}

int audit_verify(struct store *st, int64_t *rows, int64_t *bad_id, char *why,
		 size_t whylen)
{
	struct verify v = { .expect_id = 1, .why = why, .whylen = whylen };
	int rc;

	why[0] = '\0';
	do {
		int64_t before = v.expect_id;

		rc = store_audit_list(st, before - 1, 1000, check_row, &v);
		if (rc || v.expect_id == before)
			break;
	} while (1);
	*rows = v.expect_id - 1;
	if (rc == 1) {
		*bad_id = v.bad_id;
		return ERMS_ECONFLICT;
	}
	return rc;
}
