/*
 * test-search.c - the store contract for search and the filtered list:
 * on a seeded corpus (Chinese and Latin titles, descriptions and notes,
 * letters in both cases, punctuation), every query of one, two and three
 * or more characters, with each filter and their combinations, page by
 * page, answers exactly what the meaning of search gives, computed here
 * from the rows themselves: the text found anywhere in the title or in
 * the indexed body (description and notes, one per line), with the case
 * of ASCII letters folded, newest first.
 *
 * The reference is the meaning search had before its indexes changed,
 * so the same results before and after show that only the speed moved.
 */
#include "contract.h"

#include <ctype.h>

#define N_ROWS 260
#define PAGE 7

static const char *const words[] = {
	"数据库", "主库", "宕机", "网关", "缓存", "交易系统", "连接超时",
	"证书过期", "DB", "db", "Gateway", "gateway", "DataBase", "CPU",
	"cpu-90%", "a-b", "#7", "x_y", "主库宕机", "，", "。", "库",
	"100%", "Ok", "oK", "路由器", "机房", "e\"q",
};

static const char *const statuses[] = { "reported", "acknowledged",
					"active", "dismissed", "closed" };
static const char *const levels[] = { "", "level-1", "level-2" };
static const char *const categories[] = { "system-failure", "network",
					  "data-leak" };

/* One row of the corpus as the test knows it. */
struct doc {
	int64_t id;
	char title[160];
	char body[400];		/* description, then each note on a line */
	const char *status, *level, *category;
	bool drill;
	int64_t reported_ms;
};

static struct doc docs[N_ROWS];

static unsigned rnd_state = 12345;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) & 0x7fff;
}

/* A few words of the vocabulary, some with spaces between. */
static void phrase(char *out, size_t n)
{
	int k = 1 + (int)(rnd() % 4);

	out[0] = '\0';
	for (int i = 0; i < k; i++) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s%s", i && rnd() % 2 ? " " : "",
			 words[rnd() % ARRAY_LEN(words)]);
	}
}

static void seed(struct store *st)
{
	int64_t user = add_user(st, "reporter");
	int64_t pv = add_version(st, "it", user);

	rnd_state = 12345;
	for (int i = 0; i < N_ROWS; i++) {
		struct doc *d = &docs[i];
		struct incident_row r = { .reporter_id = user,
					  .plan_version_id = pv };
		char desc[160], note[160];
		/* Mostly in order, some reported before older rows. */
		int64_t t = T2026 + i * MIN_MS -
			    (i % 17 == 0 ? 90 * MIN_MS : 0);

		phrase(d->title, sizeof(d->title));
		phrase(desc, sizeof(desc));
		d->status = statuses[rnd() % ARRAY_LEN(statuses)];
		d->level = levels[rnd() % ARRAY_LEN(levels)];
		d->category = categories[rnd() % ARRAY_LEN(categories)];
		d->drill = rnd() % 4 == 0;
		d->reported_ms = t;
		incident_init(&r.inc, 0, t, d->drill);
		r.inc.state = incident_state_parse(d->status);
		r.inc.reported_ms = t;
		snprintf(r.category, sizeof(r.category), "%s", d->category);
		snprintf(r.level_key, sizeof(r.level_key), "%s", d->level);
		r.title = d->title;
		r.description = desc;
		r.impact = (char *)"";
		assert_int_equal(store_incident_insert(st, &r), 0);
		d->id = r.inc.id;
		snprintf(d->body, sizeof(d->body), "%s", desc);
		for (int k = (int)(rnd() % 3); k > 0; k--) {
			size_t len = strlen(d->body);

			phrase(note, sizeof(note));
			assert_int_equal(store_incident_index(st, d->id, note),
					 0);
			snprintf(d->body + len, sizeof(d->body) - len, "\n%s",
				 note);
		}
	}
}

/* haystack contains needle, ASCII letters of both folded. */
static bool contains_folded(const char *h, const char *n)
{
	size_t hl = strlen(h), nl = strlen(n);

	for (size_t i = 0; i + nl <= hl; i++) {
		size_t j = 0;

		while (j < nl && tolower((unsigned char)h[i + j]) ==
				 tolower((unsigned char)n[j]))
			j++;
		if (j == nl)
			return true;
	}
	return false;
}

static bool passes(const struct doc *d, const struct incident_filter *f)
{
	if (f->status && *f->status && strcmp(d->status, f->status))
		return false;
	if (f->level && *f->level && strcmp(d->level, f->level))
		return false;
	if (f->category && *f->category && strcmp(d->category, f->category))
		return false;
	if (f->is_drill >= 0 && d->drill != (f->is_drill == 1))
		return false;
	if (f->from_ms && d->reported_ms < f->from_ms)
		return false;
	if (f->to_ms && d->reported_ms >= f->to_ms)
		return false;
	if (f->q && *f->q && !contains_folded(d->title, f->q) &&
	    !contains_folded(d->body, f->q))
		return false;
	return true;
}

struct ids {
	int64_t id[N_ROWS + 1];
	int n;
};

static int collect(void *ctx, const struct incident_row *r)
{
	struct ids *x = ctx;

	assert_true(x->n <= N_ROWS);
	x->id[x->n++] = r->inc.id;
	return 0;
}

