/*
 * test-codec.c - incident_text() writes the very incident incident_json()
 * builds: the same keys and values, whatever the state, the optional
 * fields and the characters of the texts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/codec.h"

static void same(const struct incident_row *r)
{
	json_t *tree = incident_json(r);
	char *text = incident_text(r);
	json_t *parsed = json_loads(text, 0, NULL);

	assert_non_null(parsed);
	if (!json_equal(tree, parsed)) {
		char *want = json_dumps(tree, JSON_COMPACT);

		print_error("want %s\n got %s\n", want, text);
		free(want);
		fail();
	}
	json_decref(parsed);
	json_decref(tree);
	free(text);
}

static void test_text_is_the_tree(void **state)
{
	struct incident_row r = { 0 };

	(void)state;
	incident_init(&r.inc, 42, 1769904000000LL, false);
	snprintf(r.number, sizeof(r.number), "INC-2026-0042");
	snprintf(r.category, sizeof(r.category), "system-failure");
	r.reporter_id = 3;
	r.plan_version_id = 7;
	same(&r);	/* every text NULL, nothing set */
	r.title = (char *)"主库宕机 \"quoted\" back\\slash";
	r.description = (char *)"line\nnext\ttab\r\x01 \x1f end";
	r.impact = (char *)"交易 / payments";
	r.summary = (char *)"已恢复";
	r.public_summary = (char *)"正在处理 <b>";
	r.review_json = (char *)"{\"cause\":\"断电\",\"action_items\":[]}";
	r.public = true;
	r.inc.is_drill = true;
	r.commander_id = 9;
	r.updated_ms = 1769904123456LL;
	r.inc.reported_ms = 1769904000000LL;
	r.inc.ack_min = 5;
	r.inc.activate_min = 15;
	r.inc.resolve_min = 240;
	r.inc.breaches = 5;
	snprintf(r.source, sizeof(r.source), "alertmanager");
	r.integration_id = 3;
	for (int s = 0; s < INC__COUNT; s++) {
		r.inc.state = s;
		r.inc.acked_ms = s >= INC_ACKNOWLEDGED ? 1769904060000LL : 0;
		r.inc.activated_ms = s >= INC_ACTIVE ? 1769904120000LL : 0;
		snprintf(r.level_key, sizeof(r.level_key), "%s",
			 s >= INC_ACTIVE ? "level-1" : "");
		r.inc.level = s >= INC_ACTIVE ? 1 : 0;
		snprintf(r.proposed_level, sizeof(r.proposed_level), "%s",
			 s % 2 ? "level-2" : "");
		same(&r);
	}
}

static void same_entry(const struct timeline_entry *e)
{
	json_t *tree = timeline_json(e);
	char *text = timeline_text(e);
	json_t *parsed = json_loads(text, 0, NULL);

	assert_non_null(parsed);
	assert_true(json_equal(tree, parsed));
	json_decref(parsed);
	json_decref(tree);
	free(text);
}

static void test_timeline_text_is_the_tree(void **state)
{
	struct timeline_entry e = { .id = 5, .incident_id = 42,
				    .at_ms = 1769904000123LL, .kind = "note",
				    .text = "备注 \"x\"\n\\ end" };

	(void)state;
	same_entry(&e);		/* no actor, no data */
	e.actor_id = 3;
	e.data = "{\"category\":\"断电\",\"n\":[1,2],\"b\":false}";
	same_entry(&e);
	e.data = "{}";
	same_entry(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_the_tree),
		cmocka_unit_test(test_timeline_text_is_the_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
