/*
 * test-duty.c - the store contract for duty rosters: rotations of a group
 * and the overrides of a rotation.
 */
#include "contract.h"

struct rot_seen {
	int n;
	struct rotation_row row[4];
	char members[4][64];
};

static int rot_seen(void *ctx, const struct rotation_row *r)
{
	struct rot_seen *s = ctx;

	if (s->n < 4) {
		s->row[s->n] = *r;
		s->row[s->n].members = NULL;	/* borrowed: copied below */
		snprintf(s->members[s->n], sizeof(s->members[0]), "%s",
			 r->members);
	}
	s->n++;
	return 0;
}

static int rot_stop(void *ctx, const struct rotation_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 19;
}

static struct rotation_row mk_rotation(int64_t group, const char *name,
				       const char *members)
{
	struct rotation_row r = { .group_id = group, .start_ms = T2026,
				  .shift_minutes = 720, .members = members };

	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.time_zone, sizeof(r.time_zone), "Asia/Shanghai");
	return r;
}

static void test_rotations(void **state)
{
	struct fixture *f = *state;
	int64_t g = add_group(f->st, "tech", GK_TEAM);
	int64_t h = add_group(f->st, "net", GK_TEAM);
	struct rotation_row a = mk_rotation(g, "白班夜班", "[1,2]");
	struct rotation_row b = mk_rotation(h, "网络", "[3]");
	struct rot_seen s = { 0 };
	int calls = 0;

	assert_int_equal(store_rotation_insert(f->st, &a, 100), 0);
	assert_int_equal(store_rotation_insert(f->st, &b, 100), 0);
	assert_true(b.id > a.id);
	assert_int_equal(store_rotation_list(f->st, 0, rot_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.row[0].id, a.id);
	assert_int_equal(s.row[0].group_id, g);
	assert_string_equal(s.row[0].group_key, "tech");
	assert_string_equal(s.row[0].name, "白班夜班");
	assert_string_equal(s.row[0].time_zone, "Asia/Shanghai");
	assert_int_equal(s.row[0].start_ms, T2026);
	assert_int_equal(s.row[0].shift_minutes, 720);
	assert_string_equal(s.members[0], "[1,2]");
	assert_string_equal(s.row[1].group_key, "net");
	s.n = 0;
	assert_int_equal(store_rotation_list(f->st, h, rot_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.row[0].id, b.id);
	s.n = 0;
	assert_int_equal(store_rotation_list(f->st, h + 100, rot_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_rotation_list(f->st, 0, rot_stop, &calls), 19);
	assert_int_equal(calls, 1);
	b.group_id = h + 100;
	assert_int_equal(store_rotation_insert(f->st, &b, 100), ERMS_ENOTFOUND);
}

struct ov_seen {
	int n;
	int64_t line[4][4];
};

static int ov_seen(void *ctx, int64_t id, int64_t user_id, int64_t start_ms,
		   int64_t end_ms)
{
	struct ov_seen *s = ctx;

	if (s->n < 4) {
		s->line[s->n][0] = id;
		s->line[s->n][1] = user_id;
		s->line[s->n][2] = start_ms;
		s->line[s->n][3] = end_ms;
	}
	s->n++;
	return 0;
}

static int ov_stop(void *ctx, int64_t id, int64_t user_id, int64_t start_ms,
		   int64_t end_ms)
{
	(void)id;
	(void)user_id;
	(void)start_ms;
	(void)end_ms;
	++*(int *)ctx;
	return 20;
}

/* Overrides of a rotation by start time; user and rotation must exist. */
static void test_overrides(void **state)
{
	struct fixture *f = *state;
	int64_t g = add_group(f->st, "tech", GK_TEAM), u = add_user(f->st, "sub");
	struct rotation_row r = mk_rotation(g, "r", "[]");
	struct rotation_row q = mk_rotation(g, "q", "[]");
	struct ov_seen s = { 0 };
	int64_t late, early, other, id;
	int calls = 0;

	assert_int_equal(store_rotation_insert(f->st, &r, 1), 0);
	assert_int_equal(store_rotation_insert(f->st, &q, 1), 0);
	assert_int_equal(store_override_insert(f->st, r.id, u, 5000, 6000, 1,
					       &late), 0);
	assert_int_equal(store_override_insert(f->st, r.id, u, 1000, 2000, 1,
					       &early), 0);
	assert_int_equal(store_override_insert(f->st, q.id, u, 1000, 2000, 1,
					       &other), 0);
	assert_true(early > late);
	assert_int_equal(store_override_list(f->st, r.id, ov_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.line[0][0], early);
	assert_int_equal(s.line[0][1], u);
	assert_int_equal(s.line[0][2], 1000);
	assert_int_equal(s.line[0][3], 2000);
	assert_int_equal(s.line[1][0], late);
	assert_int_equal(store_override_list(f->st, r.id, ov_stop, &calls), 20);
	assert_int_equal(calls, 1);
	assert_int_equal(store_override_insert(f->st, r.id, u + 100, 1, 2, 1,
					       &id), ERMS_ENOTFOUND);
	assert_int_equal(store_override_insert(f->st, q.id + 100, u, 1, 2, 1,
					       &id), ERMS_ENOTFOUND);
}

/* A rotation rewritten, an override removed, a rotation removed with its
 * overrides; what is not there is ERMS_ENOTFOUND. */
static void test_edit_and_delete(void **state)
{
	struct fixture *f = *state;
	int64_t g = add_group(f->st, "tech", GK_TEAM), u = add_user(f->st, "sub");
	struct rotation_row r = mk_rotation(g, "r", "[1]");
	struct rotation_row q = mk_rotation(g, "q", "[]");
	struct rot_seen s = { 0 };
	struct ov_seen o = { 0 };
	int64_t a, b;

	assert_int_equal(store_rotation_insert(f->st, &r, 1), 0);
	assert_int_equal(store_rotation_insert(f->st, &q, 1), 0);
	assert_int_equal(store_override_insert(f->st, r.id, u, 1000, 2000, 1,
					       &a), 0);
	assert_int_equal(store_override_insert(f->st, r.id, u, 3000, 4000, 1,
					       &b), 0);
	snprintf(r.name, sizeof(r.name), "夜班");
	snprintf(r.time_zone, sizeof(r.time_zone), "Europe/Paris");
	r.start_ms = T2026 + 60000;
	r.shift_minutes = 480;
	r.members = "[2,1]";
	assert_int_equal(store_rotation_update(f->st, &r, 5), 0);
	assert_int_equal(r.stamp.version, 2);
	assert_int_equal(store_rotation_list(f->st, g, rot_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.row[0].name, "夜班");
	assert_string_equal(s.row[0].time_zone, "Europe/Paris");
	assert_int_equal(s.row[0].start_ms, T2026 + 60000);
	assert_int_equal(s.row[0].shift_minutes, 480);
	assert_string_equal(s.members[0], "[2,1]");
	assert_string_equal(s.row[1].name, "q");
	assert_int_equal(store_override_delete(f->st, q.id, a), ERMS_ENOTFOUND);
	assert_int_equal(store_override_delete(f->st, r.id, a), 0);
	assert_int_equal(store_override_delete(f->st, r.id, a), ERMS_ENOTFOUND);
	assert_int_equal(store_override_list(f->st, r.id, ov_seen, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.line[0][0], b);
	assert_int_equal(store_rotation_delete(f->st, r.id), 0);
	assert_int_equal(store_rotation_delete(f->st, r.id), ERMS_ENOTFOUND);
	o.n = 0;
	assert_int_equal(store_override_list(f->st, r.id, ov_seen, &o), 0);
	assert_int_equal(o.n, 0);
	s.n = 0;
	assert_int_equal(store_rotation_list(f->st, g, rot_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.row[0].id, q.id);
	r.id = q.id + 100;
	assert_int_equal(store_rotation_update(f->st, &r, 6), ERMS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_rotations),
		CT(test_overrides),
		CT(test_edit_and_delete),
	};

	return contract_main("duty", tests, ARRAY_LEN(tests));
}
