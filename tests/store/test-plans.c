/*
 * test-plans.c - the store contract for plans, their versions, the
 * editors of a version and the acknowledgements of the one in force.
 */
#include "contract.h"

#include "core/planflow.h"

struct plan_seen {
	int n;
	struct plan_row row[4];
};

static int plan_seen(void *ctx, const struct plan_row *p)
{
	struct plan_seen *s = ctx;

	if (s->n < 4)
		s->row[s->n] = *p;
	s->n++;
	return 0;
}

static int plan_stop(void *ctx, const struct plan_row *p)
{
	(void)p;
	++*(int *)ctx;
	return 4;
}

static void test_plan_keys(void **state)
{
	struct fixture *f = *state;
	struct plan_seen s = { 0 };
	int64_t a, b, id = 0;
	int calls = 0;

	assert_int_equal(store_plan_by_key(f->st, "it", &id), ERMS_ENOTFOUND);
	assert_int_equal(store_plan_insert(f->st, "it", 10, &a), 0);
	assert_int_equal(store_plan_insert(f->st, "fire", 20, &b), 0);
	assert_true(b > a);
	assert_int_equal(store_plan_insert(f->st, "it", 30, &id),
			 ERMS_ECONFLICT);
	assert_int_equal(store_plan_by_key(f->st, "it", &id), 0);
	assert_int_equal(id, a);
	assert_int_equal(store_plan_list(f->st, plan_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.row[0].id, a);
	assert_string_equal(s.row[0].key, "it");
	assert_int_equal(s.row[0].created_ms, 10);
	assert_int_equal(s.row[0].latest_n, 0);	/* no version yet */
	assert_int_equal(s.row[0].published_n, 0);
	assert_string_equal(s.row[1].key, "fire");
	assert_int_equal(store_plan_list(f->st, plan_stop, &calls), 4);
	assert_int_equal(calls, 1);
}

static struct plan_version draft(int64_t plan_id, int64_t author,
				 int64_t at)
{
	return (struct plan_version){
		.plan_id = plan_id, .status = PV_DRAFT,
		.name_json = (char *)"{\"zh-CN\":\"信息系统预案\",\"en\":\"IT\"}",
		.source_name = (char *)"it.yaml",
		.source = (char *)"key: it\n",
		.content = (char *)"{\"key\":\"it\"}",
		.author_id = author, .created_ms = at,
	};
}

/* Versions are numbered 1, 2, ... per plan; a version comes back with its
 * texts by (plan, n) and by id, and without them in lists. */
static void test_versions(void **state)
{
	struct fixture *f = *state;
	int64_t au = add_user(f->st, "author"), p, q;
	struct plan_version v1, v2, w, out = { 0 };

	assert_int_equal(store_plan_insert(f->st, "it", 10, &p), 0);
	assert_int_equal(store_plan_insert(f->st, "fire", 10, &q), 0);
	v1 = draft(p, au, 100);
	v2 = draft(p, au, 200);
	w = draft(q, au, 300);
	assert_int_equal(store_pv_insert(f->st, &v1), 0);
	assert_int_equal(store_pv_insert(f->st, &v2), 0);
	assert_int_equal(store_pv_insert(f->st, &w), 0);
	assert_int_equal(v1.n, 1);
	assert_int_equal(v2.n, 2);
	assert_int_equal(w.n, 1);
	assert_int_equal(v2.updated_ms, 200);
	assert_int_equal(store_pv_get(f->st, p, 2, &out), 0);
	assert_int_equal(out.id, v2.id);
	assert_int_equal(out.plan_id, p);
	assert_string_equal(out.plan_key, "it");
	assert_int_equal(out.status, PV_DRAFT);
	assert_string_equal(out.name_json, v2.name_json);
	assert_string_equal(out.source_name, "it.yaml");
	assert_string_equal(out.source, "key: it\n");
	assert_string_equal(out.content, "{\"key\":\"it\"}");
	assert_int_equal(out.author_id, au);
	assert_int_equal(out.created_ms, 200);
	assert_int_equal(out.submitted_ms, 0);
	plan_version_release(&out);
	assert_int_equal(store_pv_get_id(f->st, w.id, &out), 0);
	assert_string_equal(out.plan_key, "fire");
	assert_int_equal(out.n, 1);
	assert_non_null(out.content);
	plan_version_release(&out);
	assert_int_equal(store_pv_get(f->st, p, 3, &out), ERMS_ENOTFOUND);
	assert_int_equal(store_pv_get_id(f->st, w.id + 100, &out),
			 ERMS_ENOTFOUND);
	/* The author must exist. */
	v1 = draft(p, au + 100, 400);
	assert_int_equal(store_pv_insert(f->st, &v1), ERMS_ENOTFOUND);
}

struct pv_seen {
	int n;
	int ns[4];
	bool texts;
};

static int pv_seen(void *ctx, const struct plan_version *v)
{
	struct pv_seen *s = ctx;

	if (s->n < 4)
		s->ns[s->n] = v->n;
	s->n++;
	s->texts |= v->source || v->content;
	return 0;
}

static int pv_stop(void *ctx, const struct plan_version *v)
{
	(void)v;
	++*(int *)ctx;
	return 6;
}

/* The review and publication of a version as written by the plan flow:
 * every field of the update comes back; the one published is in force. */
static void test_version_update_and_current(void **state)
{
	struct fixture *f = *state;
	int64_t au = add_user(f->st, "au"), rv = add_user(f->st, "rv");
	struct plan_version v1, v2, out = { 0 };
	struct plan_seen ps = { 0 };
	struct pv_seen s = { 0 };
	int64_t p, cur = 0;
	int n = -1, calls = 0;

	assert_int_equal(store_pv_current(f->st, &out), ERMS_ENOTFOUND);
	assert_int_equal(store_pv_current_id(f->st, &cur), ERMS_ENOTFOUND);
	assert_int_equal(store_plan_insert(f->st, "it", 10, &p), 0);
	assert_int_equal(store_pv_published_n(f->st, p, &n), 0);
	assert_int_equal(n, 0);
	v1 = draft(p, au, 100);
	v2 = draft(p, au, 150);
	assert_int_equal(store_pv_insert(f->st, &v1), 0);
	assert_int_equal(store_pv_insert(f->st, &v2), 0);
	v1.status = PV_PUBLISHED;
	v1.name_json = (char *)"\"new name\"";
	v1.source = (char *)"key: it\nname: x\n";
	v1.updated_ms = 500;
	v1.submitted_ms = 200;
	v1.reviewer_id = rv;
	v1.reviewed_ms = 300;
	v1.review_comment = (char *)"同意 ok";
	v1.publisher_id = rv;
	v1.published_ms = 400;
	assert_int_equal(store_pv_update(f->st, &v1), 0);
	assert_int_equal(store_pv_get_id(f->st, v1.id, &out), 0);
	assert_int_equal(out.status, PV_PUBLISHED);
	assert_string_equal(out.name_json, "\"new name\"");
	assert_string_equal(out.source, "key: it\nname: x\n");
	assert_int_equal(out.updated_ms, 500);
	assert_int_equal(out.submitted_ms, 200);
	assert_int_equal(out.reviewer_id, rv);
	assert_int_equal(out.reviewed_ms, 300);
	assert_string_equal(out.review_comment, "同意 ok");
	assert_int_equal(out.publisher_id, rv);
	assert_int_equal(out.published_ms, 400);
	assert_int_equal(out.superseded_ms, 0);
	plan_version_release(&out);
	assert_int_equal(store_pv_published_n(f->st, p, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_pv_current(f->st, &out), 0);
	assert_int_equal(out.id, v1.id);
	assert_int_equal(store_pv_current_id(f->st, &cur), 0);
	assert_int_equal(cur, v1.id);
	assert_non_null(out.content);
	plan_version_release(&out);
	/* The newer version published and the older superseded: the newer
	 * is in force. */
	v1.status = PV_SUPERSEDED;
	v1.superseded_ms = 900;
	assert_int_equal(store_pv_update(f->st, &v1), 0);
	v2.status = PV_PUBLISHED;
	v2.published_ms = 900;
	v2.updated_ms = 900;
	assert_int_equal(store_pv_update(f->st, &v2), 0);
	assert_int_equal(store_pv_current(f->st, &out), 0);
	assert_int_equal(out.id, v2.id);
	assert_int_equal(store_pv_current_id(f->st, &cur), 0);
	assert_int_equal(cur, v2.id);
	plan_version_release(&out);
	assert_int_equal(store_pv_published_n(f->st, p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_plan_list(f->st, plan_seen, &ps), 0);
	assert_int_equal(ps.row[0].latest_n, 2);
	assert_int_equal(ps.row[0].published_n, 2);
	assert_int_equal(store_pv_list(f->st, p, pv_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ns[0], 1);
	assert_int_equal(s.ns[1], 2);
	assert_false(s.texts);
	assert_int_equal(store_pv_list(f->st, p, pv_stop, &calls), 6);
	assert_int_equal(calls, 1);
	v1.id = v2.id + 100;
	assert_int_equal(store_pv_update(f->st, &v1), ERMS_ENOTFOUND);
}

static int add_editor(void *ctx, int64_t user_id, const char *login,
		      const char *display_name, int64_t first_ms,
		      int64_t last_ms)
{
	int64_t *seen = ctx;

	(void)login;
	(void)display_name;
	seen[seen[0] * 3 + 1] = user_id;
	seen[seen[0] * 3 + 2] = first_ms;
	seen[seen[0] * 3 + 3] = last_ms;
	seen[0]++;
	return 0;
}

/* Every editor of a version once, in the order they first edited it. */
static void test_version_editors(void **state)
{
	struct fixture *f = *state;
	struct user a = mk_user("erin"), b = mk_user("frank");
	struct plan_version v = { .status = 0, .name_json = (char *)"\"p\"",
				  .source_name = (char *)"p.yaml",
				  .created_ms = 10 };
	int64_t seen[1 + 3 * 4] = { 0 };

	assert_int_equal(store_user_insert(f->st, &a, "h"), 0);
	assert_int_equal(store_user_insert(f->st, &b, "h"), 0);
	assert_int_equal(store_plan_insert(f->st, "p", 10, &v.plan_id), 0);
	v.author_id = a.id;
	assert_int_equal(store_pv_insert(f->st, &v), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, a.id, 10), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, b.id, 20), 0);
	assert_int_equal(store_pv_editor_put(f->st, v.id, a.id, 30), 0);
	assert_int_equal(store_pv_editors(f->st, v.id, add_editor, seen), 0);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], a.id);
	assert_int_equal(seen[2], 10);
	assert_int_equal(seen[3], 30);
	assert_int_equal(seen[4], b.id);
	assert_int_equal(seen[5], 20);
	/* An editor that is no user, a version that does not exist. */
	assert_int_equal(store_pv_editor_put(f->st, v.id, b.id + 100, 40),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_pv_editor_put(f->st, v.id + 100, a.id, 40),
			 ERMS_ENOTFOUND);
}

