/*
 * test-intake.c - the parts of monitoring intake that need no database:
 * the per-integration token buckets (app/intake-limits.h) and an
 * integration's settings checked, normalised and compiled
 * (app/intake-conf.h): rules in order, maintenance windows in time,
 * group_by's label names, every error naming its field; the keys kept
 * for admission and the compiled settings kept between payloads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/intake-conf.h"
#include "app/intake-limits.h"

#define T0 1769904000000LL

/* A bucket of rate tokens a minute starts full, refills at the rate and
 * tells how long until the next token; a new rate starts it afresh;
 * integrations keep their own. */
static void test_buckets(void **state)
{
	struct intake_limits l;
	int64_t wait;

	(void)state;
	intake_limits_init(&l);
	assert_int_equal(intake_limits_take(&l, 1, 2, T0), 0);
	assert_int_equal(intake_limits_take(&l, 1, 2, T0), 0);
	wait = intake_limits_take(&l, 1, 2, T0);
	assert_true(wait > 29000 && wait <= 30001);
	assert_int_equal(intake_limits_take(&l, 2, 2, T0), 0);
	assert_true(intake_limits_take(&l, 1, 2, T0 + 29000) > 0);
	assert_int_equal(intake_limits_take(&l, 1, 2, T0 + 30001), 0);
	assert_true(intake_limits_take(&l, 1, 2, T0 + 30002) > 0);
	/* Many more integrations than slots: each still gets a bucket. */
	for (int64_t id = 10; id < 10 + 2 * INTAKE_LIMIT_SLOTS; id++)
		assert_int_equal(intake_limits_take(&l, id, 1, T0 + id), 0);
	assert_int_equal(intake_limits_take(&l, 1, 3, T0 + 30003), 0);
	intake_limits_release(&l);
}

