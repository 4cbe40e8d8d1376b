/*
 * test-alert.c - label sets and their fingerprints, matchers, severity
 * words, maintenance windows and title templates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alert.h"

#define SET(arr) ((struct label_set){ (arr), sizeof(arr) / sizeof((arr)[0]) })

/*
 * Label sets and fingerprints as Alertmanager 0.25 reports them: each set
 * was posted to a real Alertmanager's POST /api/v2/alerts and its
 * "fingerprint" read back from GET /api/v2/alerts. The labels are listed
 * in the order they were posted, not sorted.
 */
static struct label am_one[] = { { "alertname", "HighLatency" } };
static struct label am_four[] = {
	{ "alertname", "HighLatency" }, { "job", "api" },
	{ "instance", "web-1:9100" }, { "severity", "critical" },
};
static struct label am_ab[] = { { "a", "b" } };
static struct label am_disk[] = {
	{ "instance", "db-7" }, { "alertname", "DiskFull" },
	{ "mountpoint", "/var" },
};
static struct label am_cjk[] = {
	{ "alertname", "中文告警" }, { "summary_zh", "数据库延迟过高" },
	{ "x", "\"quoted\" \\ back" },
};
/* Posted with zz="" as well: Alertmanager drops the empty label. */
static struct label am_empty[] = {
	{ "alertname", "Z" }, { "empty", "a" }, { "zz", "" }, { "_u", "1" },
};

static const struct {
	struct label_set set;
	const char *fp;
} am_vectors[] = {
	{ SET(am_one), "73dbeed5635ea4e4" },
	{ SET(am_four), "463dc2e6ce9cba92" },
	{ SET(am_ab), "d2b371819297f98a" },
	{ SET(am_disk), "db8c2cf27fbda09e" },
	{ SET(am_cjk), "86d95874b6f95099" },
	{ SET(am_empty), "a1303d29dec3635d" },
};

static void test_fingerprint_as_alertmanager(void **state)
{
	char fp[ALERT_FP_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(am_vectors) / sizeof(am_vectors[0]);
	     i++) {
		struct label copy[ALERT_LABELS_MAX];
		struct label_set s = am_vectors[i].set;

		/* Unsorted as posted... */
		label_fingerprint(&s, fp);
		assert_string_equal(fp, am_vectors[i].fp);
		/* ...and sorted, which leaves the set in name order. */
		memcpy(copy, s.l, s.n * sizeof(s.l[0]));
		s.l = copy;
		label_sort(&s);
		for (size_t j = 1; j < s.n; j++)
			assert_true(strcmp(s.l[j - 1].name, s.l[j].name) < 0);
		label_fingerprint(&s, fp);
		assert_string_equal(fp, am_vectors[i].fp);
	}
}

static void test_fingerprint_edges(void **state)
{
	struct label_set none = { NULL, 0 };
	struct label only_empty[] = { { "a", "" } };
	struct label ab[] = { { "a", "b" } }, a_b[] = { { "ab", "" } };
	struct label split1[] = { { "a", "bc" } }, split2[] = { { "ab", "c" } };
	char fp[ALERT_FP_LEN + 1], fp2[ALERT_FP_LEN + 1];

	(void)state;
	/* The empty set hashes to FNV-1a's offset basis. */
	label_fingerprint(&none, fp);
	assert_string_equal(fp, "cbf29ce484222325");
	label_fingerprint(&SET(only_empty), fp);
	assert_string_equal(fp, "cbf29ce484222325");
	/* The separator keeps name and value apart. */
	label_fingerprint(&SET(split1), fp);
	label_fingerprint(&SET(split2), fp2);
	assert_string_not_equal(fp, fp2);
	label_fingerprint(&SET(ab), fp);
	label_fingerprint(&SET(a_b), fp2);
	assert_string_not_equal(fp, fp2);
	assert_int_equal(strlen(fp), ALERT_FP_LEN);
}

