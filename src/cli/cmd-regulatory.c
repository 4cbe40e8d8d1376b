/*
 * cmd-regulatory.c - the duty to report to regulators from the command
 * line, as an API client: the record of a year, one incident's
 * obligation and reports, and recording a report.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int regulatory_run(int argc, char **argv);

const struct cli_cmd cmd_regulatory = {
	.name = "regulatory",
	.usage = "erms regulatory list|show|report [ARGS] [--server URL] "
		 "[--json]",
	.summary_en = "Reports to regulators: the clock, the reports, the record",
	.summary_zh = "监管报告：报告时限、已报送的报告与年度记录",
	.help_en =
		"  list [--year YYYY]             the year's obligations, on time\n"
		"                                 or late, and the on-time rate\n"
		"  show INCIDENT                  the incident's deadline, status\n"
		"                                 and reports\n"
		"  report INCIDENT --to WHOM --via phone|fax|email|platform|letter\n"
		"         [--kind first|follow_up|final] [--sent-at TIME]\n"
		"         [--set ITEM=TEXT]...    record a report; the content is\n"
		"                                 pre-filled from the incident and\n"
		"                                 each --set replaces one item\n"
		"\nINCIDENT is an id or INC-YYYY-NNNN; TIME is RFC 3339.\n",
	.help_zh =
		"  list [--year 年份]             当年的报告义务、是否按时及按时率\n"
		"  show 事件                      事件的报告时限、状态和已报送报告\n"
		"  report 事件 --to 报送对象 --via phone|fax|email|platform|letter\n"
		"         [--kind first|follow_up|final] [--sent-at 时间]\n"
		"         [--set 项=内容]...      记录一次报送；内容按事件预填，\n"
		"                                 每个 --set 替换一项\n"
		"\n事件为编号或 INC-YYYY-NNNN；时间为 RFC 3339。\n",
	.run = regulatory_run,
};

static const char *status_word(const char *s)
{
	if (!strcmp(s, "due"))
		return L("due", "待报");
	if (!strcmp(s, "reported"))
		return L("reported", "已按时初报");
	if (!strcmp(s, "late"))
		return L("late", "逾期");
	if (!strcmp(s, "closed"))
		return L("closed", "已关闭");
	return s;
}

void cli_print_regulatory(const json_t *incident)
{
	const json_t *reg = json_object_get(incident, "regulatory");
	const char *st = jfield(reg, "status");

	if (!json_is_true(json_object_get(reg, "required")))
		return;
	printf("  %-12s %s %s, %s %s, %s", L("regulator", "监管报告"),
	       L("national level", "国家级别"), jfield(reg, "national_level"),
	       L("deadline", "初报时限"), jfield(reg, "deadline_at"),
	       status_word(st));
	if (json_is_string(json_object_get(reg, "first_report_at")))
		printf(" %s", jfield(reg, "first_report_at"));
	if (json_is_integer(json_object_get(reg, "late_by_min")))
		printf(" (%s %lld min)", L("late by", "逾期"),
		       (long long)json_integer_value(
			       json_object_get(reg, "late_by_min")));
	printf("%s\n", json_is_true(json_object_get(reg, "drill"))
			       ? L(" (drill)", "（演练）") : "");
}

static int list(struct client *c, const char *year)
{
	json_t *out = NULL, *x, *s;
	struct table t;
	size_t i;
	int rc = client_get(c, year ? xasprintf("/api/v1/regulatory?year=%s",
						year)
				    : xstrdup("/api/v1/regulatory"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, L("INCIDENT", "事件"), L("LEVEL", "国家级别"),
		   L("DEADLINE", "初报时限"), L("STATUS", "状态"),
		   L("FIRST REPORT", "初报时间"));
	json_array_foreach(json_object_get(out, "items"), i, x) {
		const json_t *inc = json_object_get(x, "incident");
		char *num = xasprintf("%s%s", jfield(inc, "number"),
				      json_is_true(json_object_get(inc, "drill"))
					      ? L(" (drill)", "（演练）") : "");

		table_row(&t, num, jfield(x, "national_level"),
			  jfield(x, "deadline_at"),
			  status_word(jfield(x, "status")),
			  jfield(x, "first_report_at"));
		free(num);
	}
	table_print(&t);
	s = json_object_get(out, "summary");
	printf("%s %lld, %s %lld, %s %lld",
	       L("on time", "按时"),
	       (long long)json_integer_value(json_object_get(s, "on_time")),
	       L("late", "逾期"),
	       (long long)json_integer_value(json_object_get(s, "late")),
	       L("due", "待报"),
	       (long long)json_integer_value(json_object_get(s, "due")));
	if (json_is_number(json_object_get(s, "on_time_rate")))
		printf(", %s %.0f%%", L("on-time rate", "按时率"),
		       100 * json_number_value(json_object_get(s,
							       "on_time_rate")));
	printf("\n");
	json_decref(out);
	return 0;
}

static int show(struct client *c, const char *inc)
{
	char *esc = cli_urlencode(inc);
	json_t *out = NULL, *reg, *x;
	size_t i;
	int rc = client_get(c, xasprintf("/api/v1/incidents/%s", esc), &out);

	free(esc);
	if (rc || !out)
		return rc;
	reg = json_object_get(out, "regulatory");
	if (!json_is_true(json_object_get(reg, "required"))) {
		printf("%s %s\n", jfield(out, "number"),
		       L("has no duty to report", "无须向监管部门报告"));
	} else {
		printf("%s  %s %s  %s %s  %s %s\n", jfield(out, "number"),
		       L("national level", "国家级别"),
		       jfield(reg, "national_level"), L("deadline", "初报时限"),
		       jfield(reg, "deadline_at"), L("status", "状态"),
		       status_word(jfield(reg, "status")));
		json_array_foreach(json_object_get(reg, "reports"), i, x)
			printf("  R%lld %s %s\n",
			       (long long)json_integer_value(
				       json_object_get(x, "n")),
			       jfield(x, "kind"), jfield(x, "sent_at"));
	}
	json_decref(out);
	return 0;
}

/* --set ITEM=TEXT options into content. */
static int take_sets(int argc, char **argv, json_t *content)
{
	for (int i = 1; i + 1 < argc; i++) {
		const char *eq;
		char *k;

		if (strcmp(argv[i], "--set"))
			continue;
		if (!(eq = strchr(argv[i + 1], '=')))
			return cli_bad(L("--set takes ITEM=TEXT",
					 "--set 须为 项=内容"), argv[i + 1]);
		k = xstrndup(argv[i + 1], (size_t)(eq - argv[i + 1]));
		json_object_set_new(content, k, json_string(eq + 1));
		free(k);
	}
	return 0;
}

