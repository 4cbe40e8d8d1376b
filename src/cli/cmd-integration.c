/*
 * cmd-integration.c - monitoring integrations from the command line, as
 * an API client (administrators).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int integration_run(int argc, char **argv);

const struct cli_cmd cmd_integration = {
	.name = "integration",
	.usage = "erms integration COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Monitoring integrations: the URLs monitors post to",
	.summary_zh = "监控接入：监控系统推送告警的地址",
	.help_en =
		"  list                        the integrations, their counts\n"
		"  add --name N --kind K       K: alertmanager, grafana, events,\n"
		"      [--category C]            heartbeat; prints the key and URL\n"
		"      [--level L]               (shown this once)\n"
		"      [--interval SECONDS]      heartbeat: the longest silence\n"
		"      [--auto-dismiss]          dismiss when all alerts resolve\n"
		"                                before anyone acknowledged\n"
		"      [--group-by a,b]          group alerts by these labels\n"
		"      [--window SECONDS]        grouping window (0: while open)\n"
		"      [--rate-limit N]          requests a minute before 429\n"
		"  show ID                     one integration, rules, windows\n"
		"  rotate ID                   a new key and URL (shown once);\n"
		"                              the old key stops working\n"
		"  disable ID | enable ID      refuse or take its posts again\n"
		"  delete ID\n",
	.help_zh =
		"  list                        接入列表及其计数\n"
		"  add --name 名称 --kind 类型  类型：alertmanager、grafana、\n"
		"      [--category 分类]         events、heartbeat；打印密钥和\n"
		"      [--level 级别]            推送地址（仅显示这一次）\n"
		"      [--interval 秒]           心跳：最长允许的静默时间\n"
		"      [--auto-dismiss]          无人确认前告警全部恢复则自动撤销\n"
		"      [--group-by a,b]          按这些标签归并告警\n"
		"      [--window 秒]             归并时间窗（0：事件未结束即归并）\n"
		"      [--rate-limit N]          每分钟请求数上限，超过答 429\n"
		"  show ID                     查看接入及其规则、维护窗口\n"
		"  rotate ID                   换发密钥和地址（仅显示这一次），\n"
		"                              旧密钥随即失效\n"
		"  disable ID | enable ID      停用或重新启用\n"
		"  delete ID                   删除\n",
	.run = integration_run,
};

static long long jint_of(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static int list(struct client *c)
{
	json_t *out = NULL, *x;
	struct table t;
	size_t i;
	int rc = client_list(c, xstrdup("/api/v1/integrations"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 7, "ID", L("NAME", "名称"), L("KIND", "类型"),
		   L("KEY", "密钥"), L("STATE", "状态"),
		   L("ALERTS", "告警"), L("LAST RECEIVED", "最近接收"));
	json_array_foreach(json_object_get(out, "items"), i, x) {
		char id[24], key[32], alerts[48];

		snprintf(id, sizeof(id), "%lld", jint_of(x, "id"));
		snprintf(key, sizeof(key), "%s…", jfield(x, "key_prefix"));
		snprintf(alerts, sizeof(alerts), "%lld/%lld",
			 jint_of(x, "alerts_firing"), jint_of(x, "alerts_total"));
		table_row(&t, id, jfield(x, "name"), jfield(x, "kind"), key,
			  json_is_true(json_object_get(x, "enabled"))
			  ? L("enabled", "启用") : L("disabled", "停用"),
			  alerts, jfield(x, "last_received_at"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static void print_integration(const json_t *x)
{
	const json_t *v;
	size_t i;

	printf("#%lld  %s  %s  %s\n", jint_of(x, "id"), jfield(x, "name"),
	       jfield(x, "kind"),
	       json_is_true(json_object_get(x, "enabled"))
	       ? L("enabled", "启用") : L("disabled", "停用"));
	if (json_is_string(json_object_get(x, "key"))) {
		printf("  %-14s %s\n  %-14s %s\n", L("key", "密钥"),
		       jfield(x, "key"), L("url", "推送地址"), jfield(x, "url"));
		printf("  %s\n", L("(shown this once: keep it now)",
				   "（仅显示这一次，请立即保存）"));
	} else {
		printf("  %-14s %s…\n", L("key", "密钥"),
		       jfield(x, "key_prefix"));
	}
	printf("  %-14s %s\n  %-14s %s\n", L("category", "分类"),
	       jfield(x, "category"), L("level", "级别"), jfield(x, "level"));
	if (json_is_integer(json_object_get(x, "interval_s")))
		printf("  %-14s %llds\n", L("interval", "心跳间隔"),
		       jint_of(x, "interval_s"));
	printf("  %-14s %lld  %s %lld  %s %lld\n", L("received", "已接收"),
	       jint_of(x, "received"), L("alerts", "告警"),
	       jint_of(x, "alerts_total"), L("firing", "告警中"),
	       jint_of(x, "alerts_firing"));
	printf("  %-14s %s\n", L("last received", "最近接收"),
	       jfield(x, "last_received_at"));
	json_array_foreach(json_object_get(x, "rules"), i, v) {
		char *m = json_dumps(json_object_get(v, "matchers"),
				     JSON_COMPACT);

		printf("  %s %zu: %s -> %s %s%s\n", L("rule", "规则"), i + 1, m,
		       jfield(v, "category"), jfield(v, "level"),
		       json_is_true(json_object_get(v, "drop"))
		       ? L(" (dropped)", "（丢弃）") : "");
		free(m);
	}
	json_array_foreach(json_object_get(x, "maintenance"), i, v) {
		char *m = json_dumps(json_object_get(v, "matchers"),
				     JSON_COMPACT);

		printf("  %s %zu: %s %s .. %s %s\n",
		       L("maintenance", "维护窗口"), i + 1, m,
		       jfield(v, "starts_at"), jfield(v, "ends_at"),
		       jfield(v, "reason"));
		free(m);
	}
}

/* "a,b" as ["a", "b"] (empty names left out). */
static json_t *names(const char *s)
{
	json_t *a = json_array();

	while (*s) {
		size_t n = strcspn(s, ",");

		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
		if (*s == ',')
			s++;
	}
	return a;
}