static void test_label_get_and_check(void **state)
{
	struct label ok[] = { { "alertname", "x" }, { "_a9", "值" } };
	struct label dup[] = { { "a", "1" }, { "b", "2" }, { "a", "3" } };
	struct label digit[] = { { "9a", "1" } };
	struct label colon[] = { { "job:rate", "1" } };
	struct label badutf[] = { { "a", "\xc3\x28" } };
	struct label many[ALERT_LABELS_MAX + 1];
	char names[ALERT_LABELS_MAX + 1][8];
	char longname[ALERT_NAME_MAX + 2];
	char *longvalue = malloc(ALERT_VALUE_MAX + 2);
	struct label lname[] = { { longname, "1" } };
	struct label lvalue[] = { { "a", longvalue } };
	struct errbuf e;

	(void)state;
	assert_string_equal(label_get(&SET(ok), "_a9"), "值");
	assert_null(label_get(&SET(ok), "nope"));
	assert_null(label_get(NULL, "a"));
	assert_int_equal(label_set_check(&SET(ok), "labels", &e), 0);
	assert_int_equal(label_set_check(&SET(dup), "labels", &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "labels.a");
	assert_non_null(strstr(e.msg, "twice"));
	assert_int_equal(label_set_check(&SET(digit), "labels", &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "labels.9a");
	assert_int_equal(label_set_check(&SET(colon), "annotations", &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "annotations.job:rate");
	assert_int_equal(label_set_check(&SET(badutf), NULL, &e), ERMS_EINVAL);
	assert_string_equal(e.field, "labels.a");
	assert_non_null(strstr(e.msg, "UTF-8"));

	memset(longname, 'n', ALERT_NAME_MAX);
	longname[ALERT_NAME_MAX] = '\0';
	assert_int_equal(label_set_check(&SET(lname), "labels", &e), 0);
	longname[ALERT_NAME_MAX] = 'n';
	longname[ALERT_NAME_MAX + 1] = '\0';
	assert_int_equal(label_set_check(&SET(lname), "labels", &e),
			 ERMS_EINVAL);

	memset(longvalue, 'v', ALERT_VALUE_MAX);
	longvalue[ALERT_VALUE_MAX] = '\0';
	assert_int_equal(label_set_check(&SET(lvalue), "labels", &e), 0);
	longvalue[ALERT_VALUE_MAX] = 'v';
	longvalue[ALERT_VALUE_MAX + 1] = '\0';
	assert_int_equal(label_set_check(&SET(lvalue), "labels", &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "labels.a");
	free(longvalue);

	for (int i = 0; i <= ALERT_LABELS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "l%d", i);
		many[i].name = names[i];
		many[i].value = "v";
	}
	assert_int_equal(label_set_check(&(struct label_set){ many,
			 ALERT_LABELS_MAX }, "labels", &e), 0);
	assert_int_equal(label_set_check(&SET(many), "labels", &e),
			 ERMS_EINVAL);
	assert_string_equal(e.field, "labels");
	/* A NULL errbuf is allowed. */
	assert_int_equal(label_set_check(&SET(dup), "labels", NULL),
			 ERMS_EINVAL);
}

static void format_of(const char *text, const char *want)
{
	struct matcher m;
	struct buf out = BUF_INIT;
	struct errbuf e;

	assert_int_equal(matcher_parse(&m, text, &e), 0);
	matcher_format(&m, &out);
	assert_string_equal(buf_str(&out), want);
	matcher_release(&m);
	/* The formatted text reads back the same. */
	assert_int_equal(matcher_parse(&m, want, &e), 0);
	buf_reset(&out);
	matcher_format(&m, &out);
	assert_string_equal(buf_str(&out), want);
	matcher_release(&m);
	buf_release(&out);
}

static void test_matcher_parse_format(void **state)
{
	struct matcher m;
	struct errbuf e;

	(void)state;
	format_of("severity=\"critical\"", "severity=\"critical\"");
	format_of("severity=critical", "severity=\"critical\"");
	format_of("  job =~ \"db.*\"  ", "job=~\"db.*\"");
	format_of("env!=prod", "env!=\"prod\"");
	format_of("instance!~web-.*", "instance!~\"web-.*\"");
	format_of("a=\"\"", "a=\"\"");
	format_of("a=", "a=\"\"");
	format_of("a=\"say \\\"hi\\\"\"", "a=\"say \\\"hi\\\"\"");
	format_of("a=\"back\\\\slash\"", "a=\"back\\\\slash\"");
	format_of("a=\"two\\nlines\"", "a=\"two\\nlines\"");
	format_of("a=\"告警\"", "a=\"告警\"");
	/* A spurious escape is itself, as in Alertmanager. */
	format_of("a=\"\\d\"", "a=\"\\\\d\"");
	format_of("a=x=y", "a=\"x=y\"");

	assert_int_equal(matcher_parse(&m, "a=\"say \\\"hi\\\"\"", &e), 0);
	assert_string_equal(m.name, "a");
	assert_int_equal(m.op, MATCH_EQ);
	assert_string_equal(m.value, "say \"hi\"");
	assert_false(m.has_re);
	matcher_release(&m);
	assert_int_equal(matcher_parse(&m, "a=\"two\\nlines\"", &e), 0);
	assert_string_equal(m.value, "two\nlines");
	matcher_release(&m);
	assert_int_equal(matcher_parse(&m, "job=~db|web", &e), 0);
	assert_int_equal(m.op, MATCH_RE);
	assert_true(m.has_re);
	assert_string_equal(m.value, "db|web");
	matcher_release(&m);
}

static bool matches(const char *text, const struct label_set *s)
{
	struct matcher m;
	struct errbuf e;
	bool r;

	assert_int_equal(matcher_parse(&m, text, &e), 0);
	r = matcher_match(&m, s);
	matcher_release(&m);
	return r;
}

static void test_matcher_operators(void **state)
{
	struct label l[] = {
		{ "job", "db-main" }, { "severity", "critical" },
		{ "blank", "" }, { "zh", "数据库" },
	};
	struct label_set s = SET(l);

	(void)state;
	assert_true(matches("severity=\"critical\"", &s));
	assert_false(matches("severity=\"crit\"", &s));
	assert_false(matches("severity=\"Critical\"", &s));
	assert_true(matches("severity!=warning", &s));
	assert_false(matches("severity!=critical", &s));
	/* Regular expressions are anchored at both ends. */
	assert_true(matches("job=~\"db.*\"", &s));
	assert_false(matches("job=~\"db\"", &s));
	assert_false(matches("job=~\"main\"", &s));
	assert_true(matches("job=~\".*main\"", &s));
	assert_true(matches("job=~\"web|db-main\"", &s));
	assert_false(matches("job=~\"web|db\"", &s));
	assert_true(matches("job!~\"web.*\"", &s));
	assert_false(matches("job!~\"db-.*\"", &s));
	assert_true(matches("zh=~\"数据.*\"", &s));
	/* An absent label is the empty value; so is an empty one. */
	assert_true(matches("team=\"\"", &s));
	assert_false(matches("team=\"x\"", &s));
	assert_true(matches("team!=\"x\"", &s));
	assert_false(matches("team!=\"\"", &s));
	assert_true(matches("team=~\".*\"", &s));
	assert_false(matches("team=~\".+\"", &s));
	assert_true(matches("team!~\".+\"", &s));
	assert_true(matches("blank=\"\"", &s));
	assert_false(matches("blank=~\".+\"", &s));
	assert_false(matches("job=\"\"", &s));
	/* Empty regular expression: only the empty value. */
	assert_true(matches("team=~\"\"", &s));
	assert_false(matches("job=~\"\"", &s));
}

static void bad(const char *text, const char *want)
{
	struct matcher m;
	struct errbuf e = { 0 };

	assert_int_equal(matcher_parse(&m, text, &e), ERMS_EINVAL);
	assert_string_equal(e.code, "invalid");
	if (!strstr(e.msg, want))
		fail_msg("'%s': '%s' lacks '%s'", text, e.msg, want);
	/* Nothing is left to release, but releasing is harmless. */
	assert_null(m.value);
	assert_false(m.has_re);
	matcher_release(&m);
}

static void test_matcher_errors(void **state)
{
	char big[ALERT_VALUE_MAX + 16];

	(void)state;
	bad("", "empty");
	bad("   ", "empty");
	bad("severity", "column 9: expected one of = != =~ !~");
	bad("severity<critical", "column 9");
	bad("=x", "column 1: a label name");
	bad("9a=x", "column 1: a label name");
	bad("a-b=x", "column 2: expected");
	bad("a=\"open", "no closing \"");
	bad("a=\"ends in backslash\\\"", "no closing \"");
	bad("a=\"in\"side\"", "unescaped \" at column 6");
	bad("a=x\"y", "unescaped \" at column 4");
	bad("a=~\"(unclosed\"", "bad regular expression");
	bad("a=~\"[z-a]\"", "bad regular expression");
	bad("a!~\"*x\"", "bad regular expression");
	/* Would otherwise escape the anchors as ^(a)|(b)$. */
	bad("a=~\"a)|(b\"", "bad regular expression");
	bad("a=\"\xff\"", "UTF-8");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "a=", 2);
	bad(big, "over 4096 bytes");
}

static void test_regex_parens_in_brackets(void **state)
{
	struct label l[] = { { "a", ")" }, { "b", "x(y" } };
	struct label_set s = SET(l);

	(void)state;
	/* Parentheses inside a bracket expression or escaped are not groups. */
	assert_true(matches("a=~\"[)]\"", &s));
	assert_true(matches("a=~\"\\\\)\"", &s));
	assert_true(matches("b=~\"x[(]y\"", &s));
	assert_true(matches("b=~\"x[[:punct:]]y\"", &s));
	assert_true(matches("b=~\"(x|z)[^]a]y\"", &s));
}

static void test_matchers_list(void **state)
{
	const char *const ok[] = { "severity=critical", "job=~\"db.*\"" };
	const char *const broken[] = { "a=b", "c=d", "e=~\"(\"" };
	const char *too_many[ALERT_MATCHERS_MAX + 1];
	struct label l[] = { { "job", "db1" }, { "severity", "critical" } };
	struct label l2[] = { { "job", "web" }, { "severity", "critical" } };
	struct matchers ms;
	struct errbuf e;

	(void)state;
	assert_int_equal(matchers_parse(&ms, ok, 2, &e), 0);
	assert_int_equal(ms.n, 2);
	assert_true(matchers_match(&ms, &SET(l)));
	assert_false(matchers_match(&ms, &SET(l2)));
	matchers_release(&ms);
	assert_int_equal(ms.n, 0);
	/* An empty list matches everything. */
	assert_int_equal(matchers_parse(&ms, NULL, 0, &e), 0);
	assert_true(matchers_match(&ms, &SET(l2)));
	matchers_release(&ms);

	assert_int_equal(matchers_parse(&ms, broken, 3, &e), ERMS_EINVAL);
	assert_string_equal(e.field, "matchers[2]");
	assert_non_null(strstr(e.msg, "matchers[2]: "));
	assert_non_null(strstr(e.msg, "bad regular expression"));
	assert_null(ms.m);
	assert_int_equal(ms.n, 0);

	for (size_t i = 0; i < ALERT_MATCHERS_MAX + 1; i++)
		too_many[i] = "a=b";
	assert_int_equal(matchers_parse(&ms, too_many, ALERT_MATCHERS_MAX,
					&e), 0);
	matchers_release(&ms);
	assert_int_equal(matchers_parse(&ms, too_many, ALERT_MATCHERS_MAX + 1,
					&e), ERMS_EINVAL);
	assert_string_equal(e.field, "matchers");
}

static void test_severity(void **state)
{
	static const struct {
		const char *word;
		enum severity want;
	} table[] = {
		{ "critical", SEV_CRITICAL }, { "CRIT", SEV_CRITICAL },
		{ "Fatal", SEV_CRITICAL }, { "emergency", SEV_CRITICAL },
		{ "emerg", SEV_CRITICAL }, { "alert", SEV_CRITICAL },
		{ "Disaster", SEV_CRITICAL }, { "P1", SEV_CRITICAL },
		{ "sev1", SEV_CRITICAL }, { "SEV0", SEV_CRITICAL },
		{ "page", SEV_CRITICAL },
		{ "high", SEV_HIGH }, { "Error", SEV_HIGH }, { "err", SEV_HIGH },
		{ "major", SEV_HIGH }, { "p2", SEV_HIGH }, { "Sev2", SEV_HIGH },
		{ "warning", SEV_WARNING }, { "WARN", SEV_WARNING },
		{ "Average", SEV_WARNING }, { "minor", SEV_WARNING },
		{ "p3", SEV_WARNING }, { "sev3", SEV_WARNING },
		{ "info", SEV_INFO }, { "Information", SEV_INFO },
		{ "informational", SEV_INFO }, { "notice", SEV_INFO },
		{ "low", SEV_INFO }, { "OK", SEV_INFO }, { "debug", SEV_INFO },
		{ "Not classified", SEV_INFO }, { "p4", SEV_INFO },
		{ "p5", SEV_INFO }, { "sev4", SEV_INFO },
		{ "  critical ", SEV_CRITICAL }, { "\twarning\n", SEV_WARNING },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (severity_normalise(table[i].word, SEV__COUNT) !=
		    table[i].want)
			fail_msg("'%s' is not %s", table[i].word,
				 severity_name(table[i].want));
	/* Anything else, or nothing: the fallback. */
	assert_int_equal(severity_normalise(NULL, SEV_WARNING), SEV_WARNING);
	assert_int_equal(severity_normalise("", SEV_INFO), SEV_INFO);
	assert_int_equal(severity_normalise("   ", SEV_INFO), SEV_INFO);
	assert_int_equal(severity_normalise("critic", SEV_INFO), SEV_INFO);
	assert_int_equal(severity_normalise("criticals", SEV_INFO), SEV_INFO);
	assert_int_equal(severity_normalise("p6", SEV_HIGH), SEV_HIGH);
	assert_int_equal(severity_normalise("not  classified", SEV_HIGH),
			 SEV_HIGH);
	assert_int_equal(severity_normalise("严重", SEV_HIGH), SEV_HIGH);

	for (int s = 0; s < SEV__COUNT; s++)
		assert_int_equal(severity_from_name(severity_name(s)), s);
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(severity_name(SEV_INFO), "info");
	assert_int_equal(severity_from_name("crit"), -1);
	assert_int_equal(severity_from_name("Critical"), -1);
	assert_int_equal(severity_from_name(NULL), -1);
}

static void test_window(void **state)
{
	const char *const m[] = { "instance=~\"web-.*\"" };
	struct label web[] = { { "instance", "web-1" } };
	struct label db[] = { { "instance", "db-1" } };
	struct window w = { 1000, 2000, { NULL, 0 } };
	struct errbuf e;

	(void)state;
	assert_int_equal(matchers_parse(&w.match, m, 1, &e), 0);
	assert_false(window_covers(&w, &SET(web), 999));
	assert_true(window_covers(&w, &SET(web), 1000));	/* inclusive */
	assert_true(window_covers(&w, &SET(web), 1999));
	assert_false(window_covers(&w, &SET(web), 2000));	/* exclusive */
	assert_false(window_covers(&w, &SET(db), 1500));
	matchers_release(&w.match);
	/* No matchers: everything, during the window. */
	assert_true(window_covers(&w, &SET(db), 1500));
	w.end_ms = w.start_ms;
	assert_false(window_covers(&w, &SET(db), 1000));
}

static struct label tl_labels[] = {
	{ "alertname", "HighLatency" }, { "instance", "web-1" },
	{ "zh", "数据库延迟" },
};
static struct label tl_ann[] = {
	{ "summary", "p99 over 2s" }, { "runbook", "https://x/r" },
};

static void render(const char *tmpl, size_t max, const char *want)
{
	struct label_set l = SET(tl_labels), a = SET(tl_ann);
	struct template_vars v = { &l, &a, "critical", "Latency high",
				   "prometheus" };
	struct buf out = BUF_INIT;

	buf_adds(&out, ">");
	template_render(tmpl, &v, max, &out);
	if (strcmp(buf_str(&out) + 1, want))
		fail_msg("'%s' gave '%s', not '%s'", tmpl, buf_str(&out) + 1,
			 want);
	buf_release(&out);
}

static void test_template(void **state)
{
	struct buf out = BUF_INIT;
	struct template_vars none = { NULL, NULL, NULL, NULL, NULL };

	(void)state;
	render("", 200, "");
	render("plain text", 200, "plain text");
	render("{{alertname}} on {{instance}}", 200, "HighLatency on web-1");
	render("{{ labels.instance }}: {{annotations.summary}}", 200,
	       "web-1: p99 over 2s");
	render("[{{severity}}] {{summary}} from {{source}}", 200,
	       "[critical] Latency high from prometheus");
	render("{{nope}}|{{labels.nope}}|{{annotations.nope}}|{{foo.bar}}", 200,
	       "|||");
	render("{{}}x{{ }}", 200, "x");
	render("a {{alertname", 200, "a {{alertname");
	render("a }} b {{", 200, "a }} b {{");
	render("{{zh}}", 200, "数据库延迟");
	render("{{alertname}}", 4, "High");
	render("{{alertname}}", 0, "");
	/* A cut falls before a whole character: 数 is three bytes. */
	render("{{zh}}", 3, "数");
	render("{{zh}}", 4, "数");
	render("{{zh}}", 5, "数");
	render("{{zh}}", 6, "数据");
	render("ab{{zh}}", 4, "ab");
	render("{{zh}}{{zh}}{{zh}}", 16, "数据库延迟");
	render("{{zh}}{{zh}}{{zh}}", 18, "数据库延迟数");
	/* No variables at all. */
	template_render("{{alertname}}/{{severity}}", &none, 100, &out);
	assert_string_equal(buf_str(&out), "/");
	buf_release(&out);
}

static void test_template_check(void **state)
{
	struct errbuf e;

	(void)state;
	assert_int_equal(template_check("", &e), 0);
	assert_int_equal(template_check(NULL, &e), 0);
	assert_int_equal(template_check("{{alertname}} {{ labels.job }} "
					"{{annotations.summary}} {{severity}} "
					"{{summary}} {{source}} }}", &e), 0);
	assert_int_equal(template_check("x {{alertname", &e), ERMS_EINVAL);
	assert_non_null(strstr(e.msg, "column 3"));
	assert_int_equal(template_check("{{foo.bar}}", &e), ERMS_EINVAL);
	assert_non_null(strstr(e.msg, "{{foo.bar}}"));
	assert_int_equal(template_check("{{}}", &e), ERMS_EINVAL);
	assert_int_equal(template_check("{{labels.}}", &e), ERMS_EINVAL);
	assert_int_equal(template_check("{{labels.a-b}}", &e), ERMS_EINVAL);
	assert_int_equal(template_check("ok {{a}} {{ b c }}", &e),
			 ERMS_EINVAL);
	assert_non_null(strstr(e.msg, "column 10"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_as_alertmanager),
		cmocka_unit_test(test_fingerprint_edges),
		cmocka_unit_test(test_label_get_and_check),
		cmocka_unit_test(test_matcher_parse_format),
		cmocka_unit_test(test_matcher_operators),
		cmocka_unit_test(test_matcher_errors),
		cmocka_unit_test(test_regex_parens_in_brackets),
		cmocka_unit_test(test_matchers_list),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_template_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