static json_t *parse(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

/* The error of a setting, by its field. */
static void bad_rules(const char *text, const char *field)
{
	struct errbuf e = { 0 };
	json_t *v = parse(text), *norm = NULL;

	assert_int_equal(intake_conf_rules(v, NULL, NULL, &norm, &e),
			 ERMS_EINVAL);
	assert_null(norm);
	assert_string_equal(e.field, field);
	json_decref(v);
}

static void test_rules(void **state)
{
	struct intake_conf c = { 0 };
	struct errbuf e = { 0 };
	struct label l1[] = { { "instance", "db-1" }, { "team", "db" } };
	struct label l2[] = { { "severity", "info" } };
	struct label_set s1 = { l1, 2 }, s2 = { l2, 1 }, none = { NULL, 0 };
	json_t *v = parse("[{\"matchers\":[\"team=\\\"db\\\"\"],"
			  "\"category\":\"data\",\"title\":\"DB {{instance}}\"},"
			  "{\"matchers\":[\"severity=~\\\"info|debug\\\"\"],"
			  "\"drop\":true}]"),
	       *norm = NULL;
	const struct intake_rule *r;
	char *text;

	(void)state;
	assert_int_equal(intake_conf_rules(v, NULL, &c, &norm, &e), 0);
	text = json_dumps(norm, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
		"[{\"category\":\"data\",\"drop\":false,\"level\":null,"
		"\"matchers\":[\"team=\\\"db\\\"\"],\"title\":\"DB {{instance}}\"},"
		"{\"category\":null,\"drop\":true,\"level\":null,"
		"\"matchers\":[\"severity=~\\\"info|debug\\\"\"],\"title\":null}]");
	free(text);
	r = intake_conf_route(&c, &s1);
	assert_non_null(r);
	assert_string_equal(r->category, "data");
	assert_null(r->level);
	assert_false(r->drop);
	r = intake_conf_route(&c, &s2);
	assert_non_null(r);
	assert_true(r->drop);
	assert_null(intake_conf_route(&c, &none));
	intake_conf_release(&c);
	json_decref(norm);
	json_decref(v);

	bad_rules("{}", "rules");
	bad_rules("[1]", "rules[0]");
	bad_rules("[{}]", "rules[0].matchers");
	bad_rules("[{\"matchers\":[]}]", "rules[0].matchers");
	bad_rules("[{\"matchers\":[\"a=~\\\"(\\\"\"]}]",
		  "rules[0].matchers[0]");
	bad_rules("[{\"matchers\":[\"a=\\\"b\\\"\",7]}]",
		  "rules[0].matchers[1]");
	bad_rules("[{\"matchers\":[\"a=\\\"b\\\"\"],\"drop\":1}]",
		  "rules[0].drop");
	bad_rules("[{\"matchers\":[\"a=\\\"b\\\"\"],\"level\":3}]",
		  "rules[0].level");
	bad_rules("[{\"matchers\":[\"a=\\\"b\\\"\"],\"title\":\"{{x\"}]",
		  "rules[0].title");
	bad_rules("[{\"matchers\":[\"a=\\\"b\\\"\"],\"colour\":\"red\"}]",
		  "rules[0].colour");
}

/* A window holds back what matches while it is open, [start, end). */
static void test_maintenance(void **state)
{
	struct intake_conf c = { 0 };
	struct errbuf e = { 0 };
	struct label l[] = { { "instance", "web-3" } };
	struct label other[] = { { "instance", "db-1" } };
	struct label_set s = { l, 1 }, so = { other, 1 };
	json_t *v = parse("[{\"matchers\":[\"instance=~\\\"web-.*\\\"\"],"
			  "\"starts_at\":\"2026-02-01T00:00:00+08:00\","
			  "\"ends_at\":\"2026-02-01T01:00:00Z\","
			  "\"reason\":\"升级\"}]"),
	       *norm = NULL;
	const char *const bad[][2] = {
		{ "[{\"starts_at\":\"2026-02-01T00:00:00Z\"}]",
		  "maintenance[0].ends_at" },
		{ "[{\"starts_at\":\"soon\","
		  "\"ends_at\":\"2026-02-01T00:00:00Z\"}]",
		  "maintenance[0].starts_at" },
		{ "[{\"starts_at\":\"2026-02-01T00:00:00Z\","
		  "\"ends_at\":\"2026-02-01T00:00:00Z\"}]",
		  "maintenance[0].ends_at" },
		{ "[{\"starts_at\":\"2026-02-01T00:00:00Z\","
		  "\"ends_at\":\"2026-02-02T00:00:00Z\",\"matchers\":[\"!\"]}]",
		  "maintenance[0].matchers[0]" },
	};

	(void)state;
	assert_int_equal(intake_conf_maintenance(v, &c, &norm, &e), 0);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(norm, 0), "starts_at")),
		"2026-01-31T16:00:00.000Z");
	assert_false(intake_conf_held(&c, &s, T0 - 8 * 3600000LL - 1));
	assert_true(intake_conf_held(&c, &s, T0 - 8 * 3600000LL));
	assert_true(intake_conf_held(&c, &s, T0));
	assert_false(intake_conf_held(&c, &so, T0));
	assert_false(intake_conf_held(&c, &s, T0 + 3600000LL));
	intake_conf_release(&c);
	json_decref(norm);
	json_decref(v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = parse(bad[i][0]);
		e = (struct errbuf){ 0 };
		assert_int_equal(intake_conf_maintenance(v, NULL, NULL, &e),
				 ERMS_EINVAL);
		assert_string_equal(e.field, bad[i][1]);
		json_decref(v);
	}
}

