/*
 * cmd-drill.c - drills from the command line, as an API client.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int drill_run(int argc, char **argv);

const struct cli_cmd cmd_drill = {
	.name = "drill",
	.usage = "erms drill COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Drills: plan, run, evaluate, yearly compliance",
	.summary_zh = "应急演练：计划、实施、评估、年度合规",
	.help_en =
		"  list [--year Y]                the drills (scheduled in Y)\n"
		"  show ID                        one drill and its evaluation\n"
		"  plan --title T --kind tabletop|live --category C --at TIME\n"
		"      [--level L] [--minutes M] [--location L]\n"
		"      [--participants A,B,...] [--scenario TEXT]\n"
		"  start ID                       open the drill incident\n"
		"  complete ID | cancel ID\n"
		"  evaluate ID --score 'CRITERION=S/MAX' ... [--finding 'TEXT']\n"
		"      ... [--finding 'TEXT@GROUP'] [--revise 'TEXT'] [--notes T]\n"
		"  compliance [--year Y]          the plan's drill requirements\n"
		"  ics                            scheduled drills as iCalendar\n"
		"\nTIME is RFC 3339, e.g. 2026-12-10T10:00:00+08:00. --score,\n"
		"--finding and --revise (a finding that asks for a plan\n"
		"revision) may be given more than once.\n",
	.help_zh =
		"  list [--year 年份]             演练列表（该年计划的）\n"
		"  show ID                        演练详情及评估\n"
		"  plan --title 标题 --kind tabletop|live --category 类别\n"
		"      --at 时间 [--level 级别] [--minutes 分钟] [--location 地点]\n"
		"      [--participants 甲,乙,...] [--scenario 场景]\n"
		"  start ID                       开始演练（创建演练事件）\n"
		"  complete ID | cancel ID        完成 | 取消\n"
		"  evaluate ID --score '指标=得分/满分' ... [--finding '问题']\n"
		"      ... [--finding '问题@小组'] [--revise '问题'] [--notes 备注]\n"
		"  compliance [--year 年份]       对照预案的演练要求\n"
		"  ics                            演练日历（iCalendar）\n"
		"\n时间为 RFC 3339 格式，如 2026-12-10T10:00:00+08:00。--score、\n"
		"--finding 和 --revise（需修订预案的问题）可多次给出。\n",
	.run = drill_run,
};

static void print_drill(const json_t *d)
{
	const json_t *ev = json_object_get(d, "evaluation");
	const json_t *v;
	size_t i;

	printf("#%lld  %s\n  %s %s  %s %s  %s %s\n  %s %s (%lld min)  %s\n",
	       (long long)json_integer_value(json_object_get(d, "id")),
	       jfield(d, "title"), L("status", "状态"), jfield(d, "status"),
	       L("kind", "形式"), jfield(d, "kind"), L("category", "类别"),
	       jfield(d, "category"), L("at", "时间"),
	       jfield(d, "scheduled_at"),
	       (long long)json_integer_value(json_object_get(d, "minutes")),
	       jfield(d, "location"));
	if (json_is_integer(json_object_get(d, "incident_id")))
		printf("  %s %lld\n", L("incident", "演练事件"), (long long)
		       json_integer_value(json_object_get(d, "incident_id")));
	if (!json_is_object(ev))
		return;
	printf("  %s %lld/%lld (%lld%%)\n", L("score", "得分"),
	       (long long)json_integer_value(json_object_get(ev, "total")),
	       (long long)json_integer_value(json_object_get(ev, "max")),
	       (long long)json_integer_value(json_object_get(ev, "percent")));
	json_array_foreach(json_object_get(ev, "durations"), i, v)
		printf("  %-9s %s\n", jfield(v, "step"), jfield(v, "verdict"));
	json_array_foreach(json_object_get(ev, "findings"), i, v)
		printf("  - %s [%s] %s %lld\n", jfield(v, "title"),
		       jfield(v, "group"), L("task", "任务"), (long long)
		       json_integer_value(json_object_get(v, "task_id")));
}

static int list(struct client *c, const char *year)
{
	char *path = xasprintf("/api/v1/drills%s%s", year ? "?year=" : "",
			       year ? year : "");
	json_t *out = NULL, *d;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	table_init(&t, 6, "ID", L("AT", "时间"), L("KIND", "形式"),
		   L("CATEGORY", "类别"), L("STATUS", "状态"),
		   L("TITLE", "标题"));
	json_array_foreach(json_object_get(out, "items"), i, d) {
		char id[24];

		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(
			json_object_get(d, "id")));
		table_row(&t, id, jfield(d, "scheduled_at"), jfield(d, "kind"),
			  jfield(d, "category"), jfield(d, "status"),
			  jfield(d, "title"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static int compliance(struct client *c, const char *year)
{
	char *path = xasprintf("/api/v1/drills/compliance%s%s",
			       year ? "?year=" : "", year ? year : "");
	json_t *out = NULL, *l;
	struct table t;
	size_t i;
	int rc = client_get(c, path, &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, L("CATEGORY", "类别"), L("KIND", "形式"),
		   L("REQUIRED", "要求"), L("DONE", "已完成"),
		   L("STATE", "状态"));
	json_array_foreach(json_object_get(out, "lines"), i, l) {
		char req[16], done[16];

		snprintf(req, sizeof(req), "%lld", (long long)
			 json_integer_value(json_object_get(l, "required")));
		snprintf(done, sizeof(done), "%lld", (long long)
			 json_integer_value(json_object_get(l, "done")));
		table_row(&t, jfield(l, "category"), jfield(l, "kind"), req,
			  done, json_is_true(json_object_get(l, "overdue"))
			  ? L("OUTSTANDING", "未完成") : L("ok", "已完成"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

/* "Criterion=8/10" into {criterion, score, max}; NULL if malformed. */
static json_t *score(const char *s)
{
	const char *eq = strrchr(s, '=');
	char *end;
	long v, m;

	if (!eq || eq == s)
		return NULL;
	v = strtol(eq + 1, &end, 10);
	if (*end != '/' || end == eq + 1)
		return NULL;
	m = strtol(end + 1, &end, 10);
	if (*end)
		return NULL;
	return json_pack("{s:s%, s:i, s:i}", "criterion", s, (size_t)(eq - s),
			 "score", (int)v, "max", (int)m);
}