/* Every page of f from the store, PAGE at a time by the cursor. */
static void store_pages(struct store *st, struct incident_filter f,
			struct ids *out)
{
	out->n = 0;
	f.limit = PAGE;
	f.before_id = 0;
	for (;;) {
		struct ids page = { .n = 0 };

		assert_int_equal(store_incident_list(st, &f, collect, &page), 0);
		assert_true(page.n <= PAGE);
		for (int i = 0; i < page.n; i++)
			out->id[out->n++] = page.id[i];
		if (page.n < PAGE)
			return;
		f.before_id = page.id[page.n - 1];
	}
}

static void reference(const struct incident_filter *f, struct ids *out)
{
	out->n = 0;
	for (int i = N_ROWS - 1; i >= 0; i--)
		if (passes(&docs[i], f))
			out->id[out->n++] = docs[i].id;
}

static void check(struct store *st, const struct incident_filter *f)
{
	struct ids got, want;

	store_pages(st, *f, &got);
	reference(f, &want);
	if (got.n != want.n ||
	    memcmp(got.id, want.id, sizeof(int64_t) * (size_t)got.n)) {
		fail_msg("q='%s' status=%s level=%s category=%s drill=%d "
			 "from=%lld to=%lld: %d rows, want %d",
			 f->q ? f->q : "", f->status ? f->status : "",
			 f->level ? f->level : "",
			 f->category ? f->category : "", f->is_drill,
			 (long long)f->from_ms, (long long)f->to_ms, got.n,
			 want.n);
	}
}

static const char *const queries[] = {
	NULL, "库", "机", "，", "d", "D", "7", "%", "_", "-", "#", "\"",
	"主库", "宕机", "库宕", "db", "DB", "Db", "a-", "-b", "--", "% ",
	"9", "x_", "数据库", "主库宕", "主库宕机", "database", "DATAbase",
	"gateway", "gate", "cpu-90", "a-b", "0%", "e\"q", "网关 缓存",
	"，主库", "okok", "zzz",
};

/* Each query alone, and with each filter. */
static void test_search_equivalence(void **state)
{
	struct fixture *fx = *state;

	seed(fx->st);
	for (size_t i = 0; i < ARRAY_LEN(queries); i++) {
		struct incident_filter f = { .is_drill = -1, .q = queries[i] };

		check(fx->st, &f);
		for (size_t s = 0; s < ARRAY_LEN(statuses); s += 2) {
			f.status = statuses[s];
			check(fx->st, &f);
		}
		f.status = NULL;
		f.level = "level-1";
		check(fx->st, &f);
		f.level = NULL;
		f.category = "network";
		check(fx->st, &f);
		f.category = NULL;
		f.is_drill = 1;
		check(fx->st, &f);
		f.is_drill = 0;
		check(fx->st, &f);
		f.is_drill = -1;
		f.from_ms = T2026 + 40 * MIN_MS;
		check(fx->st, &f);
		f.to_ms = T2026 + 200 * MIN_MS;
		check(fx->st, &f);
		f.from_ms = 0;
		check(fx->st, &f);
	}
}

/* The filters without search, every combination of them (and so more
 * statements than a connection keeps: some are prepared again). */
static void test_filter_combinations(void **state)
{
	struct fixture *fx = *state;

	seed(fx->st);
	for (unsigned m = 0; m < 64; m++) {
		struct incident_filter f = { .is_drill = -1 };

		if (m & 1)
			f.status = "dismissed";
		if (m & 2)
			f.level = "level-2";
		if (m & 4)
			f.category = "system-failure";
		if (m & 8)
			f.is_drill = 0;
		if (m & 16)
			f.from_ms = T2026 + 30 * MIN_MS;
		if (m & 32)
			f.to_ms = T2026 + 230 * MIN_MS;
		check(fx->st, &f);
		f.q = m % 3 == 0 ? "库" : m % 3 == 1 ? "Db" : "数据库";
		check(fx->st, &f);
	}
}

/* A range whose rows were reported out of id order: one reported long
 * before the rows above it is still found (the ids walked are widened by
 * the recorded skew). */
static void test_backdated(void **state)
{
	struct fixture *fx = *state;
	int64_t user = add_user(fx->st, "r"), pv = add_version(fx->st, "p",
								user);
	struct incident_row a, b, c;
	struct incident_filter f = { .is_drill = -1, .limit = 10 };
	struct ids x = { .n = 0 };

	add_incident(fx->st, &a, user, pv, T2026 + 10 * DAY_MS, "一", "");
	add_incident(fx->st, &b, user, pv, T2026 + 11 * DAY_MS, "二", "");
	add_incident(fx->st, &c, user, pv, T2026, "三", "");
	f.from_ms = T2026 - DAY_MS;
	f.to_ms = T2026 + DAY_MS;
	assert_int_equal(store_incident_list(fx->st, &f, collect, &x), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.id[0], c.inc.id);
	x.n = 0;
	f.from_ms = T2026 + 9 * DAY_MS;
	f.to_ms = T2026 + 12 * DAY_MS;
	assert_int_equal(store_incident_list(fx->st, &f, collect, &x), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], b.inc.id);
	assert_int_equal(x.id[1], a.inc.id);
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_search_equivalence),
		CT(test_filter_combinations),
		CT(test_backdated),
	};

	return contract_main("search", tests, ARRAY_LEN(tests));
}