/* group_by is label names; a stored integration compiles whole. */
static void test_group_by_and_load(void **state)
{
	struct intake_conf c = { 0 };
	struct errbuf e = { 0 };
	json_t *v = parse("[\"cluster\", \"9lives\"]");
	struct integration_row r = {
		.group_by = (char *)"[\"cluster\",\"job\"]",
		.rules = (char *)"[{\"matchers\":[\"a=\\\"b\\\"\"]}]",
		.maintenance = (char *)"[]",
	};

	(void)state;
	assert_int_equal(intake_conf_group_by(v, NULL, NULL, &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "group_by[1]");
	json_decref(v);
	assert_int_equal(intake_conf_load(&r, &c, &e), 0);
	assert_int_equal(c.ngroup_by, 2);
	assert_string_equal(c.group_by[1], "job");
	assert_int_equal(c.nrules, 1);
	assert_int_equal(c.nwindows, 0);
	intake_conf_release(&c);
}

static void key_of(struct intake_key *k, char c, int64_t id, int64_t gen)
{
	*k = (struct intake_key){ .gen = gen, .id = id, .rate = 60 };
	memset(k->hash, c, SHA256_HEX_LEN - 1);
	k->hash[SHA256_HEX_LEN - 1] = '\0';
}

/* A kept key stands until a write of an integration commits (a write
 * alone, or a commit writing none, leaves it), or another node commits;
 * one read before a generation moved on is never kept as current. */
static void test_keys(void **state)
{
	struct intake_limits l;
	struct intake_key k, got;
	int64_t gen;

	(void)state;
	intake_limits_init(&l);
	key_of(&k, 'a', 7, intake_keys_gen(&l));
	assert_false(intake_keys_get(&l, k.hash, &got));
	intake_keys_put(&l, &k);
	assert_true(intake_keys_get(&l, k.hash, &got));
	assert_int_equal(got.id, 7);
	key_of(&got, 'b', 0, 0);
	assert_false(intake_keys_get(&l, got.hash, &got));
	intake_keys_committed(&l, false);
	assert_true(intake_keys_get(&l, k.hash, &got));
	intake_keys_changed(&l);
	assert_true(intake_keys_get(&l, k.hash, &got));
	intake_keys_committed(&l, false);
	assert_false(intake_keys_get(&l, k.hash, &got));
	/* Read at the old generation, put after the commit: not current. */
	intake_keys_put(&l, &k);
	assert_false(intake_keys_get(&l, k.hash, &got));
	gen = intake_keys_gen(&l);
	key_of(&k, 'a', 7, gen);
	intake_keys_put(&l, &k);
	assert_true(intake_keys_get(&l, k.hash, &got));
	intake_keys_committed(&l, true);
	assert_false(intake_keys_get(&l, k.hash, &got));
	intake_limits_release(&l);
}

/* The kept settings are the stored ones: compiled again when any of
 * the texts changes, the same otherwise; integrations keep their own. */
static void test_conf_cache(void **state)
{
	struct intake_conf_cache *k = intake_conf_cache_new();
	const struct intake_conf *c, *c2;
	struct errbuf e = { 0 };
	struct integration_row r = {
		.id = 1,
		.group_by = (char *)"[\"job\"]",
		.rules = (char *)"[]",
		.maintenance = (char *)"[]",
	}, r2 = r;

	(void)state;
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), 0);
	assert_int_equal(c->ngroup_by, 1);
	assert_int_equal(c->nrules, 0);
	assert_int_equal(intake_conf_cached(k, &r, &c2, &e), 0);
	assert_ptr_equal(c, c2);
	r.rules = (char *)"[{\"matchers\":[\"a=\\\"b\\\"\"]}]";
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), 0);
	assert_int_equal(c->nrules, 1);
	r.group_by = (char *)"[]";
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), 0);
	assert_int_equal(c->ngroup_by, 0);
	assert_int_equal(c->nrules, 1);
	r2.id = 2;
	assert_int_equal(intake_conf_cached(k, &r2, &c2, &e), 0);
	assert_int_equal(c2->ngroup_by, 1);
	assert_int_equal(c2->nrules, 0);
	/* Many more integrations than are kept: each gets its own. */
	for (int64_t id = 10; id < 60; id++) {
		r2.id = id;
		assert_int_equal(intake_conf_cached(k, &r2, &c2, &e), 0);
		assert_int_equal(c2->ngroup_by, 1);
	}
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), 0);
	assert_int_equal(c->nrules, 1);
	/* A stored setting that does not compile is an error, kept not. */
	r.rules = (char *)"[{\"matchers\":[]}]";
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), ERMS_EINVAL);
	r.rules = (char *)"[]";
	assert_int_equal(intake_conf_cached(k, &r, &c, &e), 0);
	assert_int_equal(c->nrules, 0);
	intake_conf_cache_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_maintenance),
		cmocka_unit_test(test_group_by_and_load),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_conf_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
