/*
 * test-msgs.c - the catalog of generated texts (app/msgs.h): both
 * languages of a key name the same parameters; every key renders with all
 * its parameters and leaves no "{" behind; every machine word that core
 * and the app write (states, task statuses, steps, events, delivery
 * states, movements, kinds, targets, audiences) has a word in zh-CN and
 * in en; a zh text made of them holds no ASCII word; times are written in
 * the zone asked for; the plan's names in the reader's language.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/msgs.h"
#include "app/notify.h"
#include "app/supplies.h"
#include "core/incident.h"
#include "core/types.h"
#include "plan/model.h"
#include "util/buf.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-11-27T19:03:00Z: 03:03 the next day in Shanghai. */
#define T0 INT64_C(1795806180000)

/* A plan with its names in both languages. */
#define PLAN "{\"key\": \"p\"," \
	"\"groups\": [{\"key\": \"tech\", \"kind\": \"team\"," \
	"  \"name\": {\"zh-CN\": \"技术支持小组\"," \
	"  \"en\": \"Technical team\"}}]," \
	"\"categories\": [{\"key\": \"system-failure\", \"team\": \"tech\"," \
	"  \"name\": {\"zh-CN\": \"系统故障\", \"en\": \"System failure\"}}]," \
	"\"levels\": [{\"key\": \"level-1\", \"rank\": 1," \
	"  \"name\": {\"zh-CN\": \"一级\", \"en\": \"Level 1\"}," \
	"  \"targets\": {\"ack_min\": 5, \"activate_min\": 15," \
	"  \"resolve_min\": 240}}]," \
	"\"escalation\": []}"

/* The targets of a level (app/escalate.c), the kinds of timeline entries
 * the app writes, and a bulletin's audiences. */
static const char *const targets[] = { "ack", "activate", "resolve" };
static const char *const kinds[] = { "report", "status", "level", "note",
				     "task", "notification", "bulletin",
				     "alert", "breach" };
static const char *const audiences[] = { "public", "internal" };

static const char *const langs[] = { "zh-CN", "en" };

/* The parameters {name} of template s, sorted and joined by ",". */
static void names_of(const char *s, char *out, size_t n)
{
	char list[16][32];
	size_t k = 0;

	out[0] = '\0';
	while ((s = strchr(s, '{'))) {
		const char *e = strchr(s, '}');

		assert_non_null(e);
		assert_true((size_t)(e - s - 1) < sizeof(list[0]));
		assert_true(k < ARRAY_LEN(list));
		memcpy(list[k], s + 1, (size_t)(e - s - 1));
		list[k][e - s - 1] = '\0';
		k++;
		s = e + 1;
	}
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0;
		     j--) {
			char t[32];

			memcpy(t, list[j], sizeof(t));
			memcpy(list[j], list[j - 1], sizeof(t));
			memcpy(list[j - 1], t, sizeof(t));
		}
	for (size_t i = 0; i < k; i++) {
		size_t len = strlen(out);

		snprintf(out + len, n - len, "%s%s", i ? "," : "", list[i]);
	}
}

static bool has_ascii_letter(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return true;
	return false;
}

/* Whether s holds a CJK character or full-width punctuation (UTF-8 lead
 * bytes 0xE3-0xE9 and 0xEF: U+3000-U+9FFF, U+F000-U+FFFF); arrows and
 * curly quotes are English too. */
static bool has_cjk(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 0xE3 && c <= 0xE9) || c == 0xEF)
			return true;
	}
	return false;
}

/* A value for parameter name, in lang: words of their sets, keys of the
 * plan, a time, a count, else a text in lang. */
static json_t *value_for(const char *name, const char *lang)
{
	bool zh = msg_lang_zh(lang);
	static const struct { const char *name, *value; } words[] = {
		{ "from", "acknowledged" }, { "to", "active" },
		{ "state", "resolved" }, { "status", "blocked" },
		{ "action", "set-level" }, { "target", "activate" },
		{ "event", "set-level" }, { "audience", "public" },
		{ "movement", "allocate" }, { "level", "level-1" },
		{ "category", "system-failure" }, { "group", "tech" },
	};

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(words[i].name, name))
			return json_string(words[i].value);
	if (!strcmp(name, "at"))
		return json_integer(T0);
	if (!strcmp(name, "n") || !strcmp(name, "minute"))
		return json_integer(3);
	if (!strcmp(name, "title"))
		return json_pack("{s:s, s:s}", "zh-CN", "启动备用系统", "en",
				 "Start the standby system");
	return json_string(zh ? "某段文字" : "some text");
}

