/*
 * cmd-incident.c - incidents from the command line, as an API client.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/buf.h"
#include "util/xalloc.h"

static int incident_run(int argc, char **argv);

const struct cli_cmd cmd_incident = {
	.name = "incident",
	.usage = "erms incident COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Report and handle incidents",
	.summary_zh = "上报和处置突发事件",
	.help_en =
		"  list [--status S] [--level L] [--category C] [--q TEXT]\n"
		"       [--drill|--real] [--limit N]\n"
		"  show ID                   an incident (id or INC-YYYY-NNNN)\n"
		"  report --title T --category C [--description D] [--impact I]\n"
		"       [--level L] [--detected-at TIME] [--drill]\n"
		"  ack ID | close ID\n"
		"  activate ID --level L\n"
		"  dismiss ID --reason R | reopen ID --reason R\n"
		"  set-level ID --level L --reason R\n"
		"  resolve ID --summary S\n"
		"  review ID --cause C [--impact I] [--went-well W]\n"
		"       [--went-badly B] [--lessons L] [--action-item TITLE[@GROUP]]...\n"
		"  note ID TEXT\n"
		"  timeline ID | tasks ID\n"
		"  task TASK_ID [--status S] [--assignee USER_ID] [--notes N]\n"
		"  report-doc ID [--format md|html] [--lang zh-CN|en]\n",
	.help_zh =
		"  list [--status 状态] [--level 级别] [--category 分类] [--q 文本]\n"
		"       [--drill|--real] [--limit N]\n"
		"  show ID                   查看事件（编号或 INC-YYYY-NNNN）\n"
		"  report --title 标题 --category 分类 [--description 描述]\n"
		"       [--impact 影响] [--level 建议级别] [--detected-at 时间] [--drill]\n"
		"  ack ID | close ID\n"
		"  activate ID --level 级别\n"
		"  dismiss ID --reason 原因 | reopen ID --reason 原因\n"
		"  set-level ID --level 级别 --reason 原因\n"
		"  resolve ID --summary 处置结果\n"
		"  review ID --cause 原因 [--impact 影响] [--went-well 亮点]\n"
		"       [--went-badly 不足] [--lessons 教训] [--action-item 标题[@小组]]...\n"
		"  note ID 文本\n"
		"  timeline ID | tasks ID\n"
		"  task 任务ID [--status 状态] [--assignee 用户ID] [--notes 备注]\n"
		"  report-doc ID [--format md|html] [--lang zh-CN|en]\n",
	.run = incident_run,
};

/* One request; the answer in *out unless --json printed it. */
static void print_incident(const json_t *x)
{
	json_t *b = json_object_get(x, "breaches");

	printf("%s  %s  %s%s\n", jfield(x, "number"), jfield(x, "status"),
	       json_is_true(json_object_get(x, "is_drill")) ? "[DRILL] " : "",
	       jfield(x, "title"));
	printf("  %-12s %s\n  %-12s %s\n  %-12s %s\n  %-12s %s\n",
	       L("level", "级别"), jfield(x, "level"), L("category", "分类"),
	       jfield(x, "category"), L("reported", "报告时间"), jfield(x, "reported_at"),
	       L("activated", "启动时间"), jfield(x, "activated_at"));
	if (json_array_size(b)) {
		char *s = json_dumps(b, JSON_COMPACT);

		printf("  %-12s %s\n", L("breaches", "超时"), s);
		free(s);
	}
	cli_print_regulatory(x);
}

/* Options that become fields of the JSON body. */
struct opt {
	const char *flag;	/* "--level" */
	const char *field;	/* "level", "review.cause" */
	bool boolean;
};

