/*
 * test-audit.c - the store contract for the audit log (append-only rows,
 * the head, paging, the key binding) and the hash chain that app/audit.c
 * and app/keys.c build on it.
 */
#include "contract.h"

#include "app/audit.h"
#include "app/keys.h"

static struct audit_row row(int64_t id, const char *prev, const char *hash)
{
	struct audit_row r = { .id = id, .at_ms = 100 + id, .actor_id = 7,
			       .action = (char *)"user.create",
			       .object = (char *)"user:1",
			       .summary = (char *)"名字 | summary" };

	snprintf(r.prev_hash, sizeof(r.prev_hash), "%s", prev);
	snprintf(r.hash, sizeof(r.hash), "%s", hash);
	return r;
}

struct seen {
	int n;
	int64_t id[8];
	char last[512];
};

static int audit_seen(void *ctx, const struct audit_row *r)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->id[s->n] = r->id;
	s->n++;
	snprintf(s->last, sizeof(s->last), "%lld %lld %s %s %s %s>%s",
		 (long long)r->at_ms, (long long)r->actor_id, r->action,
		 r->object, r->summary, r->prev_hash, r->hash);
	return 0;
}

static int audit_stop(void *ctx, const struct audit_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 9;
}

/* Rows keep the ids they are given; the head is the newest; lists page
 * by id after a cursor; an id is never taken twice. */
static void test_audit_rows(void **state)
{
	struct fixture *f = *state;
	struct audit_row r;
	struct seen s = { 0 };
	char hash[65];
	int64_t id = -1;
	int calls = 0;

	assert_int_equal(store_audit_head(f->st, &id, hash), 0);
	assert_int_equal(id, 0);
	assert_string_equal(hash, "");
	r = row(1, "", "h1");
	assert_int_equal(store_audit_insert(f->st, &r), 0);
	r = row(2, "h1", "h2");
	assert_int_equal(store_audit_insert(f->st, &r), 0);
	r = row(3, "h2", "h3");
	assert_int_equal(store_audit_insert(f->st, &r), 0);
	r = row(3, "h2", "again");
	assert_int_equal(store_audit_insert(f->st, &r), ERMS_ECONFLICT);
	assert_int_equal(store_audit_head(f->st, &id, hash), 0);
	assert_int_equal(id, 3);
	assert_string_equal(hash, "h3");
	assert_int_equal(store_audit_list(f->st, 0, 2, audit_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 1);
	assert_int_equal(s.id[1], 2);
	assert_string_equal(s.last, "102 7 user.create user:1 名字 | summary h1>h2");
	s.n = 0;
	assert_int_equal(store_audit_list(f->st, 2, 10, audit_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], 3);
	s.n = 0;
	assert_int_equal(store_audit_list(f->st, 3, 10, audit_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_audit_list(f->st, 0, 10, audit_stop, &calls), 9);
	assert_int_equal(calls, 1);
}

/* The key binding: none at first; once bound it names the key and the
 * last unkeyed row, and it cannot be bound again. */
static void test_audit_key_binding(void **state)
{
	struct fixture *f = *state;
	struct audit_row r;
	char fp[65];
	int64_t until = -1;

	assert_int_equal(store_audit_key(f->st, fp, &until), ERMS_ENOTFOUND);
	assert_string_equal(fp, "");
	r = row(1, "", "h1");
	assert_int_equal(store_audit_insert(f->st, &r), 0);
	r = row(2, "h1", "h2");
	assert_int_equal(store_audit_insert(f->st, &r), 0);
	assert_int_equal(store_audit_key_bind(f->st, "fp-1", 500), 0);
	assert_int_equal(store_audit_key(f->st, fp, &until), 0);
	assert_string_equal(fp, "fp-1");
	assert_int_equal(until, 2);
	assert_int_equal(store_audit_key_bind(f->st, "fp-2", 600),
			 ERMS_ECONFLICT);
	assert_int_equal(store_audit_key(f->st, fp, &until), 0);
	assert_string_equal(fp, "fp-1");
}

static void test_audit_chain(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;
	char why[128];

	assert_int_equal(audit_verify(f->st, NULL, NULL, &rows, &bad, why,
				      sizeof(why)),
			 0);
	assert_int_equal(rows, 0);
	for (int i = 0; i < 2500; i++)
		assert_int_equal(audit_append(f->st, 1, "test.act", "x:1",
					      "summary | with: separators",
					      100 + i), 0);
	assert_int_equal(audit_verify(f->st, NULL, NULL, &rows, &bad, why,
				      sizeof(why)),
			 0);
	assert_int_equal(rows, 2500);
}

/* A database written before keying: its rows keep the unkeyed rule up to
 * the boundary recorded at binding; later rows are keyed, and the anchor
 * catches the newest rows' removal. */
static void test_audit_upgrade(void **state)
{
	struct fixture *f = *state;
	char key[160], anchor[160], why[256];
	struct errbuf e = { 0 };
	int64_t rows, bad;

	snprintf(key, sizeof(key), "%s/t.key", f->dir);
	snprintf(anchor, sizeof(anchor), "%s/t.anchor", f->dir);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(audit_append(f->st, 1, "old.act", "x:1", "old",
					      100 + i), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(keys_open_store(f->st, f->url, key, anchor, true, &e),
			 0);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(audit_append(f->st, 1, "new.act", "x:1", "new",
					      200 + i), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(audit_anchor_write(f->st), 0);
	assert_int_equal(audit_verify(f->st, keys_current(), anchor, &rows,
				      &bad, why, sizeof(why)), 0);
	assert_int_equal(rows, 6);	/* 3 old, audit.keyed, 2 new */
	/* Opening again with the same key is fine; the boundary stays. */
	assert_int_equal(keys_open_store(f->st, f->url, key, anchor, false, &e),
			 0);
	/* Without the key, or without the anchor, a keyed chain fails. */
	assert_int_equal(audit_verify(f->st, NULL, anchor, &rows, &bad, why,
				      sizeof(why)), ERMS_ECONFLICT);
	assert_int_equal(audit_verify(f->st, keys_current(), NULL, &rows, &bad,
				      why, sizeof(why)), ERMS_ECONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_audit_rows),
		CT(test_audit_key_binding),
		CT(test_audit_chain),
		CT(test_audit_upgrade),
	};

	return contract_main("audit", tests, ARRAY_LEN(tests));
}