/* A whole number, or -1 after saying why. */
static long long number(const char *flag, const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v < 0) {
		fprintf(stderr, "erms: %s: %s '%s'\n", flag,
			L("not a number", "不是数字"), s);
		return -1;
	}
	return v;
}

/* add's options into a body; NULL (after a message) on a bad one. */
static json_t *add_body(int argc, char **argv)
{
	static const char *const texts[][2] = {
		{ "--name", "name" }, { "--kind", "kind" },
		{ "--category", "category" }, { "--level", "level" },
		{ "--title", "title_template" },
	};
	static const char *const ints[][2] = {
		{ "--interval", "interval_s" }, { "--window", "group_window_s" },
		{ "--rate-limit", "rate_limit_per_min" },
	};
	json_t *b = json_object();

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		size_t k;
		bool done = false;

		if (!strcmp(a, "--auto-dismiss")) {
			json_object_set_new(b, "auto_dismiss", json_true());
			continue;
		}
		for (k = 0; !done && k < ARRAY_SIZE(texts); k++)
			if (!strcmp(a, texts[k][0]) && v) {
				json_object_set_new(b, texts[k][1],
						    json_string(v));
				done = true;
			}
		for (k = 0; !done && k < ARRAY_SIZE(ints); k++)
			if (!strcmp(a, ints[k][0]) && v) {
				long long n = number(a, v);

				if (n < 0)
					goto bad;
				json_object_set_new(b, ints[k][1],
						    json_integer(n));
				done = true;
			}
		if (!done && !strcmp(a, "--group-by") && v) {
			json_object_set_new(b, "group_by", names(v));
			done = true;
		}
		if (!done) {
			fprintf(stderr, "erms: %s '%s'\n",
				L("unknown option or missing value",
				  "未知选项或缺少值"), a);
			goto bad;
		}
		i++;
	}
	return b;
bad:
	json_decref(b);
	return NULL;
}

/* DELETE path: 204 expected. */
static int delete(struct client *c, char *path)
{
	json_t *out = NULL;
	int status, rc = client_call(c, "DELETE", path, NULL, &status, &out,
				     NULL);

	free(path);
	if (!rc && status != 204)
		rc = client_error(status, out);
	else if (!rc)
		printf("%s\n", L("deleted", "已删除"));
	json_decref(out);
	return rc;
}

static int integration_run(int argc, char **argv)
{
	struct client c;
	char *pos[2] = { NULL, NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 2);
	if (!strcmp(sub, "list") && n == 0) {
		rc = list(&c);
	} else if (!strcmp(sub, "add")) {
		body = add_body(argc, argv);
		rc = body ? client_expect(&c, "POST", "/api/v1/integrations",
					  body, 201, &out)
			  : cli_usage(&cmd_integration);
	} else if (!strcmp(sub, "show") && n == 1) {
		rc = client_get(&c, xasprintf("/api/v1/integrations/%s",
					      pos[0]), &out);
	} else if (!strcmp(sub, "rotate") && n == 1) {
		path = xasprintf("/api/v1/integrations/%s/rotate", pos[0]);
		rc = client_expect(&c, "POST", path, NULL, 200, &out);
	} else if ((!strcmp(sub, "disable") || !strcmp(sub, "enable")) &&
		   n == 1) {
		body = json_pack("{s:b}", "enabled", !strcmp(sub, "enable"));
		path = xasprintf("/api/v1/integrations/%s", pos[0]);
		rc = client_expect(&c, "PATCH", path, body, 200, &out);
	} else if (!strcmp(sub, "delete") && n == 1) {
		rc = delete(&c, xasprintf("/api/v1/integrations/%s", pos[0]));
	} else {
		rc = cli_usage(&cmd_integration);
	}
	if (!rc && out && !c.json)
		print_integration(out);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