static const struct opt opts[] = {
	{ "--title", "title", false }, { "--category", "category", false },
	{ "--description", "description", false },
	{ "--impact", "impact", false }, { "--level", "level", false },
	{ "--detected-at", "detected_at", false },
	{ "--drill", "is_drill", true }, { "--reason", "reason", false },
	{ "--summary", "summary", false }, { "--cause", "review.cause", false },
	{ "--went-well", "review.went_well", false },
	{ "--went-badly", "review.went_badly", false },
	{ "--lessons", "review.lessons", false },
	{ "--action-item", "review.action_items", false },
	{ "--status", "status", false }, { "--notes", "notes", false },
	{ "--assignee", "assignee_id", false },
	{ "--q", "q", false }, { "--limit", "limit", false },
	{ "--real", "is_drill=false", true }, { "--format", "format", false },
	{ "--lang", "lang", false },
};

/* Parse the options into body; the rest into args[]. */
static int parse(int argc, char **argv, json_t *body, char **args, int *nargs)
{
	*nargs = 0;
	for (int i = 2; i < argc; i++) {
		const struct opt *o = NULL;

		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (!strcmp(argv[i], opts[k].flag))
				o = &opts[k];
		if (!o) {
			if (argv[i][0] == '-' && argv[i][1] == '-')
				return -1;
			if (*nargs == 2)
				return -1;
			args[(*nargs)++] = argv[i];
			continue;
		}
		if (o->boolean) {
			json_object_set_new(body, o->field, json_true());
			continue;
		}
		if (++i == argc)
			return -1;
		if (!strncmp(o->field, "review.", 7)) {
			json_t *rv = json_object_get(body, "review");

			if (!rv) {
				rv = json_object();
				json_object_set_new(body, "review", rv);
			}
			if (!strcmp(o->field + 7, "action_items")) {
				json_t *items = json_object_get(rv, "action_items");
				char *at = strrchr(argv[i], '@');
				json_t *item = json_object();

				if (!items) {
					items = json_array();
					json_object_set_new(rv, "action_items",
							    items);
				}
				if (at)
					json_object_set_new(item, "group",
							    json_string(at + 1));
				json_object_set_new(item, "title", json_stringn(
					argv[i], at ? (size_t)(at - argv[i])
						    : strlen(argv[i])));
				json_array_append_new(items, item);
			} else {
				json_object_set_new(rv, o->field + 7,
						    json_string(argv[i]));
			}
		} else if (!strcmp(o->field, "assignee_id")) {
			json_object_set_new(body, o->field,
					    json_integer(strtoll(argv[i], NULL,
								 10)));
		} else {
			json_object_set_new(body, o->field, json_string(argv[i]));
		}
	}
	return 0;
}

static char *query(const json_t *body)
{
	const char *keys[] = { "status", "level", "category", "q", "limit" };
	struct buf b = BUF_INIT;
	char *esc;

	buf_adds(&b, "/api/v1/incidents?");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(body, keys[i]));

		if (!v)
			continue;
		esc = cli_urlencode(v);
		buf_addf(&b, "%s=%s&", keys[i], esc);
		free(esc);
	}
	if (json_object_get(body, "is_drill"))
		buf_adds(&b, "is_drill=true&");
	if (json_object_get(body, "is_drill=false"))
		buf_adds(&b, "is_drill=false&");
	b.data[--b.len] = '\0';
	return buf_detach(&b, NULL);
}

static int do_list(struct client *c, const json_t *body)
{
	char *path = query(body);
	json_t *out = NULL, *x;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	table_init(&t, 6, L("NUMBER", "编号"), L("STATUS", "状态"),
		   L("LEVEL", "级别"), L("CATEGORY", "分类"),
		   L("REPORTED", "报告时间"), L("TITLE", "标题"));
	json_array_foreach(json_object_get(out, "items"), i, x)
		table_row(&t, jfield(x, "number"), jfield(x, "status"), jfield(x, "level"),
			  jfield(x, "category"), jfield(x, "reported_at"), jfield(x, "title"));
	table_print(&t);
	json_decref(out);
	return 0;
}