static int report(struct client *c, int argc, char **argv, const char *inc)
{
	json_t *content = json_object(), *body, *out = NULL;
	char *esc, *path;
	int rc = take_sets(argc, argv, content);

	if (rc) {
		json_decref(content);
		return rc;
	}
	body = json_pack("{s:s, s:s*, s:s*, s:s*, s:o}", "kind",
			 cli_opt(argc, argv, "--kind") ?: "first", "to",
			 cli_opt(argc, argv, "--to"), "via",
			 cli_opt(argc, argv, "--via"), "sent_at",
			 cli_opt(argc, argv, "--sent-at"), "content", content);
	esc = cli_urlencode(inc);
	path = xasprintf("/api/v1/incidents/%s/regulatory-reports", esc);
	rc = client_expect(c, "POST", path, body, 201, &out);
	if (!rc && out)
		printf("%s %s  %s\n", L("recorded", "已记录"),
		       jfield(out, "number"),
		       json_is_false(json_object_get(out, "on_time"))
			       ? L("late", "逾期") : "");
	free(esc);
	free(path);
	json_decref(body);
	json_decref(out);
	return rc;
}

static int regulatory_run(int argc, char **argv)
{
	struct client c;
	char *pos[1] = { NULL };
	const char *sub;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (!strcmp(sub, "list") && n == 0)
		rc = list(&c, cli_opt(argc, argv, "--year"));
	else if (!strcmp(sub, "show") && n == 1)
		rc = show(&c, pos[0]);
	else if (!strcmp(sub, "report") && n == 1)
		rc = report(&c, argc, argv, pos[0]);
	else
		rc = cli_usage(&cmd_regulatory);
	client_release(&c);
	return rc;
}
