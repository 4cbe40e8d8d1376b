/*
 * test-plan-model.c - the typed plan: a parsed plan file read once into
 * struct plan (groups, categories, levels with targets and measures, the
 * reporting chain, drill rules, sections), counted references, and a
 * content that is not a plan's shape refused.
 *
 * Reads tests/data (the build passes the folder as argv[1]).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plan/model.h"
#include "plan/plan.h"
#include "util/buf.h"

static const char *datadir = "tests/data";

static json_t *parse_file(const char *name)
{
	char path[512], chunk[4096];
	struct buf b = BUF_INIT;
	json_t *errors = json_array(), *content = NULL;
	FILE *f;
	size_t n, len;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	text = buf_detach(&b, &len);
	assert_int_equal(plan_parse(name, text, len, &content, errors), 0);
	free(text);
	json_decref(errors);
	return content;
}

static void test_fields(void **state)
{
	json_t *content = parse_file("plan-minimal.yaml");
	struct plan *p = plan_build(content, 7);
	const struct plan_level *l;

	(void)state;
	assert_non_null(p);
	assert_true(p->version_id == 7);
	assert_string_equal(p->key, "minimal");
	assert_string_equal(plan_text(p->name, "en"), "Minimal plan");
	assert_int_equal(p->cooling_off_h, -1);
	assert_int_equal(p->ngroups, 3);
	assert_string_equal(p->groups[1].key, "command");
	assert_string_equal(p->groups[1].kind, "command");
	assert_ptr_equal(plan_group(p, "tech"), &p->groups[2]);
	assert_int_equal(p->groups[0].nduties, 1);
	assert_string_equal(plan_text(p->groups[0].duties[0], "en"),
			    "决定是否启动预案");
	assert_int_equal(p->groups[1].nduties, 0);
	assert_null(plan_group(p, "nobody"));
	assert_int_equal(p->ncategories, 1);
	assert_string_equal(p->categories[0].team, "tech");
	assert_string_equal(p->categories[0].class_code, "DE/DETECH");
	assert_string_equal(p->categories[0].parent, "");
	assert_non_null(plan_category(p, "system-failure"));
	assert_int_equal(p->nlevels, 2);
	l = plan_level(p, "level-1");
	assert_ptr_equal(l, plan_level_rank(p, 1));
	assert_int_equal(l->targets.ack_min, 5);
	assert_int_equal(l->targets.activate_min, 15);
	assert_int_equal(l->targets.resolve_min, 240);
	assert_int_equal(l->nmeasures, 1);
	assert_string_equal(l->measures[0].group, "tech");
	assert_string_equal(plan_text(l->measures[0].title, "zh-CN"),
			    "启动备用系统");
	assert_int_equal(l->nnotify, 3);
	assert_string_equal(l->notify[2], "tech");
	assert_int_equal(plan_level(p, "level-2")->nmeasures, 0);
	assert_null(plan_level_rank(p, 3));
	assert_int_equal(p->ntiers, 2);
	assert_int_equal(p->tiers[0].after_min, 0);
	assert_string_equal(p->tiers[0].who, "on_duty");
	assert_int_equal(p->tiers[1].after_min, 15);
	assert_string_equal(p->tiers[1].who, "all");
	assert_string_equal(p->tiers[1].notify[0], "leadership");
	assert_int_equal(p->ndrills, 1);
	assert_string_equal(p->drills[0].category, "*");
	assert_string_equal(p->drills[0].kind, "any");
	assert_int_equal(p->drills[0].per_year, 1);
	assert_int_equal(p->nsections, 1);
	assert_string_equal(p->sections[0].key, "preface");
	/* The stored form is the very content it was built from. */
	assert_ptr_equal(p->content, content);
	json_decref(content);
	plan_unref(p);
}

/* A reader that took a reference keeps a whole plan after the first
 * holder let go (a cache replacing the version). */
static void test_refs(void **state)
{
	json_t *content = parse_file("plan-minimal.yaml");
	struct plan *p = plan_build(content, 1);
	const struct plan *r;

	(void)state;
	json_decref(content);
	r = plan_ref(p);
	plan_unref(p);
	assert_int_equal(r->levels[0].targets.ack_min, 5);
	assert_string_equal(plan_text(r->name, "zh-CN"), "最小预案");
	plan_unref(r);
	plan_unref(NULL);
}

/* Content that is not a plan's shape builds nothing. */
static void test_bad_shape(void **state)
{
	json_t *a = json_loads("[1]", 0, NULL);
	json_t *b = json_loads("{\"levels\": {}}", 0, NULL);
	json_t *c = json_loads("{\"escalation\": [{\"notify\": 3}]}", 0, NULL);
	json_t *d = json_loads("{\"escalation\": [], \"levels\": []}", 0, NULL);
	struct plan *p;

	(void)state;
	assert_null(plan_build(a, 1));
	assert_null(plan_build(b, 1));
	assert_null(plan_build(c, 1));
	p = plan_build(d, 1);
	assert_non_null(p);
	assert_int_equal(p->nlevels, 0);
	assert_int_equal(p->ngroups, 0);
	assert_string_equal(p->key, "");
	plan_unref(p);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_bad_shape),
	};

	if (argc > 1)
		datadir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
