/*
 * cmd-channel.c - notification channels from the command line, as an
 * API client: add, change, test, and attach to the groups that hear on
 * them.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int channel_run(int argc, char **argv);

const struct cli_cmd cmd_channel = {
	.name = "channel",
	.usage = "erms channel COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Notification channels: robots, webhooks, e-mail",
	.summary_zh = "通知渠道：群机器人、Webhook、电子邮件",
	.help_en =
		"  list                           the channels (secrets hidden)\n"
		"  add --name N --kind K [--set KEY=VALUE]... [--config JSON]\n"
		"      [--rate-burst N] [--rate-period-ms MS] [--enabled yes|no]\n"
		"                                 K: email, webhook, slack,\n"
		"                                 dingtalk, wecom, feishu\n"
		"  edit ID [--name N] [--set KEY=VALUE]... [--config JSON]\n"
		"      [--rate-burst N] [--rate-period-ms MS] [--enabled yes|no]\n"
		"                                 config keys given replace the\n"
		"                                 stored ones\n"
		"  delete ID                      remove (disabled if messages\n"
		"                                 refer to it)\n"
		"  test ID                        send one test message now\n"
		"  attach ID GROUP | detach ID GROUP\n"
		"                                 the group hears on the channel\n"
		"                                 (or no longer)\n"
		"\nconfig per kind: email host, port, tls (none|starttls|tls),\n"
		"from, user, password; webhook url, secret; dingtalk and feishu\n"
		"url, secret; slack and wecom url. --set port:=25 sends a number.\n",
	.help_zh =
		"  list                           渠道列表（不显示密钥）\n"
		"  add --name 名称 --kind 类型 [--set 键=值]... [--config JSON]\n"
		"      [--rate-burst N] [--rate-period-ms 毫秒] [--enabled yes|no]\n"
		"                                 类型：email、webhook、slack、\n"
		"                                 dingtalk、wecom、feishu\n"
		"  edit ID [--name 名称] [--set 键=值]... [--config JSON]\n"
		"      [--rate-burst N] [--rate-period-ms 毫秒] [--enabled yes|no]\n"
		"                                 给出的配置项替换原有配置项\n"
		"  delete ID                      删除（已有消息引用时改为停用）\n"
		"  test ID                        立即发送一条测试消息\n"
		"  attach ID 小组 | detach ID 小组\n"
		"                                 小组经此渠道接收通知（或不再接收）\n"
		"\n各类型的配置：email 为 host、port、tls（none|starttls|tls）、\n"
		"from、user、password；webhook 为 url、secret；dingtalk 与 feishu\n"
		"为 url、secret；slack 与 wecom 为 url。--set port:=25 传数字。\n",
	.run = channel_run,
};

/* Where a channel delivers: its URL's host or its mail server. */
static const char *target(const json_t *ch)
{
	const json_t *cfg = json_object_get(ch, "config");
	const char *s = json_string_value(json_object_get(cfg, "url"));

	if (!s)
		s = json_string_value(json_object_get(cfg, "host"));
	return s ? s : "-";
}