static int do_items(struct client *c, const char *id, bool tasks)
{
	char *path = xasprintf("/api/v1/incidents/%s/%s", id,
			       tasks ? "tasks" : "timeline");
	json_t *out = NULL, *x;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	if (tasks)
		table_init(&t, 4, "ID", L("STATUS", "状态"), L("GROUP", "小组"),
			   L("TASK", "任务"));
	else
		table_init(&t, 3, L("AT", "时间"), L("KIND", "类型"),
			   L("TEXT", "内容"));
	json_array_foreach(json_object_get(out, "items"), i, x) {
		char idbuf[24];

		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)
			 json_integer_value(json_object_get(x, "id")));
		if (tasks)
			table_row(&t, idbuf, jfield(x, "status"), jfield(x, "group"),
				  jfield(x, "title"));
		else
			table_row(&t, jfield(x, "at"), jfield(x, "kind"), jfield(x, "text"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static int do_doc(struct client *c, const char *id, const json_t *body)
{
	const char *fmt = json_string_value(json_object_get(body, "format"));
	const char *lang = json_string_value(json_object_get(body, "lang"));

	return client_download(c, xasprintf(
		"/api/v1/incidents/%s/report?format=%s&lang=%s", id,
		fmt ? fmt : "md", lang ? lang : cli_zh() ? "zh-CN" : "en"));
}

static int incident_run(int argc, char **argv)
{
	static const char *const actions[] = {
		"ack", "activate", "dismiss", "set-level", "resolve", "reopen",
		"close", "review",
	};
	json_t *body = json_object(), *out = NULL;
	struct client c;
	char *args[2] = { NULL, NULL };
	const char *sub = argc > 1 ? argv[1] : "";
	char *path = NULL;
	int nargs, rc;

	if ((rc = client_init(&c, &argc, argv)))
		goto done;
	rc = 2;
	if (argc < 2 || parse(argc, argv, body, args, &nargs))
		goto usage;
	if (!strcmp(sub, "list") && nargs == 0) {
		rc = do_list(&c, body);
	} else if (!strcmp(sub, "show") && nargs == 1) {
		path = xasprintf("/api/v1/incidents/%s", args[0]);
		if (!(rc = client_expect(&c, "GET", path, NULL, 200, &out)) && out)
			print_incident(out);
	} else if (!strcmp(sub, "report") && nargs == 0) {
		json_t *lv = json_object_get(body, "level");

		if (lv) {
			json_object_set(body, "proposed_level", lv);
			json_object_del(body, "level");
		}
		if (!(rc = client_expect(&c, "POST", "/api/v1/incidents", body, 201,
				&out)) && out)
			print_incident(out);
	} else if (!strcmp(sub, "note") && nargs == 2) {
		json_t *n = json_pack("{s:s}", "text", args[1]);

		path = xasprintf("/api/v1/incidents/%s/notes", args[0]);
		rc = client_expect(&c, "POST", path, n, 201, &out);
		json_decref(n);
	} else if ((!strcmp(sub, "timeline") || !strcmp(sub, "tasks")) &&
		   nargs == 1) {
		rc = do_items(&c, args[0], !strcmp(sub, "tasks"));
	} else if (!strcmp(sub, "task") && nargs == 1) {
		path = xasprintf("/api/v1/tasks/%s", args[0]);
		if (!(rc = client_expect(&c, "PATCH", path, body, 200, &out)) && out)
			printf("%lld  %s  %s\n", (long long)json_integer_value(
				json_object_get(out, "id")), jfield(out, "status"),
			       jfield(out, "title"));
	} else if (!strcmp(sub, "report-doc") && nargs == 1) {
		rc = do_doc(&c, args[0], body);
	} else {
		size_t i;

		for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
			if (!strcmp(sub, actions[i]))
				break;
		if (i == sizeof(actions) / sizeof(actions[0]) || nargs != 1)
			goto usage;
		path = xasprintf("/api/v1/incidents/%s/%s", args[0], sub);
		if (!(rc = client_expect(&c, "POST", path, body, 200, &out)) && out)
			print_incident(out);
	}
	goto done;
usage:
	rc = cli_usage(&cmd_incident);
done:
	free(path);
	json_decref(out);
	json_decref(body);
	client_release(&c);
	return rc;
}