static struct plan *test_plan(void)
{
	json_t *content = json_loads(PLAN, 0, NULL);
	struct plan *p;

	assert_non_null(content);
	p = plan_build(content, 1);
	json_decref(content);
	assert_non_null(p);
	return p;
}

static void test_same_params_in_both_languages(void **state)
{
	size_t n;
	const struct msg_def *c = msg_catalog(&n);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		char zh[256], en[256];

		names_of(c[i].zh, zh, sizeof(zh));
		names_of(c[i].en, en, sizeof(en));
		if (strcmp(zh, en))
			fail_msg("%s: zh names {%s}, en names {%s}", c[i].key,
				 zh, en);
		assert_true(*c[i].zh && *c[i].en);
		/* Each key once, found by its name. */
		assert_ptr_equal(msg_find(c[i].key), &c[i]);
		/* A singular names what its plural names. */
		size_t len = strlen(c[i].key);

		if (len > 4 && !strcmp(c[i].key + len - 4, "_one")) {
			char base[64], b[256];
			const struct msg_def *d;

			snprintf(base, sizeof(base), "%.*s", (int)(len - 4),
				 c[i].key);
			d = msg_find(base);
			assert_non_null(d);
			names_of(d->en, b, sizeof(b));
			assert_string_equal(b, en);
		}
	}
}

static void test_every_key_renders_whole(void **state)
{
	struct plan *pl = test_plan();
	struct msg_names names = { pl, "Asia/Shanghai" };
	size_t n;
	const struct msg_def *c = msg_catalog(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t l = 0; l < ARRAY_LEN(langs); l++) {
			json_t *params = json_object();
			const char *s = msg_lang_zh(langs[l]) ? c[i].zh
							      : c[i].en;
			char *text;

			while ((s = strchr(s, '{'))) {
				const char *e = strchr(s, '}');
				char name[32];

				snprintf(name, sizeof(name), "%.*s",
					 (int)(e - s - 1), s + 1);
				json_object_set_new(params, name,
						    value_for(name, langs[l]));
				s = e + 1;
			}
			text = msg_text(c[i].key, params, langs[l], &names);
			assert_non_null(text);
			if (strchr(text, '{') || strchr(text, '}'))
				fail_msg("%s in %s: %s", c[i].key, langs[l],
					 text);
			/* zh: no ASCII word; en: no Chinese. */
			if (msg_lang_zh(langs[l]) && has_ascii_letter(text))
				fail_msg("%s in zh: %s", c[i].key, text);
			if (!msg_lang_zh(langs[l]) && has_cjk(text))
				fail_msg("%s in en: %s", c[i].key, text);
			free(text);
			json_decref(params);
		}
	}
	plan_unref(pl);
}

/* Every value of set (given by a name table) has both words, the zh one
 * without ASCII letters and the en one different from it. */
static void check_word(const char *set, const char *value)
{
	const char *zh = msg_word(set, value, "zh-CN");
	const char *en = msg_word(set, value, "en");

	if (!zh || !en)
		fail_msg("no word for %s \"%s\"", set, value);
	if (!*zh || !*en || has_ascii_letter(zh) || !has_ascii_letter(en))
		fail_msg("%s \"%s\": zh \"%s\", en \"%s\"", set, value, zh,
			 en);
	assert_string_not_equal(zh, en);
}