struct ack_seen {
	int n;
	char line[4][200];
};

static int ack_seen(void *ctx, int64_t user_id, const char *login,
		    const char *display_name, int64_t acked_ms)
{
	struct ack_seen *s = ctx;

	(void)user_id;
	if (s->n < 4)
		snprintf(s->line[s->n], sizeof(s->line[0]), "%s|%s|%lld",
			 login, display_name, (long long)acked_ms);
	s->n++;
	return 0;
}

static int ack_stop(void *ctx, int64_t user_id, const char *login,
		    const char *display_name, int64_t acked_ms)
{
	(void)user_id;
	(void)login;
	(void)display_name;
	(void)acked_ms;
	++*(int *)ctx;
	return 2;
}

/* Every active user (of a group, when one is named) with the time they
 * first acknowledged, 0 when not yet; disabled users are left out. */
static void test_acks(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "ann"), b = add_user(f->st, "bob");
	int64_t c = add_user(f->st, "cyd"), g = add_group(f->st, "team", GK_TEAM);
	int64_t v = add_version(f->st, "it", a);
	struct ack_seen s = { 0 };
	struct user u;
	int calls = 0;

	assert_int_equal(store_member_put(f->st, g, b, MR_MEMBER, 1, 0), 0);
	assert_int_equal(store_member_put(f->st, g, c, MR_MEMBER, 1, 0), 0);
	assert_int_equal(store_ack_put(f->st, v, b, 500), 0);
	assert_int_equal(store_ack_put(f->st, v, b, 600), 0);	/* kept */
	assert_int_equal(store_ack_put(f->st, v, c + 100, 600),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_user_get(f->st, c, &u), 0);
	u.disabled = true;
	assert_int_equal(store_user_update(f->st, &u), 0);
	assert_int_equal(store_ack_list(f->st, v, NULL, ack_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.line[0], "ann|名字 ann|0");
	assert_string_equal(s.line[1], "bob|名字 bob|500");
	s.n = 0;
	assert_int_equal(store_ack_list(f->st, v, "team", ack_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.line[0], "bob|名字 bob|500");
	s.n = 0;
	assert_int_equal(store_ack_list(f->st, v, "none", ack_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_ack_list(f->st, v, NULL, ack_stop, &calls), 2);
	assert_int_equal(calls, 1);
}

/* Where a draft came from, kept once and rewritten in place. */
static void test_basis(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "ann");
	int64_t v = add_version(f->st, "it", a);
	int64_t inc = 7;
	char *findings = NULL;
	int from = -1;

	assert_int_equal(store_pv_basis_get(f->st, v, &from, &inc, &findings),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_pv_basis_put(f->st, v, 1, 0, "[\"慢\"]"), 0);
	assert_int_equal(store_pv_basis_get(f->st, v, &from, &inc, &findings),
			 0);
	assert_int_equal(from, 1);
	assert_int_equal(inc, 0);
	assert_string_equal(findings, "[\"慢\"]");
	free(findings);
	findings = NULL;
	assert_int_equal(store_pv_basis_put(f->st, v, 2, 0, "[]"), 0);
	assert_int_equal(store_pv_basis_get(f->st, v, &from, &inc, &findings),
			 0);
	assert_int_equal(from, 2);
	assert_string_equal(findings, "[]");
	free(findings);
}

static int note_id(void *ctx, int64_t id)
{
	int64_t *ids = ctx;

	ids[++ids[0]] = id;
	return 0;
}

/* Who is due a reminder to acknowledge: active users who have not, last
 * reminded (or published) at or before the time asked, by id. */
static void test_ack_reminders(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "ann"), b = add_user(f->st, "bob");
	int64_t c = add_user(f->st, "cyd"), d = add_user(f->st, "dan");
	int64_t v = add_version(f->st, "it", a);
	int64_t ids[8] = { 0 };
	struct user u;

	assert_int_equal(store_ack_put(f->st, v, b, 500), 0);
	assert_int_equal(store_user_get(f->st, d, &u), 0);
	u.disabled = true;
	assert_int_equal(store_user_update(f->st, &u), 0);
	/* Published at 1000: nobody is due before then. */
	assert_int_equal(store_ack_remind_due(f->st, v, 1000, 999, 10,
					      note_id, ids), 0);
	assert_int_equal(ids[0], 0);
	assert_int_equal(store_ack_remind_due(f->st, v, 1000, 1000, 10,
					      note_id, ids), 0);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], a);
	assert_int_equal(ids[2], c);
	ids[0] = 0;
	assert_int_equal(store_ack_remind_due(f->st, v, 1000, 5000, 1,
					      note_id, ids), 0);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], a);
	/* Reminded at 3000, twice: due again only from then. */
	assert_int_equal(store_ack_remind_put(f->st, v, a, 2000), 0);
	assert_int_equal(store_ack_remind_put(f->st, v, a, 3000), 0);
	ids[0] = 0;
	assert_int_equal(store_ack_remind_due(f->st, v, 1000, 2999, 10,
					      note_id, ids), 0);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], c);
	ids[0] = 0;
	assert_int_equal(store_ack_remind_due(f->st, v, 1000, 3000, 10,
					      note_id, ids), 0);
	assert_int_equal(ids[0], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_plan_keys),
		CT(test_versions),
		CT(test_version_update_and_current),
		CT(test_version_editors),
		CT(test_acks),
		CT(test_basis),
		CT(test_ack_reminders),
	};

	return contract_main("plans", tests, ARRAY_LEN(tests));
}