/* "Text@group" into {title, group}; revise: it asks for a revision. */
static json_t *finding(const char *s, bool revise)
{
	const char *at = strrchr(s, '@');
	json_t *f = at && at[1] && !strchr(at, ' ')
		? json_pack("{s:s%, s:s}", "title", s, (size_t)(at - s),
			    "group", at + 1)
		: json_pack("{s:s}", "title", s);

	json_object_set_new(f, "revise_plan", json_boolean(revise));
	return f;
}

static json_t *evaluation(int argc, char **argv)
{
	json_t *scores = json_array(), *findings = json_array();

	for (int i = 2; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "--score")) {
			json_t *s = score(argv[++i]);

			if (!s) {
				fprintf(stderr, "erms: --score %s: %s\n", argv[i],
					L("expected CRITERION=SCORE/MAX",
					  "应为 指标=得分/满分"));
				json_decref(scores);
				json_decref(findings);
				return NULL;
			}
			json_array_append_new(scores, s);
		} else if (!strcmp(argv[i], "--finding") ||
			   !strcmp(argv[i], "--revise")) {
			bool revise = !strcmp(argv[i], "--revise");

			json_array_append_new(findings,
					      finding(argv[++i], revise));
		}
	}
	return json_pack("{s:o, s:o, s:s*}", "scores", scores, "findings",
			 findings, "notes", cli_opt(argc, argv, "--notes"));
}

/* "a,b" as a JSON array of strings. */
static json_t *names(const char *s)
{
	json_t *a = json_array();

	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s = comma ? comma + 1 : s + n;
	}
	return a;
}

static json_t *plan_body(int argc, char **argv)
{
	const char *m = cli_opt(argc, argv, "--minutes");
	json_t *b = json_pack("{s:s?, s:s?, s:s?, s:s?}", "title",
			      cli_opt(argc, argv, "--title"), "kind",
			      cli_opt(argc, argv, "--kind"), "category",
			      cli_opt(argc, argv, "--category"), "scheduled_at",
			      cli_opt(argc, argv, "--at"));
	static const char *const texts[][2] = {
		{ "--level", "level" }, { "--location", "location" },
		{ "--scenario", "scenario" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		if (cli_opt(argc, argv, texts[i][0]))
			json_object_set_new(b, texts[i][1], json_string(
				cli_opt(argc, argv, texts[i][0])));
	if (m)
		json_object_set_new(b, "minutes",
				    json_integer(strtoll(m, NULL, 10)));
	if (cli_opt(argc, argv, "--participants"))
		json_object_set_new(b, "participants", names(
			cli_opt(argc, argv, "--participants")));
	return b;
}

static int drill_run(int argc, char **argv)
{
	struct client c;
	char *pos[1] = { NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (!strcmp(sub, "list") && n == 0) {
		rc = list(&c, cli_opt(argc, argv, "--year"));
	} else if (!strcmp(sub, "compliance") && n == 0) {
		rc = compliance(&c, cli_opt(argc, argv, "--year"));
	} else if (!strcmp(sub, "ics") && n == 0) {
		rc = client_download(&c, xstrdup("/api/v1/drills.ics"));
	} else if (!strcmp(sub, "show") && n == 1) {
		path = xasprintf("/api/v1/drills/%s", pos[0]);
		rc = client_expect(&c, "GET", path, NULL, 200, &out);
	} else if (!strcmp(sub, "plan") && n == 0) {
		body = plan_body(argc, argv);
		rc = client_expect(&c, "POST", "/api/v1/drills", body, 201,
				   &out);
	} else if ((!strcmp(sub, "start") || !strcmp(sub, "complete") ||
		    !strcmp(sub, "cancel") || !strcmp(sub, "evaluate")) &&
		   n == 1) {
		body = !strcmp(sub, "evaluate") ? evaluation(argc, argv)
						: json_object();
		path = xasprintf("/api/v1/drills/%s/%s", pos[0], sub);
		rc = body ? client_expect(&c, "POST", path, body, 200, &out)
			  : 2;
	} else {
		rc = cli_usage(&cmd_drill);
	}
	if (!rc && out && !c.json)
		print_drill(out);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