static void test_words_of_every_name_table(void **state)
{
	(void)state;
	for (int s = INC_NONE; s < INC__COUNT; s++)
		check_word("state", incident_state_name((enum inc_state)s));
	for (int a = 0; a < IA__COUNT; a++)
		check_word("action", incident_action_name((enum inc_action)a));
	for (int t = 0; t < TS__COUNT; t++)
		check_word("status", task_status_name((enum task_status)t));
	for (int e = 0; e < NE__COUNT; e++)
		check_word("event", notify_event_name((enum notify_event)e));
	for (int d = 0; d < NS__COUNT; d++)
		check_word("delivery", notif_state_name((enum notif_state)d));
	for (int m = 0; m < MV__COUNT; m++)
		check_word("movement", move_kind_name((enum move_kind)m));
	for (size_t i = 0; i < ARRAY_LEN(targets); i++)
		check_word("target", targets[i]);
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		check_word("kind", kinds[i]);
	for (size_t i = 0; i < ARRAY_LEN(audiences); i++)
		check_word("audience", audiences[i]);
	/* An unknown set or value has no word: the caller decides. */
	assert_null(msg_word("state", "burning", "zh-CN"));
	assert_null(msg_word("colour", "active", "en"));
	assert_null(msg_word(NULL, "active", "en"));
	assert_null(msg_word("state", NULL, "en"));
}

/* Key with parameter name = each value of set (count values, by value()):
 * the zh text holds no ASCII letter, the en text the English word. */
static void render_each(const char *key, const char *name, const char *set,
			const char *(*value)(int), int count)
{
	for (int v = 0; v < count; v++) {
		json_t *p = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s,"
				      " s:s, s:s}", "from", "reported", "to",
				      "acknowledged", "title", "启动备用系统",
				      "n", 2, "unit", "台", "name",
				      "备用服务器", "text", "通报", "reason",
				      "影响扩大", "by", "张指挥", "level",
				      "一级");
		const char *word = msg_word(set, value(v), "en");
		char *zh, *en;

		assert_non_null(word);
		json_object_set_new(p, name, json_string(value(v)));
		zh = msg_text(key, p, "zh-CN", NULL);
		en = msg_text(key, p, "en", NULL);
		assert_non_null(zh);
		assert_non_null(en);
		if (has_ascii_letter(zh))
			fail_msg("%s with %s=%s in zh: %s", key, name, value(v),
				 zh);
		if (!strstr(en, word))
			fail_msg("%s with %s=%s in en: %s", key, name, value(v),
				 en);
		free(zh);
		free(en);
		json_decref(p);
	}
}

static const char *state_at(int i)
{
	return incident_state_name((enum inc_state)(i - 1));
}

static const char *status_at(int i)
{
	return task_status_name((enum task_status)i);
}

static const char *event_at(int i)
{
	return notify_event_name((enum notify_event)i);
}

static const char *movement_at(int i)
{
	return move_kind_name((enum move_kind)i);
}

static const char *target_at(int i)
{
	return targets[i];
}

static const char *audience_at(int i)
{
	return audiences[i];
}

static void test_zh_renders_hold_no_machine_words(void **state)
{
	(void)state;
	/* Every state as from and as to (INC_NONE too). */
	render_each("tl.status", "from", "state", state_at, INC__COUNT + 1);
	render_each("tl.status", "to", "state", state_at, INC__COUNT + 1);
	render_each("tl.status_reason", "to", "state", state_at,
		    INC__COUNT + 1);
	render_each("tl.level", "from", "state", state_at, INC__COUNT + 1);
	render_each("tl.task_status", "status", "status", status_at,
		    TS__COUNT);
	render_each("tl.notified", "event", "event", event_at, NE__COUNT);
	render_each("tl.notify_acked", "event", "event", event_at,
		    NE__COUNT);
	render_each("tl.supply", "movement", "movement", movement_at,
		    MV__COUNT);
	render_each("tl.breach", "target", "target", target_at,
		    (int)ARRAY_LEN(targets));
	render_each("nt.breach", "target", "target", target_at,
		    (int)ARRAY_LEN(targets));
	render_each("tl.bulletin", "audience", "audience", audience_at,
		    (int)ARRAY_LEN(audiences));
}