static int list(struct client *c)
{
	json_t *out = NULL, *ch;
	struct table t;
	size_t i;
	int rc = client_list(c, xstrdup("/api/v1/channels"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, "ID", L("NAME", "名称"), L("KIND", "类型"),
		   L("ENABLED", "启用"), L("TARGET", "目标"));
	json_array_foreach(json_object_get(out, "items"), i, ch) {
		char id[24];

		table_row(&t, jint_str(ch, "id", id), jfield(ch, "name"),
			  jfield(ch, "kind"),
			  json_is_true(json_object_get(ch, "enabled"))
			  ? L("yes", "是") : L("no", "否"), target(ch));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

/* The body of add or edit from the options; NULL after saying why
 * (*rc the exit code). */
static json_t *channel_body(int argc, char **argv, bool create, int *rc)
{
	static const char *const texts[][2] = {
		{ "--name", "name" }, { "--kind", "kind" },
	};
	const char *cfg = cli_opt(argc, argv, "--config");
	json_t *body = json_object();
	json_t *config = cfg ? json_loads(cfg, 0, NULL) : json_object();

	*rc = 0;
	if (!json_is_object(config)) {
		*rc = cli_bad(L("--config is a JSON object",
				"--config 须为 JSON 对象"), cfg);
		goto fail;
	}
	cli_text_fields(argc, argv, texts, create ? 2 : 1, body);
	if ((*rc = cli_set_fields(argc, argv, "--set", config)) ||
	    (*rc = cli_yesno(argc, argv, "--enabled", body, "enabled")))
		goto fail;
	for (int k = 0; k < 2; k++) {
		const char *flag = k ? "--rate-period-ms" : "--rate-burst";
		const char *v = cli_opt(argc, argv, flag);
		long long n;

		if (!v)
			continue;
		if (cli_parse_int(v, &n) || n < 0) {
			*rc = cli_bad(flag, v);
			goto fail;
		}
		json_object_set_new(body, k ? "rate_period_ms" : "rate_burst",
				    json_integer(n));
	}
	if (create || json_object_size(config))
		json_object_set(body, "config", config);
	json_decref(config);
	return body;
fail:
	json_decref(config);
	json_decref(body);
	return NULL;
}

/* The channel `id` in the list read, for its version. */
static int pick_channel(json_t *body, const json_t *read, void *ctx,
			const json_t **obj)
{
	const json_t *ch;
	size_t i;

	(void)body;
	json_array_foreach(json_object_get(read, "items"), i, ch)
		if (json_integer_value(json_object_get(ch, "id")) ==
		    *(long long *)ctx) {
			*obj = ch;
			return 0;
		}
	*obj = NULL;
	return 0;	/* the write answers 404 */
}

struct attach {
	long long id;
	bool on;
};

/* The group's channels read, with the channel added or taken out. */
static int edit_channels(json_t *body, const json_t *read, void *ctx,
			 const json_t **obj)
{
	struct attach *a = ctx;
	json_t *ids = json_array(), *v;
	size_t i;

	(void)obj;
	json_array_foreach(json_object_get(read, "channels"), i, v)
		if (json_integer_value(v) != a->id)
			json_array_append(ids, v);
	if (a->on)
		json_array_append_new(ids, json_integer(a->id));
	json_object_set_new(body, "channels", ids);
	return 0;
}

static void print_channel(const json_t *ch)
{
	printf("%lld  %s  %s  %s  %s\n",
	       (long long)json_integer_value(json_object_get(ch, "id")),
	       jfield(ch, "name"), jfield(ch, "kind"),
	       json_is_true(json_object_get(ch, "enabled"))
	       ? L("enabled", "已启用") : L("disabled", "已停用"), target(ch));
}

static int test(struct client *c, const char *id)
{
	char *path = xasprintf("/api/v1/channels/%s/test", id);
	json_t *body = json_object(), *out = NULL;
	int rc = client_expect(c, "POST", path, body, 200, &out);

	if (!rc && out) {
		const char *outcome = jfield(out, "outcome");

		printf("%s  %s%s%s\n", outcome,
		       json_is_true(json_object_get(out, "delivered"))
		       ? L("delivered", "已送达") : L("not delivered", "未送达"),
		       *jfield(out, "error") && strcmp(jfield(out, "error"), "-")
		       ? "  " : "",
		       strcmp(jfield(out, "error"), "-") ? jfield(out, "error")
							   : "");
		if (strcmp(outcome, "sent"))
			rc = 1;
	}
	json_decref(out);
	json_decref(body);
	free(path);
	return rc;
}

static int channel_run(int argc, char **argv)
{
	struct client c;
	char *pos[2] = { NULL, NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL;
	long long id = 0;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 2);
	if (n >= 1 && cli_parse_int(pos[0], &id)) {
		rc = cli_bad(L("a channel is named by its id", "渠道须以 ID 指明"),
			     pos[0]);
	} else if (!strcmp(sub, "list") && n == 0) {
		rc = list(&c);
	} else if (!strcmp(sub, "add") && n == 0) {
		if ((body = channel_body(argc, argv, true, &rc)))
			rc = client_expect(&c, "POST", "/api/v1/channels", body,
					   201, &out);
	} else if (!strcmp(sub, "edit") && n == 1) {
		if ((body = channel_body(argc, argv, false, &rc))) {
			path = xasprintf("/api/v1/channels/%lld", id);
			rc = client_edit(&c, "PATCH",
					 xstrdup("/api/v1/channels"), path,
					 body, pick_channel, &id, 200, &out);
		}
	} else if (!strcmp(sub, "delete") && n == 1) {
		path = xasprintf("/api/v1/channels/%lld", id);
		if (!(rc = client_expect(&c, "DELETE", path, NULL, 204, &out)) &&
		    !c.json)
			printf("%s %lld\n", L("removed channel", "已删除渠道"),
			       id);
	} else if (!strcmp(sub, "test") && n == 1) {
		rc = test(&c, pos[0]);
	} else if ((!strcmp(sub, "attach") || !strcmp(sub, "detach")) &&
		   n == 2) {
		struct attach a = { id, !strcmp(sub, "attach") };
		char *esc = cli_urlencode(pos[1]);

		body = json_object();
		rc = client_edit(&c, "PATCH",
				 xasprintf("/api/v1/groups/%s", esc), NULL,
				 body, edit_channels, &a, 200, &out);
		free(esc);
		if (!rc && out) {
			char *ids = json_dumps(json_object_get(out, "channels"),
					       JSON_COMPACT);

			printf("%s  %s %s\n", jfield(out, "key"),
			       L("channels", "渠道"), ids ? ids : "[]");
			free(ids);
		}
		json_decref(out);
		out = NULL;
	} else {
		rc = cli_usage(&cmd_channel);
	}
	if (!rc && out && !c.json)
		print_channel(out);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