static void test_times_in_the_zone_asked(void **state)
{
	json_t *p = json_pack("{s:I}", "at", (json_int_t)T0);
	struct msg_names sh = { NULL, "Asia/Shanghai" };
	struct msg_names london = { NULL, "Europe/London" };
	struct msg_names none = { NULL, NULL };
	char *t;

	(void)state;
	t = msg_text("nt.reported_at", p, "zh-CN", &sh);
	assert_string_equal(t, "上报时间：2026-11-28 03:03 +08:00");
	free(t);
	t = msg_text("nt.reported_at", p, "en", &london);
	assert_string_equal(t, "Reported: 2026-11-27 19:03 +00:00");
	free(t);
	/* No zone given: the default, Asia/Shanghai, never UTC. */
	t = msg_text("nt.at", p, "zh-CN", &none);
	assert_string_equal(t, "本次时间：2026-11-28 03:03 +08:00");
	free(t);
	t = msg_text("nt.at", p, "zh-CN", NULL);
	assert_string_equal(t, "本次时间：2026-11-28 03:03 +08:00");
	free(t);
	json_decref(p);
}

static void test_plan_names_and_plurals(void **state)
{
	struct plan *pl = test_plan();
	struct msg_names n = { pl, NULL };
	json_t *p = json_pack("{s:s, s:s, s:s}", "from", "acknowledged", "to",
			      "active", "level", "level-1");
	json_t *task = json_pack("{s:{s:s, s:s}, s:s}", "title", "zh-CN",
				 "启动备用系统", "en", "Start the standby system",
				 "group", "tech");
	json_t *one = json_pack("{s:s, s:i}", "event", "report", "n", 1);
	json_t *two = json_pack("{s:s, s:i}", "event", "report", "n", 2);
	char *t;

	(void)state;
	t = msg_text("tl.level", p, "zh-CN", &n);
	assert_string_equal(t, "已确认 → 响应中（一级）");
	free(t);
	t = msg_text("tl.level", p, "en", &n);
	assert_string_equal(t, "Acknowledged → Active (Level 1)");
	free(t);
	t = msg_text("tl.task_created", task, "zh-CN", &n);
	assert_string_equal(t,
			    "新任务：启动备用系统 → 技术支持小组");
	free(t);
	t = msg_text("tl.task_created", task, "en", &n);
	assert_string_equal(t, "New task: Start the standby system → "
			       "Technical team");
	free(t);
	/* Without the plan, a key is written as it stands. */
	t = msg_text("tl.level", p, "en", NULL);
	assert_string_equal(t, "Acknowledged → Active (level-1)");
	free(t);
	t = msg_text("tl.notified", one, "en", &n);
	assert_string_equal(t, "Report: 1 message sent");
	free(t);
	t = msg_text("tl.notified", two, "en", &n);
	assert_string_equal(t, "Report: 2 messages sent");
	free(t);
	t = msg_text("tl.notified", one, "zh-CN", &n);
	assert_string_equal(t, "事件报告：已发出 1 条消息");
	free(t);
	json_decref(p);
	json_decref(task);
	json_decref(one);
	json_decref(two);
	plan_unref(pl);
}

static void test_unknown_and_missing(void **state)
{
	struct buf b = BUF_INIT;
	json_t *p = json_object();
	char *t;

	(void)state;
	buf_adds(&b, "x");
	assert_false(msg_render(&b, "tl.nothing", p, "zh-CN", NULL));
	assert_string_equal(buf_str(&b), "x");
	assert_null(msg_text("tl.nothing", p, "en", NULL));
	assert_null(msg_find(NULL));
	/* A parameter not given is written as it stands. */
	t = msg_text("tl.status", p, "en", NULL);
	assert_string_equal(t, "{from} → {to}");
	free(t);
	assert_true(msg_lang_zh(NULL));
	assert_true(msg_lang_zh("zh-CN"));
	assert_false(msg_lang_zh("en"));
	buf_release(&b);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_params_in_both_languages),
		cmocka_unit_test(test_every_key_renders_whole),
		cmocka_unit_test(test_words_of_every_name_table),
		cmocka_unit_test(test_zh_renders_hold_no_machine_words),
		cmocka_unit_test(test_times_in_the_zone_asked),
		cmocka_unit_test(test_plan_names_and_plurals),
		cmocka_unit_test(test_unknown_and_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
